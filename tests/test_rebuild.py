"""A build after one edit reuses the last build's work, and its site/ is byte for byte a fresh full build's.

Each case builds the fixture course, makes one edit, builds again (through the build cache, from
the previous site/), then builds a copy of the edited project from nothing, and compares every
file of the two sites, the search index included. The counts of reused steps show the second
build did reuse work, so the comparison is between two different paths through the engine.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from coursekit import cached_build, helper_process, pipeline
from coursekit.errors import CourseError
from tests.conftest import edit, make_project


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site by its path."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def edit_lesson_body(root: Path) -> None:
    module = root / "modules/01-first-steps/module.md"
    module.write_text(module.read_text(encoding="utf-8") + "\nOne more sentence about circles.\n", encoding="utf-8")


def edit_module_title(root: Path) -> None:
    edit(root / "modules/01-first-steps/module.md", "title: First steps", "title: First steps, retitled")


def add_exercise(root: Path) -> None:
    folder = root / "modules/01-first-steps/exercises"
    text = (folder / "draw-a-circle.md").read_text(encoding="utf-8")
    text = text.replace("id: draw-a-circle", "id: draw-a-square").replace(
        "title: Draw a circle", "title: Draw a square"
    )
    (folder / "draw-a-square.md").write_text(text, encoding="utf-8")


class Reused:
    """Counts, across builds, how many pages each cached step took from the cache."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.hits: list[dict[str, int]] = []
        save = cached_build.BuildCache.save

        def counting_save(cache: cached_build.BuildCache) -> None:
            self.hits.append(dict(cache.hits))
            save(cache)

        monkeypatch.setattr(cached_build.BuildCache, "save", counting_save)


@pytest.mark.parametrize("change", [edit_lesson_body, edit_module_title, add_exercise])
def test_a_rebuild_after_one_edit_is_byte_identical_to_a_full_build(
    tmp_path: Path, change, monkeypatch: pytest.MonkeyPatch
) -> None:
    reused = Reused(monkeypatch)
    project = make_project(tmp_path / "project")
    pipeline.build(project)
    change(project)
    changed = pipeline.build(project).written  # the pages whose generated Markdown the edit changed
    fresh = tmp_path / "fresh"
    make_project(fresh)
    shutil.rmtree(fresh / "modules")
    shutil.copytree(project / "modules", fresh / "modules")
    pipeline.build(fresh)

    first, rebuilt, from_nothing = reused.hits
    assert first == {"markdown": 0, "search": 0, "output": 0}
    assert from_nothing == {"markdown": 0, "search": 0, "output": 0}
    pages = len(list((project / "site").rglob("*.html")))
    retyped = len(changed.written) + len(changed.removed)
    # All but the pages whose text changed, and the few whose links now find another page, came from the cache.
    assert rebuilt["markdown"] >= pages - retyped - 10
    # Only pages whose text changed, or that show the edited page in their (pruned) navigation, render again.
    assert rebuilt["output"] >= pages / 2
    incremental, full = site_files(project / "site"), site_files(fresh / "site")
    assert sorted(incremental) == sorted(full)
    assert [name for name in full if incremental[name] != full[name]] == []


def test_an_edit_shows_in_the_rebuilt_page(tmp_path: Path) -> None:
    """The cache never serves the old page: the edit is there after the rebuild."""
    project = make_project(tmp_path / "project")
    pipeline.build(project)
    edit_module_title(project)
    edit_lesson_body(project)
    pipeline.build(project)
    page = (project / "site/weeks/first-steps/index.html").read_text(encoding="utf-8")
    assert "One more sentence about circles." in page
    neighbour = (project / "site/weeks/loss-and-change/index.html").read_text(encoding="utf-8")
    assert "First steps, retitled" in neighbour


def test_a_damaged_build_cache_only_costs_time(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    pipeline.build(project)
    cache = cached_build.BuildCache(project)
    assert cache.path is not None and cache.path.exists()
    cache.path.write_bytes(b"not a pickle")
    pipeline.build(project)
    assert (project / "site/weeks/first-steps/index.html").exists()
    assert cached_build.BuildCache(project).loaded != {}


# --- The helper process ------------------------------------------------------------------------


@pytest.fixture
def helper_on_every_build(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Let a helper process take half of even the small fixture course; returns the helpers started, by pid."""
    monkeypatch.setenv(helper_process.JOBS_VARIABLE, "2")
    monkeypatch.setattr(cached_build, "HELPER_MIN_WORK", 2)
    started: list[int] = []
    real = helper_process.Helper.__init__

    def counted(helper, work):
        real(helper, work)
        started.append(helper.pid)

    monkeypatch.setattr(helper_process.Helper, "__init__", counted)
    return started


def built_alone(tmp_path: Path, modules: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The site one process builds from a copy of `modules`, from a cold cache."""
    with monkeypatch.context() as alone:
        alone.setenv(helper_process.JOBS_VARIABLE, "1")
        project = make_project(tmp_path / "alone")
        shutil.rmtree(project / "modules")
        shutil.copytree(modules, project / "modules")
        pipeline.build(project)
    return site_files(project / "site")


def test_a_build_shared_with_a_helper_process_is_byte_identical_to_one_process_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper_on_every_build: list[int]
) -> None:
    project = make_project(tmp_path / "project")
    pipeline.build(project)
    assert len(helper_on_every_build) == 2  # one for the Markdown, one for the templates
    shared = site_files(project / "site")
    alone = built_alone(tmp_path, project / "modules", monkeypatch)
    assert sorted(shared) == sorted(alone)
    assert [name for name in alone if shared[name] != alone[name]] == []
    # And again after a title edit, which converts the pages it changed and re-renders templates through the cache.
    edit_module_title(project)
    pipeline.build(project)
    assert len(helper_on_every_build) == 4  # the changed pages' Markdown, and the templates whose navigation changed
    shared = site_files(project / "site")
    alone = built_alone(tmp_path / "again", project / "modules", monkeypatch)
    assert [name for name in alone if shared.get(name) != alone[name]] == []


def test_a_helper_that_dies_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper_on_every_build: list[int]
) -> None:
    parent = os.getpid()
    build_page = cached_build._build_page

    def dies_in_the_helper(*args, **kwargs):
        if os.getpid() != parent:
            os._exit(3)  # killed, out of memory: no result at all
        return build_page(*args, **kwargs)

    monkeypatch.setattr(cached_build, "_build_page", dies_in_the_helper)
    project = make_project(tmp_path / "project")
    pipeline.build(project)
    assert len(helper_on_every_build) == 2
    alone = built_alone(tmp_path, project / "modules", monkeypatch)
    assert site_files(project / "site") == alone


def test_a_broken_link_in_the_helpers_share_is_reported_as_one_process_reports_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper_on_every_build: list[int]
) -> None:
    project = make_project(tmp_path / "project")
    last = sorted((project / "modules").glob("*/module.md"))[-1]  # the last pages are the helper's
    last.write_text(last.read_text(encoding="utf-8") + "\nSee [the missing page](nowhere.md).\n", encoding="utf-8")
    with pytest.raises(CourseError) as shared:
        pipeline.build(project)
    helpers = len(helper_on_every_build)
    assert helpers
    monkeypatch.setenv(helper_process.JOBS_VARIABLE, "1")
    pipeline.forget(project)
    with pytest.raises(CourseError) as alone:
        pipeline.build(project)
    assert len(helper_on_every_build) == helpers  # the second build ran in one process
    assert [str(p) for p in shared.value.problems] == [str(p) for p in alone.value.problems]
    assert any("nowhere.md" in str(p) and "module.md" in str(p) for p in alone.value.problems)
