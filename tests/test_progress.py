"""The student's week and progress in a real browser: "this week" above the fold on a phone, ticks
everywhere, progress kept per course, and export, import, clear and undo. Every test opens its own
browser context, so no test sees another's ticks."""

import json
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from coursekit import pipeline, views
from tests.conftest import edit, make_project, run_cli, serve_folder

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def fresh(browser_context):
    """A new, empty browser profile (own storage, downloads allowed), closed after the test."""
    context = browser_context.browser.new_context(accept_downloads=True)
    yield context
    context.close()


@pytest.fixture(scope="module")
def two_courses(tmp_path_factory):
    """The fixture course built twice, for two site_urls, and served from one origin: (course-a URL, course-b URL)."""
    root = tmp_path_factory.mktemp("origin")
    for name in ("course-a", "course-b"):
        project = make_project(root / f"{name}-project")
        edit(
            project / "modules/course.yml",
            "site_url: https://example.org/fixture/",
            f"site_url: https://example.org/{name}/",
        )
        result = run_cli("build", project=project)
        assert result.returncode == 0, result.stdout + result.stderr
        shutil.copytree(project / "site", root / "served" / name)
    server, url = serve_folder(root / "served")
    yield url + "course-a/", url + "course-b/"
    server.shutdown()


def _open(context, url: str):
    """A page with its console errors collected."""
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    return page, errors


def _tick(page, name: str):
    """The tick named "Done: <name>" (the link beside it), ticked."""
    box = page.get_by_role("checkbox", name=f"Done: {name}", exact=True)
    box.check()
    return box


def _stored(page, course: str) -> dict:
    return page.evaluate(f"JSON.parse(localStorage.getItem('course-kit-progress:{course}'))")


# ---------------------------------------------------------------------------------------------
# This week


@pytest.mark.parametrize("module_id", ["what-ipt-is", "ipt-and-eft"])  # ipt-and-eft: the longest title
def test_this_week_is_above_the_fold_on_a_phone_with_its_reading_time_and_plan(
    served_course, browser_context, module_id
):
    url, root = served_course
    course = pipeline.check(root)
    module = next(m for m in course.modules if m.meta.id == module_id)
    plan = views.week_plan(module)
    context = browser_context.browser.new_context(**PHONE)
    page, errors = _open(context, url + f"weeks/{module_id}/")
    box = page.locator(".ck-week")
    assert box.bounding_box()["y"] < 740  # the box's top is on the first screen
    for first_screen in (box.get_by_role("heading", name="This week"), box.locator(".ck-next")):
        assert first_screen.bounding_box()["y"] + first_screen.bounding_box()["height"] < 740
    assert f"Reading about {plan.reading_minutes} min" in " ".join(box.inner_text().split())
    items = box.locator("ol > li")
    assert items.count() == len(plan.items)
    assert items.first.get_by_role("link").inner_text() == "Read the lesson"
    for row, item in zip(items.all()[1:], plan.items[1:], strict=True):
        link = row.get_by_role("link")
        assert link.inner_text().endswith(item.target.meta.title)
        assert link.get_attribute("href").endswith(f"/{item.target.meta.id}/")
        assert row.get_by_role("checkbox", name=f"Done: {link.inner_text()}").is_visible()
    for box_input in box.get_by_role("checkbox").all():  # 24 by 24 px targets (WCAG 2.5.8)
        size = box_input.bounding_box()
        assert size["width"] >= 24 and size["height"] >= 24
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == []
    context.close()


