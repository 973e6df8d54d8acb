"""Search finds the page that teaches: the index's weights, and the ranking Material's worker gives in Chromium."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from coursekit import layout, pipeline, ranking
from coursekit.site import INDEX, build_site
from tests.search_ranking import TRAINER_PAGES, Query, goal_queries, misses, rank, title_queries

GLOSSARY = layout.url_of(layout.COURSE_PAGE["glossary"].path)


def _index(site: Path) -> dict:
    return json.loads((site / INDEX).read_text(encoding="utf-8"))


def _split(location: str) -> tuple[str, str]:
    page, _, section = location.partition("#")
    return page, section


# --- The weights in the built index (no browser) ---------------------------------------------------


def test_trainers_pages_get_boost_1_student_pages_the_audience_gap_and_glossary_entries_more(built_fixture: Path):
    docs = _index(built_fixture / "site")["docs"]
    boosts = {doc["location"]: doc["boost"] for doc in docs}
    trainers = {loc for loc in boosts if _split(loc)[0].startswith(TRAINER_PAGES)}
    entries = {loc for loc in boosts if _split(loc)[0] == GLOSSARY and _split(loc)[1]}
    assert {_split(loc)[0] for loc in trainers} >= {"facilitator/", "facilitator/first-steps/", "guide/"}
    assert "reference/fields/" in {_split(loc)[0] for loc in trainers}
    assert entries and {boosts[loc] for loc in trainers} == {1.0}
    assert {boosts[loc] for loc in entries} == {ranking.AUDIENCE_GAP * ranking.GLOSSARY_ENTRY_BOOST}
    assert {boosts[loc] for loc in set(boosts) - trainers - entries} == {ranking.AUDIENCE_GAP}


def test_tags_weigh_like_ten_words_once_a_page_and_stop_words_separate_words(built_fixture: Path):
    index = _index(built_fixture / "site")
    assert index["config"]["fields"]["tags"] == {"boost": ranking.TAG_WEIGHT}
    assert index["config"]["separator"] == ranking.SEPARATOR
    tagged = [doc for doc in index["docs"] if "tags" in doc]
    assert tagged and all("#" not in doc["location"] for doc in tagged)
    assert any(_split(doc["location"])[0] == "exercises/draw-a-circle/" for doc in tagged)


def test_ranking_an_index_twice_changes_nothing_and_keeps_a_trainers_own_settings(built_fixture: Path):
    once = _index(built_fixture / "site")
    assert ranking.ranked(json.loads(json.dumps(once))) == once
    own = json.loads(json.dumps(once))
    own["config"]["separator"] = r"[\s\-_]+"
    own["config"]["fields"]["tags"] = {"boost": 500}
    ranked = ranking.ranked(own)
    assert ranked["config"]["separator"] == r"[\s\-_]+"
    assert ranked["config"]["fields"]["tags"] == {"boost": 500}


def test_every_page_of_the_site_is_for_trainers_exactly_when_it_is_in_the_trainers_section(built_fixture: Path):
    site = built_fixture / "site"
    pages = sorted(
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
    )
    assert len(pages) > 20
    assert [p for p in pages if ranking.for_trainers(p)] == [p for p in pages if p.startswith(TRAINER_PAGES)]


def test_the_stop_word_separator_cuts_whole_stop_words_in_any_case_and_never_inside_a_word():
    import re

    separator = re.compile(ranking.SEPARATOR)
    words = separator.split("IPT in life coaching: The INVENTORY, and into the Theory of Aisha's role-play")
    assert [w for w in words if w] == ["IPT", "life", "coaching:", "INVENTORY,", "Theory", "Aisha's", "role", "play"]


def test_a_quick_rebuild_keeps_the_whole_index_ranked(built_fixture: Path, tmp_path: Path):
    root = tmp_path / "project"
    shutil.copytree(built_fixture, root, symlinks=True)
    page = root / "docs/weeks/first-steps.md"
    later = time.time() + 5
    os.utime(page, (later, later))  # newer than its HTML: the dirty build renders it again
    build_site(root, dirty=True)
    index = _index(root / "site")
    assert index == ranking.ranked(json.loads(json.dumps(index)))
    assert {doc["boost"] for doc in index["docs"] if doc["location"].startswith("weeks/first-steps/")} == {
        ranking.AUDIENCE_GAP
    }
    assert len(index["docs"]) == len(_index(built_fixture / "site")["docs"])


# --- The ranking students get: Material's worker in Chromium over the shipped course -------------------


def _findable(term: str) -> bool:
    """Material cannot find a term with a one-letter part ("IPT-A") by its name.

    Its query parser splits at the hyphen and adds a wildcard to each part, so "IPT-A" asks for "ipt" and
    any word starting with "a": the index holds nothing that tells the entry from any page about IPT with
    a few words starting with "a" in its title.
    """
    return all(len(part) > 1 for word in term.split() if "-" in word for part in word.split("-"))


@pytest.fixture(scope="module")
def shipped_ranking(built_course: Path):
    """The goal queries (glossary terms, module titles, "grief") and the other titles, ranked once."""
    course = pipeline.check(built_course)
    grief = next(m for m in course.modules if m.meta.id == "grief-and-loss")
    goal = [*goal_queries(built_course), Query("grief", frozenset({layout.url_of(layout.docs_path(grief))}))]
    titles = title_queries(built_course)
    ranked = rank(built_course / "site", [q.text for q in goal + titles])
    return goal, titles, ranked


@pytest.mark.browser
@pytest.mark.slow
def test_every_glossary_term_and_module_title_finds_its_teaching_page_before_any_trainers_page(shipped_ranking):
    goal, _, ranked = shipped_ranking
    assert len(goal) > 100
    problems = [p for q in goal for p in misses(q, ranked[q.text]) if _findable(q.text) or "trainers' page" in p]
    assert problems == []
    assert [q.text for q in goal if not _findable(q.text)] == ["IPT-A"]


@pytest.mark.browser
@pytest.mark.slow
def test_every_exercise_roleplay_and_course_page_is_found_by_its_title(shipped_ranking):
    _, titles, ranked = shipped_ranking
    assert len(titles) > 50
    assert [p for q in titles for p in misses(q, ranked[q.text])] == []


@pytest.mark.browser
@pytest.mark.slow
def test_the_search_box_lists_what_the_worker_ranks(served_course, browser_context, shipped_ranking):
    """The queries above go to the worker directly; typed into the search box, a few show the same pages in the same order."""
    url, _ = served_course
    _, _, ranked = shipped_ranking
    page = browser_context.new_page()
    for query in ("grief", "sick role", "Role transitions", "IPT in life coaching"):
        page.goto(f"{url}?q={quote(query)}", wait_until="load")  # Material opens search with the query
        shown = _result_pages(page, url)
        assert shown == [locations[0].split("#")[0] for locations in ranked[query][: len(shown)]]
        assert len(shown) >= 3
    page.close()


def _result_pages(page, url: str) -> list[str]:
    """The pages in the search box's result list, once Material has rendered them (polled: the CSP blocks wait_for_function)."""
    script = """() => [...document.querySelectorAll(".md-search-result__item > a:first-child")]
      .map((a) => new URL(a.href).origin + new URL(a.href).pathname)"""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        links = page.evaluate(script)
        if links:
            return [link.removeprefix(url) for link in links]
        time.sleep(0.1)
    raise AssertionError("the search box showed no results in 15 s")
