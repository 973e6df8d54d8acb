"""End to end: the shipped course builds in strict mode; a failed MkDocs build keeps the old site."""

from pathlib import Path

import pytest

from coursekit import pipeline
from tests.conftest import edit, run_cli, tree_digest

pytestmark = pytest.mark.slow


def test_shipped_course_builds_strict_with_every_module(built_course: Path):
    course = pipeline.check(built_course)
    for module in course.modules:
        assert (built_course / "site/weeks" / module.meta.id / "index.html").is_file()
    for exercise in course.exercises:
        assert (built_course / "site/exercises" / exercise.meta.id / "index.html").is_file()
    assert (built_course / "site/404.html").is_file()
    assert (built_course / "site/search/search_index.json").stat().st_size > 10_000


def test_shipped_course_check_summary(built_course: Path):
    result = run_cli("check", project=built_course)
    assert result.returncode == 0
    assert result.stdout.endswith(": OK\n")


def test_failed_mkdocs_build_keeps_the_previous_site(built_fixture: Path):
    before = tree_digest(built_fixture / "site")
    broken = built_fixture / "docs/guide/broken.md"
    broken.write_text("# Broken\n\n[a dead link](nowhere.md)\n", encoding="utf-8")
    try:
        result = run_cli("build", project=built_fixture)
        assert result.returncode == 1
        assert "nowhere.md" in result.stderr and "Traceback" not in result.stderr
        assert result.stderr.splitlines()[-1].endswith("; site/ was left as it was")
        assert tree_digest(built_fixture / "site") == before
        assert not list(built_fixture.glob(".site-build-*"))
    finally:
        broken.unlink()


@pytest.mark.slow
def test_a_modality_added_in_course_yml_reaches_the_matrix_filters_and_tags(project: Path):
    """Modalities are course data: a trainer adds ACT without touching Python."""
    with (project / "modules/course.yml").open("a", encoding="utf-8") as course:
        course.write(
            "  - id: act\n    name: ACT (Acceptance and Commitment Therapy)\n    short: ACT\n"
            "    description: Acceptance and Commitment Therapy.\n"
        )
    edit(project / "modules/01-first-steps/exercises/draw-a-circle.md", "modalities: [ipt]", "modalities: [ipt, act]")
    result = run_cli("build", "-q", project=project)
    assert result.returncode == 0, result.stderr
    matrix = (project / "site/course/matrix/index.html").read_text(encoding="utf-8")
    assert '<a href="#modality-act">ACT</a>' in matrix
    assert 'id="modality-act">ACT (Acceptance and Commitment Therapy)' in matrix
    library = (project / "site/exercises/index.html").read_text(encoding="utf-8")
    assert "<option>ACT</option>" in library
    assert 'data-modality="IPT,ACT"' in library
    assert "ACT" in (project / "site/course/tags/index.html").read_text(encoding="utf-8")
