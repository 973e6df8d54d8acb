"""The user's private cache folder, shared by the parse cache (load.py) and the build cache (cached_build.py).

A cache only saves time: reading one that is missing, damaged, oversized or not the user's gives
nothing, and writing one that the machine refuses (a full or read-only temp folder) is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from pathlib import Path


def folder() -> Path | None:
    """The cache folder: in the temp folder, one per user, created private (0700) on first write; None without a temp folder."""
    try:
        return Path(tempfile.gettempdir()) / f"course-kit-cache-{os.getuid()}"
    except OSError:  # no usable temp folder: no cache
        return None


def read(path: Path, max_bytes: int) -> object | None:
    """What a cache file holds, when it is the user's own and no larger than max_bytes; None otherwise."""
    try:
        if path.parent.stat().st_uid != os.getuid() or path.stat().st_size > max_bytes:
            return None
        return pickle.loads(path.read_bytes())
    except Exception:  # whatever a damaged or missing cache raises, it is as if there were none
        return None


def write(path: Path, data: object) -> None:
    """Replace a cache file whole, and remove the files of the kit's other versions ('<stem>-<version>.pickle')."""
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        temporary.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
        for other_version in path.parent.glob(path.name.rsplit("-", 1)[0] + "-*.pickle"):
            if other_version != path:
                other_version.unlink(missing_ok=True)
    except OSError:  # a full or read-only temp folder costs only time
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def digest(*parts) -> str:
    """A hash of values given as text or bytes: the key of an entry in the kit's caches."""
    hashed = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        hashed.update(len(data).to_bytes(8, "little") + data)
    return hashed.hexdigest()
