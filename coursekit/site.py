"""Run MkDocs in strict mode into a fresh folder, and swap it in only on success.

MkDocs cleans site/ and then writes page by page, so a failure half-way
would leave a broken site; building beside it and renaming keeps the last
good site/ whole, even if the build is killed. The preview's quick rebuilds
(MkDocs' dirty mode) start from a copy of the site and are swapped in the
same way. A folder the machine will not let us write (read-only, immutable,
a full disk) is one problem naming it, with the staging folder removed.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from mkdocs import exceptions as mkdocs_exceptions
from mkdocs.commands import build as mkdocs_build

from .cached_build import BuildCache
from .cached_build import build as cached_build
from .csp import add_policy, protect_site
from .errors import WRITE_FAULTS, CourseError, Problem, blocked_by, shown_path, write_fault
from .fast_config import load_config
from .ranking import rank_search

TEMP_PREFIX = ".site-build-"
INDEX = Path("search/search_index.json")
KEPT = "site/ was left as it was"


class _Collect(logging.Handler):
    """Keeps MkDocs warnings and errors so they can be reported as problems."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(root: Path, site_dir: Path | None = None, strict: bool = True, dirty: bool = False, **overrides) -> Path:
    """Build the MkDocs site for `root` into site_dir (default root/site) atomically.

    `dirty` rebuilds only the pages newer than their HTML, starting from a copy of site_dir (the
    preview's quick path). `overrides` are MkDocs config values, e.g. site_url for the preview server.
    """
    site_dir = site_dir or root / "site"
    staging = _new_staging(root, site_dir, copy=dirty)
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    propagate, logger.propagate = logger.propagate, False
    try:
        config = load_config(str(root / "mkdocs.yml"), strict=strict, site_dir=str(staging), **overrides)
        _run_engine(config, staging, dirty, shown_path(site_dir, root, folder=True), root, site_dir)
    except CourseError:  # a folder the engine could not write
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except Exception as error:  # MkDocs and its extensions raise many types; all mean "no new site"
        shutil.rmtree(staging, ignore_errors=True)
        messages = collector.messages or [f"{type(error).__name__}: {error}"]
        if not isinstance(error, mkdocs_exceptions.Abort) and collector.messages:
            messages.append(f"{type(error).__name__}: {error}")
        raise CourseError((Problem("mkdocs.yml", 1, f"MkDocs: {m}") for m in messages), outcome=KEPT) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate
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


def _run_engine(config, staging: Path, dirty: bool, where: str, root: Path, site_dir: Path) -> None:
    """Run MkDocs into staging, rank its search and add the security policy; a refused write there is one problem at `where`.

    A full build reuses, through the build cache, each page's Markdown, search entry and HTML
    that nothing changed since the last build of this project (coursekit/cached_build.py).
    """
    try:
        if dirty:
            _dirty_build(config, staging)
        else:
            cached_build(config, BuildCache(root), previous=site_dir, finish=add_policy)
        rank_search(staging / INDEX)
        protect_site(staging)
    except OSError as error:
        if _refused_write(error, staging):
            raise CourseError([write_fault(error, where)], KEPT) from None
        raise


def _refused_write(error: OSError, staging: Path) -> bool:
    """A full disk, or a read-only or immutable folder met while writing the staging folder (not reading a source)."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    names = [Path(str(name)) for name in (error.filename, error.filename2) if name]
    return error.errno in WRITE_FAULTS and any(name.is_relative_to(staging) for name in names)


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    # MkDocs warns on every dirty build; in strict mode that warning alone would abort it.
    return "'dirty' build" not in record.getMessage()


def _dirty_build(config, staging: Path) -> None:
    """Re-render only pages newer than their HTML (strict), keeping the search index whole."""
    old_index = json.loads((staging / INDEX).read_text(encoding="utf-8"))
    build_logger = logging.getLogger("mkdocs.commands.build")
    build_logger.addFilter(_not_the_dirty_warning)
    try:
        mkdocs_build.build(config, dirty=True)
    finally:
        build_logger.removeFilter(_not_the_dirty_warning)
    merge_search_index(old_index, staging / INDEX)


def merge_search_index(old_index: dict, index_path: Path) -> None:
    """Replace the old index's entries for the pages just rebuilt with their new entries."""
    new_index = json.loads(index_path.read_text(encoding="utf-8"))
    rebuilt = {doc["location"].split("#", 1)[0] for doc in new_index["docs"]}
    kept = [doc for doc in old_index["docs"] if doc["location"].split("#", 1)[0] not in rebuilt]
    new_index["docs"] = kept + new_index["docs"]
    index_path.write_text(json.dumps(new_index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


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
