"""Write generated pages into the folders the generator owns, and nowhere else.

A generated page carries a marker comment. A file without it is the
trainer's: it is never overwritten or deleted, and a generated page that
would land on it is an error naming both files. Only files whose text
changed are rewritten (atomically), and generated files no longer produced
are removed, so docs/ always mirrors modules/.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import layout
from .errors import CourseError, Problem
from .layout import GENERATED_DIR
from .render import MARKER, Output

# Folders under docs/ that hold generated pages (plus any hand-written file, left alone), from the layout.
OWNED_DOCS_FOLDERS = layout.owned_folders()
OWNED_DOCS_FILES = layout.owned_root_files()


@dataclass
class WriteReport:
    """What a write changed, for progress output and the benchmark."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    # False when every rewritten page kept its front matter (title, description, tags): then only
    # those pages' bodies changed, and a preview may rebuild just them (see serve.py).
    structure_changed: bool = False


def is_generated(path: Path) -> bool:
    """True when the file carries the generator's marker near its top."""
    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            return MARKER in handle.read(4096)
    except OSError:
        return False


def owned_files(root: Path, known: frozenset[str] = frozenset()) -> list[Path]:
    """Every file the generator wrote on an earlier run (marked or under .generated/).

    Paths in `known` were just written by the generator, so their marker need not be read again.
    """
    found: list[Path] = []
    docs = root / "docs"

    def ours(path: Path) -> bool:
        return path.relative_to(root).as_posix() in known or is_generated(path)

    for name in OWNED_DOCS_FILES:
        if (docs / name).is_file() and ours(docs / name):
            found.append(docs / name)
    for folder in OWNED_DOCS_FOLDERS:
        found += [p for p in sorted((docs / folder).rglob("*")) if p.is_file() and ours(p)]
    found += sorted(p for p in (root / GENERATED_DIR).rglob("*") if p.is_file())
    return found


def check_collisions(root: Path, outputs: list[Output]) -> None:
    """Refuse to overwrite any hand-written file; raise CourseError naming both files."""
    problems = []
    for output in outputs:
        target = root / output.path
        if output.path.startswith(GENERATED_DIR + "/") or not target.exists():
            continue
        if not is_generated(target):
            problems.append(
                Problem(
                    output.source,
                    1,
                    f"would overwrite the hand-written file {output.path}: rename or move {output.path}, or change the id in {output.source}",
                )
            )
    if problems:
        raise CourseError(problems)


def write_outputs(root: Path, outputs: list[Output]) -> WriteReport:
    """Write changed outputs atomically and remove stale generated files."""
    check_collisions(root, outputs)
    report = WriteReport()
    wanted = {output.path for output in outputs}
    for output in outputs:
        target = root / output.path
        data = output.text.encode("utf-8")
        old = target.read_bytes() if target.is_file() else None
        if old == data:
            report.unchanged += 1
            continue
        if old is None or not output.path.startswith("docs/") or _structure(old) != _structure(data):
            report.structure_changed = True
        _atomic_write(target, data)
        report.written.append(output.path)
    for path in owned_files(root, frozenset(wanted)):
        relative = path.relative_to(root).as_posix()
        if relative not in wanted:
            path.unlink()
            report.removed.append(relative)
            report.structure_changed = True
            _remove_empty_parents(path.parent, root)
    return report


def _structure(data: bytes) -> bytes:
    """What other pages show of a page: its front matter (description, tags) and its title (the first '# ' line)."""
    end = data.find(b"\n---\n", 4)
    front = data[: end + 5] if data.startswith(b"---\n") and end != -1 else b""
    title = next((line for line in data.split(b"\n") if line.startswith(b"# ")), b"")
    return front + title


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        # A new file replaces nothing, so it can be written in place: a build killed half-way
        # leaves a partial page that the next run sees as changed and rewrites.
        target.write_bytes(data)
        return
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove_empty_parents(folder: Path, root: Path) -> None:
    docs = root / "docs"
    while folder not in (root, docs) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def clean(root: Path) -> list[str]:
    """Remove every generated file (and site/); hand-written files stay."""
    removed = []
    for path in owned_files(root):
        path.unlink()
        removed.append(path.relative_to(root).as_posix())
        _remove_empty_parents(path.parent, root)
    return removed
