"""Run MkDocs in strict mode into a fresh folder, and swap it in only on success.

MkDocs cleans site/ and then writes page by page, so a failure half-way
would leave a broken site; building beside it and renaming keeps the last
good site/ whole, even if the build is killed.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from mkdocs import exceptions as mkdocs_exceptions
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config

from .csp import protect_site
from .errors import CourseError, Problem

TEMP_PREFIX = ".site-build-"


class _Collect(logging.Handler):
    """Keeps MkDocs warnings and errors so they can be reported as problems."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(root: Path, site_dir: Path | None = None, strict: bool = True, **overrides) -> Path:
    """Build the MkDocs site for `root` into site_dir (default root/site) atomically.

    `overrides` are MkDocs config values, e.g. site_url for the preview server.
    """
    site_dir = site_dir or root / "site"
    _remove_leftovers(site_dir)
    staging = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=site_dir.parent))
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    propagate, logger.propagate = logger.propagate, False
    try:
        config = load_config(str(root / "mkdocs.yml"), strict=strict, site_dir=str(staging), **overrides)
        mkdocs_build.build(config)
    except Exception as error:  # MkDocs and its extensions raise many types; all mean "no new site"
        shutil.rmtree(staging, ignore_errors=True)
        messages = collector.messages or [f"{type(error).__name__}: {error}"]
        if not isinstance(error, mkdocs_exceptions.Abort) and collector.messages:
            messages.append(f"{type(error).__name__}: {error}")
        raise CourseError(
            (Problem("mkdocs.yml", 1, f"MkDocs: {m}") for m in messages), outcome="site/ was left as it was"
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate
    protect_site(staging)
    staging.chmod(0o755)
    _swap(staging, site_dir)
    return site_dir


def _swap(staging: Path, site_dir: Path) -> None:
    """Put the new site in place with renames, so site/ is never half-written."""
    old = site_dir.with_name(site_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(site_dir: Path) -> None:
    """Delete staging folders left by a build that was killed."""
    for leftover in site_dir.parent.glob(TEMP_PREFIX + "*"):
        shutil.rmtree(leftover, ignore_errors=True)
    old = site_dir.with_name(site_dir.name + ".old")
    if old.exists() and not site_dir.exists():
        old.rename(site_dir)
