"""A full MkDocs build that reuses what has not changed since the last one, byte for byte.

The engine's build is three costly steps per page: Markdown to HTML, the search plugin's indexing
of that HTML, and the theme's template. This module runs the engine's own build functions as a
library, in the engine's order, with every plugin event, and remembers each step's result keyed by
everything it reads (`BuildCache`):

- **Markdown** is keyed by the page's Markdown (after the plugins' `page_markdown` events), its
  address and the configuration's Markdown settings; it also records every other file a link
  looked up and what it found, so the entry is reused only while those lookups give the same
  answers (a new page that a link now finds, or a page moved, re-renders the pages linking to it).
  The engine's log lines from the conversion (broken links) are replayed, so strict mode fails
  exactly as a full build does.
- **The search plugin's entry** for a page is keyed by the page's HTML, table of contents, title,
  metadata and address.
- **The page's finished HTML** is keyed by all the template reads: the page's content, table of
  contents, metadata, neighbours and address, the whole navigation (so a title edit re-renders
  every page's template, never its Markdown), the configuration, the theme's overrides and the
  versions of the packages that render it. A hit copies the file from the previous site, after
  checking its hash.

A cache miss only costs time, so every key errs on the side of missing: a value whose text is not
stable (an object printed with its address) changes the key on every run. Nothing here is a MkDocs
plugin or hook: the kit calls the build functions itself. `engine` is the engine's
`commands.build` module (MkDocs 1.6.1, or ProperDocs, its fork with the same functions).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import pickle
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType

from . import abbr_fast, helper_process, kit_fingerprint, nav_memo, private_cache
from .private_cache import digest
from .render import _QuietBytecodeCache

RENDERING_PACKAGES = ("markdown", "pymdown-extensions", "jinja2", "mkdocs-material", "mkdocs", "properdocs")
_BASE_CONTEXT = {
    "nav",
    "pages",
    "base_url",
    "extra_css",
    "extra_javascript",
    "mkdocs_version",
    "build_date_utc",
    "config",
    "page",
}


def default_engine() -> ModuleType:
    """The default engine's build module: MkDocs 1.6.1's."""
    from mkdocs.commands import build

    return build


class BuildCache:
    """What earlier builds of one project computed, in a private folder of the user's temp directory.

    The cache only saves time: a missing, unreadable, corrupt or oversized cache is ignored, and one
    that cannot be written (no usable temp folder, a full disk) is skipped. Only the entries a build
    used are kept, so it never grows past one site's worth.
    """

    MAX_BYTES = 512_000_000

    def __init__(self, root: Path | None, engine: str = "mkdocs"):
        self.path: Path | None = None
        self.loaded: dict[str, dict] = {}
        self.used: dict[str, dict] = {"markdown": {}, "search": {}, "output": {}, "inputs": {}}
        self.hits = {"markdown": 0, "search": 0, "output": 0}  # "inputs" only guides the helper's share
        self.saved_at: float | None = None  # when the loaded entries were written: sources newer than it likely miss
        if root is None:
            return
        self.path = cache_path(root, engine)
        if self.path is None:
            return
        loaded = private_cache.read(self.path, self.MAX_BYTES)
        if isinstance(loaded, dict) and all(isinstance(loaded.get(k), dict) for k in self.used):
            self.loaded = loaded
            with contextlib.suppress(OSError):
                self.saved_at = self.path.stat().st_mtime

    def get(self, kind: str, key: str):
        """The entry stored under key by an earlier build, if any."""
        entry = self.loaded.get(kind, {}).get(key)
        if entry is not None and kind in self.hits:
            self.hits[kind] += 1
        return entry

    def put(self, kind: str, key: str, entry) -> None:
        """Keep an entry for the next build."""
        self.used[kind][key] = entry

    def save(self) -> None:
        """Write this build's entries, replacing the file whole."""
        if self.path is None:
            return
        private_cache.write(self.path, self.used, self.MAX_BYTES)


