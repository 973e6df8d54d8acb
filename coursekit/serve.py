"""`serve`: preview the course, re-rendering and rebuilding on every save.

Every save is a full strict build through the build cache (coursekit/cached_build.py): pages
whose Markdown did not change are not converted again, and pages whose HTML would not change are
copied from the served site, so a body edit, a title edit or a new page shows quickly with the
whole navigation and search index right. Before that build, the pages made from the edited files
(and the pages open in a browser that the save rewrote) are built alone and served at once: a
first look, byte for byte what the full build then writes of them, unless the edit also retitled
another page, which the full build then shows; a save the strict build would refuse gets no first
look. It builds into a new folder that replaces the
served one only on success, so a broken save prints its problems (the engine's warnings in full)
and the last good site stays up. The port is taken before anything is built; the watched folders
are polled by name, so one deleted and recreated or replaced by a rename (a branch switch) is
still watched; and the preview's temporary folder is removed however it stops.
"""

from __future__ import annotations

import errno
import os
import posixpath
import shutil
import signal
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.livereload import LiveReloadServer, _timestamp

from . import helper_process, pipeline
from .engines import engine_named
from .errors import CourseError, Problem, shown_path, write_fault
from .layout import SUPPORT_FILES, url_of
from .load import load_course
from .output import Console

WORK_PREFIX = "course-kit-serve-"
POLL_SECONDS = 0.1  # a few milliseconds of stat calls a poll on the shipped course
NOTHING_SERVED = "nothing was served"
LIVE_RELOAD_SCRIPT = "/.course-kit-live-reload.js"
# Asks the server for the site's version and reloads the page when a newer one is built. A file of its own,
# not MkDocs' inline script, which the site's Content-Security-Policy (coursekit/csp.py) would refuse to run.
_LIVE_RELOAD_JS = b"""(function () {
  var script = document.currentScript, epoch = Number(script.dataset.epoch), id = script.dataset.request;
  function poll() {
    var request = new XMLHttpRequest();
    request.onloadend = function () {
      if (Number(request.responseText) > epoch) { location.reload(); return; }
      setTimeout(poll, request.status === 200 ? 0 : 3000);
    };
    request.open("GET", "/livereload/" + epoch + "/" + id + "?page=" + encodeURIComponent(location.pathname));
    request.send();
  }
  poll();
})();
"""


class _Server(LiveReloadServer):
    """MkDocs' live-reload server, taking its port before the first build rather than when it starts serving,
    and reloading the browser with a script the site's security policy allows."""

    port_open = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.first_pages: dict[str, bytes] = {}  # a first look at the pages an edit changed (site file: HTML)
        self.open_pages: dict[str, float] = {}  # address: when it last asked whether to reload
        self.build_delay = 0.05  # how long a save must be quiet before building: editors write a file at once
        self._watched_paths = {"(the kit's own watcher)": 1}  # MkDocs adds its reload script only when it watches

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        tag = f'<script src="{LIVE_RELOAD_SCRIPT}" data-epoch="{epoch}" data-request="{time.monotonic_ns()}"></script>'
        at = content.rfind(b"</body>")
        return content + tag.encode() if at < 0 else content[:at] + tag.encode() + content[at:]

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == LIVE_RELOAD_SCRIPT:
            start_response(
                "200 OK", [("Content-Type", "text/javascript"), ("Content-Length", str(len(_LIVE_RELOAD_JS)))]
            )
            return [_LIVE_RELOAD_JS]
        if path.startswith("/livereload/"):
            for page in urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("page", [])[:1]:
                self.open_pages[page.lstrip("/")] = time.monotonic()
        elif (first := self.first_pages.get(self._file_of(path))) is not None:
            content = self._inject_js_into_html(first, self._visible_epoch)
            start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(content)))])
            return [content]
        served = super()._serve_request(environ, start_response)
        if served is None and not os.path.isdir(self.root):  # asked in the instant between the swap's two renames
            time.sleep(0.05)
            served = super()._serve_request(environ, start_response)
        return served

    def _file_of(self, path: str) -> str:
        """The site file an address asks for, as MkDocs' server finds it."""
        relative = path[len(self.mount_path) :] if (path + "/").startswith(self.mount_path) else path
        return posixpath.normpath("/" + relative + ("index.html" if path.endswith("/") else "")).lstrip("/")

    def open_urls(self) -> set[str]:
        """The addresses of the pages open in a browser (each asks every minute whether to reload)."""
        recent = time.monotonic() - 2 * self.poll_response_timeout
        return {page for page, seen in list(self.open_pages.items()) if seen > recent}

    def show_first(self, pages: dict[str, bytes]) -> None:
        """Serve these pages (by site file) and reload the browsers now, before the full build ends."""
        if not pages:
            return
        with self._epoch_cond:
            self.first_pages = pages
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()

    def full_site_built(self) -> None:
        """Serve the built site only; browsers that reloaded for a first look reload once more when it is published."""
        with self._epoch_cond:
            if self.first_pages:
                self.first_pages = {}
                self._wanted_epoch = _timestamp()  # the build loop publishes it when the builder returns

    def open_port(self) -> None:
        """Bind and listen now, so a busy port is reported before anything is built or "serving" printed."""
        super().server_bind()
        super().server_activate()
        self.port_open = True

    def server_bind(self) -> None:
        if not self.port_open:
            super().server_bind()

    def server_activate(self) -> None:
        if not self.port_open:
            super().server_activate()

    def request_rebuild(self) -> None:
        """Wake the build loop, as LiveReloadServer.watch's own callback does (MkDocs 1.6.1)."""
        with self._rebuild_cond:
            self._want_rebuild = True
            self._rebuild_cond.notify_all()