def test_next_up_follows_the_ticks_and_ends_with_the_next_week(served_course, fresh):
    url, root = served_course
    course = pipeline.check(root)
    module, following = course.modules[0], course.modules[1]
    page, errors = _open(fresh, url + f"weeks/{module.meta.id}/")
    next_up = page.locator(".ck-week .ck-next")
    expect(next_up).to_have_text("Next up: Read the lesson")
    # By keyboard: the tick before a link is one Shift+Tab away, shows a focus ring and ticks with Space.
    page.locator(".ck-week li").first.get_by_role("link").focus()
    page.keyboard.press("Shift+Tab")
    lesson = page.get_by_role("checkbox", name="Done: Read the lesson")
    expect(lesson).to_be_focused()
    assert (
        lesson.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth") == "solid 3px"
    )
    page.keyboard.press("Space")
    expect(lesson).to_be_checked()
    plan = views.week_plan(module)
    second = f"{plan.items[1].kind.noun.capitalize()}: {plan.items[1].target.meta.title}"
    expect(next_up).to_have_text(f"Next up: {second}")
    assert next_up.get_by_role("link").get_attribute("href").endswith(f"/{plan.items[1].target.meta.id}/")
    for box in page.locator(".ck-week").get_by_role("checkbox").all():
        box.check()
    expect(next_up).to_have_text(f"Next up: Week {following.meta.week}: {following.meta.title}")
    # The tick at the end of the lesson is the same item as "Read the lesson".
    expect(page.locator(".ck-done input")).to_be_checked()
    page.locator(".ck-done input").uncheck()
    expect(next_up).to_have_text("Next up: Read the lesson")
    assert errors == []


def test_without_javascript_the_week_reads_as_a_plan_and_the_tools_stay_hidden(served_course, browser_context):
    url, root = served_course
    module = pipeline.check(root).modules[0]
    plan = views.week_plan(module)
    context = browser_context.browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.goto(url + f"weeks/{module.meta.id}/", wait_until="load")
    lines = [" ".join(line.split()) for line in page.locator(".ck-week li").all_inner_texts()]
    assert lines[0] == f"Read the lesson · about {plan.reading_minutes} min"
    assert lines[1].startswith(f"{plan.items[1].kind.noun.capitalize()}: {plan.items[1].target.meta.title} · ")
    expect(page.locator(".ck-week .ck-next")).to_have_text("Next up: Read the lesson")
    expect(page.get_by_role("checkbox")).to_have_count(0)
    page.goto(url + "course/progress/", wait_until="load")
    expect(page.get_by_role("button", name="Export my progress")).to_be_hidden()
    expect(page.locator('td .ck-count[data-ck-week="1"]')).to_have_text(f"{len(plan.items)} items")
    context.close()


# ---------------------------------------------------------------------------------------------
# Progress everywhere


def test_ticks_show_in_the_sidebar_the_weeks_tables_the_library_the_progress_page_and_home(served_course, fresh):
    url, root = served_course
    course = pipeline.check(root)
    module = course.modules[0]
    exercise = views.week_plan(module).items[1].target
    page, errors = _open(fresh, url + f"weeks/{module.meta.id}/")
    _tick(page, f"Exercise: {exercise.meta.title}")
    sidebar = page.locator(".md-sidebar--primary")
    expect(sidebar.get_by_role("link", name=exercise.meta.title).get_by_role("img", name="done")).to_have_count(1)
    expect(sidebar.get_by_role("img", name="done")).to_have_count(1)
    table_link = page.locator("article td").get_by_role("link", name=exercise.meta.title)
    expect(table_link.get_by_role("img", name="done")).to_have_count(1)
    expect(page.locator(".ck-week").get_by_role("img", name="done")).to_have_count(0)  # it has its checkbox

    page.goto(url + "exercises/", wait_until="load")
    row = page.locator("article tr").filter(has=page.get_by_role("link", name=exercise.meta.title))
    expect(row.get_by_role("img", name="done")).to_have_count(1)
    expect(page.locator("article").get_by_role("img", name="done")).to_have_count(1)

    page.goto(url + "course/progress/", wait_until="load")
    week_items = len(views.week_plan(module).items)
    total = sum(len(views.week_plan(m).items) for m in course.modules)
    expect(page.locator(".ck-progress-summary")).to_have_text(f"1 of {total} done ({round(100 / total)}%)")
    expect(page.locator(f'td .ck-count[data-ck-week="{module.meta.week}"]')).to_have_text(f"1 of {week_items} done")
    expect(page.locator('td .ck-count[data-ck-week="2"]')).to_have_text(
        f"0 of {len(views.week_plan(course.modules[1]).items)} done"
    )
    expect(page.get_by_role("checkbox", name=f"Done: Exercise: {exercise.meta.title}")).to_be_checked()
    _tick(page, f"Lesson: {module.meta.title}")
    expect(page.locator(".ck-progress-summary")).to_have_text(f"2 of {total} done ({round(200 / total)}%)")

    page.goto(url + f"exercises/{exercise.meta.id}/", wait_until="load")
    page.goto(url, wait_until="load")
    resume = page.get_by_role("region", name="Continue the course")
    expect(resume).to_be_visible()
    expect(resume).to_contain_text(f"First not done: Week 1: {module.meta.title} (2 of {week_items} done)")
    # The last page visited was done: "continue" points at what is not.
    expect(resume).not_to_contain_text("Continue where you left off")
    roleplay = [item for item in views.week_plan(module).items if item.key.startswith("roleplay:")][-1].target
    page.goto(url + f"roleplays/{roleplay.meta.id}/", wait_until="load")
    page.goto(url, wait_until="load")
    last = roleplay.meta.title
    expect(resume.get_by_role("link", name=last)).to_be_visible()
    expect(resume).to_contain_text(f"Continue where you left off: {last}")
    assert errors == []


