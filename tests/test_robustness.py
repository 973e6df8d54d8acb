"""Robustness: fuzzed input never crashes the loader, builds are reproducible, killed builds lose nothing."""

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursekit.errors import CourseError
from coursekit.load import LoadError, decode_text, load_course, parse_front_matter
from coursekit.validate import validate_course
from tests.conftest import REPO, make_project, run_cli, tree_digest

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_only_our_error(raw: bytes):
    try:
        parse_front_matter(decode_text(raw, "m.md"), "m.md")
    except LoadError as error:
        assert str(error).startswith("m.md:")


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30))
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12,
)


@FUZZ
@given(st.text(max_size=300))
def test_arbitrary_text_as_front_matter_gives_only_our_error(text: str):
    try:
        parse_front_matter(f"---\n{text}\n---\nBody\n", "m.md")
    except LoadError as error:
        assert str(error).startswith("m.md:")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("fuzz") / "project")


def _module_front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


@FUZZ
@given(data=st.data())
def test_random_edits_of_real_modules_give_only_our_error(scratch: Path, data):
    modules = sorted((REPO / "modules").glob("*/module.md"))
    source = data.draw(st.sampled_from(modules))
    front, body = _module_front_matter(source)
    target = scratch / "modules/01-first-steps/module.md"
    original = target.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 3))):
        key = data.draw(st.sampled_from(sorted(front) + ["extra_field"]))
        action = data.draw(st.sampled_from(["delete", "replace"]))
        if action == "delete":
            front.pop(key, None)
        else:
            front[key] = data.draw(yaml_values)
    try:
        target.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body, encoding="utf-8")
        try:
            validate_course(load_course(scratch))
        except CourseError as error:
            assert error.problems and all(p.path and p.line >= 1 for p in error.problems)
    finally:
        target.write_text(original, encoding="utf-8")


STAMPED = {"sitemap.xml", "sitemap.xml.gz"}  # MkDocs writes the build date into the sitemap


@pytest.mark.slow
def test_two_builds_give_byte_identical_sites(tmp_path: Path):
    sites = []
    for name in ("one", "two"):
        root = make_project(tmp_path / name)
        assert run_cli("build", "-q", project=root).returncode == 0
        sites.append({k: v for k, v in tree_digest(root / "site").items() if k not in STAMPED})
        docs = tree_digest(root / "docs")
        sites.append(docs)
    assert sites[0] == sites[2]
    assert sites[1] == sites[3]


@pytest.mark.slow
def test_killed_build_leaves_the_previous_site_whole(built_course: Path):
    before = tree_digest(built_course / "site")
    module = built_course / "modules/05-grief-and-loss/module.md"
    original = module.read_text(encoding="utf-8")
    module.write_text(original + "\nAn edit that the killed build never publishes.\n", encoding="utf-8")
    try:
        build = subprocess.Popen(
            [sys.executable, str(REPO / "build_course.py"), "build", "-q", "--project", str(built_course)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # wait until MkDocs is writing the new site
            staging = list(built_course.glob(".site-build-*"))
            if staging and sum(1 for _ in staging[0].rglob("*.html")) > 5:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the build never started writing its staging folder")
        build.send_signal(signal.SIGKILL)
        build.wait()
        assert tree_digest(built_course / "site") == before
        module.write_text(original, encoding="utf-8")
        assert run_cli("build", "-q", project=built_course).returncode == 0
        assert not list(built_course.glob(".site-build-*"))
    finally:
        module.write_text(original, encoding="utf-8")


@pytest.mark.slow
def test_removed_module_leaves_docs_and_site(tmp_path: Path):
    root = make_project(tmp_path / "project")
    assert run_cli("build", "-q", project=root).returncode == 0
    assert (root / "site/weeks/loss-and-change/index.html").is_file()
    hand_written = tree_digest(root / "docs/guide") | tree_digest(root / "docs/assets")
    shutil.rmtree(root / "modules/02-loss-and-change")
    (root / "modules/course.yml").write_text((root / "modules/course.yml").read_text().replace("weeks: 2", "weeks: 1"))
    assert run_cli("build", "-q", project=root).returncode == 0
    assert not (root / "docs/weeks/loss-and-change.md").exists()
    assert not (root / "site/weeks/loss-and-change").exists()
    assert not (root / "site/exercises/loss-timeline").exists()
    assert tree_digest(root / "docs/guide") | tree_digest(root / "docs/assets") == hand_written
