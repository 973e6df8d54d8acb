"""The pages a student finds their way by, in a real browser: home, syllabus, module pages,
the libraries and their filters, the tags, the integration matrix, the glossary, the
facilitator's run-sheets and the phone layout. Expectations come from the course model,
so a page that drifts from modules/ fails here."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from coursekit import model, pipeline, views

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def course(built_course: Path) -> model.Course:
    return pipeline.check(built_course)


def _minutes(text: str) -> int:
    """'1 h 10 min' -> 70: the inverse of the templates' minutes filter."""
    match = re.fullmatch(r"(?:(\d+) h)?\s*(?:(\d+) min)?", text.strip())
    assert match and text.strip(), f"not a duration: {text!r}"
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def _heading(page) -> str:
    """The page's h1 without its permalink sign."""
    return page.locator("h1").inner_text().rstrip("¶").strip()


def _cells(row) -> list[str]:
    return [" ".join(t.split()) for t in row.locator("td").all_inner_texts()]


def test_home_leads_to_start_here_and_week_one(served_course, browser_context, course):
    url, _ = served_course
    page = browser_context.new_page()
    page.goto(url, wait_until="load")
    article = page.locator("article").inner_text()
    assert "Who it is for." in article and "How long it takes." in article
    assert "not an IPT qualification" in article
    page.locator("article").get_by_role("link", name="Start here", exact=True).click()
    page.wait_for_url(url + "course/start-here/")
    assert _heading(page) == "Start here"
    page.go_back()
    first = course.modules[0]
    page.get_by_role("link", name=f"Begin week 1: {first.meta.title}").click()
    page.wait_for_url(url + f"weeks/{first.meta.id}/")
    assert _heading(page) == f"Week {first.meta.week}: {first.meta.title}"
    page.close()


def test_syllabus_has_one_linked_row_per_module_in_course_order(served_course, browser_context, course):
    url, _ = served_course
    page = browser_context.new_page()
    page.goto(url + "course/syllabus/", wait_until="load")
    rows = page.locator("article table tbody tr")
    assert rows.count() == len(course.modules)
    for index, module in enumerate(course.modules):
        meta = module.meta
        week, title, phase, areas, modalities, session = _cells(rows.nth(index))
        assert (int(week), title, phase) == (meta.week, meta.title, meta.phase.term.text)
        assert areas == (", ".join(a.term.text for a in meta.problem_areas) or "General")
        assert modalities == ", ".join(course.vocabulary.term(m).short for m in meta.modalities)
        assert _minutes(session) == meta.duration
    grief = next(m for m in course.modules if m.meta.id == "grief-and-loss")
    rows.nth(course.modules.index(grief)).get_by_role("link").click()
    page.wait_for_url(url + "weeks/grief-and-loss/")
    assert _heading(page) == f"Week {grief.meta.week}: {grief.meta.title}"
    page.close()


def test_module_page_objectives_first_labels_explained_and_course_order(served_course, browser_context, course):
    url, _ = served_course
    module = next(m for m in course.modules if m.meta.id == "grief-and-loss")
    page = browser_context.new_page()
    page.goto(url + "weeks/grief-and-loss/", wait_until="load")
    headings = [h.rstrip("¶").strip() for h in page.locator("article h2").all_inner_texts()]
    assert headings[:2] == ["This week", "Learning objectives"]  # what the week asks, then what it teaches
    assert {"Key points", "Techniques and their labels", "Exercises", "Role-plays", "References"} <= set(headings)
    objectives = page.locator("article h2:has-text('Learning objectives') + p + ul > li")
    assert objectives.count() == len(module.meta.objectives)
    technique = course.techniques[module.meta.techniques[0]]
    badges = page.locator("a.ck-badge")
    clinical, coaching = badges.nth(0), badges.nth(1)  # the two evidence labels, side by side, each saying which it is
    assert (clinical.inner_text(), coaching.inner_text()) == (
        technique.clinical_evidence.term.text,
        technique.coaching_evidence.term.text,
    )
    assert clinical.inner_text().startswith("Clinical evidence ") and coaching.inner_text().startswith(
        "Coaching evidence "
    )
    assert clinical.get_attribute("title") == technique.clinical_evidence.term.meaning
    colour = (
        technique.clinical_evidence.term.colour
    )  # the badge's colour comes from the vocabulary's generated stylesheet
    assert clinical.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb({}, {}, {})".format(
        *bytes.fromhex(colour[1:])
    )
    assert badges.count() >= 4 * len(module.meta.techniques)
    references = page.locator("article").inner_text()
    for key in module.meta.references:
        assert " ".join(course.references[key].citation.split())[:40] in " ".join(references.split())
    # Previous and next follow the course: the lesson, then its exercises and role-plays.
    first_exercise = module.exercises[0]
    assert page.locator(".md-footer__link--next").get_attribute("aria-label") == f"Next: {first_exercise.meta.title}"
    coaching.click()
    page.wait_for_url(re.compile(r".*/course/labels/#coaching-evidence-[a-d]$"))
    target = page.locator(f"#{technique.coaching_evidence.term.anchor}")
    assert target.is_visible()
    page.goto(url + f"exercises/{first_exercise.meta.id}/", wait_until="load")
    assert (
        page.locator(".md-footer__link--prev").get_attribute("aria-label")
        == f"Previous: Week {module.meta.week}: {module.meta.title}"
    )
    page.close()


