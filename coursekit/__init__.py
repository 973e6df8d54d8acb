"""The course kit: modules in, a strict-built MkDocs Material site out."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path


def source_fingerprint(folder: Path) -> str:
    """A short hash of the Python files in a folder."""
    digest = hashlib.sha1()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


@functools.cache
def kit_fingerprint() -> str:
    """The kit's own code version, part of every cache key.

    Caches outlive a run: parsed files and compiled templates (into which Jinja folds constant
    filter calls such as `"A" | meaning`) must never be reused by a different version of the kit.
    """
    return source_fingerprint(Path(__file__).parent)
