"""`serve`: preview the course, re-rendering and rebuilding on every save.

Each rebuild is a full strict build (never `--dirty`, which leaves a search
index of one page) into the folder being served, swapped in on success. A
broken save prints its problems and the last good site stays up.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from . import pipeline
from .errors import CourseError
from .output import Console


def serve(root: Path, console: Console, templates: Path | None = None, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve on host:port until interrupted, rebuilding on changes under modules/ and templates/."""
    site_dir = Path(tempfile.mkdtemp(prefix="course-kit-serve-")) / "site"
    url = f"http://{host}:{port}/"

    def rebuild() -> None:
        started = time.perf_counter()
        try:
            report = pipeline.generate(root, templates)
            pipeline.build_site(root, site_dir, site_url=url)
        except CourseError as error:
            console.problems(error.problems)
            console.warn("the last good version of the site is still being served; save a fix to recover")
            return
        console.info(f"rebuilt in {time.perf_counter() - started:.1f} s ({len(report.written.written)} pages changed)")

    rebuild()
    if not site_dir.exists():
        site_dir.mkdir(parents=True)
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site_dir))
    watched = [root / "modules", root / "templates", root / "mkdocs.yml", root / "docs" / "assets", root / "docs" / "guide", root / "overrides"]
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
