"""Our own link and anchor check over the built HTML, the same whichever engine built it.

Every internal `href` and `src` must lead to a file of the site, and every `#fragment` to an `id`
(or `name`) on the page it leads to. MkDocs checks the links it rewrites from Markdown; Zensical
checks fewer, and no engine checks the links a template or a lesson's own HTML writes. A broken
link is reported in the words MkDocs uses, naming the Markdown page it was built from, so
coursekit/blame.py moves it to the module file and line a trainer edits.
"""

from __future__ import annotations

import hashlib
import html
import os
import posixpath
import re
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import kit_fingerprint, private_cache
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
    files = frozenset(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())
    ids = _Ids(site)
    problems = []
    _READ.start_check(store_path(docs) if docs is not None else None)
    for relative in sorted(name for name in files if name.endswith(".html")):
        if relative in _SKIPPED_PAGES:
            continue
        for href in _READ.links(site / relative):
            why = _broken(files, relative, href, ids)
            if why:
                source = _markdown_page(relative, docs)
                problems.append(Problem(ENGINE_CONFIG, 1, f"Doc file '{source}' contains a link '{href}', but {why}."))
    _READ.finish_check()
    return problems


def _broken(files: frozenset[str], page: str, href: str, ids: _Ids) -> str | None:
    """Why an address on a page (both relative to the site) leads nowhere in it, or None when fine or not ours.

    Paths are resolved as text against the set of the site's files: one listing, not a file-system
    call per link (a 2,000-page site has some 200,000 links), and once per folder and address.
    """
    if not href or _EXTERNAL.match(href) or href.startswith("/"):
        return None
    target, why, fragment = _resolve(files, posixpath.dirname(page), href)
    if why:
        return why
    target = target or page  # an address of only a fragment stays on its page
    if fragment and target.endswith(".html") and not fragment.startswith(":~:") and fragment not in ids.of(target):
        where = "this page" if target == page else f"the page '{target}'"
        return f"there is no anchor '#{fragment}' on {where}"
    return None


@lru_cache(maxsize=65536)
def _resolve(files: frozenset[str], folder: str, href: str) -> tuple[str | None, str | None, str]:
    """The file an address leads to from a folder (None for the page itself), why it is broken if it is, its fragment."""
    parts = urlsplit(href)
    path = unquote(parts.path)
    fragment = unquote(parts.fragment)
    if not path:
        return None, None, fragment
    target = posixpath.normpath(posixpath.join(folder, path))
    if target == ".." or target.startswith("../"):
        return None, f"it leads outside the site ('{path}')", fragment
    if target == "." or target in _folders(files):
        target = "index.html" if target == "." else f"{target}/index.html"
    if target not in files:
        return None, f"the site has no page or file '{target}'", fragment
    return target, None, fragment


@lru_cache(maxsize=1)  # the site being checked; freed by the next
def _folders(files: frozenset[str]) -> frozenset[str]:
    """Every folder of the site that holds a file, at any depth (computed once a check)."""
    return frozenset(posixpath.dirname(name) for name in files) | frozenset(
        folder for name in files for folder in _parents(posixpath.dirname(name))
    )


def _parents(folder: str) -> list[str]:
    found = []
    while folder:
        found.append(folder)
        folder = posixpath.dirname(folder)
    return found


class _Ids:
    """The ids of each page, read once however many links lead to it."""

    def __init__(self, site: Path):
        self.site = site

    @cache  # noqa: B019 (one instance a check; freed with it)
    def of(self, page: str) -> frozenset[str]:
        return _READ.ids(self.site / page)


class _PageReads:
    """Each page's links and ids, kept so that a check after a rebuild parses only the pages that changed.

    Within a process (the preview's) a page is known by the file's identity: a rebuild links unchanged
    pages from the last site (the same inode, size and time), so they are not even read. Across
    processes (a second `build`) a page is known by its content's hash, in a private file of the user's
    temp folder beside the build cache, like it only saving time. What the last check did not see is dropped.
    """

    MAX_BYTES = 256_000_000

    def __init__(self) -> None:
        self.kept: dict[tuple, tuple] = {}
        self.seen: dict[tuple, tuple] = {}
        self.stored: dict[bytes, tuple] = {}
        self.used: dict[bytes, tuple] = {}
        self.store: Path | None = None

    def start_check(self, store: Path | None) -> None:
        self.kept, self.seen = self.seen or self.kept, {}
        self.store, self.used = store, {}
        loaded = private_cache.read(store, self.MAX_BYTES) if store else None
        self.stored = loaded if isinstance(loaded, dict) else {}

    def finish_check(self) -> None:
        if self.store:
            private_cache.write(self.store, self.used, self.MAX_BYTES)

    def _read(self, path: Path) -> tuple:
        info = path.stat()
        key = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
        entry = self.seen.get(key) or self.kept.get(key)
        if entry is None:
            data = path.read_bytes()
            content = hashlib.blake2b(data, digest_size=20).digest()
            found = self.stored.get(content)
            if not _well_formed(found):
                text = data.decode("utf-8", errors="replace")
                found = (
                    tuple(dict.fromkeys(html.unescape(h) for h in _LINK.findall(text))),
                    frozenset(_ID.findall(text)),
                )
            entry = (content, *found)
        self.seen[key] = entry
        self.used[entry[0]] = entry[1:]
        return entry

    def links(self, path: Path) -> tuple[str, ...]:
        return self._read(path)[1]

    def ids(self, path: Path) -> frozenset[str]:
        return self._read(path)[2]


def _well_formed(found: object) -> bool:
    """An entry of the stored file as this version writes it (a damaged or older one is parsed again)."""
    return (
        isinstance(found, tuple)
        and len(found) == 2
        and isinstance(found[0], tuple)
        and isinstance(found[1], frozenset)
        and all(isinstance(link, str) for link in found[0])
    )


def store_path(docs: Path) -> Path | None:
    """Where the links and ids of one project's pages are kept between builds; None without a temp folder."""
    folder = private_cache.folder()
    if folder is None:
        return None
    name = hashlib.sha1(str(docs.resolve()).encode()).hexdigest()
    return folder / f"links-{name}-{kit_fingerprint()}.pickle"


def forget(root: Path) -> None:
    """Drop the project's kept links and ids (a cold build, for the benchmark)."""
    path = store_path(root / "docs")
    if path is not None:
        path.unlink(missing_ok=True)


_READ = _PageReads()


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
