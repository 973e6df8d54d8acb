"""WCAG 2.2 AA in a real browser: axe-core from npm in dark mode, at 320 px and at 200% zoom; keyboard walks;
tooltips; target sizes; contrast; the footer's link names; the 404 page; the course's links to help.

The light scheme at desktop width is checked on one page of each kind by test_student_site.py; `make crawl`
checks every page in both schemes (tests/crawl.py).
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests import axe
from tests.browser import browser
from tests.conftest import REPO, edit, make_project, run_cli, serve_folder
from tests.crawl import DESKTOP, OVERFLOW, PHONE, ZOOM_200, sample, site_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MODULE = "weeks/grief-and-loss/"
# Pages with every kind of layout that changes with the screen: running text, tables, filters, a long list.
SMALL_SAMPLE = ["", MODULE, "exercises/", "course/syllabus/", "course/glossary/", "404.html"]
NO_MOTION = "*, *::before, *::after { transition: none !important; animation: none !important; }"
SETTLE = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
# Stops that come before the stop reached ahead of them, in the document: the tab order is not the reading order.
ORDER = """() => {
  const stops = window.__ckStops || [];
  return stops.slice(1).filter((e, i) => !(stops[i].compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING))
    .map((e) => e.outerHTML.slice(0, 80));
}"""

# What the keyboard has reached: its size, whether it shows a ring, whether it can be seen (not hidden, not
# off the screen, not under something else) and whether it sits inside another tab stop (a term in a link).
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) { return null; }
  let target = e;
  // Material's colour-scheme switch is a hidden radio button whose next label shows the ring.
  if (e.matches("input") && e.getBoundingClientRect().width < 1 && e.nextElementSibling && e.nextElementSibling.matches("label")) {
    target = e.nextElementSibling;
  }
  const r = target.getBoundingClientRect();
  const s = getComputedStyle(target);
  let opacity = 1;
  for (let n = target; n && n.nodeType === 1; n = n.parentElement) { opacity *= parseFloat(getComputedStyle(n).opacity); }
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
  // The topmost thing that can be seen there (a faded-out tooltip may still lie on top).
  const seenAt = (n) => { for (; n && n.nodeType === 1; n = n.parentElement) { const c = getComputedStyle(n); if (parseFloat(c.opacity) === 0 || c.visibility === "hidden") { return false; } } return true; };
  const hit = document.elementsFromPoint(x, y).find(seenAt);
  // Every stop is kept, in order, to compare with the order of the document (ORDER).
  const stops = window.__ckStops = window.__ckStops || [];
  const again = stops.length > 0 && stops[0] === e;
  if (!again) { stops.push(e); }
  return {
    again,
    name: (e.getAttribute("aria-label") || e.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60),
    tag: e.tagName.toLowerCase(),
    ring: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none",
    seen: r.width >= 1 && r.height >= 1 && opacity > 0 && s.visibility !== "hidden"
      && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
    covered: !!hit && !target.contains(hit) && !hit.contains(target),
    nested: !!(e.parentElement && e.parentElement.closest("a, button")),
  };
}"""


@pytest.fixture(scope="module")
def chromium():
    """One chromium for the module; each test opens contexts with its own scheme and screen."""
    with browser() as instance:
        yield instance


@pytest.fixture(scope="module")
def axe_code() -> str:
    return axe.axe_script()


def _page(chromium, scheme: str = "light", view: dict = DESKTOP):
    context = chromium.new_context(color_scheme=scheme, **view)
    return context, context.new_page()


