"""`serve`: picks up an edit, survives a broken save, recovers on the next good one.

It keeps the last good pages through a strict failure, prints the engine's warning in full, keeps
watching a modules/ folder that is replaced, and leaves no temporary folder after Ctrl+C or SIGTERM.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import REPO, edit

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = _fetch(url)
        if body and text in body:
            return body
        time.sleep(0.3)
    raise AssertionError(f"{text!r} never appeared at {url}")


@contextmanager
def serving(project: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen, str, Path, Path]]:
    """`serve` running on a free port with a temp folder of its own: (process, base URL, log, temp folder)."""
    port = _free_port()
    temp = tmp_path / "temp"
    temp.mkdir()
    log = tmp_path / "serve.log"
    with log.open("w") as stream:
        server = subprocess.Popen(
            [sys.executable, str(REPO / "build_course.py"), "serve", "--port", str(port), "--project", str(project)],
            stdout=stream,
            stderr=subprocess.STDOUT,
            env={**os.environ, "TMPDIR": str(temp)},
        )
        try:
            yield server, f"http://127.0.0.1:{port}/", log, temp
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()


def _wait_for_line(log: Path, line: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        output = log.read_text()
        if line in output.splitlines():
            return output
        time.sleep(0.2)
    raise AssertionError(f"{line!r} never printed; the log says:\n{log.read_text()}")


def _stop(server: subprocess.Popen, how: signal.Signals, log: Path, temp: Path) -> None:
    """Stop the server as a terminal or a service manager would; it must say so and leave no temporary folder."""
    server.send_signal(how)
    assert server.wait(timeout=60) == 0
    output = log.read_text()
    assert output.endswith("stopped\n") and "Traceback" not in output
    assert not list(temp.glob("course-kit-serve-*"))


def test_serve_rebuilds_on_save_and_survives_a_broken_save(project: Path, tmp_path: Path):
    with serving(project, tmp_path) as (server, url, log, temp):
        page = url + "exercises/draw-a-circle/"
        _wait_for(page, "Who surprised you?")
        exercise = project / "modules/01-first-steps/exercises/draw-a-circle.md"

        edit(exercise, "Who surprised you?", "Who surprised you most of all?")
        _wait_for(page, "Who surprised you most of all?")
        search = _fetch(url + "search/search_index.json")
        assert "loss-and-change" in search  # a full index, not the one page --dirty would leave

        edit(exercise, "format: solo", "format: solitary")
        output = _wait_for_line(
            log,
            "modules/01-first-steps/exercises/draw-a-circle.md:4: unknown exercise format 'solitary': expected one of solo, pair, triad, group",
        )
        assert "error: 1 problem; the last good version of the site is still served; save a fix" in output
        assert "Traceback" not in output
        assert server.poll() is None
        assert "Who surprised you most of all?" in _fetch(page)  # the last good site is still served

        edit(exercise, "format: solitary", "format: pair")
        _wait_for(page, "<strong>Format</strong> Pair")
        _stop(server, signal.SIGTERM, log, temp)


def test_serve_keeps_the_last_good_pages_and_survives_a_replaced_modules_folder(project: Path, tmp_path: Path):
    with serving(project, tmp_path) as (server, url, log, temp):
        page = url + "weeks/first-steps/"
        _wait_for(page, "places people by felt closeness.")
        module = project / "modules/01-first-steps/module.md"

        # A save that fails strict mode on the quick (dirty) path: the warning in full, the old page kept.
        module.write_text(module.read_text() + "\nSee [the notes](nowhere.md).\n")
        line = len(module.read_text().splitlines())
        output = _wait_for_line(
            log,
            f"modules/01-first-steps/module.md:{line}: the link 'nowhere.md' (on the page docs/weeks/first-steps.md)"
            " is broken: the target 'weeks/nowhere.md' is not found among documentation files; correct the link or its target",
        )
        assert "error: 1 problem; the last good version of the site is still served; save a fix" in output
        assert "Aborted with" not in output
        assert "nowhere.md" not in _fetch(page)
        edit(module, "See [the notes](nowhere.md).", "See the notes.")
        _wait_for(page, "See the notes.")

        # A branch switch: modules/ goes away, then another folder is renamed into its place.
        shutil.copytree(project / "modules", tmp_path / "other-branch")
        edit(tmp_path / "other-branch/01-first-steps/module.md", "See the notes.", "A line from another branch.")
        (project / "modules").rename(tmp_path / "old-branch")
        _wait_for_line(log, "modules:1: folder is missing: create modules/ with course.yml and one folder per module")
        assert "See the notes." in _fetch(page)
        (tmp_path / "other-branch").rename(project / "modules")
        _wait_for(page, "A line from another branch.")
        edit(project / "modules/01-first-steps/module.md", "A line from another branch.", "Still watched.")
        _wait_for(page, "Still watched.")

        assert "Traceback" not in log.read_text()
        _stop(server, signal.SIGINT, log, temp)


def test_an_open_page_reloads_itself_after_a_save_under_the_sites_security_policy(project: Path, tmp_path: Path):
    from tests.browser import browser

    with serving(project, tmp_path) as (server, url, log, temp), browser() as chromium:
        page_url = url + "exercises/draw-a-circle/"
        body = _wait_for(page_url, "Who surprised you?")
        assert "Content-Security-Policy" in body and 'src="/.course-kit-live-reload.js"' in body
        page = chromium.new_page()
        refused: list[str] = []
        page.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
        page.goto(page_url)
        page.wait_for_timeout(500)  # the script is waiting on the server for a newer site
        edit(project / "modules/01-first-steps/exercises/draw-a-circle.md", "Who surprised you?", "Who moved you?")
        page.get_by_text("Who moved you?").wait_for(timeout=30_000)  # no goto: the page reloaded itself
        assert refused == []
        page.close()
        _stop(server, signal.SIGTERM, log, temp)


# ---------------------------------------------------------------------------------------------
# The first look: the pages a save changed, shown before the full build ends.


def _first_look_after(project: Path, site: Path, change, open_urls: set[str]) -> dict[str, bytes]:
    """Build, apply `change` (which returns the files it edited), then take the preview's first look."""
    from coursekit import pipeline, serve

    pipeline.build(project, site_dir=site, site_url=PREVIEW_URL)
    edited = change()
    generation = pipeline.Generation(project)
    pages = serve.first_look(project, generation, {str(path) for path in edited}, open_urls, None, PREVIEW_URL)
    pipeline.build_generated(project, generation.finish(), site, site_url=PREVIEW_URL)
    return pages


