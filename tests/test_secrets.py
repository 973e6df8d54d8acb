"""Role-play secrets stay secret: no private brief, beat or observer checklist on a page students read or
in the search index; "choose your role" on the cards page; the student edition has no facilitator material."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from coursekit import model, pipeline, views
from coursekit.kinds import ROLEPLAY
from tests import axe
from tests.conftest import make_project, run_cli

# Pages that are not students' pages: the cards page (each player opens only their own card) and
# every facilitator view.
NOT_STUDENTS = tuple(f"{view.folder}/" for view in ROLEPLAY.views if view.name == "cards") + tuple(
    f"{view.folder.split('/')[0]}/" for kind in (ROLEPLAY,) for view in kind.views if view.facilitator
)


def _plain(text: str) -> str:
    """Text as a reader sees it: no tags, entities or Markdown marks, one space between words."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.DOTALL)
    text = re.sub(r"</?(?:abbr|a|em|strong|code|span)\b[^>]*>", "", text)  # inline: a glossary term stays in its word
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(text.replace("\\", "").replace("*", "").replace("`", "").split())


def _sentences(markdown: str) -> list[str]:
    """A brief's sentences of four words or more (shorter ones, "Fine.", are everyday words, not secrets)."""
    lines = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", markdown, flags=re.MULTILINE).splitlines()
    found = (_plain(s) for line in lines for s in re.split(r"(?<=[.!?])[\"”]?\s+", line))
    return [s for s in found if len(s.split()) >= 4]


def secrets(meta: model.RoleplayMeta) -> list[tuple[str, str]]:
    """(what, text) for every sentence of every private brief, every beat and every checklist item."""
    found = [(f"{role.name}'s brief", s) for role in meta.roles for s in _sentences(role.brief)]
    found += [("beat", _plain(beat)) for beat in meta.beats]
    return found + [("checklist item", _plain(check)) for check in meta.observer_checklist]


@pytest.fixture(scope="module")
def shipped_pages(built_course: Path) -> tuple[model.Course, dict[str, str], dict[str, str]]:
    """The shipped course, the text of every page students read (and the search index), and of the others."""
    site = built_course / "site"
    students, others = {}, {}
    for path in site.rglob("*.html"):
        address = path.relative_to(site).as_posix()
        (others if address.startswith(NOT_STUDENTS) else students)[address] = _plain(path.read_text("utf-8"))
    index = json.loads((site / "search/search_index.json").read_text("utf-8"))
    students["the search index"] = _plain(" ".join(f"{d['title']} {d['text']}" for d in index["docs"]))
    return pipeline.check(built_course), students, others


def test_no_brief_beat_or_checklist_item_on_any_students_page_or_in_search(shipped_pages):
    course, students, others = shipped_pages
    assert len(course.roleplays) == 17
    leaks, unseen = [], []
    for roleplay in course.roleplays:
        found = secrets(roleplay.meta)
        assert len(found) > 10, roleplay.meta.id
        for what, text in found:
            where = [page for page, words in students.items() if text in words]
            if where:
                leaks.append(f"{roleplay.meta.id}: {what} {text!r} on {', '.join(sorted(where)[:3])}")
            # The matcher must be able to find them: each is on the cards or the facilitator's page.
            if not any(text in words for page, words in others.items() if roleplay.meta.id in page):
                unseen.append(f"{roleplay.meta.id}: {what} {text!r}")
    assert leaks == []
    assert unseen == []


def test_students_page_keeps_what_players_need(shipped_pages):
    course, students, _ = shipped_pages
    roleplay = next(r for r in course.roleplays if r.meta.id == "the-funeral-in-lagos")
    text = students["roleplays/the-funeral-in-lagos/index.html"]
    for needed in (
        _plain(roleplay.meta.setting)[:60],
        _plain(roleplay.meta.roles[1].public)[:60],
        _plain(roleplay.meta.debrief[0])[:60],
        _plain(roleplay.meta.deroling)[:60],
        "Round 3 of 3, rotate roles, then briefing",
        "Before you start",
        "choose your role",
    ):
        assert needed in text, needed
    # The body's notes that give the brief away moved to the facilitator's section, the care notes stayed.
    assert 'Anyone can say "pause" at any time' in text
    assert "The brief resolves it as no immediate risk" not in text
    assert "## Script" not in text and "Script" not in re.findall(r"Script", text)


def test_a_public_script_stays_on_the_students_page(shipped_pages):
    _, students, _ = shipped_pages
    assert "Funmi's paid for it, so I'd better." in students["roleplays/retirement-first-contract-marcus/index.html"]


def test_split_body_moves_the_facilitators_section():
    body = "Care for players.\n\n## For the facilitator\n\nThe brief has no risk.\n"
    assert views.split_body(body) == ("Care for players.\n\n", "The brief has no risk.\n")
    assert views.split_body("No section.\n") == ("No section.\n", "")


