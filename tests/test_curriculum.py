"""The shipped course keeps the size and coverage it promises (issue 3): counts from the model,
words of course text from the built site. The validator guards each file; this guards the whole."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from coursekit import model, pipeline
from coursekit.stats import course_stats

REPO = Path(__file__).resolve().parent.parent
COURSE_FOLDERS = ("weeks", "exercises", "roleplays", "course")  # course text, not the trainers' guide


@pytest.fixture(scope="module")
def course() -> model.Course:
    return pipeline.check(REPO)


def test_counts_and_coverage(course):
    stats = course_stats(course)
    assert stats["modules"] >= 16 and stats["exercises"] >= 32 and stats["roleplays"] >= 16
    assert stats["glossary_terms"] >= 60 and stats["references"] >= 25
    assert {m.meta.week for m in course.modules} == set(range(1, 17))
    for name, counts in {**stats["modalities"], **stats["problem_areas"]}.items():
        assert counts["modules"] and counts["exercises"] + counts["roleplays"], f"{name} is not practised"
    assert {r.meta.problem_area for r in course.roleplays} == set(model.ProblemArea)
    assert {m for r in course.roleplays for m in r.meta.modalities} == set(model.Modality)
    assert len({e.meta.format for e in course.exercises}) == len(model.ExerciseFormat)


@pytest.mark.parametrize("index", range(16))
def test_each_module_teaches_enough(course, index):
    module = course.modules[index]
    lesson_words = len(re.findall(r"[A-Za-z][\w'’-]*", module.body))
    assert lesson_words >= 900, f"{module.meta.id}: {lesson_words} words"
    assert len(module.meta.objectives) >= 3 and len(module.meta.key_points) >= 3 and len(module.meta.references) >= 2
    assert len(module.exercises) >= 2, module.meta.id


class _ArticleText(HTMLParser):
    """Collects the text inside <article>, the page's own content without navigation."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.words = 0, 0

    def handle_starttag(self, tag, attrs):
        if tag == "article" or self.depth:
            self.depth += tag not in ("br", "img", "input", "hr", "meta", "link")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= tag not in ("br", "img", "input", "hr", "meta", "link")

    def handle_data(self, data):
        if self.depth:
            self.words += len(re.findall(r"[A-Za-z][\w'’-]*", data))


@pytest.mark.slow
def test_built_site_holds_at_least_45000_words_of_course_text(built_course: Path):
    words = 0
    for folder in COURSE_FOLDERS:
        for page in (built_course / "site" / folder).rglob("index.html"):
            parser = _ArticleText()
            parser.feed(page.read_text(encoding="utf-8"))
            words += parser.words
    assert words >= 45_000, words