def _open(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.add_style_tag(content=NO_MOTION)  # a ring or a tooltip is measured where it ends, not half-way
    axe.settle(page)


def _walk(page, limit: int = 400) -> list[dict]:
    """Tab from the top of the page until focus comes back round: every stop, in order."""
    page.evaluate("window.__ckStops = []")
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        page.evaluate(SETTLE)
        stop = page.evaluate(FOCUSED)
        if stop is None or stop["again"]:
            break
        stops.append(stop)
    return stops


def _badly_shown(stops: list[dict]) -> list[str]:
    return [
        f"{i} {s['tag']} {s['name']!r}: "
        + ", ".join(
            w for w, bad in (("no ring", not s["ring"]), ("unseen", not s["seen"]), ("covered", s["covered"])) if bad
        )
        for i, s in enumerate(stops)
        if not s["ring"] or not s["seen"] or s["covered"]
    ]


# --- axe-core ----------------------------------------------------------------------------------------


def test_each_kind_of_page_passes_axes_colour_rules_in_dark_mode(served_course, chromium, axe_code):
    """The dark scheme changes the pages' colours, not their structure: axe's colour rules on every kind of
    page (every rule runs there in light, in test_student_site.py), and every rule in dark on the small
    sample at 320 px below (the scheme toggle's own label changes with the scheme)."""
    url, root = served_course
    context, page = _page(chromium, "dark")
    found = []
    page.goto(url, wait_until="load")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    for path in sample(site_pages(root / "site")):
        page.goto(url + path, wait_until="load")
        found += axe.describe(path, axe.violations(page, axe_code, axe.COLOUR_OPTIONS))
    context.close()
    assert found == []


@pytest.mark.parametrize(("view", "scheme"), [(PHONE, "dark"), (ZOOM_200, "light")], ids=["320px-dark", "200%-light"])
def test_phone_width_and_200_percent_zoom_pass_axe_and_reflow(served_course, chromium, axe_code, view, scheme):
    url, _ = served_course
    context, page = _page(chromium, scheme, view)
    found = []
    for path in SMALL_SAMPLE:
        page.goto(url + path, wait_until="load")
        found += axe.describe(path, axe.violations(page, axe_code))
        found += [f"{path}: {problem}" for problem in page.evaluate(OVERFLOW)]
    context.close()
    assert found == []


# --- Reflow and zoom ---------------------------------------------------------------------------------


def test_a_wide_table_scrolls_in_a_named_frame_with_a_visible_cue(served_course, chromium):
    url, _ = served_course
    context, page = _page(chromium, "light", PHONE)
    _open(page, url + "exercises/")
    frame = page.locator(".md-typeset__scrollwrap").first
    assert frame.get_attribute("tabindex") == "0" and frame.get_attribute("role") == "region"
    assert frame.get_attribute("aria-label") == "Exercise library table, scrolls sideways"
    assert page.locator(".ck-scroll-hint").first.is_visible()
    frame.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # Chromium animates keyboard scrolling: wait for the frame to move rather than read it at once.
    page.wait_for_function("f => f.scrollLeft > 0", arg=frame.element_handle(), timeout=5000)
    # Wider, the table fits: no frame, no cue, no tab stop.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.wait_for_timeout(400)
    assert frame.get_attribute("tabindex") is None and not page.locator(".ck-scroll-hint").first.is_visible()
    context.close()


def test_frames_on_one_page_have_different_names(served_course, chromium):
    url, _ = served_course
    context, page = _page(chromium, "light", PHONE)
    _open(page, url + "reference/fields/")
    names = page.locator(".md-typeset__scrollwrap[role=region]").evaluate_all(
        "fs => fs.map(f => f.getAttribute('aria-label'))"
    )
    context.close()
    assert len(names) > 3 and len(set(names)) == len(names), names


def test_the_syllabus_shows_every_column_at_200_percent_zoom(served_course, chromium):
    url, _ = served_course
    context, page = _page(chromium, "light", ZOOM_200)
    _open(page, url + "course/syllabus/")
    right = page.locator("table th").last.evaluate("th => th.getBoundingClientRect().right")
    assert page.locator("table th").last.inner_text() == "Session"
    assert right <= page.viewport_size["width"]
    assert page.locator(".ck-scroll-hint:visible").count() == 0
    context.close()


# --- Keyboard ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("view", [DESKTOP, ZOOM_200], ids=["1280px", "200%"])
def test_keyboard_walk_through_a_module_page(served_course, chromium, view):
    url, _ = served_course
    context, page = _page(chromium, "light", view)
    _open(page, url + MODULE)
    stops = _walk(page)
    assert len(stops) > 30
    assert _badly_shown(stops) == []
    assert [s["name"] for s in stops if s["nested"]] == []  # one stop per link: no term inside a link
    assert page.evaluate(ORDER) == []  # the tab order is the reading order
    names = [s["name"] for s in stops]
    assert names[0] == "Skip to content" and "Safety and scope of practice" in names
    # The "done" tick is reached, shows its ring and answers Space.
    tick = page.locator('.ck-done input[type="checkbox"]')
    tick.focus()
    page.keyboard.press("Space")
    assert tick.is_checked() and page.evaluate(FOCUSED)["ring"]
    page.keyboard.press("Space")
    context.close()


def test_keyboard_opens_the_navigation_drawer_at_200_percent_zoom(served_course, chromium):
    url, _ = served_course
    context, page = _page(chromium, "light", ZOOM_200)
    _open(page, url + MODULE)
    button = page.locator(".md-header .ck-drawer-button")
    assert button.evaluate("b => b.tagName") == "BUTTON" and button.get_attribute("aria-expanded") == "false"
    button.focus()
    page.keyboard.press("Enter")
    page.evaluate(SETTLE)
    assert button.get_attribute("aria-expanded") == "true"
    first = page.evaluate(FOCUSED)
    assert first["name"] == "Week 5" and first["seen"] and not first["covered"]  # the open week's title
    page.keyboard.press("Enter")  # back up a level: focus stays on the week it came from
    page.evaluate(SETTLE)
    assert page.evaluate(FOCUSED)["name"] == "Week 5"
    stops = [page.evaluate(FOCUSED)]
    for _ in range(5):
        page.keyboard.press("Tab")
        page.evaluate(SETTLE)
        stops.append(page.evaluate(FOCUSED))
    assert [s["name"] for s in stops[1:]] == ["Week 6", "Week 7", "Week 8", "Week 9", "Week 10"]
    assert _badly_shown(stops) == []
    page.keyboard.press("Escape")
    page.evaluate(SETTLE)
    assert button.get_attribute("aria-expanded") == "false" and page.evaluate(FOCUSED)["name"] == "Navigation"
    # Closed, the drawer's links are out of the tab order: the next stops are the header's and the page's.
    stops = _walk(page)
    assert _badly_shown(stops) == [] and "Week 6" not in [s["name"] for s in stops]
    context.close()


def test_keyboard_walk_through_the_library_filters(served_course, chromium):
    url, _ = served_course
    context, page = _page(chromium, "light", DESKTOP)
    _open(page, url + "exercises/")
    stops = _walk(page)
    assert _badly_shown(stops) == []
    kinds = [s["tag"] for s in stops]
    first_select = kinds.index("select")
    assert kinds[first_select : first_select + 5] == ["select", "select", "select", "select", "button"]
    count = page.locator(".ck-filter-count")
    page.locator("form.ck-filter select").nth(2).focus()  # Format
    page.keyboard.press("ArrowDown")
    assert re.fullmatch(r"Showing \d+ of \d+ exercises\.", count.inner_text())
    assert "?" in page.url  # the choice is kept in the address
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["name"] == "Show all"
    page.keyboard.press("Enter")
    page.wait_for_timeout(100)
    assert re.fullmatch(r"Showing all \d+ exercises\.", count.inner_text())
    context.close()


# --- Glossary tooltips -------------------------------------------------------------------------------

TOOLTIP = """() => {
  const tip = document.querySelector(".md-tooltip2--active");
  if (!tip) { return null; }
  const r = tip.querySelector(".md-tooltip2__inner").getBoundingClientRect();
  const s = getComputedStyle(tip);
  return {top: r.top, bottom: r.bottom, shown: s.visibility !== "hidden" && parseFloat(s.opacity) > 0};
}"""


@pytest.mark.parametrize("view", [{"viewport": {"width": 1280, "height": 800}}, PHONE], ids=["1280px", "320px"])
def test_a_glossary_tooltip_fits_on_screen_and_escape_closes_it(served_course, chromium, view):
    url, _ = served_course
    context, page = _page(chromium, "light", view)
    _open(page, url + MODULE)
    term = page.locator(".md-content abbr[tabindex]").nth(1)
    name = term.inner_text()
    term.evaluate("t => window.scrollBy(0, t.getBoundingClientRect().bottom - innerHeight + 8)")  # at the bottom
    term.focus()
    page.evaluate(SETTLE)
    tip = page.evaluate(TOOLTIP)
    assert tip["shown"] and tip["top"] >= 0 and tip["bottom"] <= page.viewport_size["height"], tip
    page.keyboard.press("Escape")
    page.evaluate(SETTLE)
    assert page.evaluate(TOOLTIP)["shown"] is False
    assert page.evaluate("document.activeElement.textContent") == name  # focus stays on the term
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    page.evaluate(SETTLE)
    assert page.evaluate(TOOLTIP)["shown"] is True  # the next visit shows it again
    context.close()


# --- Targets and contrast ----------------------------------------------------------------------------

SIZE = "e => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; }"


def test_targets_are_at_least_24_by_24_px(served_course, chromium):
    url, _ = served_course
    small = []
    for view, path, selectors in [
        (DESKTOP, MODULE, [".ck-done input", ".ck-done label", 'label.md-search__icon[for="__search"]']),
        (DESKTOP, "course/progress/", [".ck-tick input"]),
        (PHONE, MODULE, [".ck-done input", ".ck-drawer-button", 'label.md-header__button[for="__search"]']),
    ]:
        context, page = _page(chromium, "light", view)
        _open(page, url + path)
        for selector in selectors:
            width, height = page.locator(selector).first.evaluate(SIZE)
            if width < 24 or height < 24:
                small.append(f"{path} {selector}: {width}x{height}")
        context.close()
    assert small == []


def _contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("view", [DESKTOP, PHONE], ids=["1280px", "320px"])
def test_home_buttons_do_not_touch_and_outlined_ones_pass_contrast_in_dark_mode(served_course, chromium, view):
    url, _ = served_course
    context, page = _page(chromium, "dark", view)
    _open(page, url)
    boxes = page.locator("article .md-button").evaluate_all(
        "bs => bs.map(b => { const r = b.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
    )
    assert len(boxes) == 2
    (l1, t1, r1, b1), (l2, t2, r2, b2) = boxes
    gap = max(l2 - r1, l1 - r2, t2 - b1, t1 - b2)
    assert gap >= 8, boxes
    outlined = page.locator("article .md-button:not(.md-button--primary)")
    colour = outlined.evaluate("b => getComputedStyle(b).color")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert _contrast(colour, background) >= 4.5, (colour, background)
    context.close()


# --- The footer's previous and next links ------------------------------------------------------------

TRICKY_TITLE = "First steps & <basics>"


@pytest.fixture(scope="module")
def tricky_title_site(tmp_path_factory):
    """The fixture course with a module title holding '&' and '<', built and served."""
    root = make_project(tmp_path_factory.mktemp("tricky") / "project")
    edit(root / "modules/01-first-steps/module.md", "title: First steps", f'title: "{TRICKY_TITLE}"')
    result = run_cli("build", project=root)
    assert result.returncode == 0, result.stdout + result.stderr
    server, url = serve_folder(root / "site")
    yield url
    server.shutdown()


def test_footer_links_are_named_by_their_visible_text_escaped_once(tricky_title_site, chromium, axe_code):
    context, page = _page(chromium)
    _open(page, tricky_title_site + "weeks/first-steps/")
    page.locator("a.md-footer__link--next").click()
    page.wait_for_load_state("load")
    previous = page.locator("a.md-footer__link--prev")
    title = f"Week 1: {TRICKY_TITLE}"
    assert previous.get_attribute("aria-label") == f"Previous: {title}"
    assert previous.locator(".md-ellipsis").inner_text() == title
    found = [v["id"] for v in axe.violations(page, axe_code)]
    context.close()
    assert "label-content-name-mismatch" not in found and found == []


# --- The 404 page ------------------------------------------------------------------------------------


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Answers a missing address with the site's 404.html, as GitHub Pages does."""

    def log_message(self, *args) -> None:
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def pages_host(built_course):
    """The shipped course's site served like GitHub Pages (missing addresses get 404.html), on 127.0.0.1."""
    handler = functools.partial(_PagesHandler, directory=str(built_course / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", built_course
    server.shutdown()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_404_page_is_styled_and_links_home_at_any_depth(pages_host, chromium, axe_code, scheme):
    url, root = pages_host
    course = yaml.safe_load((root / "modules/course.yml").read_text(encoding="utf-8"))
    for address in (url + "404.html", url + "weeks/no-such-week/deeper/still/"):
        context, page = _page(chromium, scheme, PHONE)
        requested: list[str] = []
        page.on("request", lambda r, requested=requested: requested.append(r.url))
        response = page.goto(address, wait_until="load")
        assert response.status == (200 if address.endswith("404.html") else 404)
        assert page.locator("h1").inner_text() == "Page not found"
        assert page.title() == f"Page not found - {course['title']}"
        # Its styles are its own: nothing to load from any depth but the tab's icon.
        assert [r for r in requested if r != address and not r.endswith("/assets/images/favicon.png")] == []
        header = page.locator("header").evaluate("h => getComputedStyle(h).backgroundColor")
        assert header not in ("rgba(0, 0, 0, 0)", "transparent")
        assert page.get_by_role("link", name="Go to the course home page").get_attribute("href") == course["site_url"]
        assert axe.describe(address, axe.violations(page, axe_code)) == []
        context.close()


# --- Titles and the course's links to help -----------------------------------------------------------


def test_the_home_page_tab_names_the_course_once(served_course, chromium):
    url, root = served_course
    context, page = _page(chromium)
    _open(page, url)
    title = yaml.safe_load((root / "modules/course.yml").read_text(encoding="utf-8"))["title"]
    assert page.title() == title
    assert page.locator('meta[property="og:title"]').get_attribute("content") == title  # shared as the course
    _open(page, url + "course/start-here/")
    assert page.title() == f"Start here - {title}"
    context.close()


class _Links(HTMLParser):
    """The links of a page's article, and the text that is outside any link."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.loose: list[str] = []
        self._href: str | None = None
        self._text: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self._depth += 1
        if tag == "a" and self._depth:
            self._href, self._text = dict(attrs).get("href", ""), []

    def handle_endtag(self, tag):
        if tag == "article":
            self._depth -= 1
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)
        elif self._depth:
            self.loose.append(data)


def _article(root: Path, path: str) -> _Links:
    parser = _Links()
    parser.feed((root / "site" / path / "index.html").read_text(encoding="utf-8"))
    return parser


def test_helplines_are_tel_links_and_start_here_links_the_pages_it_names(built_course):
    numbers = [e["number"] for e in yaml.safe_load((REPO / "tests/helplines.yml").read_text(encoding="utf-8"))]
    safety = _article(built_course, "course/safety")
    tel = {href: text for href, text in safety.links if href.startswith("tel:")}
    assert {"tel:999", "tel:111", "tel:116123", "tel:08088088000", "tel:988"} <= set(tel)
    assert all(re.sub(r"\D", "", text) == href[4:] for href, text in tel.items() if "NHS" not in text)
    assert ("https://findahelpline.com", "findahelpline.com") in safety.links
    # No helpline number is left as plain text on the safety page, except Shout's, which takes a text message.
    loose = " ".join(safety.loose)
    assert [n for n in numbers if n != "85258" and re.search(rf"(?<![\d]){re.escape(n)}(?![\d])", loose)] == []
    # The safety note on a module page: its numbers and its website are links.
    note = dict(_article(built_course, "weeks/grief-and-loss").links)
    assert {"tel:999", "tel:111", "tel:116123", "https://findahelpline.com"} <= set(note)
    start = dict(_article(built_course, "course/start-here").links)
    assert start.get("../safety/") in ("Safety and scope of practice", "safety page")
    assert start.get("../evidence-labels/") in ("About the evidence labels", "evidence-labels page")
