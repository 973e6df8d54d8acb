"""The shipped course built by each engine: the same site, whichever builds it.

MkDocs' build is the session's `built_course`; ProperDocs and Zensical each build a copy once. The
sites must have the same pages, the same navigation order, the same anchors on every page, the same
search entries (and, for the two that share Material's search, the same index), no axe violations on a sample, and a clean link check. What
differs is exactly the list in the guide's engines section (ENGINE_DIFFERENCES), each with its reason.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from coursekit.engines import ENGINES
from coursekit.linkcheck import check_links
from tests.axe import axe_script, describe, violations
from tests.conftest import REPO, make_project, run_cli, serve_folder

pytestmark = pytest.mark.slow

OTHERS = ("properdocs", "zensical")
# The files besides pages and theme assets that each engine writes and the others do not.
ENGINE_FILES = {
    "mkdocs": {"search/search_index.json", "sitemap.xml.gz", "tags.json"},
    "properdocs": {"search/search_index.json", "sitemap.xml.gz", "tags.json"},
    "zensical": {"search.json"},
}
SAMPLE = ("index.html", "weeks/grief-and-loss/index.html")
_ID = re.compile(r"\sid=\"([^\"]*)\"")
_NEXT = re.compile(r"<link rel=\"next\" href=\"([^\"]*)\"")
_CONTENT = re.compile(r"<article class=\"md-content__inner[^\"]*\">(.*)</article>", re.DOTALL)


@pytest.fixture(scope="session")
def sites(built_course: Path, tmp_path_factory) -> dict[str, Path]:
    """The shipped course's site by engine: MkDocs' from the session, the others built once here."""
    built = {"mkdocs": built_course / "site"}
    for name in OTHERS:
        root = make_project(tmp_path_factory.mktemp(name) / "project", REPO / "modules")
        result = run_cli("build", "--engine", name, project=root)
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"built the site with {ENGINES[name].label} in" in result.stdout
        built[name] = root / "site"
    return built


def files(site: Path) -> set[str]:
    """The site's files, less the theme's own scripts and styles (each engine ships its build of Material)."""
    theme = ("assets/javascripts/", "assets/stylesheets/", "assets/images/favicon")
    every = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    return {name for name in every if not name.startswith(theme)}


def navigation_order(site: Path) -> list[str]:
    """The pages in the order the engine's navigation gives them, following each page's "next" link from home."""
    order, page = [], "index.html"
    while page not in order:
        order.append(page)
        found = _NEXT.search((site / page).read_text(encoding="utf-8"))
        if not found:
            break
        target = os.path.normpath(os.path.join(os.path.dirname(page), found.group(1)))
        page = target if target.endswith(".html") else f"{target}/index.html"
    return order


def anchors(site: Path, page: str) -> set[str]:
    """The ids inside a page's content (a theme's own, starting '__', are left out)."""
    content = _CONTENT.search((site / page).read_text(encoding="utf-8"))
    return {i for i in _ID.findall(content.group(1)) if not i.startswith("__")} if content else set()


def search_entries(site: Path, name: str) -> set[tuple[str, str]]:
    """(address, title) of every entry of the engine's search index: the part both index formats share."""
    index = json.loads((site / ENGINES[name].search_index).read_text(encoding="utf-8"))
    return {(entry["location"], entry["title"]) for entry in index.get("docs", index.get("items", []))}


def test_each_engine_builds_the_same_pages(sites):
    expected = files(sites["mkdocs"]) - ENGINE_FILES["mkdocs"]
    for name in OTHERS:
        assert files(sites[name]) - ENGINE_FILES[name] == expected, name
        assert ENGINE_FILES[name] <= files(sites[name])


def test_each_engine_keeps_the_navigation_order(sites):
    order = navigation_order(sites["mkdocs"])
    assert len(order) > 80  # every page of the course's navigation, not a chain cut short
    for name in OTHERS:
        assert navigation_order(sites[name]) == order, name


def test_each_engine_makes_the_same_anchors(sites):
    pages = sorted(p for p in files(sites["mkdocs"]) if p.endswith(".html"))
    for name in OTHERS:
        differing = [page for page in pages if anchors(sites[name], page) != anchors(sites["mkdocs"], page)]
        assert differing == [], name


def test_each_engine_indexes_the_same_sections_for_search(sites):
    entries = search_entries(sites["mkdocs"], "mkdocs")
    assert len(entries) > 500
    for name in OTHERS:
        assert search_entries(sites[name], name) == entries, name


def test_our_link_check_finds_nothing_in_any_engines_site(sites):
    for name, site in sites.items():
        assert check_links(site) == [], name


