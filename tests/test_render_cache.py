"""The renderer's memory of its last render (the preview's fast path) never serves a stale page.

An item's page is reused while its key holds: the course's outline (every field but the modules'
bodies), the templates, and the bodies of its own module folder (every body, with override templates). These tests check that
promise where it could break: a body edit may change only pages of the same folder, on the
shipped course and on the fixture; and after a run of edits the remembered render equals a
render from nothing, with the kit's templates and with an override.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coursekit import pipeline, private_cache, render
from tests.conftest import FIXTURE_MODULES, REPO, edit, make_project


def fresh_render(root: Path) -> dict[str, str]:
    """Every generated file's text, rendered with nothing remembered."""
    render.forget(root)
    outputs = pipeline.render(root, pipeline.check(root))
    return {output.path: output.text for output in outputs}


def sources(root: Path) -> dict[str, str]:
    """Each generated file's path, with the source file it is made from."""
    return {output.path: output.source for output in pipeline.render(root, pipeline.check(root))}


def add_exercise(root: Path) -> None:
    """A copy of the first module's exercise, with its own id."""
    target = root / "modules/01-first-steps/exercises/draw-a-circle-again.md"
    shutil.copy(root / "modules/01-first-steps/exercises/draw-a-circle.md", target)
    edit(target, "id: draw-a-circle", "id: draw-a-circle-again")


@pytest.mark.parametrize("course", ["fixture", "shipped"])
def test_a_body_edit_changes_only_pages_of_its_own_folder(tmp_path: Path, course: str) -> None:
    """Course pages (the syllabus, the glossary, the maps) read no body; an item's page only its own folder's."""
    root = make_project(tmp_path / "project", REPO / "modules" if course == "shipped" else FIXTURE_MODULES)
    before = fresh_render(root)
    owners = sources(root)
    for folder in sorted(p for p in (root / "modules").iterdir() if p.is_dir() and p.name[:2].isdigit()):
        saved = {path: path.read_text(encoding="utf-8") for path in folder.rglob("*.md")}
        for path, text in saved.items():  # every body of the folder: the module's, its exercises', ...
            path.write_text(text.rstrip("\n") + "\n\nA sentence only this test writes.\n", encoding="utf-8")
        after = fresh_render(root)
        changed = {name for name in before if after.get(name) != before[name]}
        own = f"modules/{folder.name}/"
        strays = sorted(name for name in changed if own not in owners[name])
        assert strays == [], f"a body in {folder.name} changed pages of other folders"
        assert changed, "the edit changed no page at all: the check would pass by finding nothing"
        for path, text in saved.items():
            path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("override", [False, True])
def test_after_a_run_of_edits_the_remembered_render_is_a_render_from_nothing(tmp_path: Path, override: bool) -> None:
    root = make_project(tmp_path / "project")
    if override:  # a trainer's syllabus that shows the first module's lesson: a course page that reads a body
        (root / "my-templates").mkdir()
        syllabus = (REPO / "templates/syllabus.md.j2").read_text(encoding="utf-8")
        (root / "my-templates/syllabus.md.j2").write_text(
            syllabus + "\n{{ course.modules[0].body }}\n", encoding="utf-8"
        )
        edit(root / "modules/course.yml", "title: Fixture course", "title: Fixture course\ntemplates: my-templates")
    render.forget(root)
    module = root / "modules/01-first-steps/module.md"
    edits = [
        lambda: module.write_text(module.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8"),
        lambda: edit(module, "title: First steps", "title: First steps, retitled"),
        lambda: edit(root / "modules/01-first-steps/exercises/draw-a-circle.md", "Use a sheet", "Use a large sheet"),
        lambda: add_exercise(root),
    ]
    pipeline.render(root, pipeline.check(root))
    course = pipeline.check(root)
    renderer = render.Renderer(
        course, pipeline.templates_of(root, course, None), pipeline.hand_written_guide_pages(root)
    )
    keys = [job.key for job in renderer.jobs() if job.key is not None]
    assert keys and all(key in render._RENDERED for key in keys), "a second run reuses nothing: a key is unstable"
    for change in edits:
        change()
        course = pipeline.check(root)
        remembered = {o.path: o.text for o in pipeline.render(root, course)}
        assert remembered == fresh_render(root)
        pipeline.render(root, course)  # fill the memory again for the next edit


def test_a_new_process_renders_only_what_changed_since_the_kept_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `build` reads the last render from the private cache: after a body edit it renders only that folder's pages."""
    root = make_project(tmp_path / "project")
    render.forget(root)
    course = pipeline.check(root)
    first = pipeline.render(root, course)
    kept = private_cache.read(render.memory_path(root), render.MEMORY_MAX_BYTES)
    assert sorted(o.path for o in kept.values()) == sorted(o.path for o in first)
    module = root / "modules/01-first-steps/module.md"
    module.write_text(module.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    rendered: list[str] = []
    real_render = render.Renderer.render
    monkeypatch.setattr(
        render.Renderer,
        "render",
        lambda self, t, path, *a, **k: rendered.append(path) or real_render(self, t, path, *a, **k),
    )
    render._RENDERED.clear()  # as in a new process
    remembered = {o.path: o.text for o in pipeline.render(root, pipeline.check(root))}
    owners = sources(root)
    assert rendered and all("modules/01-first-steps/" in owners[path] for path in rendered)
    assert len(rendered) < len(first) / 2
    monkeypatch.undo()
    assert remembered == fresh_render(root)
