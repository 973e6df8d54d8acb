"""Shared fixtures: scratch course projects in tmp_path, the CLI run for real, a built site served locally."""

from __future__ import annotations

import functools
import hashlib
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE_MODULES = REPO / "tests" / "fixtures" / "course" / "modules"
# What a course project needs besides modules/: the hand-written parts of the repository.
PROJECT_FILES = ["mkdocs.yml", "overrides", "docs/assets", "docs/guide", "docs/sw.js"]


def make_project(target: Path, modules: Path = FIXTURE_MODULES) -> Path:
    """Copy the site config, hand-written docs and a modules/ folder into target."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    shutil.copytree(modules, target / "modules")
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch copy of the two-module fixture course."""
    return make_project(tmp_path / "project")


def run_cli(*args: str, project: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run build_course.py as a trainer would, capturing its output."""
    command = [sys.executable, str(REPO / "build_course.py"), *args]
    if project is not None:
        command += ["--project", str(project)]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of text in a file, failing loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def tree_digest(folder: Path) -> dict[str, str]:
    """Path -> sha256 of every file under folder, to prove nothing changed."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory) -> Path:
    """The fixture course, built once for the whole session."""
    root = make_project(tmp_path_factory.mktemp("fixture") / "project")
    result = run_cli("build", project=root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="session")
def built_course(tmp_path_factory) -> Path:
    """The shipped course, built once in strict mode for the whole session."""
    root = make_project(tmp_path_factory.mktemp("shipped") / "project", REPO / "modules")
    result = run_cli("build", project=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture(scope="module")
def served_course(built_course: Path):
    """The shipped course's site on 127.0.0.1: (base URL, project root)."""
    server, url = serve_folder(built_course / "site")
    yield url, built_course
    server.shutdown()


@pytest.fixture(scope="module")
def browser_context():
    """A fresh context of Debian's chromium, shared by one test module."""
    from tests.browser import browser

    with browser() as instance:
        context = instance.new_context()
        yield context
        context.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve_folder(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve a folder on 127.0.0.1 on a free port; returns the server and its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
