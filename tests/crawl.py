"""Crawl every page of the built site/ with axe-core in Chromium: violations, foreign requests, console errors, 404s.

Run after `make site`: `.venv/bin/python -m tests.crawl` (or `make crawl`). Takes a few minutes; the test
suite runs axe on one page of each kind, this checks them all.
"""

import collections
import sys
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from tests.browser import browser
from tests.conftest import REPO, serve_folder


def crawl(site: Path) -> dict:
    """Visit every page; return counts of problems by kind, with an example of each."""
    server, url = serve_folder(site)
    pages = sorted(
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
    )
    found = {"violations": collections.Counter(), "examples": {}, "foreign": set(), "console": [], "broken": set()}
    axe = Axe()
    try:
        with browser() as instance:
            page = instance.new_context().new_page()
            page.on(
                "request",
                lambda r: found["foreign"].add(r.url) if not r.url.startswith((url, "data:", "blob:")) else None,
            )
            page.on(
                "console", lambda m: found["console"].append(f"{page.url}: {m.text}") if m.type == "error" else None
            )
            page.on("response", lambda r: found["broken"].add(r.url) if r.status >= 400 else None)
            for path in pages:
                page.goto(url + path, wait_until="load")
                for violation in axe.run(page).response["violations"]:
                    found["violations"][violation["id"]] += len(violation["nodes"])
                    found["examples"].setdefault(violation["id"], f"{path}: {violation['nodes'][0]['html'][:160]}")
    finally:
        server.shutdown()
    found["pages"] = len(pages)
    return found


def main() -> int:
    found = crawl(REPO / "site")
    print(
        f"{found['pages']} pages: {sum(found['violations'].values())} axe violations, {len(found['foreign'])} requests to other hosts, "
        f"{len(found['console'])} console errors, {len(found['broken'])} broken links or 404s"
    )
    for rule, count in found["violations"].items():
        print(f"  {rule}: {count} ({found['examples'][rule]})")
    for item in sorted(found["foreign"]) + found["console"] + sorted(found["broken"]):
        print(f"  {item}")
    return 1 if (found["violations"] or found["foreign"] or found["console"] or found["broken"]) else 0


if __name__ == "__main__":
    sys.exit(main())