class Watcher(threading.Thread):
    """Polls files under the watched paths by name, and calls `changed` when any is added, removed or edited.

    Watching by name (not by the folder's inode, as watchdog does) keeps a folder watched after
    it is deleted and recreated, or replaced by a rename.
    """

    def __init__(self, paths: list[Path], changed: Callable[[], None]):
        super().__init__(daemon=True)
        self.paths, self.changed = paths, changed
        self.stopped = threading.Event()
        self.state = self.snapshot()
        self.names: set[str] = set()  # the files added, removed or edited since `take_names`
        self.lock = threading.Lock()

    def snapshot(self) -> dict[str, tuple[int, int, int]]:
        """Each file's identity, time and size."""
        state = {}
        for path in self.paths:
            names = [str(path)] if path.is_file() else _files_under(path)
            for name in names:
                try:
                    info = os.stat(name)
                except OSError:  # removed while we looked: the next poll sees it gone
                    continue
                state[name] = (info.st_ino, info.st_mtime_ns, info.st_size)
        return state

    def run(self) -> None:
        while not self.stopped.wait(POLL_SECONDS):
            now = self.snapshot()
            if now != self.state:
                with self.lock:
                    self.names |= {
                        name for name in now.keys() | self.state.keys() if now.get(name) != self.state.get(name)
                    }
                self.state = now
                self.changed()

    def take_names(self) -> set[str]:
        """The files changed since the last call."""
        with self.lock:
            names, self.names = self.names, set()
        return names


def _files_under(folder: Path) -> Iterator[str]:
    for where, _folders, files in os.walk(folder):
        for name in files:
            yield os.path.join(where, name)


def watched_paths(root: Path, templates: Path | None) -> list[Path]:
    """What a trainer edits: the course, the templates (and the override folder), the site config and hand-written pages."""
    if templates is None:  # the folder `templates:` in modules/course.yml names, when it is a good one
        templates, _problems = pipeline.templates_setting(root, load_course(root).course)
    paths = [
        root / "modules",
        root / "templates",
        root / "mkdocs.yml",
        root / "docs" / "assets",
        root / "docs" / "guide",
        root / "overrides",
    ]
    return paths + [templates] if templates else paths


