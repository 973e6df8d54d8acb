"""Material's sidebar item, rendered once per shape instead of once per page.

Every page's sidebar renders every item of its open section: on a course of a few hundred modules that is
pages x modules macro calls, the one part of a build that grows faster than its pages. An item that does
not hold the page renders the same HTML on every page that reaches its links by the same relative
addresses, so the kit keeps that HTML and reuses it. Only the theme's own `partials/nav-item.html` is
changed, and only by wrapping its `render` macro: an override in the project's `overrides/` is left alone.
"""

import posixpath
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

TEMPLATE = "partials/nav-item.html"
MACRO = "{% macro render(nav_item, path, level, parent) %}"
RENAMED = "{% macro ck_render_afresh(nav_item, path, level, parent) %}"
# The wrapper adds nothing around the kept HTML, so a page is byte for byte what the theme renders.
WRAPPER = (
    "{% macro render(nav_item, path, level, parent) %}"
    "{{ ck_nav_memo(ck_render_afresh, page, nav_item, path, level, parent) }}"
    "{% endmacro %}"
)


def install(env: jinja2.Environment, theme_dirs: list[str]) -> None:
    """Route `env`'s nav-item template through the memo, when the template found is the theme's own file (in one
    of `theme_dirs`, not the project's overrides) and still has the macro this wraps."""
    loader = env.loader
    get_source = loader.get_source
    own = [Path(folder).resolve() for folder in theme_dirs]

    def source(environment, name):
        text, filename, uptodate = get_source(environment, name)
        if name == TEMPLATE and _inside(filename, own) and text.count(MACRO) == 1:
            text = text.replace(MACRO, RENAMED) + WRAPPER
        return text, filename, uptodate

    loader.get_source = source
    env.globals["ck_nav_memo"] = NavMemo()


def _inside(filename: str | None, folders: list[Path]) -> bool:
    return bool(filename) and any(Path(filename).resolve().is_relative_to(folder) for folder in folders)


class NavMemo:
    """The HTML of each navigation item that does not hold the page being rendered, by its shape.

    An environment belongs to one build, so one memo never outlives the navigation it was filled from;
    the items are kept with their HTML, so no other object can take their id meanwhile."""

    def __init__(self) -> None:
        self.kept: dict[tuple, tuple[object, str]] = {}
        self.starts: dict[int, tuple[object, frozenset | None]] = {}
        self.hits = 0

    def __call__(self, render, page, nav_item, path, level, parent):
        args = (nav_item, path, level) if isinstance(parent, jinja2.Undefined) else (nav_item, path, level, parent)
        key = self._key(page, nav_item, path, level, parent)
        if key is None:
            return render(*args)
        kept = self.kept.get(key)
        if kept is not None:
            self.hits += 1
            return kept[1]
        html = render(*args)
        self.kept[key] = (nav_item, html)
        return html

    def _key(self, page, nav_item, path, level, parent) -> tuple | None:
        """What the item's HTML depends on, or None when it may depend on more (the item holds the page).

        Its addresses are relative to the page's folder: each is the part shared with that folder, climbed
        out of and then followed down. The longest start of the page's folder that any address under the
        item also starts with fixes every shared part, so with the folder's depth it fixes every address."""
        if getattr(nav_item, "active", True) or getattr(nav_item, "pages", None) or page is None:
            return None
        starts = self._starts(nav_item)
        if starts is None:
            return None
        here = _parts(_folder(getattr(page, "url", None) or ""))
        shared = 0
        while shared < len(here) and here[: shared + 1] in starts:
            shared += 1
        parent_open = None if isinstance(parent, jinja2.Undefined) else bool(getattr(parent, "active", False))
        return id(nav_item), path, level, parent_open, here[:shared], len(here)

    def _starts(self, nav_item) -> frozenset | None:
        """Every start of every relative address under the item, or None when one cannot be reasoned about."""
        known = self.starts.get(id(nav_item))
        if known is None:
            known = (nav_item, _starts(nav_item))
            self.starts[id(nav_item)] = known
        return known[1]


def _starts(nav_item) -> frozenset | None:
    starts = set()
    for url in _urls(nav_item):
        if url is None or "\\" in url:
            return None
        parsed = urlsplit(url)
        if parsed.scheme or parsed.netloc or url.startswith(("/", "#")):
            continue  # an absolute address renders the same on every page
        if (posixpath.normpath(url) + "/").startswith("../"):
            return None
        parts = _parts(url)
        starts.update(parts[:length] for length in range(len(parts) + 1))
    return frozenset(starts)


def _urls(nav_item):
    children = getattr(nav_item, "children", None)
    if children:
        for child in children:
            yield from _urls(child)
    else:
        yield getattr(nav_item, "url", None)


def _folder(url: str) -> str:
    """A page's address without a file name, as the engine's relative links see it."""
    folder, _, name = url.rpartition("/")
    return folder if "." in name else url


def _parts(path: str) -> tuple[str, ...]:
    path = posixpath.normpath("/" + path)[1:]
    return tuple(path.split("/")) if path else ()
