"""Environment faults: a folder that refuses writes, a full disk, an unusable temp folder, a failed deploy.

Each is one line naming the folder and the fix, exit 1, no traceback, and site/ and docs/ as they
were (the staging folder gone); a cache that only saves time falls back to no cache. A folder is
made to refuse writes as this user can: immutable (chattr +i) for root, whom permissions do not
stop, read-only (chmod a-w) for anyone else. A full disk and a read-only file system are real
mounts (a tiny tmpfs, a read-only bind), so those tests need the right to mount and are skipped
without it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import edit, make_project, run_cli, tree_digest

pytestmark = pytest.mark.slow

IS_ROOT = os.geteuid() == 0
# The fix the kit prints for each reason a write is refused.
FIXES = {
    "operation not permitted": "it may be immutable: `lsattr -d` shows the flag and `chattr -i` clears it; then run again",
    "permission denied": "make it writable by you (chmod u+w) and run again",
    "read-only file system": "its disk is mounted read-only: remount it read-write, or work on a copy of the project on a writable disk",
    "no space left on device": "the disk is full: free some space and run again",
}
SITE_KEPT = "error: 1 problem; site/ was left as it was\n"
EXERCISE = "modules/01-first-steps/exercises/draw-a-circle.md"


def refused(where: str, reason: str) -> str:
    """The line the kit prints for a write refused at `where`."""
    return f"{where}:1: cannot write here ({reason}): {FIXES[reason]}\n"


@contextmanager
def refusing_writes(path: Path) -> Iterator[str]:
    """Make `path` refuse changes, as far as this user can be refused; yields the reason the kit will print."""
    if IS_ROOT:
        if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
            pytest.skip("running as root, and this file system cannot make a folder immutable (chattr +i)")
        try:
            yield "operation not permitted"
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        try:
            yield "permission denied"
        finally:
            path.chmod(mode)


def mount(*args: str) -> None:
    """Mount, or skip the test when this user may not."""
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode:
        pytest.skip(f"needs the right to mount (mount {' '.join(args)}: {result.stderr.strip()})")


@contextmanager
def tmpfs(folder: Path, kilobytes: int) -> Iterator[Path]:
    """A tiny file system of its own at folder, to fill up."""
    folder.mkdir(parents=True, exist_ok=True)
    mount("-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs", str(folder))
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path, leave_kilobytes: int = 0) -> None:
    """Fill the disk that holds folder, leaving about leave_kilobytes free."""
    free = shutil.disk_usage(folder).free // 1024 - leave_kilobytes
    with (folder / "filler").open("wb") as stream:
        try:
            for _ in range(max(free, 0)):
                stream.write(b"\0" * 1024)
            stream.flush()
        except OSError:
            pass


def snapshot(root: Path) -> dict[str, dict[str, str]]:
    """Every file of site/ and docs/, to prove a failed run changed neither."""
    return {"site": tree_digest(root / "site"), "docs": tree_digest(root / "docs")}


def assert_one_line(result: subprocess.CompletedProcess, stderr: str) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert (result.returncode, result.stderr) == (1, stderr)


def leftovers(root: Path) -> list[str]:
    """Temporary files a failed run must not leave: staging folders and half-written pages."""
    return [p.name for p in [*root.glob(".site-build-*"), *root.rglob(".coursekit-tmp-*")]]


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    """The fixture course, built once for this file's tests to copy."""
    root = make_project(tmp_path_factory.mktemp("environment") / "project")
    assert run_cli("build", "-q", project=root).returncode == 0
    return root


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built fixture course (its docs/ and site/ included)."""
    return Path(shutil.copytree(built_once, tmp_path / "project", symlinks=True))


def test_project_folder_that_refuses_writes_is_one_line_and_keeps_site(built: Path):
    before = snapshot(built)
    with refusing_writes(built) as reason:
        result = run_cli("build", project=built)
    assert_one_line(result, refused("./", reason) + SITE_KEPT)
    assert snapshot(built) == before and leftovers(built) == []


@pytest.mark.skipif(
    not IS_ROOT, reason="without root, a read-only site/ is still replaced whole: its folder is writable"
)
def test_immutable_site_folder_is_one_line_and_keeps_site(built: Path):
    before = snapshot(built)
    with refusing_writes(built / "site") as reason:
        result = run_cli("build", project=built)
    assert_one_line(result, refused("site/", reason) + SITE_KEPT)
    assert snapshot(built) == before and leftovers(built) == []
    assert not (built / "site.old").exists()


def test_docs_folder_that_refuses_writes_is_one_line_and_writes_no_page(built: Path):
    edit(built / EXERCISE, "Who surprised you?", "Who surprised you most?")
    before = snapshot(built)
    with refusing_writes(built / "docs/exercises") as reason:
        result = run_cli("build", project=built)
    assert_one_line(
        result, refused("docs/exercises/", reason) + "error: 1 problem; docs/ and site/ were left as they were\n"
    )
    assert snapshot(built) == before and leftovers(built) == []


def test_clean_in_a_folder_that_refuses_writes_is_one_line(built: Path):
    site = tree_digest(built / "site")
    with refusing_writes(built / "docs/exercises") as reason:
        result = run_cli("clean", project=built)
        assert (built / "docs/exercises/draw-a-circle.md").is_file()
    assert_one_line(
        result,
        refused("docs/exercises/", reason)
        + "error: 1 problem; clean stopped there; site/ and the files after it were left as they were\n",
    )
    assert tree_digest(built / "site") == site


def test_read_only_file_system_is_one_line_and_keeps_site(built: Path):
    before = snapshot(built)
    mount("--bind", str(built), str(built))
    try:
        mount("-o", "remount,bind,ro", str(built))
        result = run_cli("build", project=built)
    finally:
        subprocess.run(["umount", "-l", str(built)], check=True)
    assert_one_line(result, refused("./", "read-only file system") + SITE_KEPT)
    assert snapshot(built) == before and leftovers(built) == []


def test_disk_full_while_building_the_site_is_one_line_and_keeps_site(built: Path, tmp_path: Path):
    # A disk with room for the project and its site, but not for a second site beside it.
    used = sum(p.stat().st_blocks * 512 for p in built.rglob("*")) // 1024
    with tmpfs(tmp_path / "small", used + 1024) as disk:
        root = Path(shutil.copytree(built, disk / "project"))
        before = snapshot(root)
        result = run_cli("build", project=root)
        assert_one_line(result, refused("site/", "no space left on device") + SITE_KEPT)
        assert snapshot(root) == before and leftovers(root) == []


def test_disk_full_while_writing_pages_is_one_line_and_writes_no_page(built: Path, tmp_path: Path):
    with tmpfs(tmp_path / "small", 8192) as disk:
        root = Path(shutil.copytree(built, disk / "project"))
        edit(root / EXERCISE, "Who surprised you?", "Who surprised you most?")
        before = snapshot(root)
        fill(disk)
        result = run_cli("build", project=root)
        assert_one_line(
            result,
            # A reflection question is also in course/record-data.json (the journal's data), written first.
            refused("docs/course/", "no space left on device")
            + "error: 1 problem; docs/ and site/ were left as they were\n",
        )
        assert snapshot(root) == before and leftovers(root) == []


def test_unusable_template_cache_folder_still_builds(built: Path, tmp_path: Path):
    # Jinja refuses a cache folder that is not a private folder of this user's: here, a file.
    temp = tmp_path / "temp"
    temp.mkdir()
    (temp / f"_jinja2-cache-{os.getuid()}").write_text("not a folder")
    edit(built / EXERCISE, "Who surprised you?", "Who surprised you most?")
    result = run_cli("build", "-q", project=built, env={**os.environ, "TMPDIR": str(temp)})
    assert (result.returncode, result.stderr) == (0, "")
    assert "Who surprised you most?" in (built / "site/exercises/draw-a-circle/index.html").read_text()


def test_full_temp_folder_still_builds(built: Path, tmp_path: Path):
    edit(built / EXERCISE, "Who surprised you?", "Who surprised you most?")
    with tmpfs(tmp_path / "temp", 64) as temp:
        fill(temp, leave_kilobytes=4)  # room enough for Python to accept it as the temp folder, no more
        result = run_cli("build", "-q", project=built, env={**os.environ, "TMPDIR": str(temp)})
        cache = temp / f"_jinja2-cache-{os.getuid()}"
        assert cache.is_dir()  # the template cache was tried; the templates that did not fit were compiled afresh
    assert (result.returncode, result.stderr) == (0, "")
    assert "Who surprised you most?" in (built / "site/exercises/draw-a-circle/index.html").read_text()


GIT_IDENTITY = {
    **os.environ,
    **{
        f"GIT_{who}_{what}": value
        for who in ("AUTHOR", "COMMITTER")
        for what, value in [("NAME", "Trainer"), ("EMAIL", "trainer@example.org")]
    },
}


def git(*args: str, cwd: Path) -> str:
    """Run git in a scratch repository, with an identity of its own."""
    return subprocess.run(
        ["git", *args], cwd=cwd, env=GIT_IDENTITY, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_deploy_publishes_only_a_build_that_succeeded(tmp_path: Path):
    if not shutil.which("git"):
        pytest.skip("needs git")
    root = make_project(tmp_path / "project")
    (root / ".gitignore").write_text("site/\n")
    git("init", "-q", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-qm", "The course", cwd=root)

    # No remote yet: built, but the push fails in one line.
    result = run_cli("deploy", project=root, env=GIT_IDENTITY)
    assert "Traceback" not in result.stdout + result.stderr
    assert (result.returncode, result.stderr) == (
        1,
        "deploy: git push origin gh-pages failed: 'origin' does not appear to be a git repository: "
        "run deploy in the course's git repository, with a remote you may push to\n"
        "error: 1 problem; site/ was built but not published\n",
    )

    origin = tmp_path / "origin.git"
    git("init", "-q", "--bare", str(origin), cwd=tmp_path)
    git("remote", "add", "origin", str(origin), cwd=root)
    result = run_cli("deploy", project=root, env=GIT_IDENTITY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("published site/ to origin/gh-pages\n")
    published = git("rev-parse", "gh-pages", cwd=origin)
    assert "Who surprised you?" in git("show", "gh-pages:exercises/draw-a-circle/index.html", cwd=origin)

    # A strict failure in the site build: nothing pushed, site/ as it was.
    site = tree_digest(root / "site")
    module = root / "modules/01-first-steps/module.md"
    module.write_text(module.read_text() + "\nSee [the notes](nowhere.md).\n")
    result = run_cli("deploy", project=root, env=GIT_IDENTITY)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1 and result.stderr.endswith(SITE_KEPT)
    assert "the link 'nowhere.md' (on the page docs/weeks/first-steps.md) is broken" in result.stderr
    assert git("rev-parse", "gh-pages", cwd=origin) == published
    assert tree_digest(root / "site") == site


def test_every_port_check_comes_before_the_build(tmp_path: Path):
    # A busy port: the one line, and nothing built, nothing left in the temp folder.
    root = make_project(tmp_path / "project")
    temp = tmp_path / "temp"
    temp.mkdir()
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = run_cli("serve", "--port", str(port), project=root, env={**os.environ, "TMPDIR": str(temp)})
    assert "Traceback" not in result.stdout + result.stderr
    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        "",
        f"serve: port {port} is in use: choose another with --port, or stop the program using it\n"
        "error: 1 problem; nothing was served\n",
    )
    assert not (root / "docs/weeks").exists() and not list(temp.glob("course-kit-serve-*"))


@pytest.mark.parametrize("port", ["0", "70000", "abc", "-1", "8000x"])
def test_a_port_out_of_range_is_refused_before_anything_runs(port: str, tmp_path: Path):
    result = run_cli("serve", "--port", port, project=tmp_path)
    assert "Traceback" not in result.stdout + result.stderr
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"serve: '{port}' is not a port: choose a whole number from 1 to 65535 with --port",
        "error: 1 problem; nothing was served",
    ]
