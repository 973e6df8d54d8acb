"""The writer: owned folders only, marked pages, changed files only, stale pages removed, hand-written files safe."""

from pathlib import Path

import pytest

from coursekit import pipeline
from coursekit.errors import CourseError
from coursekit.render import MARKER
from tests.conftest import edit


def test_generated_pages_carry_the_marker_and_are_gitignored(project: Path):
    report = pipeline.generate(project)
    docs_outputs = [o for o in report.outputs if o.path.startswith("docs/")]
    assert docs_outputs
    for output in docs_outputs:
        assert MARKER in (project / output.path).read_text(encoding="utf-8")[:400], output.path
    ignored = (Path(__file__).resolve().parent.parent / ".gitignore").read_text(encoding="utf-8").split()
    for output in report.outputs:
        parts = output.path.split("/")
        candidates = {"/" + parts[0] + "/", "/" + "/".join(parts[:2]), "/" + "/".join(parts[:2]) + "/"}
        assert candidates & set(ignored), output.path


def test_second_run_rewrites_nothing_and_one_edit_rewrites_only_its_pages(project: Path):
    pipeline.generate(project)
    again = pipeline.generate(project)
    assert again.written.written == [] and again.written.removed == []
    edit(project / "modules/01-first-steps/exercises/draw-a-circle.md", "Who surprised you?", "Who surprised you most?")
    changed = pipeline.generate(project)
    # The question is on the exercise's page and in the journal's data (course/record-data.json).
    assert changed.written.written == ["docs/course/record-data.json", "docs/exercises/draw-a-circle.md"]


def test_removed_module_disappears_and_hand_written_files_stay(project: Path):
    pipeline.generate(project)
    mine = project / "docs/weeks/my-notes.md"
    mine.write_text("# My notes\n", encoding="utf-8")
    guide = project / "docs/guide/index.md"
    guide_before = guide.read_bytes()
    edit(project / "modules/course.yml", "weeks: 2", "weeks: 1")
    import shutil

    shutil.rmtree(project / "modules/02-loss-and-change")
    report = pipeline.generate(project)
    assert sorted(report.written.removed) == [
        "docs/exercises/loss-timeline.md",
        "docs/facilitator/loss-and-change.md",
        "docs/facilitator/roleplays/the-empty-kitchen.md",
        "docs/facilitator/slides/loss-and-change.md",
        "docs/quizzes/grief-check.md",
        "docs/roleplays/cards/the-empty-kitchen.md",
        "docs/roleplays/the-empty-kitchen.md",
        "docs/weeks/loss-and-change.md",
    ]
    assert mine.read_text(encoding="utf-8") == "# My notes\n"
    assert guide.read_bytes() == guide_before


def test_hand_written_file_in_the_way_is_an_error_naming_both(project: Path):
    pipeline.generate(project)
    target = project / "docs/exercises/draw-a-circle.md"
    target.write_text("# My own version\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in (project / "docs").rglob("*.md")}
    with pytest.raises(CourseError) as error:
        pipeline.generate(project)
    assert [str(p) for p in error.value.problems] == [
        "modules/01-first-steps/exercises/draw-a-circle.md:1: would overwrite the hand-written file docs/exercises/draw-a-circle.md: "
        "rename or move docs/exercises/draw-a-circle.md, or change the id in modules/01-first-steps/exercises/draw-a-circle.md"
    ]
    assert {p: p.read_bytes() for p in (project / "docs").rglob("*.md")} == before


def test_two_generations_are_byte_identical(project: Path, tmp_path: Path):
    first = {o.path: o.text for o in pipeline.generate(project).outputs}
    from tests.conftest import make_project

    other = make_project(tmp_path / "other")
    second = {o.path: o.text for o in pipeline.generate(other).outputs}
    assert first == second
