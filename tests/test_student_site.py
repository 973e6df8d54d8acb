"""The student's site in a real browser: every page accessible and private, search, progress, answers, print."""

import io
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from coursekit import pipeline, views
from tests import crawl

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _all_pages(root: Path) -> list[str]:
    site = root / "site"
    return sorted(
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
    )


def test_every_page_loads_privately_without_errors_and_each_kind_passes_axe(served_course, browser_context):
    from tests import axe

    url, root = served_course
    script = axe.axe_script()  # axe-core from npm, WCAG 2.2 AA tags and experimental rules (tests/axe.py)
    violations, foreign, errors, broken = [], set(), [], []
    page = browser_context.new_page()
    page.on("request", lambda r: foreign.add(r.url) if not r.url.startswith((url, "data:", "blob:")) else None)
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("response", lambda r: broken.append(r.url) if r.status >= 400 else None)
    pages = _all_pages(root)
    sample = set(crawl.sample(pages))  # axe takes seconds a page: one of each kind; `make crawl` checks every page
    for path in pages:
        page.goto(url + path, wait_until="load")
        if path not in sample:
            continue
        violations += axe.describe(path, axe.violations(page, script))
    page.close()
    assert violations == []
    assert foreign == set()
    assert errors == []
    assert broken == []


def test_search_index_loads_only_when_search_is_used_and_finds_grief(served_course, browser_context):
    url, _ = served_course
    page = browser_context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(500)
    assert not any("search_index" in r for r in requested)
    page.keyboard.press("/")  # Material's keyboard shortcut opens search
    page.locator("input.md-search__input").fill("grief")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert results.count() >= 5
    assert "grief" in results.first.inner_text().lower()
    page.close()


def _printed_pages(page) -> list[str]:
    """The page printed to A4 by chromium: each PDF page's text, whitespace and ligatures ("ﬂ") undone."""
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return [unicodedata.normalize("NFKC", " ".join(p.extract_text().split())) for p in pdf.pages]


def _module_done_box(browser_context, url: str, module_id: str):
    """A module page and its "mark as done" checkbox."""
    page = browser_context.new_page()
    page.goto(url + f"weeks/{module_id}/", wait_until="load")
    return page, page.locator('.ck-done input[type="checkbox"]')


def test_progress_ticks_survive_a_reload_and_show_on_the_progress_page(served_course, browser_context):
    url, _ = served_course
    page, box = _module_done_box(browser_context, url, "grief-and-loss")
    box.check()
    page.reload(wait_until="load")
    assert page.locator('.ck-done input[type="checkbox"]').is_checked()
    page.goto(url + "course/progress/", wait_until="load")
    summary = page.locator(".ck-progress-summary").inner_text()
    assert summary.startswith("1 of ")
    assert page.locator('[data-ck-item="module:grief-and-loss"] input').is_checked()
    page.locator(".ck-reset").click()
    page.locator("dialog.ck-dialog").get_by_role("button", name="Clear my progress").click()  # it asks first
    assert page.locator(".ck-progress-summary").inner_text().startswith("0 of ")
    page.evaluate("sessionStorage.clear()")  # no Undo left for the next test
    page.close()


def test_model_answer_is_hidden_until_revealed(served_course, browser_context):
    url, root = served_course
    course = pipeline.check(root)
    exercise = next(e for e in course.exercises if e.meta.model_answer)
    page = browser_context.new_page()
    page.goto(url + f"exercises/{exercise.meta.id}/", wait_until="load")
    details = page.locator("details.success")
    answer_words = " ".join(exercise.meta.model_answer.split()[:4])
    assert not details.evaluate("d => d.open")
    assert not page.get_by_text(answer_words, exact=False).first.is_visible()
    details.locator("summary").click()
    assert details.evaluate("d => d.open")
    page.close()


def test_role_cards_print_one_card_a_page_with_only_that_roles_brief(served_course, browser_context):
    url, root = served_course
    roleplay = pipeline.check(root).roleplays[0]
    page = browser_context.new_page()
    page.goto(url + f"roleplays/cards/{roleplay.meta.id}/", wait_until="load")
    texts = _printed_pages(page)
    roles = roleplay.meta.roles
    cards = views.role_cards(roleplay.meta)  # the roles, and an observer's card when no role observes
    assert len(texts) == len(cards) and len(cards) >= len(roles)
    for index, role in enumerate(roles):
        own = " ".join(role.brief.split())[:40]
        assert own[:25] in texts[index]
        for other in roles:
            if other is not role:
                assert " ".join(other.brief.split())[:40] not in texts[index]
    assert "Table of contents" not in " ".join(texts)
    page.close()


def test_404_page_and_page_descriptions(served_course, browser_context):
    url, root = served_course
    page = browser_context.new_page()
    response = page.goto(url + "404.html", wait_until="load")
    assert response.status == 200 and "404" in page.content()
    page.goto(url + "weeks/grief-and-loss/", wait_until="load")
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert description.startswith("How IPT understands grief")
    assert page.title().startswith("Week 5: Grief and loss - ")
    page.close()


def test_exercise_prints_as_a_worksheet_without_navigation(served_course, browser_context):
    url, root = served_course
    exercise = pipeline.check(root).exercises[0]
    page = browser_context.new_page()
    page.goto(url + f"exercises/{exercise.meta.id}/", wait_until="load")
    text = " ".join(_printed_pages(page))
    assert "Steps" in text and "Reflection" in text
    assert " ".join(exercise.meta.steps[0].text.split())[:30] in text
    assert "Table of contents" not in text and "Start here" not in text  # no tabs, sidebars or header
    page.close()


def test_keyboard_ticks_progress_and_dark_mode_toggles(served_course, browser_context):
    url, _ = served_course
    page, box = _module_done_box(browser_context, url, "what-ipt-is")
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    page.keyboard.press("Space")
    assert not box.is_checked()
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme
    page.close()
