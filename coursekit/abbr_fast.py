"""The glossary's tooltips at a cost that grows with the text, not with pages times terms.

The glossary reaches every page as Python-Markdown's `abbr` extension setting. For each page that
extension compiles one regular expression of all the terms and tries every term at every word
boundary, so 10,000 terms cost about thirty times 100. When the kit converts a page
(coursekit/cached_build.py) it swaps in `FastAbbrTreeprocessor`: the same walk over the same tree
(code and other atomic text untouched), finding the same matches (leftmost, longest term first,
whole words, case as written, a page's own `*[X]: ...` definitions included), through an index
of the glossary built once per build by each term's first word. The HTML is identical to the
extension's, so a plain engine build of the same pages gives the same site, only slower.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor
from markdown.util import AtomicString

_WORD_RUN = re.compile(r"\w+")


def _is_word(char: str) -> bool:
    # Exactly Python's \w for str patterns: alphanumeric in Unicode's sense, or the underscore.
    return char.isalnum() or char == "_"


@dataclass
class TermIndex:
    """Terms by their first word (a term that starts with a non-word character goes in one small pattern)."""

    by_first_word: dict[str, list[str]] = field(default_factory=dict)
    other: re.Pattern | None = None

    @classmethod
    def of(cls, terms) -> TermIndex:
        """Index these terms, each list longest first as the extension's pattern tries them."""
        index, others = cls(), []
        for term in terms:
            run = _WORD_RUN.match(term)
            if run:
                index.by_first_word.setdefault(run.group(), []).append(term)
            elif term:
                others.append(term)
        for terms_here in index.by_first_word.values():
            terms_here.sort(key=len, reverse=True)
        if others:
            others.sort(key=len, reverse=True)
            index.other = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in others) + r")\b")
        return index

    def starts(self, text: str, known) -> list[tuple[int, str]]:
        """Every position where a term in `known` starts a whole-word match, with the longest such term."""
        found = []
        for run in _WORD_RUN.finditer(text):
            for term in self.by_first_word.get(run.group(), ()):
                end = run.start() + len(term)
                if text.startswith(term, run.start()) and _boundary(text, end) and term in known:
                    found.append((run.start(), term))
                    break
        if self.other is not None:
            found += [(m.start(), m.group()) for m in self.other.finditer(text) if m.group() in known]
        return found


def _boundary(text: str, end: int) -> bool:
    """Whether \\b holds at `end` (the character before it is part of the match, never empty)."""
    before = _is_word(text[end - 1])
    return before != _is_word(text[end]) if end < len(text) else before


def matches(text: str, glossary: TermIndex, local: TermIndex | None, known) -> list[tuple[int, str]]:
    """Non-overlapping matches left to right, the longest term at each start, as re.finditer gives them."""
    starts = glossary.starts(text, known) + (local.starts(text, known) if local else [])
    starts.sort(key=lambda start: (start[0], -len(start[1])))
    chosen, done = [], 0
    for position, term in starts:
        if position >= done:
            chosen.append((position, term))
            done = position + len(term)
    return chosen


class _PageAbbreviations(dict):
    """The glossary as one page sees it, without copying it: the page's own `*[X]: ...` lines over the shared glossary.

    Holds only the page's own definitions; a term the page removes (`*[X]: ''`) is hidden. Python-Markdown
    copied the whole glossary into each page's Markdown several times, a cost of pages times terms.
    """

    def __init__(self, glossary: dict):
        super().__init__()
        self.glossary = glossary
        self.touched: set[str] = set()  # the keys the page set or removed
        self.removed: set[str] = set()

    def __setitem__(self, key, value):
        self.touched.add(key)
        self.removed.discard(key)
        super().__setitem__(key, value)

    def pop(self, key, *default):
        self.touched.add(key)
        found = key in self
        value = self[key] if found else None
        self.removed.add(key)
        super().pop(key, None)
        if found:
            return value
        if default:
            return default[0]
        raise KeyError(key)

    def __getitem__(self, key):
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        if key in self.removed:
            raise KeyError(key)
        return self.glossary[key]

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, key) or (key not in self.removed and key in self.glossary)

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __len__(self) -> int:
        shared = sum(1 for key in self.removed if key in self.glossary)
        own = sum(1 for key in dict.keys(self) if key not in self.glossary)
        return len(self.glossary) - shared + own

    def __bool__(self) -> bool:
        return len(self) > 0

    def clear(self) -> None:
        super().clear()
        self.touched.clear()
        self.removed.clear()


