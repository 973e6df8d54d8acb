"""The student's week, computed in Python: reading time, the session plan's order, the course's progress key."""

from pathlib import Path

import pytest

from coursekit import pipeline, views
from tests.conftest import edit

MODULE = "modules/01-first-steps/module.md"
# The fixture's first module: 12 words of objectives, 10 of lesson and 9 of key points.
FIXTURE_WORDS = 31


def _week_page(project: Path) -> str:
    outputs = {o.path: o.text for o in pipeline.generate(project).outputs}
    return outputs["docs/weeks/first-steps.md"]


@pytest.mark.parametrize(
    ("words", "minutes"), [(0, 1), (1, 1), (199, 1), (200, 1), (201, 2), (400, 2), (401, 3), (2181, 11)]
)
def test_reading_time_is_the_words_at_200_a_minute_rounded_up(words, minutes):
    assert views.reading_minutes(words) == minutes


def test_the_fixture_lesson_counts_its_objectives_lesson_and_key_points(project: Path):
    module = pipeline.check(project).modules[0]
    assert views.lesson_words(module) == FIXTURE_WORDS
    assert "**Reading** about 1&nbsp;min" in _week_page(project)


@pytest.mark.parametrize(("added", "minutes"), [(1000 - FIXTURE_WORDS, 5), (1001 - FIXTURE_WORDS, 6)])
def test_the_week_box_shows_the_reading_time_of_the_lesson_as_written(project: Path, added, minutes):
    with (project / MODULE).open("a", encoding="utf-8") as lesson:
        lesson.write("\n" + " ".join(["word"] * added) + "\n")
    page = _week_page(project)
    assert f"**Reading** about {minutes}&nbsp;min" in page
    assert f"[Read the lesson](#learning-objectives) · about {minutes}&nbsp;min" in page


def test_the_week_box_lists_the_lesson_then_practice_in_session_order_with_its_minutes(project: Path):
    edit(
        project / MODULE,
        "  - exercise: draw-a-circle\n  - roleplay: first-conversation\n",
        "  - roleplay: first-conversation\n  - exercise: draw-a-circle\n",
    )
    page = _week_page(project)
    box = page[page.index('<section class="ck-week"') : page.index("</section>")]
    order = [
        box.index(text) for text in ("Read the lesson", "Role-play: A first conversation", "Exercise: Draw a circle")
    ]
    assert order == sorted(order)
    assert "[Role-play: A first conversation](../roleplays/first-conversation.md) · 30&nbsp;min" in box
    assert "[Exercise: Draw a circle](../exercises/draw-a-circle.md) · 10&nbsp;min" in box
    assert "**After this week:** [Week 2: Loss and change](loss-and-change.md)" in box


def test_the_last_week_has_no_after_this_week(project: Path):
    outputs = {o.path: o.text for o in pipeline.generate(project).outputs}
    assert "After this week" not in outputs["docs/weeks/loss-and-change.md"]


def test_the_shipped_course_plans_follow_each_session():
    course = pipeline.check(Path(__file__).resolve().parent.parent)
    for module in course.modules:
        plan = views.week_plan(module)
        session = [
            f"{kind}:{getattr(item, kind)}"
            for item in module.meta.session
            for kind in ("exercise", "roleplay")
            if getattr(item, kind)
        ]
        quizzes = [f"quiz:{quiz.meta.id}" for quiz in module.quizzes]  # after the session: what it taught, checked
        assert [item.key for item in plan.items] == [f"module:{module.meta.id}", *dict.fromkeys(session), *quizzes]


@pytest.mark.parametrize(
    ("site_url", "course"),
    [
        ("https://course-kit.github.io/course-kit/", "course-kit"),
        ("https://owner.github.io/courses/ipt/", "courses/ipt"),
        ("https://owner.github.io/", "owner.github.io"),
        ("https://example.org", "example.org"),
    ],
)
def test_progress_is_kept_under_the_sites_path(site_url, course):
    assert views.course_id(site_url) == course


def test_the_generated_config_names_the_course_and_its_tickable_pages(project: Path):
    outputs = {o.path: o.text for o in pipeline.generate(project).outputs}
    config = outputs[".generated/mkdocs-course.yml"]
    assert (
        'extra:\n  course_kit:\n    course: "fixture"\n    pages: "weeks=module exercises=exercise roleplays=roleplay quizzes=quiz"\n'
        in config
    )