def test_observer_card_carries_the_checklist_for_the_record_forms(built_course: Path):
    page = (built_course / "site/roleplays/cards/the-funeral-in-lagos/index.html").read_text("utf-8")
    checklist = re.search(r'<ol class="ck-checklist" data-ck-roleplay="the-funeral-in-lagos">(.*?)</ol>', page, re.S)
    items = re.findall(r'<li data-ck-check="(\d+)">', checklist.group(1))
    assert items == [str(n) for n in range(1, 9)]
    assert page.count('class="ck-checklist"') == 1  # on the observer's card only


def test_a_pair_gets_an_observer_card_made_from_its_checklist(built_fixture: Path):
    course = pipeline.check(built_fixture)
    pair = next(r for r in course.roleplays if len(r.meta.roles) == 2)
    cards = views.role_cards(pair.meta)
    assert [c.name for c in cards] == [r.name for r in pair.meta.roles] + ["Observer"]
    assert cards[-1].brief is None and cards[-1].checklist == pair.meta.observer_checklist
    page = (built_fixture / f"site/roleplays/cards/{pair.meta.id}/index.html").read_text("utf-8")
    assert f'data-ck-roleplay="{pair.meta.id}"' in page and 'data-ck-card="3"' in page


# ---------------------------------------------------------------------------------------------
# The student edition.