PREVIEW_URL = "http://127.0.0.1:8000/"


def test_a_first_look_is_byte_for_byte_the_page_the_full_build_then_writes(project: Path, tmp_path: Path):
    """A title and a body edit: the edited module's pages, and the open syllabus that names the module, come first."""
    module = project / "modules/01-first-steps/module.md"

    def retitle():
        edit(module, "title: First steps", "title: First steps, retitled")
        module.write_text(module.read_text(encoding="utf-8") + "\nA sentence for the first look.\n", encoding="utf-8")
        return [module]

    site = tmp_path / "site"
    pages = _first_look_after(project, site, retitle, open_urls={"course/syllabus/", "weeks/loss-and-change/"})
    assert "weeks/first-steps/index.html" in pages and "course/syllabus/index.html" in pages
    assert "weeks/loss-and-change/index.html" not in pages  # open, but this save did not rewrite it
    assert b"A sentence for the first look." in pages["weeks/first-steps/index.html"]
    assert pages == {name: (site / name).read_bytes() for name in pages}


def test_a_new_page_gets_a_first_look_and_a_broken_save_none(project: Path, tmp_path: Path):
    exercises = project / "modules/01-first-steps/exercises"

    def add_exercise():
        copy = exercises / "draw-a-circle-again.md"
        shutil.copy(exercises / "draw-a-circle.md", copy)
        edit(copy, "id: draw-a-circle", "id: draw-a-circle-again")
        return [copy]

    site = tmp_path / "site"
    pages = _first_look_after(project, site, add_exercise, open_urls=set())
    assert "exercises/draw-a-circle-again/index.html" in pages
    assert pages == {name: (site / name).read_bytes() for name in pages}

    def break_a_link():
        module = project / "modules/01-first-steps/module.md"
        module.write_text(module.read_text(encoding="utf-8") + "\nSee [the notes](nowhere.md).\n", encoding="utf-8")
        return [module]

    from coursekit.errors import CourseError

    with pytest.raises(CourseError):  # the full build refuses it, and the first look showed nothing
        _first_look_after(project, tmp_path / "site2", break_a_link, open_urls=set())


def test_pages_written_ahead_are_put_back_when_the_rest_of_the_course_fails_to_render(project: Path):
    """The first look writes its pages before the rest renders; a template mistake further on still leaves docs/
    exactly as it was, as it does for a build."""
    from coursekit import pipeline
    from coursekit.errors import CourseError

    pipeline.generate(project)
    docs = {p: p.read_bytes() for p in sorted((project / "docs").rglob("*")) if p.is_file()}
    (project / "my-templates").mkdir()
    (project / "my-templates/glossary.md.j2").write_text("{{ no_such_thing.at_all }}\n", encoding="utf-8")
    edit(project / "modules/course.yml", "title: Fixture course", "title: Fixture course\ntemplates: my-templates")
    module = project / "modules/01-first-steps/module.md"
    edit(module, "title: First steps", "title: First steps, retitled")

    generation = pipeline.Generation(project)
    ahead = generation.write_ahead(lambda job: job.source == "modules/01-first-steps/module.md")
    assert "docs/weeks/first-steps.md" in [output.path for output in ahead]
    assert b"First steps, retitled" in (project / "docs/weeks/first-steps.md").read_bytes()
    with pytest.raises(CourseError) as failed:
        generation.finish()
    assert "my-templates/glossary.md.j2:1: template error" in str(failed.value.problems[0])
    assert {p: p.read_bytes() for p in sorted((project / "docs").rglob("*")) if p.is_file()} == docs
