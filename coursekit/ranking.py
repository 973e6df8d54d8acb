"""How the site's search ranks pages: weights written into the built search index.

Material for MkDocs searches in the browser with lunr, over `search/search_index.json`: one entry
per page section, scored by BM25 over the fields `title` (weight 1000), `text` (1) and `tags`
(1,000,000), times the entry's `boost`. It takes its settings from that file, so setting them there
after the build changes the ranking the student gets, and nothing else. Four settings make search
find the page that teaches:

- **Audience.** Trainers' pages (run-sheets, the facilitator guide, the field reference, the
  hand-written guide pages) come after every student page. Lunr sorts by score alone, and rounds
  each term's score to 0.001, so a trainer entry keeps boost 1 (its order among trainers' pages
  stays) and a student entry gets `AUDIENCE_GAP`, more than the largest ratio of two scores can be.
- **Tags.** Material weighs a tag a thousand times a title and copies a page's tags into every
  section, so a filter value ("Grief", "IPT") on an exercise outranked the week that teaches it.
  A tag counts like ten words of text here, once per page (on the page's first entry).
- **Glossary entries.** A term's definition is its most direct answer: `GLOSSARY_ENTRY_BOOST`.
- **Stop words.** Material adds a trailing wildcard to every query word and does not drop stop
  words from queries, so "in" in "IPT in life coaching" matched every word starting "in". The index
  never holds stop words (lunr's stop-word filter), so the separator now also drops them, whole
  words only, from the text and from the query alike.

Setting values, not multiplying them, makes this safe to run again on an index it already ranked
(the preview's quick rebuilds merge the old index with the new pages' entries).
"""

from __future__ import annotations

import json
from pathlib import Path

from . import layout
from .kinds import KINDS

# Lunr's relevance is a sum over the query's words (each wildcard expansion counted) of field weight
# x idf x tf saturation. For any course under 100,000 sections, the largest score is below 1e9
# (1,011 x 11.1 x 2.2 per word, x the glossary boost, x 1,000 words matched, x Material's 5 for a
# page title) and the smallest above 5e-6 (one word in a text, idf 0.5/N): a ratio under 2e14.
AUDIENCE_GAP = 1e15
GLOSSARY_ENTRY_BOOST = 4.0
TAG_WEIGHT = 10.0

MATERIAL_TAG_WEIGHT = 1e6  # Material's default for `tags`; a weight a trainer set in mkdocs.yml is kept
MATERIAL_SEPARATOR = r"[\s\-]+"  # Material's default for English; a separator a trainer set is kept

# lunr 2.3.9's English stop-word list (lunr.stopWordFilter), which Material's index uses.
_STOP_WORDS = (
    "a able about across after all almost also am among an and any are as at be because been but by can cannot "
    "could dear did do does either else ever every for from get got had has have he her hers him his how however "
    "i if in into is it its just least let like likely may me might most must my neither no nor not of off often "
    "on only or other our own rather said say says she should since so some than that the their them then there "
    "these they this tis to too twas us wants was we were what when where which while who whom why will with "
    "would yet you your"
)
STOP_WORDS = tuple(_STOP_WORDS.split())


def _any_case(word: str) -> str:
    """'in' -> '[iI][nN]': Material compiles the separator without flags, so it cannot ignore case."""
    return "".join(f"[{c}{c.upper()}]" for c in word)


# Longest first, so "into" is not cut to "in" + "to"; \b keeps them whole words ("in" never cuts "inventory").
SEPARATOR = (
    MATERIAL_SEPARATOR + r"|\b(?:" + "|".join(_any_case(w) for w in sorted(STOP_WORDS, key=len, reverse=True)) + r")\b"
)


def rank_search(path: Path) -> bool:
    """Set the search weights in a built site's search index; False when there is none (search turned off)."""
    if not path.exists():
        return False
    index = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(ranked(index), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True


def ranked(index: dict) -> dict:
    """The index with the kit's weights: audience, tags once a page, glossary entries, stop words."""
    config = index["config"]
    tags = config.setdefault("fields", {}).setdefault("tags", {"boost": MATERIAL_TAG_WEIGHT})
    if tags.get("boost") == MATERIAL_TAG_WEIGHT:
        tags["boost"] = TAG_WEIGHT
    if config.get("lang") == ["en"] and config.get("separator") in (MATERIAL_SEPARATOR, SEPARATOR):
        config["separator"] = SEPARATOR
    glossary = layout.url_of(layout.COURSE_PAGE["glossary"].path)
    for entry in index["docs"]:
        page, _, section = entry["location"].partition("#")
        boost = 1.0 if for_trainers(page) else AUDIENCE_GAP
        if page == glossary and section:
            boost *= GLOSSARY_ENTRY_BOOST
        entry["boost"] = boost
        if section:
            entry.pop("tags", None)
    return index


def for_trainers(url: str) -> bool:
    """Whether the page at this site address is in the Trainers section: a facilitator view, a trainers' course page, or hand-written."""
    if url.startswith(_TRAINER_FOLDERS) or url in _TRAINER_PAGES:
        return True
    return url not in _COURSE_PAGES and not url.startswith(_KIND_FOLDERS)


_TRAINER_FOLDERS = tuple(f"{view.folder}/" for kind in KINDS for view in kind.views if view.facilitator)
_KIND_FOLDERS = tuple(f"{view.folder}/" for kind in KINDS for view in kind.views)
_COURSE_PAGES = frozenset(layout.url_of(page.path) for page in layout.COURSE_PAGES)
_TRAINER_PAGES = frozenset(layout.url_of(page.path) for page in layout.COURSE_PAGES if page.trainers)