def test_home_without_progress_shows_no_continue_box(served_course, fresh):
    url, _ = served_course
    page, errors = _open(fresh, url)
    expect(page.locator(".ck-continue")).to_be_hidden()
    assert errors == []


def test_two_courses_on_one_origin_keep_their_own_ticks(two_courses, fresh):
    course_a, course_b = two_courses
    page, errors = _open(fresh, course_a + "weeks/first-steps/")
    _tick(page, "Read the lesson")
    page.goto(course_b + "weeks/first-steps/", wait_until="load")
    expect(page.get_by_role("checkbox", name="Done: Read the lesson")).not_to_be_checked()
    expect(page.locator(".md-sidebar--primary").get_by_role("img", name="done")).to_have_count(0)
    _tick(page, "Exercise: Draw a circle")
    page.goto(course_a + "course/progress/", wait_until="load")
    expect(page.locator(".ck-progress-summary")).to_have_text("1 of 7 done (14%)")
    expect(page.get_by_role("checkbox", name="Done: Lesson: First steps")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Done: Exercise: Draw a circle")).not_to_be_checked()
    assert sorted(_stored(page, "course-a")["items"]) == ["module:first-steps"]
    assert sorted(_stored(page, "course-b")["items"]) == ["exercise:draw-a-circle"]
    assert errors == []


def test_ticks_under_the_old_shared_key_move_to_the_course_once(two_courses, fresh):
    course_a, _ = two_courses
    page, errors = _open(fresh, course_a + "course/progress/")
    page.evaluate(
        "localStorage.removeItem('course-kit-progress:course-a');"
        "localStorage.setItem('course-kit-progress', JSON.stringify({'module:first-steps': true, 'exercise:draw-a-circle': true}))"
    )
    page.reload(wait_until="load")
    expect(page.locator(".ck-progress-summary")).to_have_text("2 of 7 done (29%)")
    assert _stored(page, "course-a")["items"] == {
        "module:first-steps": {"done": True},
        "exercise:draw-a-circle": {"done": True},
    }
    page.get_by_role("checkbox", name="Done: Lesson: First steps").uncheck()
    page.reload(wait_until="load")  # moved once: the old key does not bring the tick back
    expect(page.locator(".ck-progress-summary")).to_have_text("1 of 7 done (14%)")
    assert errors == []


# ---------------------------------------------------------------------------------------------
# Progress is safe


def _export(page) -> dict:
    with page.expect_download() as download:
        page.get_by_role("button", name="Export my progress").click()
    assert re.fullmatch(r"progress-course-a-\d{4}-\d{2}-\d{2}\.json", download.value.suggested_filename)
    return json.loads(Path(download.value.path()).read_text(encoding="utf-8"))


def _clear(page):
    page.get_by_role("button", name="Clear my progress").click()
    dialog = page.get_by_role("dialog", name="Clear your progress?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Clear my progress").click()
    expect(dialog).to_have_count(0)


def _import(page, path: Path):
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import progress from a file").click()
    chooser.value.set_files(str(path))


def test_export_then_clear_then_undo_brings_the_ticks_back(two_courses, fresh):
    course_a, _ = two_courses
    page, errors = _open(fresh, course_a + "course/progress/")
    _tick(page, "Lesson: First steps")
    _tick(page, "Role-play: The empty kitchen")
    exported = _export(page)
    assert exported["format"] == "course-kit-progress" and exported["version"] == 2
    assert exported["course"] == "course-a"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:.]+Z", exported["exported"])
    assert sorted(exported["items"]) == ["module:first-steps", "roleplay:the-empty-kitchen"]
    assert all(item["done"] is True for item in exported["items"].values())
    assert exported["journal"] == {} and exported["practice"] == [] and exported["quizzes"] == {}
    assert exported["ratings"] == [] and exported["self_ratings"] == {}

    # Clearing asks first: Escape (or Cancel) keeps every tick.
    page.get_by_role("button", name="Clear my progress").click()
    dialog = page.get_by_role("dialog", name="Clear your progress?")
    expect(dialog).to_contain_text("This removes all 2 ticks for this course from this browser.")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("button", name="Clear my progress")).to_be_focused()
    expect(page.locator(".ck-progress-summary")).to_have_text("2 of 7 done (29%)")

    _clear(page)
    expect(page.locator(".ck-progress-summary")).to_have_text("0 of 7 done (0%)")
    expect(page.get_by_role("status")).to_have_text("Your progress is cleared. Choose Undo to bring back 2 ticks.")
    page.reload(wait_until="load")  # Undo lasts for the tab's session
    page.get_by_role("button", name="Undo").click()
    expect(page.locator(".ck-progress-summary")).to_have_text("2 of 7 done (29%)")
    expect(page.get_by_role("status")).to_have_text("Undone: you have 2 ticks again.")
    expect(page.get_by_role("button", name="Undo")).to_be_hidden()
    expect(page.get_by_role("checkbox", name="Done: Role-play: The empty kitchen")).to_be_checked()
    assert errors == []