@pytest.mark.parametrize(
    "library, parts, facet, value",
    [
        ("exercises", "exercises", "modality", "CBT"),
        ("exercises", "exercises", "area", "Grief"),
        ("exercises", "exercises", "format", "Pair"),
        ("exercises", "exercises", "time", "Up to 20 min"),
        ("roleplays", "roleplays", "modality", "CBT"),
        ("roleplays", "roleplays", "area", "Role transitions"),
    ],
)
def test_library_filters_show_only_matching_rows(served_course, browser_context, course, library, parts, facet, value):
    url, _ = served_course
    items = getattr(course, parts)
    expected = sorted(p.meta.title for p in items if value in views.Facets(course.vocabulary).of(p)[facet])
    assert 0 < len(expected) < len(items)
    page = browser_context.new_page()
    page.goto(url + f"{library}/", wait_until="load")
    status = page.locator(".ck-filter-count")
    assert status.inner_text().startswith(f"Showing all {len(items)} ")
    page.select_option(f'select[data-ck-facet="{facet}"]', value)
    expect(status).to_have_text(re.compile(f"^Showing {len(expected)} of "))
    visible = page.locator("article table tbody tr:visible")
    assert sorted(" ".join(t.split()) for t in visible.locator("td:first-child").all_inner_texts()) == expected
    assert status.inner_text().startswith(f"Showing {len(expected)} of {len(items)} ")
    assert f"{facet}=" in page.url
    page.reload(wait_until="load")  # the choice lives in the address, so a filtered view can be shared
    expect(page.locator("article table tbody tr:visible")).to_have_count(len(expected))
    page.get_by_role("button", name="Show all").click()
    expect(page.locator("article table tbody tr:visible")).to_have_count(len(items))
    expect(status).to_have_text(f"Showing all {len(items)} {'exercises' if parts == 'exercises' else 'role-plays'}.")
    page.close()


def test_library_filters_combine_and_say_when_nothing_matches(served_course, browser_context, course):
    url, _ = served_course
    page = browser_context.new_page()
    page.goto(url + "exercises/?modality=RTT&format=Triad", wait_until="load")
    expected = [
        e
        for e in course.exercises
        if "RTT" in views.Facets(course.vocabulary).of(e)["modality"] and e.meta.format is model.ExerciseFormat.TRIAD
    ]
    assert page.locator("article table tbody tr:visible").count() == len(expected) == 0
    assert page.locator(".ck-filter-count").inner_text().startswith("No exercises match these filters")
    page.close()


def test_tags_page_lists_every_exercise_and_role_play_under_its_tags(served_course, browser_context, course):
    url, _ = served_course
    page = browser_context.new_page()
    page.goto(url + "course/tags/", wait_until="load")
    section = page.locator("h2#tag\\:grief + ul")
    listed = sorted(" ".join(t.split()) for t in section.locator("a").all_inner_texts())
    grief = [
        p.meta.title
        for p in [*course.exercises, *course.roleplays]
        if "Grief" in views.Facets(course.vocabulary).tags(p)
    ]
    assert listed == sorted(grief)
    page.close()


def test_matrix_cells_link_their_exercises_and_role_plays_and_empty_cells_say_so(
    served_course, browser_context, course
):
    url, _ = served_course
    page = browser_context.new_page()
    page.goto(url + "course/matrix/", wait_until="load")
    overview = page.locator("article table").first.locator("tbody tr")
    rows = views.matrix(course)
    assert overview.count() == len(rows)
    clicked = False
    for index, row in enumerate(rows):
        texts = _cells(overview.nth(index))[1:]
        for cell, text in zip(row.cells, texts, strict=True):
            anchor = cell.anchor
            linked = page.locator(f"#{anchor}").locator("xpath=ancestor::tr").locator("td a").all_inner_texts()
            assert sorted(" ".join(t.split()) for t in linked) == sorted(
                p.meta.title for p in [*cell.exercises, *cell.roleplays]
            )
            if not (cell.exercises or cell.roleplays):
                assert text == "None yet"
                continue
            assert text.startswith(f"{len(cell.exercises)} exercise")
            if not clicked:
                overview.nth(index).get_by_role("link", name=text).click()
                page.wait_for_url(url + f"course/matrix/#{anchor}")
                assert page.locator(f"#{anchor}").is_visible()
                clicked = True
    page.close()


