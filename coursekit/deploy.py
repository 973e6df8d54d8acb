"""`deploy`: publish the site just built, and only that, to the gh-pages branch.

The command builds first (strict, swapped in only on success), so a failed build publishes
nothing and leaves site/ as it was. Publishing commits site/ to the branch with ghp-import, as
`mkdocs gh-deploy` does but without building again, and pushes it. Git runs in the project
folder (not wherever the command was started), and a git failure is one problem with git's reason.
"""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

import ghp_import
from mkdocs.config import load_config

from .engines import Engine, engine_named
from .errors import CourseError, Problem

NOT_PUBLISHED = "site/ was built but not published"


def publish(root: Path, site_dir: Path, engine: Engine | None = None) -> str:
    """Commit site_dir to the branch mkdocs.yml names (gh-pages of origin) and push it; return 'remote/branch'.

    Publishing is the same for every engine (Zensical has no gh-deploy of its own; this needs none).
    """
    engine = engine or engine_named(None)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir))
    remote, branch = config.remote_name, config.remote_branch
    with contextlib.chdir(root):
        commit = _git("rev-parse", "--short", "HEAD").stdout.strip() or "an uncommitted tree"
        try:
            ghp_import.ghp_import(
                str(site_dir),
                mesg=f"Deployed {commit} with {engine.label} version: {engine.version()}",
                remote=remote,
                branch=branch,
                push=False,
                nojekyll=True,
            )
        except ghp_import.GhpError as error:
            raise _git_problem(f"cannot commit site/ to the '{branch}' branch", error.message) from None
        pushed = _git("push", "--force", remote, branch)
    if pushed.returncode:
        raise _git_problem(f"git push {remote} {branch} failed", pushed.stderr)
    return f"{remote}/{branch}"


def _git(*args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True)
    except FileNotFoundError:
        raise CourseError([Problem("deploy", 0, "git is not installed: install git and deploy again")]) from None


def _git_problem(what: str, output: str) -> CourseError:
    # git's first "fatal:" or "error:" line says why ("'origin' does not appear to be a git repository").
    lines = [line.strip() for line in str(output).splitlines() if line.strip()]
    said = [line.split(": ", 1)[1] for line in lines if line.startswith(("fatal: ", "error: "))]
    reason = (said or lines or ["git gave no reason"])[0]
    return CourseError(
        [
            Problem(
                "deploy",
                0,
                f"{what}: {reason}: run deploy in the course's git repository, with a remote you may push to",
            )
        ],
        NOT_PUBLISHED,
    )
