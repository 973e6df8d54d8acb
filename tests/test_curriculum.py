"""The shipped course keeps the size and coverage it promises (issue 3): counts from the model,
words of course text from the built site. The validator guards each file; this guards the whole."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from coursekit import pipeline

REPO = Path(__file__).resolve().parent.parent
COURSE_FOLDERS = ("weeks", "exercises", "roleplays", "course")  # course text, not the trainers' guide


def test_the_shipped_course_keeps_its_declared_policy():
    """The course's rules (lesson length, practice per module, coverage) are declared in
    modules/course.yml and checked by `check`; this pins that the shipped course declares them."""
    policy = pipeline.check(REPO).meta.policy
    assert (
        policy.min_lesson_words >= 900 and policy.min_exercises_per_module >= 2 and policy.min_roleplays_per_module >= 1
    )
    assert policy.min_glossary_terms >= 60 and policy.min_references >= 25
    assert all(
        [
            policy.every_modality_practised,
            policy.every_problem_area_practised,
            policy.every_modality_roleplayed,
            policy.every_problem_area_roleplayed,
            policy.every_format_used,
        ]
    )


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


# --- Text the course must never contain, and numbers it may only give once checked --------------

MODULES = REPO / "modules"


def _course_texts() -> dict[str, str]:
    """Every file of course text under modules/: lessons, exercises, role-plays, pages and the course files."""
    return {
        path.relative_to(REPO).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(MODULES.rglob("*"))
        if path.suffix in (".md", ".yml")
    }


def _found(pattern: re.Pattern) -> list[str]:
    return [
        f"{path}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)!r}"
        for path, text in _course_texts().items()
        for m in pattern.finditer(text)
    ]


def test_no_text_says_ipt_sets_no_homework():
    """IPT sets no worksheets, but it encourages and reviews interpersonal tasks (Blanco et al., 2006)."""
    assert _found(re.compile(r"sets?\s+no\s+homework", re.IGNORECASE)) == []


def test_no_student_text_speaks_of_authoring_sources():
    """Student text says what an idea is and who proposed it, never 'the source documents' or 'the seed'."""
    assert _found(re.compile(r"source\s+documents?|source\s+material|\bthe\s+seeds?\b", re.IGNORECASE)) == []


def test_nhs_111_in_england_is_always_the_mental_health_option_in_current_words():
    """NHS England's menu now says 'select the mental health option'; 'option 2' is the old wording (Wales: press 2)."""
    assert _found(re.compile(r"option\s+2|choos(?:e|ing)\s+the\s+mental\s+health\s+option", re.IGNORECASE)) == []


# A UK phone number written out (0 then 9 or 10 more digits, grouped by spaces), and the short numbers.
_LONG_NUMBER = re.compile(r"(?<![\w./-])0\d{2,4}(?: ?\d{2,4}){1,3}(?![\w/-])")
_SHORT_NUMBER = re.compile(r"(?<![\w.-])(?:999|111|101|988|116 ?123|85258)(?![\w-])")


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def test_every_helpline_number_in_the_course_is_in_the_checked_list():
    checked = yaml.safe_load((REPO / "tests/helplines.yml").read_text(encoding="utf-8"))
    assert all(entry["organisation"] and entry["verified"].startswith("http") for entry in checked)
    known = {_digits(entry["number"]) for entry in checked}
    unchecked = [
        f"{path}: {m.group(0)}"
        for path, text in _course_texts().items()
        for pattern in (_LONG_NUMBER, _SHORT_NUMBER)
        for m in pattern.finditer(text)
        if len(_digits(m.group(0))) >= 3 and _digits(m.group(0)) not in known
    ]
    assert unchecked == [], "check each number on the organisation's own page, then add it to tests/helplines.yml"
    # The list holds no number the course has stopped using, so it stays the course's list.
    used = {
        _digits(m.group(0))
        for text in _course_texts().values()
        for p in (_LONG_NUMBER, _SHORT_NUMBER)
        for m in p.finditer(text)
    }
    assert known <= used, known - used


def test_an_unconfirmed_helpline_number_stays_out():
    """Hourglass's number could not be confirmed on its own page: the course names the service and its website."""
    texts = "\n".join(_course_texts().values())
    assert "0808 808 8141" not in texts and "wearehourglass.org" in texts


# --- Distinct people --------------------------------------------------------------------------


def test_every_role_play_names_its_client_and_every_client_is_a_different_person():
    course = pipeline.check(REPO)
    clients = {}
    for roleplay in course.roleplays:
        client = next(role for role in roleplay.meta.roles if role.name == "Client")
        assert client.person and len(client.person.split()) >= 2, roleplay.path
        clients[roleplay.path.as_posix()] = client.person
    first_names = [person.split()[0] for person in clients.values()]
    assert len(set(first_names)) == len(first_names), sorted(first_names)
    # An exercise's vignettes are other people: no role-play client's full name appears in one.
    exercises = {e.path.as_posix(): (REPO / e.path).read_text(encoding="utf-8") for e in course.exercises}
    assert [(path, person) for person in clients.values() for path, text in exercises.items() if person in text] == []