@pytest.fixture(scope="module")
def student_edition(tmp_path_factory) -> Path:
    """The fixture course built with --edition student (strict: its links and anchors all resolve)."""
    root = make_project(tmp_path_factory.mktemp("student") / "project")
    result = run_cli("build", "--edition", "student", project=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def test_student_edition_has_no_facilitator_pages_links_or_search_entries(student_edition: Path, built_fixture: Path):
    for root, expected in ((built_fixture, True), (student_edition, False)):
        site = root / "site"
        pages = [p.relative_to(site).as_posix() for p in site.rglob("*.html")]
        facilitator_pages = [p for p in pages if p.startswith("facilitator/")]
        links = [p for p in pages if re.search(r'href="[^"]*facilitator/', (site / p).read_text("utf-8"))]
        index = json.loads((site / "search/search_index.json").read_text("utf-8"))
        entries = [d["location"] for d in index["docs"] if d["location"].startswith("facilitator/")]
        generated = list((root / "docs/facilitator").rglob("*.md")) if (root / "docs/facilitator").exists() else []
        assert bool(facilitator_pages) is expected
        assert bool(links) is expected
        assert bool(entries) is expected
        assert bool(generated) is expected


def test_edition_is_a_choice_with_one_line_when_mistyped(project: Path):
    result = run_cli("build", "--edition", "teachers", project=project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "--edition: unknown edition 'teachers': expected one of full, student",
        "error: 1 problem; nothing was written",
    ]


# ---------------------------------------------------------------------------------------------
# Run-sheet rounds.


def test_a_roleplays_rounds_have_start_times_and_add_up(built_course: Path):
    course = pipeline.check(built_course)
    module = next(m for m in course.modules if m.meta.id == "grief-and-loss")
    rows = views.run_sheet(module)
    row = next(r for r in rows if r.rounds)
    timing = row.target.meta.timing
    assert [s.label for s in row.rounds[:4]] == [
        "round 1 of 3, briefing",
        "round 1 of 3, play",
        "round 1 of 3, feedback",
        "round 2 of 3, rotate roles, then briefing",
    ]
    assert row.rounds[-1].label == "debrief and stepping out of role"
    assert row.rounds[0].start == row.start
    assert row.rounds[-1].start + timing.debrief == row.start + row.minutes
    steps = views.timer_steps(rows)
    assert all(a.start + a.minutes == b.start for a, b in zip(steps, steps[1:], strict=False))
    assert steps[-1].start + steps[-1].minutes == module.meta.duration
    sheet = (built_course / "site/facilitator/grief-and-loss/index.html").read_text("utf-8")
    assert "2:40" in sheet and "Round 3 of 3, feedback" in sheet


# ---------------------------------------------------------------------------------------------
# In a browser.


@pytest.mark.browser
@pytest.mark.slow
def test_choose_your_role_shows_one_card_after_choosing(served_course, browser_context):
    url, root = served_course
    course = pipeline.check(root)
    roleplay = next(r for r in course.roleplays if r.meta.id == "the-funeral-in-lagos")
    briefs = [_sentences(role.brief)[0] for role in roleplay.meta.roles]
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url + "roleplays/cards/the-funeral-in-lagos/", wait_until="load")
    axe.settle(page)

    def visible_text() -> str:
        return " ".join(page.locator("article").inner_text().split())

    assert not any(brief in visible_text() for brief in briefs)
    assert page.locator("section.ck-card:visible").count() == 0
    assert axe.describe("cards (before)", axe.violations(page, axe.axe_script())) == []

    # By keyboard: Tab to the Client button, Enter.
    client = page.get_by_role("button", name="Client", exact=True)
    for _ in range(60):
        page.keyboard.press("Tab")
        if client.evaluate("b => b === document.activeElement"):
            break
    assert client.evaluate("b => b === document.activeElement")
    page.keyboard.press("Enter")
    assert page.locator("section.ck-card:visible").count() == 1
    assert briefs[1] in visible_text()
    assert briefs[0] not in visible_text() and briefs[2] not in visible_text()
    assert page.evaluate("document.activeElement.id") == "card-2"  # focus lands on the card's heading
    assert page.locator("ol.ck-checklist:visible").count() == 0
    # The pointer off the card, so no hover tooltip of the theme's (outside any landmark) is open under axe.
    page.mouse.move(0, 0)
    page.wait_for_timeout(800)
    assert axe.describe("cards (client)", axe.violations(page, axe.axe_script())) == []

    # Choose again, then the observer: their card carries the checklist (as a rating form).
    page.get_by_role("button", name="Choose another role").focus()
    page.keyboard.press("Enter")
    assert page.locator("section.ck-card:visible").count() == 0
    page.get_by_role("button", name="Observer", exact=True).click()
    # record.js turns the checklist into the rating form, one point to rate for each check.
    checks = page.locator("form.ck-rating-form:visible fieldset.ck-scale legend")
    assert checks.count() == len(roleplay.meta.observer_checklist)
    assert briefs[2] in visible_text() and briefs[1] not in visible_text()
    assert errors == []
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_session_timer_starts_runs_moves_on_and_pauses(served_course, browser_context):
    url, root = served_course
    module = next(m for m in pipeline.check(root).modules if m.meta.id == "grief-and-loss")
    steps = views.timer_steps(views.run_sheet(module))
    page = browser_context.new_page()
    page.clock.install()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url + "facilitator/grief-and-loss/", wait_until="load")
    axe.settle(page)
    timer = page.locator("section.ck-timer")
    left = timer.locator("[data-ck-timer-left]")
    now = timer.locator("[data-ck-timer-current]")
    status = timer.locator("[data-ck-timer-status]")
    assert timer.is_visible()
    assert now.inner_text() == "Not started" and left.inner_text() == "10:00"
    assert axe.describe("run-sheet", axe.violations(page, axe.axe_script())) == []

    # Start by keyboard.
    start = timer.get_by_role("button", name="Start")
    start.focus()
    page.keyboard.press("Enter")
    assert now.inner_text().startswith("Check-in")
    assert "Now: Check-in" in status.inner_text()
    assert timer.get_by_role("button", name="Pause").evaluate("b => b === document.activeElement")

    # The time runs.
    page.clock.run_for(65_000)
    assert left.inner_text() == "8:55"

    # When a step's time is up, the timer moves on by itself, with a cue.
    page.clock.run_for(9 * 60_000)
    assert now.inner_text().startswith("Teaching input")
    assert "ck-timer-flash" in timer.locator(".ck-timer-now").get_attribute("class")
    assert timer.locator('li[aria-current="step"]').get_attribute("data-ck-step-start") == "10"

    # Next (by keyboard) moves on, up to the role-play's first round, a step of its own.
    first_round = next(i for i, step in enumerate(steps) if step.label.endswith("round 1 of 3, briefing"))
    timer.get_by_role("button", name="Next").focus()
    for _ in range(first_round - 1):
        page.keyboard.press("Enter")
    assert now.inner_text() == steps[first_round].label
    assert timer.locator("[data-ck-timer-next]").inner_text() == steps[first_round + 1].label
    assert left.inner_text() == f"{steps[first_round].minutes}:00"

    # Pause stops the clock.
    timer.get_by_role("button", name="Pause").click()
    paused = left.inner_text()
    page.clock.run_for(120_000)
    assert left.inner_text() == paused
    assert status.inner_text().startswith("Paused")

    # Previous goes back; reset returns to the start.
    timer.get_by_role("button", name="Previous").click()
    timer.get_by_role("button", name="Reset").click()
    assert now.inner_text() == "Not started"
    # The pointer leaves Reset and its hover fade ends (real time: the fake clock does not drive CSS), so
    # axe reads the colours the page rests in, not a mid-transition blend.
    page.mouse.move(0, 0)
    page.wait_for_timeout(800)
    assert axe.describe("run-sheet (running)", axe.violations(page, axe.axe_script())) == []
    assert errors == []
    page.close()
