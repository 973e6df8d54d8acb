"""The engine and template settings in modules/course.yml, and our own link check, on the fixture course."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from coursekit import pipeline
from coursekit.errors import CourseError
from coursekit.linkcheck import check_links
from tests.conftest import edit, run_cli
from tests.test_serve import _stop, _wait_for, serving

COURSE = "modules/course.yml"
M1 = "modules/01-first-steps/module.md"
WORKSHEET = '{% from "_macros.md.j2" import front %}{{ front(exercise.meta.title, marker) }}\n\n# Kept override: {{ exercise.meta.title }}\n'


def _set(project: Path, line: str) -> int:
    """Add a line to modules/course.yml; its line number."""
    course = project / COURSE
    text = course.read_text(encoding="utf-8").rstrip("\n") + "\n" + line + "\n"
    course.write_text(text, encoding="utf-8")
    return text.count("\n")


def _override(project: Path, folder: str = "course-templates") -> None:
    (project / folder).mkdir()
    (project / folder / "exercise.md.j2").write_text(WORKSHEET, encoding="utf-8")


def test_an_unknown_engine_is_one_line_on_the_command_line_and_in_course_yml(project: Path):
    given = run_cli("build", "--engine", "mkdoc", project=project)
    assert given.returncode == 1
    assert given.stderr.splitlines() == [
        "--engine: unknown engine 'mkdoc': expected one of mkdocs, properdocs, zensical; did you mean 'mkdocs'?",
        "error: 1 problem; nothing was written",
    ]
    line = _set(project, "engine: zensicall")
    set_there = run_cli("check", "--quick", project=project)
    assert set_there.returncode == 1
    assert set_there.stderr.splitlines()[0] == (
        f"{COURSE}:{line}: engine: unknown engine 'zensicall': expected one of mkdocs, properdocs, zensical;"
        " did you mean 'zensical'?"
    )


@pytest.mark.parametrize(
    ("case", "setting", "expected"),
    [
        ("missing_folder", "templates: nowhere", "templates: the folder 'nowhere' does not exist: create it in the project, or remove the setting"),
        ("folder_outside_the_project", "templates: ../..", "templates: the folder '../..' is outside the project: use a folder inside the project, or remove the setting"),
        ("a_file", "templates: mkdocs.yml", "templates: 'mkdocs.yml' is a file, not a folder: name a folder of templates"),
    ],
)  # fmt: skip
def test_a_bad_templates_setting_is_one_line_at_its_line(project: Path, case, setting, expected):
    line = _set(project, setting)
    with pytest.raises(CourseError) as error:
        pipeline.check(project)
    assert [str(p) for p in error.value.problems] == [f"{COURSE}:{line}: {expected}"]


def test_a_templates_setting_survives_build_and_the_command_line_still_wins(project: Path):
    _override(project)
    _set(project, "templates: course-templates")
    built = run_cli("build", project=project)
    assert built.returncode == 0, built.stderr
    assert "# Kept override: Draw a circle" in (project / "docs/exercises/draw-a-circle.md").read_text(encoding="utf-8")
    assert "Kept override: Draw a circle" in (project / "site/exercises/draw-a-circle/index.html").read_text("utf-8")
    shipped = project / "shipped-templates"
    shipped.mkdir()
    pipeline.generate(project, templates=shipped)  # an empty folder: every template from templates/
    assert "Kept override" not in (project / "docs/exercises/draw-a-circle.md").read_text(encoding="utf-8")


def test_a_templates_setting_is_used_and_watched_by_the_preview(project: Path, tmp_path: Path):
    _override(project)
    _set(project, "templates: course-templates")
    with serving(project, tmp_path) as (server, url, log, temp):
        page = url + "exercises/draw-a-circle/"
        _wait_for(page, "Kept override: Draw a circle")
        edit(project / "course-templates/exercise.md.j2", "Kept override", "Edited override")
        _wait_for(page, "Edited override: Draw a circle")
        _stop(server, signal.SIGTERM, log, temp)


def test_link_check_reports_a_broken_anchor_no_engine_sees_at_the_module_line(project: Path):
    # Raw HTML in a lesson: MkDocs validates only Markdown links, so this one reaches our check alone.
    with (project / M1).open("a", encoding="utf-8") as file:
        file.write('\n<a href="#no-such-place">below</a>\n')
    line = (project / M1).read_text(encoding="utf-8").splitlines().index('<a href="#no-such-place">below</a>') + 1
    before = (project / "site").exists()
    built = run_cli("build", project=project)
    assert built.returncode == 1
    assert built.stderr.splitlines() == [
        f"{M1}:{line}: the link '#no-such-place' (on the page docs/weeks/first-steps.md) is broken: there is no"
        " anchor '#no-such-place' on this page; correct the link or its target",
        "error: 1 problem; site/ was left as it was",
    ]
    assert (project / "site").exists() == before


def test_link_check_keeps_each_pages_links_by_content_for_the_next_process(tmp_path: Path, monkeypatch):
    """A second `build` parses only the pages that changed: the links and ids of the others come from a
    private file keyed by each page's content. A changed page is read again, and a damaged file is ignored."""
    from coursekit import linkcheck

    site, docs = tmp_path / "site", tmp_path / "docs"
    docs.mkdir()
    (site / "weeks/x").mkdir(parents=True)
    (site / "index.html").write_text('<h2 id="top">Top</h2>', "utf-8")
    page = site / "weeks/x/index.html"
    page.write_text('<a href="../../#top">up</a>', "utf-8")
    assert check_links(site, docs) == []
    stored = linkcheck.private_cache.read(linkcheck.store_path(docs), linkcheck._PageReads.MAX_BYTES)
    assert sorted(stored.values(), key=str) == sorted(
        [((), frozenset({"top"})), (("../../#top",), frozenset())], key=str
    )

    def new_process():
        monkeypatch.setattr(linkcheck, "_READ", linkcheck._PageReads())

    new_process()
    parsed, pattern = [], linkcheck._LINK

    class Watched:
        def findall(self, text: str) -> list[str]:
            parsed.append(text)
            return pattern.findall(text)

    monkeypatch.setattr(linkcheck, "_LINK", Watched())
    assert check_links(site, docs) == []
    assert parsed == []  # both pages came from the stored file
    page.write_text('<a href="../../#gone">up</a>', "utf-8")
    new_process()
    assert [p.message for p in check_links(site, docs)] == [
        "Doc file 'weeks/x.md' contains a link '../../#gone', but there is no anchor '#gone' on the page 'index.html'."
    ]
    assert parsed == ['<a href="../../#gone">up</a>']  # only the page that changed

    new_process()
    linkcheck.store_path(docs).write_bytes(b"not a pickle")
    assert len(check_links(site, docs)) == 1


def test_link_check_is_clean_on_a_built_site_and_names_a_missing_file(built_fixture: Path, tmp_path: Path):
    assert check_links(built_fixture / "site", built_fixture / "docs") == []
    page = tmp_path / "site/weeks/x/index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<a href="../gone/">x</a><img src="../../assets/nope.png"><a href="https://example.org/">', "utf-8")
    assert [p.message for p in check_links(tmp_path / "site")] == [
        "Doc file 'weeks/x.md' contains a link '../gone/', but the site has no page or file 'weeks/gone'.",
        "Doc file 'weeks/x.md' contains a link '../../assets/nope.png', but the site has no page or file 'assets/nope.png'.",
    ]
