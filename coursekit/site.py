"""Run the site engine (coursekit/engines.py) in strict mode into a fresh folder, and swap it in only on success.

An engine cleans site/ and then writes page by page, so a failure half-way
would leave a broken site; building beside it and renaming keeps the last
good site/ whole, even if the build is killed. The preview's quick rebuilds
(MkDocs' dirty mode) start from a copy of the site and are swapped in the
same way. A folder the machine will not let us write (read-only, immutable,
a full disk) is one problem naming it, with the staging folder removed.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from .csp import protect_site
from .engines import CONFIG, MATERIAL_INDEX, Engine, EngineFailed, engine_named, merge_search_index  # noqa: F401
from .errors import WRITE_FAULTS, CourseError, Problem, blocked_by, shown_path, write_fault
from .linkcheck import check_links
from .ranking import rank_search

TEMP_PREFIX = ".site-build-"
INDEX = Path(MATERIAL_INDEX)
KEPT = "site/ was left as it was"


def build_site(
    root: Path,
    site_dir: Path | None = None,
    strict: bool = True,
    dirty: bool = False,
    engine: str | None = None,
    **overrides,
) -> Path:
    """Build the site for `root` with an engine (default MkDocs) into site_dir (default root/site) atomically.

    `dirty` rebuilds only the pages newer than their HTML, starting from a copy of site_dir (the
    preview's quick path), where the engine can. `overrides` are config values, e.g. site_url for
    the preview server. After the engine, our own link check runs over the HTML, the same for every engine.
    """
    chosen = engine_named(engine)
    site_dir = site_dir or root / "site"
    dirty = dirty and chosen.dirty
    staging = _new_staging(root, site_dir, copy=dirty)
    try:
        _run_engine(chosen, root, staging, strict, dirty, overrides, shown_path(site_dir, root, folder=True), site_dir)
    except EngineFailed as failed:
        shutil.rmtree(staging, ignore_errors=True)
        raise CourseError((Problem(CONFIG, 1, f"{chosen.label}: {m}") for m in failed.messages), outcome=KEPT) from None
    except BaseException:  # a CourseError (a folder the engine could not write, a broken link) or an interrupt
        shutil.rmtree(staging, ignore_errors=True)
        raise
    staging.chmod(0o755)
    swap_in(staging, site_dir, root)
    return site_dir


def _new_staging(root: Path, site_dir: Path, copy: bool) -> Path:
    """A fresh folder beside site_dir to build into (a copy of site_dir for a dirty build)."""
    try:
        _remove_leftovers(site_dir)
        staging = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=site_dir.parent))
    except OSError as error:
        raise CourseError([write_fault(error, shown_path(site_dir.parent, root, folder=True))], KEPT) from None
    if copy:
        try:
            # copy2 keeps each file's time, which dirty mode compares with its source's.
            shutil.copytree(site_dir, staging, dirs_exist_ok=True, copy_function=_copy)
        except (OSError, _CopyFailed) as error:
            shutil.rmtree(staging, ignore_errors=True)
            fault = error.error if isinstance(error, _CopyFailed) else error
            raise CourseError([write_fault(fault, shown_path(site_dir, root, folder=True))], KEPT) from None
    return staging


class _CopyFailed(Exception):
    """Carries a copy's OSError past copytree, which would gather it into a shutil.Error without its errno."""

    def __init__(self, error: OSError):
        super().__init__(str(error))
        self.error = error


def _copy(source: str, target: str) -> None:
    try:
        shutil.copy2(source, target)
    except OSError as error:
        raise _CopyFailed(error) from error


def _run_engine(
    engine: Engine, root: Path, staging: Path, strict, dirty, overrides, where: str, previous: Path | None
) -> None:
    """Run the engine into staging, check its links, rank its search and add the security policy.

    `previous` is the site being replaced, whose unchanged pages the build may reuse. A refused
    write there is one problem at `where`.
    """
    try:
        engine.build(root, staging, strict=strict, dirty=dirty, overrides=overrides, previous=previous)
        broken = check_links(staging, root / "docs")
        if broken:
            raise CourseError(broken, KEPT)
        if engine.ranked:
            rank_search(staging / engine.search_index)
        protect_site(staging)
    except OSError as error:
        if _refused_write(error, staging):
            raise CourseError([write_fault(error, where)], KEPT) from None
        raise EngineFailed([f"{type(error).__name__}: {error}"]) from None


def _refused_write(error: OSError, staging: Path) -> bool:
    """A full disk, or a read-only or immutable folder met while writing the staging folder (not reading a source)."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    names = [Path(str(name)) for name in (error.filename, error.filename2) if name]
    return error.errno in WRITE_FAULTS and any(name.is_relative_to(staging) for name in names)


def swap_in(staging: Path, site_dir: Path, root: Path) -> None:
    """Put the new site in place with renames, so site/ is never half-written; a refused rename leaves it as it was."""
    old = site_dir.with_name(site_dir.name + ".old")
    try:
        if old.exists():
            shutil.rmtree(old)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise CourseError([write_fault(error, shown_path(old, root, folder=True))], KEPT) from None
    moved = False
    try:
        if site_dir.exists():
            site_dir.rename(old)
            moved = True
        staging.rename(site_dir)
    except OSError as error:
        if moved:
            old.rename(site_dir)
        shutil.rmtree(staging, ignore_errors=True)
        blamed = blocked_by(site_dir)
        raise CourseError([write_fault(error, shown_path(blamed, root, folder=True))], KEPT) from None
    # What cannot be removed now (a read-only file inside) is retried, and reported, by the next build.
    shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(site_dir: Path) -> None:
    """Delete staging folders left by a build that was killed."""
    for leftover in site_dir.parent.glob(TEMP_PREFIX + "*"):
        shutil.rmtree(leftover, ignore_errors=True)
    old = site_dir.with_name(site_dir.name + ".old")
    if old.exists() and not site_dir.exists():
        old.rename(site_dir)


def remove_site(root: Path) -> None:
    """Delete site/ for `clean`: renamed aside first, so a refusal leaves it whole and names it."""
    site_dir = root / "site"
    if not site_dir.exists():
        return
    trash = root / f"{TEMP_PREFIX}removed-{os.getpid()}"
    try:
        site_dir.rename(trash)
    except OSError as error:
        blamed = blocked_by(site_dir)
        raise CourseError([write_fault(error, shown_path(blamed, root, folder=True))], KEPT) from None
    # Anything inside that cannot be removed now is retried by the next build (see _remove_leftovers).
    shutil.rmtree(trash, ignore_errors=True)