def cache_path(root: Path, engine: str) -> Path | None:
    """Where one project's build cache for one engine lives (the user's private temp folder); None without one."""
    folder = private_cache.folder()
    if folder is None:
        return None
    name = hashlib.sha1(f"{root.resolve()}\0{engine}".encode()).hexdigest()  # one cache per engine
    # Not "<name>-*.pickle": the parse cache removes those as its other versions.
    return folder / f"engine-{name}-{kit_fingerprint()}.pickle"


def forget(root: Path, engines: tuple[str, ...] = ("mkdocs", "properdocs")) -> None:
    """Remove a project's build caches, so its next build starts cold (the benchmark's full builds)."""
    for path in (cache_path(root, engine) for engine in engines):
        if path is not None:
            path.unlink(missing_ok=True)


def stable(value) -> object:
    """A JSON-able picture of a config value; objects without one keep their repr (which may miss, never mislead)."""
    if isinstance(value, Mapping):
        return {str(k): stable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [stable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, functools.partial):
        return ["partial", stable(value.func), stable(value.args), stable(value.keywords)]
    code = getattr(value, "__code__", None)
    if code is not None:  # a function: its name and its compiled code, not its address
        return ["function", value.__module__, value.__qualname__, _code_digest(code)]
    return f"{type(value).__qualname__}:{value!r}"


def _code_digest(code) -> str:
    """A function's compiled code, nested functions included, without the addresses its repr would show."""
    consts = [_code_digest(c) if hasattr(c, "co_code") else repr(c) for c in code.co_consts]
    return digest(code.co_code, code.co_names, consts)


def _versions() -> list[str]:
    found = []
    for name in RENDERING_PACKAGES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found.append(f"{name}=={importlib.metadata.version(name)}")
    return found


def markdown_settings(config) -> str:
    """What every page's Markdown conversion depends on besides its own text and links."""
    return digest(
        kit_fingerprint(),
        _versions(),
        json.dumps(stable(config["markdown_extensions"])),
        json.dumps(stable(config["mdx_configs"])),
        json.dumps(stable(config["validation"])),
        config["use_directory_urls"],
    )


def theme_settings(config) -> str:
    """What compiling the theme's templates depends on: the packages, the theme's settings and its overrides."""
    theme = config.theme
    overrides = []
    if theme.custom_dir:
        for path in sorted(Path(theme.custom_dir).rglob("*")):
            if path.is_file():
                overrides.append(digest(path.relative_to(theme.custom_dir).as_posix(), path.read_bytes()))
    return digest(
        kit_fingerprint(), _versions(), json.dumps(stable({k: theme[k] for k in theme})), theme.dirs, overrides
    )


def _compiled_once(config) -> None:
    """Every Jinja environment of this build's theme (the pages', the search plugin's) gets a bytecode cache, and
    lists the theme's files once per process: a rebuild neither compiles Material's templates nor walks its
    thousands of icons again. Its sidebar items are rendered once per shape (nav_memo)."""
    theme = config.theme
    try:
        cache = _QuietBytecodeCache(pattern=f"__coursekit_theme_{theme_settings(config)[:16]}_%s.cache")
    except (OSError, RuntimeError):  # no usable temp folder, or Jinja finds its cache folder unsafe
        cache = None
    listing_key = (tuple(theme.dirs), _files_of(theme.custom_dir))
    get_env = theme.get_env

    theme_dirs = [folder for folder in theme.dirs if folder != theme.custom_dir]

    def cached_env():
        env = get_env()
        env.bytecode_cache = cache
        nav_memo.install(env, theme_dirs)
        list_templates = env.list_templates

        def listed(extensions=None, filter_func=None):
            # Filters are made afresh on each call, so they are keyed by their code and settings (`stable`).
            key = (listing_key, json.dumps(stable([extensions, filter_func, list(config.theme.static_templates)])))
            if key not in _TEMPLATE_LISTS:
                _TEMPLATE_LISTS.clear()
                _TEMPLATE_LISTS[key] = list_templates(extensions, filter_func)
            return list(_TEMPLATE_LISTS[key])

        env.list_templates = listed
        return env

    theme.get_env = cached_env


_TEMPLATE_LISTS: dict = {}


def _files_of(folder) -> tuple:
    """The files under a theme's overrides folder, with their sizes and times: a new or changed one lists afresh."""
    if not folder:
        return ()
    found = []
    for where, _folders, names in os.walk(folder):
        for name in names:
            path = os.path.join(where, name)
            with contextlib.suppress(OSError):
                info = os.stat(path)
                found.append((path, info.st_size, info.st_mtime_ns))
    return tuple(sorted(found))


def site_settings(config, markdown: str) -> str:
    """What every page's template depends on besides the page and the navigation: config, theme overrides, packages.

    The `nav` setting is left out: templates read the navigation it makes, which each page's key holds (nav_seen_by).
    `markdown` is markdown_settings(config), which covers the Markdown extensions and their settings (the glossary).
    """
    left_out = ("plugins", "theme", "site_dir", "nav", "markdown_extensions", "mdx_configs")
    values = {k: v for k, v in config.items() if k not in left_out and not k.startswith("_")}
    plugins = {name: stable(dict(plugin.config)) for name, plugin in config.plugins.items()}
    return digest(markdown, theme_settings(config), json.dumps(stable(values)), json.dumps(plugins))


def _nav_picture(items) -> list:
    """The whole navigation: every item's kind, title and address."""
    picture = []
    for item in items:
        children = getattr(item, "children", None)
        below = _nav_picture(children) if children else json.dumps(stable(getattr(item, "meta", None) or {}))
        picture.append((type(item).__name__, item.title, getattr(item, "url", None), below))
    return picture


# Material features that show more of the navigation than a pruned sidebar and tabs do.
_WIDER_NAVIGATION = ("navigation.sections", "navigation.indexes", "navigation.expand")


def nav_seen_by(page, nav, features) -> list:
    """What of the navigation a page's template shows: with Material's navigation.prune, only the sections
    holding the page are open, and a closed section is its title and its first page's address (the
    sidebar's pruned link and the tabs). Without prune, or with a feature that opens more, the whole
    navigation: a title edit then re-renders every page, still never its Markdown."""
    homepage = nav.homepage.url if nav.homepage else None
    if "navigation.prune" not in features or any(f in features for f in _WIDER_NAVIGATION):
        return [homepage, _nav_picture(nav.items)]
    open_sections = {id(section) for section in page.ancestors}
    return [homepage, _pruned_picture(nav.items, open_sections)]


def _pruned_picture(items, open_sections: set[int]) -> list:
    picture = []
    for item in items:
        children = getattr(item, "children", None)
        if children is None:
            meta = json.dumps(stable(getattr(item, "meta", None) or {}))
            picture.append((type(item).__name__, item.title, item.url, meta))
        elif id(item) in open_sections:
            picture.append(("open", item.title, _first_url(item), _pruned_picture(children, open_sections)))
        else:
            picture.append(("closed", item.title, _first_url(item), bool(children)))
    return picture


def _first_url(section) -> str | None:
    first = section.children[0] if section.children else None
    while first is not None and getattr(first, "children", None):
        first = first.children[0]
    return getattr(first, "url", None)


class _RecordingFiles:
    """The build's Files, noting each lookup a page's links make and what it found."""

    def __init__(self, files):
        self._files = files
        self.lookups: dict[str, tuple | None] = {}

    def get_file_from_path(self, path: str):
        found = self._files.get_file_from_path(path)
        self.lookups[path] = _file_picture(found)
        return found

    def __getattr__(self, name: str):
        return getattr(self._files, name)


def _file_picture(file) -> tuple | None:
    return None if file is None else (file.src_uri, file.url, str(file.inclusion))


class _Capture(logging.Handler):
    """Records the engine's log lines while one page converts, to replay them when it is reused."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno > logging.DEBUG:
            self.records.append((record.name, record.levelno, record.getMessage()))


def render_markdown(page, config, files, cache: BuildCache, settings: str) -> None:
    """Page.render, or its result from the cache when the page and every link lookup it made are unchanged."""
    key = digest(settings, page.file.src_uri, page.url, page.markdown)
    entry = cache.get("markdown", key)
    if entry is not None and all(_file_picture(files.get_file_from_path(p)) == v for p, v in entry["lookups"].items()):
        # A fresh table of contents each time: plugins edit it in place (the tags plugin's listings do).
        page.content, page.toc, page._title_from_render = entry["content"], pickle.loads(entry["toc"]), entry["title"]
        page.present_anchor_ids = set(entry["anchors"])
        page.links_to_anchors = (
            None
            if entry["links"] is None
            else {files.get_file_from_path(uri): dict(links) for uri, links in entry["links"].items()}
        )
        for name, level, message in entry["log"]:
            logging.getLogger(name).log(level, message)
        cache.put("markdown", key, entry)
        return
    recording, capture = _RecordingFiles(files), _Capture()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(capture)
    try:
        convert(page, config, recording)
    finally:
        logger.removeHandler(capture)
    links = None
    if page.links_to_anchors is not None:
        links = {file.src_uri: dict(anchors) for file, anchors in page.links_to_anchors.items()}
    entry = {
        "lookups": recording.lookups,
        "content": page.content,
        "toc": pickle.dumps(page.toc, protocol=pickle.HIGHEST_PROTOCOL),
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": links,
        "log": capture.records,
    }
    cache.put("markdown", key, entry)


def convert(page, config, files) -> None:
    """The engine's Page.render, step for step, with the glossary's abbreviations found by an index (abbr_fast)."""
    pages = sys.modules[type(page).__module__]  # mkdocs.structure.pages, or the same module of a fork
    extension_configs, glossary = abbr_fast.without_glossary(config["mdx_configs"] or {})
    md = pages.markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=extension_configs)
    raw_html = pages._RawHTMLPreprocessor()
    raw_html._register(md)
    anchors = pages._ExtractAnchorsTreeprocessor(page.file, files, config)
    anchors._register(md)
    relative_paths = pages._RelativePathTreeprocessor(page.file, files, config)
    relative_paths._register(md)
    title = pages._ExtractTitleTreeprocessor()
    title._register(md)
    abbr_fast.speed_up(md, glossary)
    page.content = md.convert(page.markdown)
    page.toc = pages.get_toc(getattr(md, "toc_tokens", []))
    page._title_from_render = title.title
    page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
    if pages.log.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = relative_paths.links_to_anchors


def _populate_page(engine: ModuleType, page, config, files, cache: BuildCache, settings: str) -> None:
    """The engine's _populate_page, with the Markdown conversion through the cache."""
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        render_markdown(page, config, files, cache, settings)
        page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
    except Exception as error:
        _log_page_error(engine, "reading", page, error)
        raise
    finally:
        config._current_page = None


def _log_page_error(engine: ModuleType, verb: str, page, error: Exception) -> None:
    """The engine's own log line for a page that failed, word for word, so strict mode reports it as MkDocs does."""
    message = f"Error {verb} page '{page.file.src_uri}':"
    if not isinstance(error, engine.BuildError):
        message += f" {error}"
    engine.log.error(message)


def _page_picture(page) -> list:
    def neighbour(other):
        return None if other is None else (other.title, other.url)

    return [
        page.url,
        page.canonical_url,
        page.edit_url,
        page.title,
        page.update_date,
        page.is_homepage,
        json.dumps(stable(page.meta)),
        pickle.dumps(page.toc, protocol=4),
        neighbour(page.previous_page),
        neighbour(page.next_page),
    ]


def _page_context(context, page, config, nav, cache: BuildCache) -> None:
    """Every plugin's page_context event; the search plugin's from the cache when the page is unchanged."""
    for method in config.plugins.events["page_context"]:
        index = getattr(getattr(method, "__self__", None), "search_index", None)
        if index is None or not hasattr(index, "entries"):
            context = method(context, page=page, config=config, nav=nav) or context
            continue
        key = digest(page.content, *_page_picture(page))
        entry = cache.get("search", key)
        if entry is None:
            before = len(index.entries)
            result = method(context, page=page, config=config, nav=nav)
            context = result or context
            entry = {"entries": json.loads(json.dumps(index.entries[before:])), "content": page.content}
        else:
            index.entries.extend(json.loads(json.dumps(entry["entries"])))  # fresh copies: the index is edited later
            page.content = entry["content"]
        cache.put("search", key, entry)
    return context


def _extra_context(context) -> str:
    extra = {}
    for name, value in context.items():
        if name not in _BASE_CONTEXT:
            items = value if isinstance(value, list) else [value]
            extra[name] = [(getattr(v, "name", None), getattr(v, "url", None), stable(v)) for v in items]
    return json.dumps(extra, default=repr, sort_keys=True)


def _build_page(engine, page, config, doc_files, nav, env, cache, site_key, previous, finish, seen: str) -> None:
    """The engine's _build_page, reusing the previous site's file when nothing the template reads changed.

    `seen` is what of the navigation the page shows (nav_seen_by, as JSON)."""
    config._current_page = page
    try:
        page.active = True
        context = engine.get_context(nav, doc_files, config, page)
        name = page.meta.get("template", "main.html")
        context = _page_context(context, page, config, nav, cache)
        key = digest(site_key, name, page.content, _extra_context(context), seen, *_page_picture(page))
        target = Path(page.file.abs_dest_path)
        entry = cache.get("output", key)
        if entry is not None and previous is not None and _reuse(previous / page.file.dest_uri, target, entry):
            cache.put("output", key, entry)
            return
        output = config.plugins.on_post_page(env.get_template(name).render(context), page=page, config=config)
        if output.strip():
            data = finish(output).encode("utf-8", errors="xmlcharrefreplace")
            engine.utils.write_file(data, str(target))
            cache.put("output", key, hashlib.sha256(data).hexdigest())
        else:
            engine.log.info(f"Page skipped: '{page.file.src_uri}'. Generated empty output.")
    except Exception as error:
        _log_page_error(engine, "building", page, error)
        raise
    finally:
        page.active = False
        config._current_page = None


def _reuse(old: Path, target: Path, sha: str) -> bool:
    """Copy the previous build's file when it is still the one this key produced."""
    try:
        data = old.read_bytes()
    except OSError:
        return False
    if hashlib.sha256(data).hexdigest() != sha:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(old, target)  # the same bytes, without writing them: nothing edits a built page in place
    except OSError:  # another file system, or links not allowed
        target.write_bytes(data)
    return True


# Less expected work than this (about bytes of Markdown or HTML, some 0.2 s) is not worth a second process:
# forking and merging would cost more than it saves.
HELPER_MIN_WORK = 120_000


def _share(pages: list, work: Callable) -> tuple[list, list]:
    """This process's pages and the helper's: the pages cut in two where each side has about half the work.

    `work` is a page's expected cost, 0 when the cache will likely serve it. The helper takes the
    later pages, so this process still sees every page's events in page order. None for the helper
    with one core, or when the work is too little to pay for a second process.
    """
    parts = helper_process.cores()
    costs = {id(page): work(page) for page in pages}
    if parts < 2 or sum(costs.values()) < HELPER_MIN_WORK:
        return pages, []
    return helper_process.split(pages, lambda page: costs[id(page)] + 50, parts)


def _populate_pages(pages: list, populate: Callable, cache: BuildCache) -> None:
    """Every page's Markdown, a later share converted by a helper process into the cache first.

    This process still runs every page's plugin events itself, in page order (plugins keep what
    they see, such as the tags), and finds the helper's pages converted in the cache.
    """

    def work(page) -> int:
        source = page.file.abs_src_path
        changed = cache.saved_at is None or source is None or os.path.getmtime(source) > cache.saved_at
        return os.path.getsize(source) + 1000 if changed and source else 0

    mine, theirs = _share(pages, work)

    def convert_theirs() -> tuple[dict, int]:
        cache.used["markdown"], hits = {}, cache.hits["markdown"]
        for page in theirs:
            populate(page)
        return cache.used["markdown"], cache.hits["markdown"] - hits

    converted = helper_process.share(mine, theirs, populate, convert_theirs)
    if converted is None:
        return
    entries, helper_hits = converted
    cache.loaded["markdown"] = {**cache.loaded.get("markdown", {}), **entries}
    hits = cache.hits["markdown"]
    for page in theirs:
        populate(page)
    cache.hits["markdown"] = hits + helper_hits  # what came from an earlier build, not from the helper


def _build_pages(pages: list, build_page: Callable, cache: BuildCache, index, seen: dict[int, str]) -> None:
    """Every page's template, a later share rendered and written by a helper process.

    The helper sends back its cache entries, its pages' search entries and its log lines, which
    this process takes in page order; if the helper fails, this process builds those pages itself.
    A page whose content and navigation (`seen`, by page) are as in the last build will likely be
    served by the cache, and counts as no work: a body edit is not worth a second process, a title
    edit that changes every page's navigation is.
    """

    def work(page) -> int:
        inputs = digest(page.content, seen[id(page)])
        cache.put("inputs", page.file.src_uri, inputs)
        return 0 if cache.get("inputs", page.file.src_uri) == inputs else len(page.content or "") + 1000

    mine, theirs = _share(pages, work)

    def build_theirs() -> dict:
        logger = logging.getLogger("mkdocs")
        for handler in list(logger.handlers):  # this process's lines go back to the parent, which shows them
            logger.removeHandler(handler)
        logger.propagate = False
        capture = _Capture()
        logger.addHandler(capture)
        cache.used = {kind: {} for kind in cache.used}
        before = len(index.entries) if index is not None else 0
        for page in theirs:
            build_page(page)
        return {
            "used": cache.used,
            "hits": cache.hits,
            "search": index.entries[before:] if index is not None else [],
            "log": capture.records,
            "content": [page.content for page in theirs],
        }

    hits = dict(cache.hits)  # the helper's count starts from here
    built = helper_process.share(mine, theirs, build_page, build_theirs)
    if built is None:
        return
    for kind, entries in built["used"].items():
        cache.used[kind].update(entries)
    for kind, count in built["hits"].items():
        cache.hits[kind] += count - hits[kind]
    if index is not None:
        index.entries.extend(built["search"])
    for page, content in zip(theirs, built["content"], strict=True):
        page.content = content
    for name, level, message in built["log"]:
        logging.getLogger(name).log(level, message)


def _search_index(config):
    """The search plugin's index, which a helper's pages add their entries to (None without the plugin)."""
    for method in config.plugins.events["page_context"]:
        index = getattr(getattr(method, "__self__", None), "search_index", None)
        if index is not None and hasattr(index, "entries"):
            return index
    return None


def build(
    config,
    cache: BuildCache,
    previous: Path | None = None,
    finish: Callable[[str], str] = lambda page: page,
    engine: ModuleType | None = None,
) -> None:
    """A full, strict-aware build like the engine's `build(config)`, with each page's costly steps through `cache`.

    `previous` is the last site built from this project (files are reused from it only after a
    hash check); `finish` post-processes each page's HTML before it is written, and must be a
    function of the page alone.
    """
    engine = engine or default_engine()
    counter = engine.utils.CountHandler()
    counter.setLevel(logging.WARNING)
    mkdocs_logger = logging.getLogger("mkdocs")
    if config.strict:
        mkdocs_logger.addHandler(counter)
    inclusion = engine.InclusionLevel.is_included
    _compiled_once(config)
    try:
        config, files, env, nav = _planned(engine, config, clean=True)
        settings = markdown_settings(config)
        pages = [file.page for file in files.documentation_pages(inclusion=inclusion)]
        _populate_pages(pages, lambda page: _populate_page(engine, page, config, files, cache, settings), cache)
        _LAST_TITLES.clear()
        _LAST_TITLES[config.docs_dir] = {page.file.src_uri: page.title for page in pages}
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(inclusion=inclusion)
        for template in config.theme.static_templates:
            engine._build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            engine._build_extra_template(template, files, config, nav)
        doc_files = files.documentation_pages(inclusion=inclusion)
        site_key = site_settings(config, settings)
        features = config.theme.get("features") or []
        seen = {id(file.page): json.dumps(nav_seen_by(file.page, nav, features)) for file in doc_files}
        _build_pages(
            [file.page for file in doc_files],
            lambda page: _build_page(
                engine, page, config, doc_files, nav, env, cache, site_key, previous, finish, seen[id(page)]
            ),
            cache,
            _search_index(config),
            seen,
        )
        for file in doc_files:
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        config.plugins.on_post_build(config=config)
        if counts := counter.get_counts():
            summary = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
            raise engine.Abort(f"Aborted with {summary} in strict mode!")
    except Exception as error:
        config.plugins.on_build_error(error=error)
        if isinstance(error, engine.BuildError):
            engine.log.error(str(error))
            raise engine.Abort("Aborted with a BuildError!") from None
        raise
    finally:
        mkdocs_logger.removeHandler(counter)
    cache.save()


def _planned(engine: ModuleType, config, clean: bool) -> tuple:
    """The engine's build up to its pages: the config and pre-build events, the files, the theme and the navigation."""
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    if clean:
        engine.utils.clean_directory(config.site_dir)
    files = engine.get_files(config)
    env = config.theme.get_env()
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    engine.set_exclusions(files, config)
    nav = engine.get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    for file in files.documentation_pages(inclusion=engine.InclusionLevel.is_included):
        if file.page is None and file.inclusion.is_not_in_nav():
            engine.Page(None, file, config)
    return config, files, env, nav


# Each page's title from the last full build in this process (the preview's), by its docs/ path, under
# the docs folder built: a first look converts only the pages it shows, and names every other page by this.
_LAST_TITLES: dict[str, dict[str, str | None]] = {}


def first_look(
    config, wanted: Callable[[object], bool], finish: Callable[[str], str], engine: ModuleType | None = None
) -> dict[str, bytes]:
    """The finished HTML of the few pages `wanted` picks (by their file), by output path; nothing is written.

    The preview shows these pages while the full build runs. Only they are converted: every other
    page keeps the title it had in the last full build, so their navigation reads as the full
    build's unless the edit retitled another page too, which the full build then shows.
    Empty before a full build of the same docs folder in this process, and when nothing is wanted.
    """
    engine = engine or default_engine()
    titles = _LAST_TITLES.get(config.docs_dir)
    if titles is None:
        return {}
    _compiled_once(config)
    config, files, env, nav = _planned(engine, config, clean=False)
    doc_files = files.documentation_pages(inclusion=engine.InclusionLevel.is_included)
    chosen = [file.page for file in doc_files if wanted(file)]
    if not chosen:
        return {}
    converted = {id(page) for page in chosen}
    for file in doc_files:
        if id(file.page) not in converted:  # unread, as the engine's Page sees it, with its last title
            file.page.markdown, file.page._title_from_render = "", titles.get(file.src_uri)
    for page in _listing_pages(config, doc_files, converted):  # read, not converted: the tags link to them
        config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        page.content = ""  # not shown: the plugin fills its listing into whatever content there is
    settings, cache = markdown_settings(config), BuildCache(None)
    for page in chosen:
        _populate_page(engine, page, config, files, cache, settings)
    env = config.plugins.on_env(env, config=config, files=files)
    shown = {}
    for page in chosen:
        config._current_page, page.active = page, True
        try:
            context = engine.get_context(nav, doc_files, config, page)
            context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
            name = page.meta.get("template", "main.html")
            output = config.plugins.on_post_page(env.get_template(name).render(context), page=page, config=config)
            shown[page.file.dest_uri] = finish(output).encode("utf-8", errors="xmlcharrefreplace")
        finally:
            config._current_page, page.active = None, False
    return shown


def _listing_pages(config, doc_files, converted: set[int]) -> list:
    """The pages, besides those converted, that hold a listing of the tags plugin (Material's), which a page's tags link to."""
    directives = [
        plugin.config.listings_directive
        for name, plugin in config.plugins.items()
        if name.endswith("tags") and getattr(getattr(plugin, "config", None), "listings_directive", None)
    ]
    found = []
    for file in doc_files:
        if id(file.page) in converted or not file.abs_src_path:
            continue
        with contextlib.suppress(OSError):
            text = Path(file.abs_src_path).read_text(encoding="utf-8", errors="replace")
            if any(directive in text for directive in directives):
                found.append(file.page)
    return found