def without_glossary(extension_configs: dict) -> tuple[dict, dict]:
    """The Markdown extensions' settings with the abbr extension's glossary left out, and that glossary.

    Each page's Markdown is made with the first, and `speed_up` gives it the glossary without a copy.
    """
    configs, glossary = dict(extension_configs), {}
    for name, options in extension_configs.items():
        if name.rsplit(".", 1)[-1] == "abbr" and isinstance(options, dict) and options.get("glossary"):
            glossary = options["glossary"]
            configs[name] = {**options, "glossary": {}}
    return configs, glossary


_INDEXES: dict[int, tuple[dict, TermIndex]] = {}


def _index_of(glossary: dict) -> TermIndex:
    """One index per glossary setting object, i.e. per build (the setting is shared by every page's Markdown)."""
    held = _INDEXES.get(id(glossary))
    if held is None or held[0] is not glossary:
        _INDEXES.clear()
        held = _INDEXES[id(glossary)] = (glossary, TermIndex.of(glossary))
    return held[1]


class FastAbbrTreeprocessor(AbbrTreeprocessor):
    """AbbrTreeprocessor with its per-page pattern of every term replaced by the glossary's index."""

    def __init__(self, md, abbrs: _PageAbbreviations, glossary: dict):
        super().__init__(md, abbrs)
        self.glossary = glossary

    def run(self, root):
        if not self.abbrs:
            return None
        self.index = _index_of(self.glossary)
        local = [key for key in self.abbrs.touched if key in self.abbrs]
        self.local = TermIndex.of(local) if local else None
        self.iter_element(root)
        return None

    def iter_element(self, el, parent=None) -> None:
        # AbbrTreeprocessor.iter_element with self.RE.finditer replaced by `matches`.
        for child in reversed(el):
            self.iter_element(child, el)
        if (text := el.text) and not _is_atomic(text):
            for position, term in reversed(matches(text, self.index, self.local, self.abbrs)):
                if self.abbrs[term]:
                    el.insert(0, self.create_element(self.abbrs[term], term, text[position + len(term) :]))
                    text = text[:position]
            el.text = text
        if parent is not None and el.tail:
            tail = el.tail
            index = list(parent).index(el) + 1
            if not _is_atomic(tail):
                for position, term in reversed(matches(tail, self.index, self.local, self.abbrs)):
                    if self.abbrs[term]:
                        parent.insert(index, self.create_element(self.abbrs[term], term, tail[position + len(term) :]))
                        tail = tail[:position]
                el.tail = tail


def _is_atomic(text: str) -> bool:
    return isinstance(text, AtomicString)


def speed_up(md, glossary: dict | None = None) -> bool:
    """Swap the abbr extension's treeprocessor in this Markdown instance for the fast one; False when it has none.

    `glossary` is the one `without_glossary` left out of the settings the Markdown was made with;
    without it, the extension's own setting.
    """
    extension = next((e for e in md.registeredExtensions if isinstance(e, AbbrExtension)), None)
    if extension is None or "abbr" not in md.treeprocessors or "abbr" not in md.parser.blockprocessors:
        return False
    glossary = glossary or extension.getConfig("glossary") or {}
    tracked = _PageAbbreviations(glossary)
    extension.abbrs = tracked
    md.parser.blockprocessors["abbr"].abbrs = tracked
    priority = next(item.priority for item in md.treeprocessors._priority if item.name == "abbr")
    md.treeprocessors.register(FastAbbrTreeprocessor(md, tracked, glossary), "abbr", priority)
    return True
