"""Reading on the go, in a real browser: pages once opened stay readable offline; nothing else is kept.

The site's service worker (docs/sw.js, registered by docs/assets/a11y.js) answers from the network first
and keeps a copy of every file of the site it fetched; offline, the copy answers, and a page never opened
answers with an offline page listing those that can be read.
"""

from __future__ import annotations

import shutil
import time

import pytest

from tests.browser import browser
from tests.conftest import edit, serve_folder

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MODULE = "weeks/grief-and-loss/"
KEPT = """() => caches.keys().then(names => Promise.all(names.map(name =>
  caches.open(name).then(cache => cache.keys()).then(requests => [name, requests.map(r => r.url)]))))"""


@pytest.fixture(scope="module")
def chromium():
    with browser() as instance:
        yield instance


@pytest.fixture
def site_copy(built_course, tmp_path):
    """A copy of the shipped course's site that a test may change, served on 127.0.0.1."""
    site = tmp_path / "site"
    shutil.copytree(built_course / "site", site)
    server, url = serve_folder(site)
    yield url, site
    server.shutdown()


def _kept(page) -> dict[str, list[str]]:
    """Cache name -> the addresses it keeps."""
    return dict(page.evaluate(KEPT))


def _wait_until_kept(page, *addresses: str, timeout: float = 20.0) -> None:
    """Poll (the page's security policy forbids wait_for_function) until the worker keeps every address."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kept = {url for urls in _kept(page).values() for url in urls}
        if set(addresses) <= kept:
            return
        time.sleep(0.2)
    raise AssertionError(f"not kept after {timeout} s: {set(addresses) - kept}")


def _visit(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def test_visited_pages_read_offline_and_an_unvisited_page_says_so(served_course, chromium):
    url, _ = served_course
    context = chromium.new_context()
    page = context.new_page()
    violations: list[str] = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP ' + e.violatedDirective))"
    )
    page.on("console", lambda m: violations.append(m.text) if m.text.startswith("CSP") else None)
    _visit(page, url)
    _visit(page, url + MODULE)
    _wait_until_kept(page, url, url + MODULE)
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == url + "sw.js"
    note = page.locator(".ck-offline-note")
    assert note.is_visible() and note.inner_text() == "Pages you have opened stay readable offline on this device."
    assert violations == []  # the security policy lets the site's own worker run

    context.set_offline(True)
    page.reload(wait_until="load")
    assert page.locator("h1").first.inner_text().startswith("Week 5: Grief and loss")
    # Styled and working: Material's stylesheet and the course's scripts came from the kept copies.
    assert page.locator(".md-header").evaluate("h => getComputedStyle(h).position") == "sticky"
    assert page.locator('.ck-done input[type="checkbox"]').count() == 1

    response = page.goto(url + "weeks/role-disputes/", wait_until="load")
    assert response.status == 503
    assert page.locator("h1").inner_text() == "You are offline"
    assert "has not been opened on this device yet" in page.locator("main").inner_text()
    links = page.locator("li a").evaluate_all("as => Object.fromEntries(as.map(a => [a.textContent, a.href]))")
    assert links == {"Home": url, "Week 5: Grief and loss": url + MODULE}
    page.get_by_role("link", name="Week 5: Grief and loss").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").first.inner_text().startswith("Week 5: Grief and loss")

    context.set_offline(False)
    page.goto(url + "weeks/role-disputes/", wait_until="load")
    assert page.locator("h1").first.inner_text().startswith("Week 6")
    context.close()


def test_the_worker_keeps_only_the_sites_own_files(served_course, chromium):
    url, _ = served_course
    context = chromium.new_context()
    page = context.new_page()
    _visit(page, url)
    _visit(page, url + "exercises/")
    _wait_until_kept(page, url + "exercises/")
    kept = _kept(page)
    assert list(kept) == [f"course-kit-pages 1 {url}"]  # the cache is named after the site's address
    addresses = next(iter(kept.values()))
    assert addresses and all(a.startswith(url) for a in addresses)
    assert any(a.endswith(".css") for a in addresses) and any(a.endswith(".js") for a in addresses)
    context.close()


def test_online_a_new_build_shows_at_once_and_replaces_the_kept_copy(site_copy, chromium):
    """Network first: a page changed on the server (a new build, or the preview after a save) is never stale."""
    url, site = site_copy
    context = chromium.new_context()
    page = context.new_page()
    _visit(page, url)
    _visit(page, url + MODULE)
    _wait_until_kept(page, url + MODULE)
    edit(site / MODULE / "index.html", 'loss">Week 5: Grief and loss', 'loss">Week 5: Grief and loss, revised')
    page.reload(wait_until="load")  # as a browser does on a student's next visit, it asks the server again
    assert "revised" in page.locator("h1").first.inner_text()
    context.set_offline(True)
    page.reload(wait_until="load")
    assert "revised" in page.locator("h1").first.inner_text()  # the kept copy is the new one
    context.close()


def test_a_page_removed_from_the_site_is_forgotten(site_copy, chromium):
    url, site = site_copy
    context = chromium.new_context()
    page = context.new_page()
    _visit(page, url)
    _visit(page, url + MODULE)
    _wait_until_kept(page, url + MODULE)
    shutil.rmtree(site / MODULE)
    assert page.reload(wait_until="load").status == 404
    page.goto(url, wait_until="load")
    assert url + MODULE not in next(iter(_kept(page).values()))
    context.close()


def test_two_courses_on_one_address_keep_separate_copies(built_course, chromium, tmp_path):
    """Two courses published side by side on one github.io origin: each worker keeps only its own course."""
    for name in ("a", "b"):
        shutil.copytree(built_course / "site", tmp_path / "origin" / name)
    server, url = serve_folder(tmp_path / "origin")
    context = chromium.new_context()
    page = context.new_page()
    try:
        _visit(page, url + "a/")
        _visit(page, url + "a/" + MODULE)
        _visit(page, url + "b/")
        _wait_until_kept(page, url + "a/" + MODULE, url + "b/")
        kept = _kept(page)
        assert sorted(kept) == [f"course-kit-pages 1 {url}a/", f"course-kit-pages 1 {url}b/"]
        assert all(address.startswith(url + "a/") for address in kept[f"course-kit-pages 1 {url}a/"])
        assert all(address.startswith(url + "b/") for address in kept[f"course-kit-pages 1 {url}b/"])
    finally:
        context.close()
        server.shutdown()


def test_the_preview_shows_each_save_at_once_with_the_worker_in_control(project, tmp_path, chromium):
    """`serve` on 127.0.0.1 registers the worker too; a save reloads the open page, never with a kept copy."""
    from tests.test_serve import _wait_for, serving

    with serving(project, tmp_path) as (_, url, _, _):
        _wait_for(url + "weeks/first-steps/", "First steps")
        context = chromium.new_context()
        page = context.new_page()
        _visit(page, url)
        _visit(page, url + "weeks/first-steps/")
        _wait_until_kept(page, url + "weeks/first-steps/")
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        edit(project / "modules/01-first-steps/module.md", "title: First steps", "title: First steps, saved again")
        # No reload here: the preview's live-reload script reloads the page, through the worker.
        page.wait_for_function(
            "() => (document.querySelector('h1') || {}).innerText?.startsWith('Week 1: First steps, saved again')",
            timeout=30_000,
        )
        context.close()
