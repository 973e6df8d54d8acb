"""Real browser: the built site loads with no console errors, and escaped titles show as text."""

import re

import pytest
from playwright.sync_api import expect

from coursekit import pipeline
from tests.conftest import edit, make_project, run_cli, serve_folder

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EVIL = "</title><script>window.pwned=1</script>"


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory):
    """The fixture course with a hostile module title, built and served on 127.0.0.1."""
    root = make_project(tmp_path_factory.mktemp("evil") / "project")
    edit(root / "modules/01-first-steps/module.md", "title: First steps", f'title: "{EVIL}"')
    result = run_cli("build", project=root)
    assert result.returncode == 0, result.stderr
    server, url = serve_folder(root / "site")
    yield url
    server.shutdown()


def _open(context, url: str):
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(url, wait_until="load")
    return page, response, errors


def test_home_and_module_page_load_without_console_errors(evil_site, browser_context):
    for path in ("", "weeks/loss-and-change/"):
        page, response, errors = _open(browser_context, evil_site + path)
        assert response.status == 200
        page.wait_for_timeout(300)
        assert errors == [], f"{path}: {errors}"
        assert page.locator("h1").count() == 1
        page.close()


def test_hostile_title_is_text_in_tab_heading_and_navigation(evil_site, browser_context):
    page, response, errors = _open(browser_context, evil_site + "weeks/first-steps/")
    assert page.title() == f"Week 1: {EVIL} - Fixture course"
    assert page.locator("h1").inner_text().startswith(f"Week 1: {EVIL}")
    nav_texts = page.locator(".md-nav__link").all_inner_texts()
    assert any(EVIL in text for text in nav_texts)
    assert page.locator('meta[property="og:title"]').get_attribute("content") == f"Week 1: {EVIL}"
    assert page.evaluate("window.pwned") is None
    assert errors == []
    page.close()


@pytest.fixture(scope="module")
def local_site(tmp_path_factory):
    """The fixture course built for the address it is served on, as `serve` and the published site are.

    Material's instant navigation only takes over links inside its site_url.
    """
    root = make_project(tmp_path_factory.mktemp("local") / "project")
    (root / "site").mkdir()
    server, url = serve_folder(root / "site")
    pipeline.generate(root)
    pipeline.build_site(root, site_url=url)
    yield url
    server.shutdown()


def test_instant_navigation_loads_pages_in_place_and_the_course_script_follows(local_site, browser_context):
    page, _, errors = _open(browser_context, local_site)
    page.evaluate("window.__sameDocument = true")
    page.locator("article").get_by_role("link", name=re.compile("^Begin week 1")).click()
    page.wait_for_url(local_site + "weeks/first-steps/")
    page.locator('.ck-done input[type="checkbox"]').check()  # added by course.js after the instant load
    page.locator(".md-tabs").get_by_role("link", name="Practice").click()
    page.wait_for_url(local_site + "exercises/")
    expect(page.locator("form.ck-filter")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True  # no full page load on the way
    page.reload(wait_until="load")
    page.goto(local_site + "weeks/first-steps/", wait_until="load")
    assert page.locator('.ck-done input[type="checkbox"]').is_checked()
    assert errors == []
    page.close()


HANDLERS = (
    '\n<img alt="" src="data:," onerror="window.pwned = 1">\n\n'
    '<a id="js-link" href="javascript:window.pwned = 2">a javascript: link</a>\n\n'
    "<script>window.pwned = 3</script>\n"
)


@pytest.fixture(scope="module")
def csp_site(tmp_path_factory):
    """The fixture course whose lesson body carries inline handlers and a script (HTML a lesson may hold)."""
    root = make_project(tmp_path_factory.mktemp("csp") / "project")
    with (root / "modules/01-first-steps/module.md").open("a", encoding="utf-8") as body:
        body.write(HANDLERS)
    result = run_cli("build", project=root)
    assert result.returncode == 0, result.stdout + result.stderr
    server, url = serve_folder(root / "site")
    yield url
    server.shutdown()


def test_the_content_security_policy_stops_inline_handlers_and_javascript_urls(csp_site, browser_context):
    page = browser_context.new_page()
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));"
    )
    page.goto(csp_site + "weeks/first-steps/", wait_until="load")
    page.locator("#js-link").click()
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned") is None
    violations = page.evaluate("window.__violations")
    assert len(violations) >= 3 and all(v.startswith("script-src") for v in violations), violations
    # The theme's own inline scripts are allowed by hash: its storage helpers exist.
    assert page.evaluate("typeof __md_get") == "function"
    page.close()