def test_glossary_lists_every_term_and_terms_show_their_definition_on_hover_and_focus(
    served_course, browser_context, course
):
    url, _ = served_course
    page = browser_context.new_page()
    page.goto(url + "course/glossary/", wait_until="load")
    assert page.locator("article h2").count() == len(course.glossary)
    page.goto(url + "weeks/grief-and-loss/", wait_until="load")
    entry = next(e for e in course.glossary.values() if e.term == "complicated grief")
    terms = page.locator("article abbr", has_text=entry.term)
    assert terms.count() >= 2
    assert " ".join(terms.first.get_attribute("title").split()) == " ".join(entry.definition.split())
    expect(terms.first).to_have_attribute("tabindex", "0")  # set by course.js once the page is ready
    assert terms.nth(1).get_attribute("tabindex") is None
    first_sentence = entry.definition.split(".")[0]
    tooltip = page.locator(".md-tooltip2--active", has_text=first_sentence)
    terms.first.hover()
    tooltip.wait_for()
    page.mouse.move(0, 0)
    tooltip.wait_for(state="detached")
    terms.first.focus()  # the first use of a term takes keyboard focus and shows the same tooltip
    tooltip.wait_for()
    page.close()


def _clock(text: str) -> int:
    """'1:05' -> 65: the inverse of the templates' clock filter (minutes from the session's start)."""
    match = re.fullmatch(r"(\d+):(\d\d)", text.strip("* "))
    assert match, f"not a start time: {text!r}"
    return int(match.group(1)) * 60 + int(match.group(2))


def test_facilitator_run_sheets_add_up_to_the_session(served_course, browser_context, course):
    url, _ = served_course
    page = browser_context.new_page()
    for module in course.modules:
        page.goto(url + f"facilitator/{module.meta.id}/", wait_until="load")
        rows = page.locator("article table").first.locator("tbody tr")
        lines = [_cells(rows.nth(i)) for i in range(rows.count())]
        *lines, end = lines
        activities = [line for line in lines if not line[2].startswith("↳")]
        clock = 0
        for start, length, activity, group, *_ in activities:
            assert _clock(start) == clock, f"{module.meta.id}: {activity}"
            assert group, f"{module.meta.id}: {activity} has no group size"
            clock += _minutes(length)
        # A role-play's rounds follow its row, back to back, and end where the next activity starts.
        step = 0
        for start, length, activity, *_ in lines:
            if activity.startswith("↳"):
                assert _clock(start) == step, f"{module.meta.id}: {activity}"
            step = _clock(start) + _minutes(length) if activity.startswith("↳") else _clock(start)
        assert clock == module.meta.duration == _minutes(end[1]) == _clock(end[0])
        assert len(activities) == len(module.meta.session)
    page.close()


@pytest.fixture(scope="module")
def phone_context(browser_context):
    """The same chromium as a small phone: 360 px wide, touch."""
    context = browser_context.browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    yield context
    context.close()


@pytest.mark.parametrize(
    "path", ["", "weeks/grief-and-loss/", "roleplays/the-room-upstairs/", "course/matrix/", "exercises/"]
)
def test_phone_layout_fits_the_screen_and_opens_the_menu(served_course, phone_context, path):
    url, _ = served_course
    page = phone_context.new_page()
    page.goto(url + path, wait_until="load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing pushes the page sideways
    drawer_nav = page.locator(".md-sidebar--primary")
    assert not drawer_nav.is_visible() or drawer_nav.bounding_box()["x"] < 0  # the menu starts closed
    page.locator(".md-header").get_by_role("button", name="Navigation").click()  # the menu icon (a11y.js)
    expect(page.locator("#__drawer")).to_be_checked()
    # Polled from Python: Playwright's wait_for_function evaluates a string, which the site's CSP forbids.
    for _ in range(50):
        if page.evaluate("document.querySelector('.md-sidebar--primary').getBoundingClientRect().left") >= 0:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.querySelector('.md-sidebar--primary').getBoundingClientRect().left") >= 0
    assert (
        page.locator(".md-sidebar--primary").get_by_role("link").filter(has_text=re.compile(r"\w")).first.is_visible()
    )
    page.close()