def test_export_clear_import_round_trip_restores_the_ticks(two_courses, fresh, tmp_path):
    course_a, _ = two_courses
    page, errors = _open(fresh, course_a + "course/progress/")
    for name in ("Lesson: First steps", "Exercise: Draw a circle", "Role-play: The empty kitchen"):
        _tick(page, name)
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(_export(page)), encoding="utf-8")
    _clear(page)
    page.evaluate("sessionStorage.clear()")  # a new device: nothing to undo
    page.reload(wait_until="load")
    expect(page.locator(".ck-progress-summary")).to_have_text("0 of 7 done (0%)")
    _import(page, backup)  # nothing here to lose: imported without asking
    expect(page.locator(".ck-progress-summary")).to_have_text("3 of 7 done (43%)")
    expect(page.get_by_role("status")).to_contain_text("Imported 3 ticks, exported on ")
    page.goto(course_a + "weeks/first-steps/", wait_until="load")
    expect(page.get_by_role("checkbox", name="Done: Read the lesson")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Done: Exercise: Draw a circle")).to_be_checked()
    assert errors == []


def test_import_over_existing_ticks_asks_to_merge_or_replace(two_courses, fresh, tmp_path):
    course_a, _ = two_courses
    page, errors = _open(fresh, course_a + "course/progress/")
    _tick(page, "Exercise: A timeline of a loss")
    backup = tmp_path / "other-device.json"
    record = {
        "format": "course-kit-progress",
        "version": 1,
        "course": "course-a",
        "exported": "2025-01-31T10:00:00.000Z",
        "items": {"module:first-steps": {"done": True, "at": "2025-01-30T09:00:00.000Z"}},
        "journal": {},
        "practice": [],
    }
    backup.write_text(json.dumps(record), encoding="utf-8")

    _import(page, backup)
    dialog = page.get_by_role("dialog", name="Import progress from other-device.json?")
    expect(dialog).to_contain_text("The file holds 1 tick, exported on 2025-01-31. You have 1 tick here.")
    dialog.get_by_role("button", name="Merge").click()
    expect(page.locator(".ck-progress-summary")).to_have_text("2 of 7 done (29%)")

    _import(page, backup)
    page.locator("dialog.ck-dialog").get_by_role("button", name="Replace").click()
    expect(page.locator(".ck-progress-summary")).to_have_text("1 of 7 done (14%)")
    expect(page.get_by_role("checkbox", name="Done: Exercise: A timeline of a loss")).not_to_be_checked()
    page.get_by_role("button", name="Undo").click()  # replacing can be undone too
    expect(page.locator(".ck-progress-summary")).to_have_text("2 of 7 done (29%)")

    _import(page, backup)
    page.locator("dialog.ck-dialog").get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("status")).to_have_text("Nothing was imported.")
    expect(page.locator(".ck-progress-summary")).to_have_text("2 of 7 done (29%)")
    assert errors == []


