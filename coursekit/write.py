"""Write generated pages into the folders the generator owns, and nowhere else.

A generated page carries a marker comment. A file without it is the
trainer's: it is never overwritten or deleted, and a generated page that
would land on it is an error naming both files. Only files whose text
changed are rewritten, and generated files no longer produced are removed,
so docs/ always mirrors modules/. Every changed file is first written beside
its target and then renamed over it, so a full disk or a folder that refuses
writes stops the run before any page is replaced, as one problem naming it.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import layout
from .errors import CourseError, Problem, blocked_by, shown_path, write_fault
from .layout import GENERATED_DIR
from .render import MARKER, Output

# Folders under docs/ that hold generated pages (plus any hand-written file, left alone), from the layout.
OWNED_DOCS_FOLDERS = layout.owned_folders()
OWNED_DOCS_FILES = layout.owned_root_files()
# A file being written; one left by a killed run is removed as a stale generated file.
TEMP_PREFIX = ".coursekit-tmp-"
# Generated files get the permissions any new file would (mkstemp's are private to the user).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


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
        return path.relative_to(root).as_posix() in known or path.name.startswith(TEMP_PREFIX) or is_generated(path)

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
    changed = _changes(root, outputs)
    report.unchanged = len(outputs) - len(changed)
    for output, _target, data, old in changed:
        if old is None or not output.path.startswith("docs/") or _structure(old) != _structure(data):
            report.structure_changed = True
        report.written.append(output.path)
    _write_all(root, [(target, data) for _output, target, data, _old in changed])
    for path in owned_files(root, frozenset(wanted)):
        relative = path.relative_to(root).as_posix()
        if relative not in wanted:
            _remove(path, root, outcome="site/ was left as it was")
            report.removed.append(relative)
            report.structure_changed = True
            _remove_empty_parents(path.parent, root)
    return report


def write_ahead(root: Path, outputs: list[Output]) -> dict[str, bytes | None]:
    """Write those of a few outputs that changed, before the rest of the course is rendered (the preview's first
    look); returns each written path's old bytes (None: it is new), for `put_back` if the rest fails."""
    check_collisions(root, outputs)
    changed = _changes(root, outputs)
    _write_all(root, [(target, data) for _output, target, data, _old in changed])
    return {output.path: old for output, _target, _data, old in changed}


def _changes(root: Path, outputs: list[Output]) -> list[tuple[Output, Path, bytes, bytes | None]]:
    """The outputs whose file differs from their text, with the file, the new bytes and the old (None: no file)."""
    changed = []
    for output in outputs:
        target = root / output.path
        data = output.text.encode("utf-8")
        old = target.read_bytes() if target.is_file() else None
        if old != data:
            changed.append((output, target, data, old))
    return changed


def put_back(root: Path, old: dict[str, bytes | None]) -> None:
    """Undo `write_ahead`: docs/ is again as it was before the run."""
    _write_all(root, [(root / path, data) for path, data in old.items() if data is not None])
    for path, data in old.items():
        if data is None:
            _remove(root / path, root, outcome="site/ was left as it was")
            _remove_empty_parents((root / path).parent, root)


def _structure(data: bytes) -> bytes:
    """What other pages show of a page: its front matter (description, tags) and its title (the first '# ' line)."""
    end = data.find(b"\n---\n", 4)
    front = data[: end + 5] if data.startswith(b"---\n") and end != -1 else b""
    title = next((line for line in data.split(b"\n") if line.startswith(b"# ")), b"")
    return front + title


def _write_all(root: Path, files: list[tuple[Path, bytes]]) -> None:
    """Write every file beside its target, then rename each over its target, so each page is replaced whole."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files:
            staged.append((_stage(root, target, data), target))
        for temporary, target in staged:
            try:
                os.replace(temporary, target)
            except OSError as error:
                raise CourseError(
                    [write_fault(error, shown_path(target, root))],
                    outcome="site/ was left as it was; docs/ is partly updated, and the next run finishes it",
                ) from None
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)  # the ones not renamed into place


def _stage(root: Path, target: Path, data: bytes) -> Path:
    """The file's new text in a temporary file beside it; a refused write names the folder."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX, suffix=target.suffix)
    except OSError as error:
        raise _folder_fault(error, target.parent, root) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), 0o666 & ~_UMASK)
            stream.write(data)
    except OSError as error:
        Path(name).unlink(missing_ok=True)
        raise _folder_fault(error, target.parent, root) from None
    return Path(name)


def _folder_fault(error: OSError, folder: Path, root: Path) -> CourseError:
    # A folder that does not exist yet could not be made in the nearest one that does: name that one.
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return CourseError(
        [write_fault(error, shown_path(folder, root, folder=True))], "docs/ and site/ were left as they were"
    )


def _remove(path: Path, root: Path, outcome: str) -> None:
    """Delete a generated file; a refusal is one problem naming it."""
    try:
        path.unlink()
    except OSError as error:
        raise CourseError([write_fault(error, shown_path(blocked_by(path), root))], outcome) from None


def _remove_empty_parents(folder: Path, root: Path) -> None:
    docs = root / "docs"
    while folder not in (root, docs) and folder.is_dir() and not any(folder.iterdir()):
        try:
            folder.rmdir()
        except OSError:
            return  # an empty folder left behind does no harm
        folder = folder.parent


def clean(root: Path) -> list[str]:
    """Remove every generated file (and site/); hand-written files stay."""
    removed = []
    for path in owned_files(root):
        _remove(path, root, outcome="clean stopped there; site/ and the files after it were left as they were")
        removed.append(path.relative_to(root).as_posix())
        _remove_empty_parents(path.parent, root)
    return removed
