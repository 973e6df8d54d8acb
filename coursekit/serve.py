"""`serve`: preview the course, re-rendering and rebuilding on every save.

The first build, and any save that changes the site's structure (a page added or removed, a
title or the navigation changed), is a full strict build swapped in on success. A save that only
changes page bodies rebuilds just those pages (MkDocs' dirty mode) and then merges their search
entries into the full index, because a dirty build alone leaves an index of the changed pages
only. A broken save prints its problems and the last good site stays up.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from pathlib import Path

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from . import pipeline
from .csp import protect_site
from .errors import CourseError
from .output import Console

INDEX = Path("search/search_index.json")


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    # MkDocs warns on every dirty build; in strict mode that warning alone would abort it.
    return "'dirty' build" not in record.getMessage()


def rebuild_changed_pages(root: Path, site_dir: Path, site_url: str) -> None:
    """Re-render only pages newer than their HTML (strict), keeping the search index whole."""
    old_index = json.loads((site_dir / INDEX).read_text(encoding="utf-8"))
    config = load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(site_dir), site_url=site_url)
    build_logger = logging.getLogger("mkdocs.commands.build")
    build_logger.addFilter(_not_the_dirty_warning)
    try:
        mkdocs_build.build(config, dirty=True)
    finally:
        build_logger.removeFilter(_not_the_dirty_warning)
        merge_search_index(old_index, site_dir / INDEX)
        protect_site(site_dir)


def merge_search_index(old_index: dict, index_path: Path) -> None:
    """Replace the old index's entries for the pages just rebuilt with their new entries."""
    new_index = json.loads(index_path.read_text(encoding="utf-8"))
    rebuilt = {doc["location"].split("#", 1)[0] for doc in new_index["docs"]}
    kept = [doc for doc in old_index["docs"] if doc["location"].split("#", 1)[0] not in rebuilt]
    new_index["docs"] = kept + new_index["docs"]
    index_path.write_text(json.dumps(new_index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def serve(
    root: Path, console: Console, templates: Path | None = None, host: str = "127.0.0.1", port: int = 8000
) -> None:
    """Serve on host:port until interrupted, rebuilding on changes under modules/ and templates/."""
    site_dir = Path(tempfile.mkdtemp(prefix="course-kit-serve-")) / "site"
    url = f"http://{host}:{port}/"

    def rebuild() -> None:
        started = time.perf_counter()
        try:
            report = pipeline.generate(root, templates)
            changed = report.written
            body_only = (changed.written or changed.removed) and not changed.structure_changed
            # Nothing generated changed: a hand-written page, asset or template did, so rebuild all.
            if not body_only or not (site_dir / INDEX).exists():
                pipeline.build_generated(root, report, site_dir, site_url=url)
                how = "full build"
            else:
                rebuild_changed_pages(root, site_dir, url)
                how = f"{len(changed.written)} page(s) rebuilt"
        except CourseError as error:
            console.problems(error.problems, error.outcome)
            console.warn("the last good version of the site is still being served; save a fix to recover")
            return
        except Exception as error:  # a failed incremental MkDocs run: report it and keep serving
            console.warn(f"MkDocs: {type(error).__name__}: {error}; save again to retry")
            return
        console.info(f"rebuilt in {time.perf_counter() - started:.1f} s ({how})")

    rebuild()
    site_dir.mkdir(parents=True, exist_ok=True)
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site_dir))
    watched = [
        root / "modules",
        root / "templates",
        root / "mkdocs.yml",
        root / "docs" / "assets",
        root / "docs" / "guide",
        root / "overrides",
    ]
    if templates:
        watched.append(templates)
    for path in watched:
        if path.exists():
            server.watch(str(path))
    console.info(f"serving the course on {url} (Ctrl+C to stop)")
    try:
        server.serve()
    except KeyboardInterrupt:
        console.info("stopped")
    finally:
        server.shutdown()
