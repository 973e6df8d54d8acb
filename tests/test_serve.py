"""`serve`: picks up an edit, survives a broken save, recovers on the next good one."""

import socket
import subprocess
import sys
import time
import urllib.request
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


def test_serve_rebuilds_on_save_and_survives_a_broken_save(project: Path, tmp_path: Path):
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, str(REPO / "build_course.py"), "serve", "--port", str(port), "--project", str(project)],
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        page = f"http://127.0.0.1:{port}/exercises/draw-a-circle/"
        _wait_for(page, "Who surprised you?")
        exercise = project / "modules/01-first-steps/exercises/draw-a-circle.md"

        edit(exercise, "Who surprised you?", "Who surprised you most of all?")
        _wait_for(page, "Who surprised you most of all?")
        search = _fetch(f"http://127.0.0.1:{port}/search/search_index.json")
        assert "loss-and-change" in search  # a full index, not the one page --dirty would leave

        edit(exercise, "format: solo", "format: solitary")
        deadline = time.monotonic() + 30
        while "unknown exercise format 'solitary'" not in Path(log.name).read_text() and time.monotonic() < deadline:
            time.sleep(0.3)
        output = Path(log.name).read_text()
        assert "modules/01-first-steps/exercises/draw-a-circle.md:4: unknown exercise format 'solitary'" in output
        assert "Traceback" not in output
        assert server.poll() is None
        assert "Who surprised you most of all?" in _fetch(page)  # the last good site is still served

        edit(exercise, "format: solitary", "format: pair")
        _wait_for(page, "<strong>Format</strong> Pair")
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