REFUSED = [
    (
        "another-course.json",
        {"format": "course-kit-progress", "version": 1, "course": "course-b", "items": {}},
        "That file holds progress for another course (course-b), not this one (course-a). Nothing was imported.",
    ),
    (
        "notes.json",
        "my notes, not JSON",
        "That file is not a progress file (it is not JSON): choose a file made by Export my progress. Nothing was imported.",
    ),
    (
        "settings.json",
        {"theme": "dark"},
        "That file is not a course-kit progress file: choose a file made by Export my progress. Nothing was imported.",
    ),
    (
        "future.json",
        {"format": "course-kit-progress", "version": 3, "course": "course-a", "items": {}},
        "That file is in format version 3, and this site reads versions 1 and 2: export it again from a site built"
        " with this version of the course kit. Nothing was imported.",
    ),
    (
        "damaged.json",
        {"format": "course-kit-progress", "version": 1, "course": "course-a", "items": {"module:first-steps": "yes"}},
        'That file is damaged: its entry "module:first-steps" is not a tick. Nothing was imported.',
    ),
    (
        "bad-journal.json",
        {
            "format": "course-kit-progress",
            "version": 2,
            "course": "course-a",
            "items": {},
            "journal": {"x": {"text": 5}},
        },
        "That file is damaged: its journal is not in the right shape. Nothing was imported.",
    ),
    (
        "bad-log.json",
        {
            "format": "course-kit-progress",
            "version": 2,
            "course": "course-a",
            "items": {},
            "practice": [{"minutes": -1}],
        },
        "That file is damaged: its practice log is not in the right shape. Nothing was imported.",
    ),
    (
        "bad-lock.json",
        {"format": "course-kit-progress", "version": 2, "course": "course-a", "encrypted": {"iterations": 1000}},
        "That file is damaged: its encrypted record is not in the right shape. Nothing was imported.",
    ),
    (
        "no-items.json",
        {"format": "course-kit-progress", "version": 1, "course": "course-a"},
        "That file is damaged: it has no list of ticks. Nothing was imported.",
    ),
]


def test_import_refuses_another_courses_file_and_a_malformed_one_with_a_clear_message(two_courses, fresh, tmp_path):
    course_a, _ = two_courses
    page, errors = _open(fresh, course_a + "course/progress/")
    _tick(page, "Lesson: First steps")
    for name, content, message in REFUSED:
        path = tmp_path / name
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
        _import(page, path)
        expect(page.get_by_role("status")).to_have_text(message)
        expect(page.locator("dialog.ck-dialog")).to_have_count(0)
        expect(page.locator(".ck-progress-summary")).to_have_text("1 of 7 done (14%)")
    assert errors == []


def test_progress_tools_and_dialog_pass_axe_in_both_colour_schemes(two_courses, browser_context):
    from axe_playwright_python.sync_playwright import Axe

    course_a, _ = two_courses
    axe = Axe()
    for scheme in ("light", "dark"):
        context = browser_context.browser.new_context(color_scheme=scheme)
        page, errors = _open(context, course_a + "course/progress/")
        _tick(page, "Lesson: First steps")
        page.get_by_role("button", name="Clear my progress").click()
        expect(page.locator("dialog.ck-dialog")).to_be_visible()
        violations = [
            f"{scheme}: {v['id']}: {v['nodes'][0]['html'][:120]}" for v in axe.run(page).response["violations"]
        ]
        assert violations == []
        page.keyboard.press("Escape")
        page.goto(course_a + "weeks/first-steps/", wait_until="load")
        violations = [
            f"{scheme}: {v['id']}: {v['nodes'][0]['html'][:120]}" for v in axe.run(page).response["violations"]
        ]
        assert violations == []
        assert errors == []
        context.close()
