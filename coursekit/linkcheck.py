"""Our own link and anchor check over the built HTML, the same whichever engine built it.

Every internal `href` and `src` must lead to a file of the site, and every `#fragment` to an `id`
(or `name`) on the page it leads to. MkDocs checks the links it rewrites from Markdown; Zensical
checks fewer, and no engine checks the links a template or a lesson's own HTML writes. A broken
link is reported in the words MkDocs uses, naming the Markdown page it was built from, so
coursekit/blame.py moves it to the module file and line a trainer edits.
"""

from __future__ import annotations

import html
import os
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .blame import ENGINE_CONFIG
from .errors import Problem

_LINK = re.compile(r"<(?:a|link|img|script|source|iframe)\b[^>]*?\s(?:href|src)=\"([^\"]*)\"", re.IGNORECASE)
_ID = re.compile(r"\s(?:id|name)=\"([^\"]*)\"")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
# The 404 page is served at any address, so its links are absolute (from site_url) and not ours to resolve.
_SKIPPED_PAGES = {"404.html"}


def check_links(site: Path, docs: Path | None = None) -> list[Problem]:
    """Every broken internal link or anchor in the built site, as a problem coursekit/blame.py can place."""
    site = site.resolve()
    ids = _Ids(site)
    problems = []
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site).as_posix()
        if relative in _SKIPPED_PAGES:
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        for href in dict.fromkeys(html.unescape(h) for h in _LINK.findall(text)):
            why = _broken(site, page, href, ids)
            if why:
                source = _markdown_page(relative, docs)
                problems.append(Problem(ENGINE_CONFIG, 1, f"Doc file '{source}' contains a link '{href}', but {why}."))
    return problems


def _broken(site: Path, page: Path, href: str, ids: _Ids) -> str | None:
    """Why an address on a page leads nowhere in the site, or None when it is fine or not ours."""
    if not href or _EXTERNAL.match(href) or href.startswith("/"):
        return None
    parts = urlsplit(href)
    target = Path(os.path.normpath(page.parent / unquote(parts.path))) if parts.path else page
    if not target.is_relative_to(site):
        return f"it leads outside the site ('{unquote(parts.path)}')"
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return f"the site has no page or file '{target.relative_to(site).as_posix()}'"
    fragment = unquote(parts.fragment)
    if fragment and target.suffix == ".html" and not fragment.startswith(":~:") and fragment not in ids.of(target):
        where = "this page" if target == page else f"the page '{target.relative_to(site).as_posix()}'"
        return f"there is no anchor '#{fragment}' on {where}"
    return None


class _Ids:
    """The ids of each page, read once however many links lead to it."""

    def __init__(self, site: Path):
        self.site = site

    @cache  # noqa: B019 (one instance a check; freed with it)
    def of(self, page: Path) -> frozenset[str]:
        return frozenset(_ID.findall(page.read_text(encoding="utf-8", errors="replace")))


def _markdown_page(built: str, docs: Path | None) -> str:
    """The Markdown page (under docs/) a built page came from: weeks/x/index.html is weeks/x.md or weeks/x/index.md."""
    if built == "index.html":
        return "index.md"
    folder = built.removesuffix("/index.html").removesuffix(".html")
    candidates = [f"{folder}.md", f"{folder}/index.md", f"{folder}/README.md"]
    if docs is not None:
        for candidate in candidates:
            if os.path.isfile(docs / candidate):
                return candidate
    return candidates[0]
