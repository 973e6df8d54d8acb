"""The publishing workflow: valid for GitHub, clean under zizmor, and the same build as `make site`."""

import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import REPO

WORKFLOW = REPO / ".github/workflows/pages.yml"
BIN = Path(sys.executable).parent


def test_workflow_matches_githubs_schema():
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing():
    result = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--config", str(REPO / "zizmor.yml"), str(WORKFLOW)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_workflow_builds_like_make_site_and_uses_the_official_pages_actions():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    assert any(step.get("run") == "make site EDITION=$EDITION" for step in steps)
    assert any(step.get("run") == "make pdf EDITION=$EDITION" for step in steps)
    assert workflow["env"]["EDITION"] in ("full", "student")  # what the public site holds is said at the top
    uses = [step.get("uses", "").split("@")[0] for job in workflow["jobs"].values() for step in job["steps"]]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages", "actions/cache"):
        assert action in uses
    check_steps = workflow["jobs"]["check"]["steps"]
    assert any(step.get("run") == "python build_course.py check --format github" for step in check_steps)
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as True