def test_mkdocs_and_properdocs_give_the_same_search_results(sites):
    """One index file, byte for byte, and one search worker (Material's): every query's results are the same.

    Zensical searches its own index (search.json) with its own code, which the kit's weights do not reach:
    its entries are compared above, and its ranking is a listed difference.
    """
    index = ENGINES["mkdocs"].search_index
    assert (sites["properdocs"] / index).read_bytes() == (sites["mkdocs"] / index).read_bytes()


@pytest.mark.browser
def test_no_engines_site_has_axe_violations_on_a_sample(sites):
    from tests.browser import browser

    script = axe_script()
    found = []
    with browser() as instance:
        for name, site in sites.items():
            server, url = serve_folder(site)
            try:
                page = instance.new_page()
                for path in SAMPLE:
                    page.goto(url + path.removesuffix("index.html"), wait_until="load")
                    found += describe(f"{name}: {path}", violations(page, script))
                page.close()
            finally:
                server.shutdown()
    assert found == []


def test_zensical_with_its_markdown_on_two_cores_builds_plain_zensicals_bytes(tmp_path: Path):
    """coursekit/zensical_ahead.py takes the helper's pages only when it predicted the call exactly, and
    builds byte for byte what plain Zensical builds from the same pages. The fixture's quiz feedback links
    to the safety page, and its answer key for readers without JavaScript repeats the link: Zensical leaves
    links inside a <noscript> as `.md`, so the key must not be one."""
    import subprocess
    import sys

    from coursekit import pipeline

    root = make_project(tmp_path / "project")
    pipeline.generate(root)
    sites, env = {}, {**os.environ, "PYTHONPATH": str(REPO)}
    for name, command in (
        ("plain", [sys.executable, "-m", "zensical", "build", "-s", "-f", "{config}"]),
        ("ahead", [sys.executable, "-m", "coursekit.zensical_ahead", "{config}", "--strict"]),
    ):
        config = root / f"zensical-{name}.yml"
        config.write_text(json.dumps({"INHERIT": "mkdocs.yml", "site_dir": str(root / name)}), encoding="utf-8")
        command = [str(config) if part == "{config}" else part for part in command]
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        sites[name] = {p.relative_to(root / name): p.read_bytes() for p in (root / name).rglob("*") if p.is_file()}
        shutil.rmtree(root / ".cache", ignore_errors=True)  # each builds from cold
    assert sites["ahead"].keys() == sites["plain"].keys()
    assert [name for name in sites["plain"] if sites["ahead"][name] != sites["plain"][name]] == []
    report = re.search(r"zensical_ahead: (\d+) pages from the helper, (\d+) here, (\d+) guessed wrong", done.stderr)
    taken, own, wrong = map(int, report.groups())
    assert taken > 0 and wrong == 0
    assert taken + own == len(list((root / "docs").rglob("*.md")))
    quiz = sites["plain"][Path("quizzes/grief-check/index.html")].decode("utf-8")
    key = quiz.split('class="ck-quiz-key"', 1)[1].split("</div>", 1)[0]
    assert 'href="../../course/safety/"' in key
    assert ".md" not in key


def test_the_engine_differences_are_exactly_those_the_guide_lists():
    """The guide's engines section names each difference; the tests above allow no other."""
    guide = (REPO / "docs/guide/index.md").read_text(encoding="utf-8")
    section = guide.split("## Engines", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^- \*\*(.+?)\*\*", section, re.MULTILINE)
    assert listed == ENGINE_DIFFERENCES


ENGINE_DIFFERENCES = [
    "Theme files",
    "Search index",
    "Search ranking",
    "Tags index",
    "Compressed sitemap",
    "Skip link",
    "Engine's own checks",
]


def test_properdocs_builds_the_same_site_in_a_process_of_its_own_as_beside_mkdocs(tmp_path: Path):
    """A command-line build runs ProperDocs in its own process; a process that has loaded MkDocs (this one) hands it
    to a child process. Both give the same bytes."""
    import sys

    from coursekit import pipeline

    alone = make_project(tmp_path / "alone")
    result = run_cli("build", "--engine", "properdocs", project=alone)
    assert result.returncode == 0, result.stdout + result.stderr
    beside = make_project(tmp_path / "beside")
    import mkdocs.commands.build  # noqa: F401  (MkDocs loaded here: ProperDocs must run apart)

    assert "mkdocs.commands.build" in sys.modules and "properdocs.replacement" not in sys.modules
    pipeline.build(beside, engine="properdocs")
    assert "properdocs.replacement" not in sys.modules  # it never took the name in this process
    names = sorted(p.relative_to(alone / "site").as_posix() for p in (alone / "site").rglob("*") if p.is_file())
    assert names == sorted(
        p.relative_to(beside / "site").as_posix() for p in (beside / "site").rglob("*") if p.is_file()
    )
    differing = [n for n in names if (alone / "site" / n).read_bytes() != (beside / "site" / n).read_bytes()]
    assert differing == []