def serve(
    root: Path,
    console: Console,
    templates: Path | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    engine: str | None = None,
) -> None:
    """Serve on host:port until interrupted or terminated, rebuilding on changes; leave no temporary folder."""
    with _stop_on_terminate():
        work = _work_folder(root)
        try:
            _serve(root, console, templates, host, port, work / "site", engine)
        except KeyboardInterrupt:
            console.info("stopped")
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _serve(
    root: Path, console: Console, templates: Path | None, host: str, port: int, site_dir: Path, engine: str | None
) -> None:
    url = f"http://{host}:{port}/"
    built = False  # a good site is being served

    def rebuild() -> None:
        nonlocal built
        started = time.perf_counter()
        edited = watcher.take_names() if watcher else set()
        try:
            with helper_process.beside_threads():  # the server's threads only wait while the site builds
                generation = pipeline.Generation(root, templates)
                if built:
                    server.show_first(first_look(root, generation, edited, server.open_urls(), engine, url))
                report = generation.finish()
                changed = report.written
                try:
                    pipeline.build_generated(root, report, site_dir, engine, site_url=url)
                finally:
                    server.full_site_built()
            how = f"{len(changed.written) + len(changed.removed)} page(s) changed"
        except CourseError as error:
            if built:
                console.problems(error.problems, "the last good version of the site is still served; save a fix")
            else:
                console.problems(error.problems, "there is no site to serve yet; save a fix")
            return
        except Exception as error:  # not ours nor the engine's: report it in one line and keep serving
            console.warn(f"{type(error).__name__}: {error}; save again to retry")
            return
        built = True
        console.info(f"rebuilt in {time.perf_counter() - started:.1f} s ({how})")

    watcher: Watcher | None = None
    server = _Server(builder=rebuild, host=host, port=port, root=str(site_dir))
    try:
        _open_port(server, host, port)
        watcher = Watcher(watched_paths(root, templates), server.request_rebuild)  # sees saves during the first build
        rebuild()
        site_dir.mkdir(parents=True, exist_ok=True)
        watcher.start()
        console.info(f"serving the course on {url} (Ctrl+C to stop)")
        try:
            server.serve()
        finally:
            watcher.stopped.set()
    finally:
        server.shutdown()


# A first look converts only these many pages, so it stays quick whatever the edit touched.
FIRST_LOOK_PAGES = 4


def first_look(
    root: Path,
    generation: pipeline.Generation,
    edited: set[str],
    open_urls: set[str],
    engine: str | None,
    url: str,
) -> dict[str, bytes]:
    """The pages to show before the full build, by site file: those made from the edited files, then those open
    in a browser, among the pages this save changes (a few at most). Only they and the engine's config are
    rendered and written before the rest of the course. Empty when the engine cannot, or on any fault of the
    engine's: the full build that follows reports it."""
    edited_sources = {Path(os.path.relpath(name, root)).as_posix() for name in edited}
    support = {path for path, _, _ in SUPPORT_FILES}

    def from_edit(file) -> bool:  # a render job or its output: both have a path and a source
        return file.source in edited_sources or file.path in edited_sources

    def looked_at(file) -> bool:
        return url_of(file.path.removeprefix("docs/")) in open_urls

    changed = generation.write_ahead(lambda job: job.path in support or from_edit(job) or looked_at(job))
    pages = sorted((o for o in changed if o.path.startswith("docs/") and o.path not in support), key=lambda o: o.path)
    first = [o for o in pages if from_edit(o)] + [o for o in pages if looked_at(o)]
    chosen = set(list(dict.fromkeys(o.path.removeprefix("docs/") for o in first))[:FIRST_LOOK_PAGES])
    if not chosen:
        return {}
    try:
        return engine_named(engine or generation.course.meta.engine).first_look(
            root, lambda file: file.src_uri in chosen, {"site_url": url}
        )
    except Exception:  # only a head start: the full build reports whatever this met
        return {}


def _open_port(server: _Server, host: str, port: int) -> None:
    try:
        server.open_port()
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            message = f"port {port} is in use: choose another with --port, or stop the program using it"
        elif error.errno == errno.EACCES:
            message = f"port {port} needs administrator rights here: choose one above 1023 with --port"
        else:
            reason = os.strerror(error.errno).lower() if error.errno else str(error)
            message = f"cannot listen on {host}:{port} ({reason}): choose another port with --port"
        raise CourseError([Problem("serve", 0, message)], NOTHING_SERVED) from None


def _work_folder(root: Path) -> Path:
    """The preview's own temporary folder, which holds the site it serves."""
    try:
        return Path(tempfile.mkdtemp(prefix=WORK_PREFIX))
    except OSError as error:
        where = shown_path(Path(error.filename).parent, root, folder=True) if error.filename else "TMPDIR"
        raise CourseError([write_fault(error, where)], NOTHING_SERVED) from None


@contextmanager
def _stop_on_terminate() -> Iterator[None]:
    """Treat SIGTERM and SIGHUP (a closed terminal) like Ctrl+C, so the clean-up runs.

    SIGINT is set too: a process started by one that ignores it (nohup, some test runners and
    service managers) inherits the ignoring, and Ctrl+C would then never stop the preview.
    """

    def interrupt(_signum, _frame) -> None:
        raise KeyboardInterrupt

    signals = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {number: signal.signal(number, interrupt) for number in signals}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
