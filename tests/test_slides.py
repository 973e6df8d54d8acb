"""A session's slides: keyboard navigation with a counter, full screen left with Escape, accessible, no secrets."""

from __future__ import annotations

from coursekit import pipeline
from tests.axe import axe_script, describe, violations


def _counter(page) -> str:
    return page.locator(".ck-deck-counter").inner_text()


def _shown(page) -> list[str]:
    """The ids of the slides' headings that are visible."""
    return page.evaluate("[...document.querySelectorAll('.ck-slide:not([hidden]) h2')].map(h => h.id)")


def test_keys_move_between_slides_with_a_counter_and_escape_leaves_full_screen(served_course, browser_context):
    url, root = served_course
    page = browser_context.new_page()
    page.goto(url + "facilitator/slides/grief-and-loss/", wait_until="load")
    total = page.locator(".ck-slide").count()
    assert total >= 5 and _counter(page) == f"Slide 1 of {total}" and _shown(page) == ["slide-1"]
    page.keyboard.press("ArrowRight")
    assert _counter(page) == f"Slide 2 of {total}" and _shown(page) == ["slide-2"]
    page.keyboard.press("Space")
    assert _shown(page) == ["slide-3"]
    page.keyboard.press("ArrowLeft")
    assert _shown(page) == ["slide-2"]
    page.keyboard.press("End")
    assert _counter(page) == f"Slide {total} of {total}"
    page.keyboard.press("ArrowRight")  # stays on the last
    assert _shown(page) == [f"slide-{total}"]
    page.keyboard.press("Home")
    assert _shown(page) == ["slide-1"]
    page.get_by_role("button", name="Full screen").click()
    assert page.evaluate("document.querySelector('.ck-deck').classList.contains('ck-presenting')")
    page.keyboard.press("PageDown")
    assert _shown(page) == ["slide-2"]
    page.keyboard.press("Escape")
    assert not page.evaluate("document.querySelector('.ck-deck').classList.contains('ck-presenting')")
    page.close()


def test_slides_page_is_accessible(served_course, browser_context):
    script = axe_script()
    url, _ = served_course
    page = browser_context.new_page()
    page.goto(url + "facilitator/slides/grief-and-loss/", wait_until="load")
    assert describe("facilitator/slides/grief-and-loss/", violations(page, script)) == []
    page.close()


def test_slides_show_public_roles_and_no_private_brief_or_beat(built_course):
    course = pipeline.check(built_course)
    for module in course.modules:
        html = (built_course / "site" / "facilitator" / "slides" / module.meta.id / "index.html").read_text()
        text = " ".join(html.split())
        for roleplay in module.roleplays:
            assert roleplay.meta.title in text
            for role in roleplay.meta.roles:
                for sentence in role.brief.split(". "):
                    words = " ".join(sentence.split())
                    assert len(words) < 25 or words not in text, (module.meta.id, role.name, words)
            for beat in roleplay.meta.beats:
                assert " ".join(beat.split())[:40] not in text
