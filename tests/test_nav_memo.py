"""The sidebar items kept by shape (coursekit/nav_memo.py) give the pages the theme renders item by item.

The kept HTML is only right if its key holds everything the item's HTML depends on: on a course of
several weeks, whose pages live in folders of different depths, a key that missed the page's folder
or depth would put wrong relative links into other pages' sidebars.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from bench.synth import write_course
from coursekit import helper_process, nav_memo, pipeline
from tests.conftest import make_project
from tests.test_rebuild import site_files


@pytest.fixture
def memos(monkeypatch: pytest.MonkeyPatch) -> list[nav_memo.NavMemo]:
    """Every memo the builds in this test make."""
    made: list[nav_memo.NavMemo] = []
    real = nav_memo.NavMemo.__init__

    def noted(memo: nav_memo.NavMemo) -> None:
        real(memo)
        made.append(memo)

    monkeypatch.setattr(nav_memo.NavMemo, "__init__", noted)
    return made


def test_a_site_built_with_kept_sidebar_items_is_byte_identical_to_one_rendered_item_by_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memos: list[nav_memo.NavMemo]
) -> None:
    monkeypatch.setenv(helper_process.JOBS_VARIABLE, "1")  # one process, so its memo is the one counted
    kept = make_project(tmp_path / "kept")
    write_course(kept, 6)  # six modules: pages in folders at several depths
    pipeline.build(kept)
    assert sum(memo.hits for memo in memos) > 300  # the pinned Material's macro was found and wrapped

    monkeypatch.setattr(nav_memo, "install", lambda env, theme_dirs: None)
    each = make_project(tmp_path / "each")
    write_course(each, 6)
    pipeline.build(each)

    kept_site, each_site = site_files(kept / "site"), site_files(each / "site")
    assert sorted(kept_site) == sorted(each_site)
    assert [name for name in each_site if kept_site[name] != each_site[name]] == []


def theme_and_override(tmp_path: Path) -> tuple[Path, Path]:
    theme, overrides = tmp_path / "theme", tmp_path / "overrides"
    for folder in (theme, overrides):
        (folder / "partials").mkdir(parents=True)
    macro = nav_memo.MACRO + "<li>{{ nav_item }}</li>{% endmacro %}"
    (theme / nav_memo.TEMPLATE).write_text(macro, encoding="utf-8")
    return theme, overrides


def test_only_the_themes_own_nav_item_template_is_wrapped(tmp_path: Path) -> None:
    theme, overrides = theme_and_override(tmp_path)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(overrides), str(theme)]))
    nav_memo.install(env, [str(theme)])
    assert "ck_render_afresh" in env.loader.get_source(env, nav_memo.TEMPLATE)[0]

    (overrides / nav_memo.TEMPLATE).write_text(nav_memo.MACRO + "mine{% endmacro %}", encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(overrides), str(theme)]))
    nav_memo.install(env, [str(theme)])
    assert env.loader.get_source(env, nav_memo.TEMPLATE)[0] == nav_memo.MACRO + "mine{% endmacro %}"


class Item:
    """A stand-in navigation item: the attributes the memo's key reads."""

    def __init__(self, url: str | None = None, children: list | None = None, active: bool = False):
        self.url, self.children, self.active = url, children, active


class Page:
    def __init__(self, url: str):
        self.url = url


def key(item: Item, page_url: str) -> tuple | None:
    return nav_memo.NavMemo()._key(Page(page_url), item, "__nav_2_1", 2, jinja2.Undefined())


def test_pages_share_an_items_html_only_when_they_reach_its_links_by_the_same_addresses() -> None:
    week = Item(children=[Item("weeks/module-1/"), Item("exercises/exercise-1-1/"), Item("roleplays/roleplay-1/")])
    # Two exercises of other weeks see week one's links as ../../weeks/module-1/, ../exercise-1-1/ ...
    assert key(week, "exercises/exercise-5-1/") == key(week, "exercises/exercise-9-2/")
    # ... but a module page reaches the exercise by ../../exercises/exercise-1-1/, and the home page by another path.
    assert key(week, "weeks/module-7/") != key(week, "exercises/exercise-5-1/")
    assert key(week, "") != key(week, "course/syllabus/")
    # A page in a folder of another depth climbs out once more.
    assert key(week, "exercises/exercise-5-1/") != key(week, "exercises/deeper/exercise-5-1/")
    # A page below one of the item's own addresses shares more of that address: not kept with the others.
    assert key(week, "weeks/module-1/notes/") != key(week, "weeks/module-7/")


def test_an_item_holding_the_page_or_a_climbing_link_is_rendered_afresh() -> None:
    assert key(Item(children=[Item("weeks/module-1/")], active=True), "weeks/module-1/") is None
    assert key(Item(children=[Item("../elsewhere/")]), "weeks/module-7/") is None
    absolute = Item(children=[Item("https://example.org/"), Item("weeks/module-1/")])
    assert key(absolute, "exercises/exercise-5-1/") == key(absolute, "exercises/exercise-9-2/")
