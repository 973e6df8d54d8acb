"""Crawl every page of the built site/ with axe-core in Chromium, in light and dark mode; then a sample of pages
at 320 px and at 200% zoom. Counts axe violations, sideways scrolling, foreign requests, console errors and 404s.

Run after `make site`: `.venv/bin/python -m tests.crawl` (or `make crawl`). Takes a few minutes; the test
suite runs the same checks on a sample of pages (tests/test_accessibility.py).
"""

from __future__ import annotations

import collections
import sys
from dataclasses import dataclass, field
from pathlib import Path

from coursekit.kinds import KINDS
from tests import axe
from tests.browser import browser
from tests.conftest import REPO, serve_folder

# Two views of the same pages: a phone at 320 CSS px (WCAG 1.4.10 reflow) and a 1280 px desktop at 200%
# zoom, which is a 640 CSS px viewport drawn at twice the pixel density (WCAG 1.4.4 resize text).
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
ZOOM_200 = {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}
SCHEMES = ("light", "dark")

# Elements that must stay within the viewport: the page itself never scrolls sideways; a table may, in
# its own focusable wrapper with a visible cue (course.css, a11y.js).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width + 1) { out.push("the page scrolls sideways"); }
  document.querySelectorAll(".md-typeset__scrollwrap").forEach((wrap) => {
    if (wrap.scrollWidth > wrap.clientWidth + 1 && !wrap.matches(".ck-scrolls[tabindex='0']")) {
      out.push("a table scrolls sideways without a cue: " + (wrap.querySelector("th") || wrap).textContent.trim().slice(0, 40));
    }
  });
  return out;
}"""


@dataclass
class Findings:
    """What the crawl found, by kind, with one example of each axe rule."""

    pages: int = 0
    visits: int = 0
    violations: collections.Counter = field(default_factory=collections.Counter)
    examples: dict = field(default_factory=dict)
    layout: list = field(default_factory=list)
    foreign: set = field(default_factory=set)
    console: list = field(default_factory=list)
    broken: set = field(default_factory=set)

    def failed(self) -> bool:
        return bool(self.violations or self.layout or self.foreign or self.console or self.broken)


def site_pages(site: Path) -> list[str]:
    """Every page's address relative to the site root ("" is the home page)."""
    return sorted(
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
    )


def sample(pages: list[str]) -> list[str]:
    """One page of each kind (axe takes a second or two a page): every page that is not an item's (the course
    pages, the libraries, the guide), one item of each view of each kind (a module's page, run-sheet and slides,
    an exercise and its handouts, ...), and the 404 page. The item folders come from the kinds' registry."""
    folders = {view.folder for kind in KINDS for view in kind.views if kind.where != "course"}
    chosen: dict[str, str] = {}
    for path in pages:
        parent = path.strip("/").rpartition("/")[0]
        chosen.setdefault(parent if parent in folders else path, path)
    return sorted(chosen.values()) + ["404.html"]


def visit(instance, url: str, paths: list[str], scheme: str, view: dict, label: str, found: Findings, script: str):
    """Open each path in a fresh context of this colour scheme and view size; record what is wrong."""
    context = instance.new_context(color_scheme=scheme, **view)
    page = context.new_page()
    page.on("request", lambda r: found.foreign.add(r.url) if not r.url.startswith((url, "data:", "blob:")) else None)
    page.on("console", lambda m: found.console.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: found.console.append(f"{page.url}: {e}"))
    page.on("response", lambda r: found.broken.add(r.url) if r.status >= 400 else None)
    try:
        for path in paths:
            page.goto(url + path, wait_until="load")
            found.visits += 1
            where = f"{label} {scheme} {path or '/'}"
            for violation in axe.violations(page, script):
                found.violations[violation["id"]] += len(violation["nodes"])
                found.examples.setdefault(violation["id"], f"{where}: {violation['nodes'][0]['html'][:160]}")
            found.layout += [f"{where}: {problem}" for problem in page.evaluate(OVERFLOW)]
    finally:
        context.close()


def crawl(site: Path) -> Findings:
    """Every page in light and dark at 1280 px; a sample at 320 px and at 200% zoom in both schemes."""
    script = axe.axe_script()
    server, url = serve_folder(site)
    pages = site_pages(site)
    found = Findings(pages=len(pages))
    try:
        with browser() as instance:
            for scheme in SCHEMES:
                visit(instance, url, pages, scheme, DESKTOP, "1280px", found, script)
                visit(instance, url, sample(pages), scheme, PHONE, "320px", found, script)
                visit(instance, url, sample(pages), scheme, ZOOM_200, "200%", found, script)
    finally:
        server.shutdown()
    return found


def report(found: Findings) -> list[str]:
    """The crawl's summary line, then one line per problem."""
    lines = [
        f"{found.pages} pages, {found.visits} visits (every page light and dark at 1280 px; a sample at 320 px and at "
        f"200% zoom), axe-core {axe.axe_version()}: {sum(found.violations.values())} axe violations, "
        f"{len(found.layout)} layout problems, {len(found.foreign)} requests to other hosts, "
        f"{len(found.console)} console errors, {len(found.broken)} broken links or 404s"
    ]
    lines += [f"  {rule}: {count} ({found.examples[rule]})" for rule, count in found.violations.items()]
    lines += [f"  {item}" for item in found.layout + sorted(found.foreign) + found.console + sorted(found.broken)]
    return lines


def main() -> int:
    found = crawl(REPO / "site")
    print("\n".join(report(found)))
    return 1 if found.failed() else 0


if __name__ == "__main__":
    sys.exit(main())
