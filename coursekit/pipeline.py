"""The pipeline end to end: load, validate, render, write, build.

Nothing is written until the whole course is valid and every page has rendered, so a mistake
anywhere leaves docs/ and site/ exactly as they were. (The preview writes the few pages it shows
first once the course is valid, and puts them back if the rest then fails to render.) `build`,
`serve` and `deploy` all run through `build`, which times each stage for the progress lines and
the benchmark.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import cached_build, linkcheck, model
from . import render as renderer
from .blame import ENGINE_CONFIG, blame
from .confine import inside, project_problems
from .engines import DEFAULT as DEFAULT_ENGINE
from .errors import CourseError, Problem
from .kinds import FULL, Edition
from .load import Source, load_course
from .render import Output, TemplateProblem, remembered, render_course
from .site import build_site
from .validate import validate_course
from .write import (
    OWNED_DOCS_FILES,
    OWNED_DOCS_FOLDERS,
    WriteReport,
    is_generated,
    put_back,
    write_ahead,
    write_outputs,
)


@dataclass
class BuildReport:
    """Counts and timings of one run, for the progress lines and the benchmark."""

    course: model.Course
    outputs: list[Output]
    written: WriteReport
    seconds_validate: float
    seconds_render: float
    site: Path | None = None
    seconds_site: float = 0.0
    engine: str = DEFAULT_ENGINE


def check(root: Path, templates: Path | None = None) -> model.Course:
    """Load and validate modules/, refuse links out of what the engine reads; raise CourseError with every problem."""
    raw = load_course(root)
    if templates is None:
        setting, problems = templates_setting(root, raw.course)
        raw.problems += problems
        templates = setting if not problems else None
    raw.problems += project_problems(root, templates)  # before the engine, which follows every link
    return validate_course(raw)


def templates_setting(root: Path, course: Source | None) -> tuple[Path | None, list[Problem]]:
    """The template folder `templates:` in modules/course.yml names: a folder inside the project, or a problem there."""
    value = course.data.get("templates") if course and isinstance(course.data, dict) else None
    if not isinstance(value, str) or not value.strip():
        return None, []  # absent, or not text: the model reports the latter
    line = course.line_of(("templates",))
    folder = root / value.strip()
    if not inside(folder, root):
        why = "does not exist" if not os.path.lexists(folder) else "is outside the project"
        fix = "create it in the project" if why == "does not exist" else "use a folder inside the project"
        return None, [
            Problem(course.path, line, f"templates: the folder '{value.strip()}' {why}: {fix}, or remove the setting")
        ]
    if not folder.is_dir():
        return None, [
            Problem(
                course.path, line, f"templates: '{value.strip()}' is a file, not a folder: name a folder of templates"
            )
        ]
    return folder, []


def templates_of(root: Path, course: model.Course, templates: Path | None) -> Path | None:
    """The override folder a run uses: --templates when given, else `templates:` in modules/course.yml."""
    if templates is not None or course.meta.templates is None:
        return templates
    return root / course.meta.templates


def hand_written_guide_pages(root: Path) -> list[str]:
    """Hand-written Markdown pages in docs/ outside the generator's folders, for the nav."""
    docs = root / "docs"
    pages = []
    for path in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
        relative = path.relative_to(docs)
        if relative.parts[0] in OWNED_DOCS_FOLDERS or relative.as_posix() in OWNED_DOCS_FILES:
            continue
        if not is_generated(path):
            pages.append(relative.as_posix())
    # An index page leads its folder.
    return sorted(pages, key=lambda p: (p.rsplit("/", 1)[0] if "/" in p else "", not p.endswith("index.md"), p))


def render(root: Path, course: model.Course, templates: Path | None = None, edition: Edition = FULL) -> list[Output]:
    """Render every page, turning template mistakes into one-line problems at the template's file and line."""
    templates = templates_of(root, course, templates)
    with template_problems(root), remembered(root):
        return render_course(course, templates, hand_written_guide_pages(root), edition)


@contextmanager
def template_problems(root: Path) -> Iterator[None]:
    """A template mistake met inside becomes one problem at the template's file and line."""
    try:
        yield
    except TemplateProblem as problem:
        where = _template_path(root, problem.filename, problem.name)
        raise CourseError([Problem(where, problem.line, f"template error: {problem.message}")]) from None


def _template_path(root: Path, filename: str | None, name: str | None) -> str:
    if filename:
        try:
            return Path(filename).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return filename
    return f"templates/{name}" if name else "templates"


def forget(root: Path) -> None:
    """Start the project's next build cold: its build caches and its last render are dropped (the benchmark's full builds)."""
    cached_build.forget(root)
    renderer.forget(root)
    linkcheck.forget(root)


def generate(root: Path, templates: Path | None = None, edition: Edition = FULL) -> BuildReport:
    """Validate, render and write docs/ in one edition; do not build the site."""
    return Generation(root, templates, edition).finish()


class Generation:
    """One run of the generator: the course validated at once, then docs/ rendered and written by `finish`.

    The preview first renders and writes the few pages it shows (`write_ahead`); if the rest then fails to
    render, those files are put back, so a mistake still leaves docs/ as it was.
    """

    def __init__(self, root: Path, templates: Path | None = None, edition: Edition = FULL):
        started = time.perf_counter()
        self.root = root
        self.course = check(root, templates)
        self.seconds_validate = time.perf_counter() - started
        self.templates = templates_of(root, self.course, templates)
        self.edition = edition
        self.renderer: renderer.Renderer | None = None
        self.ahead: dict[str, bytes | None] = {}  # written ahead: each file's old bytes

    def _renderer(self) -> renderer.Renderer:
        if self.renderer is None:
            with template_problems(self.root):
                guide = hand_written_guide_pages(self.root)
                self.renderer = renderer.Renderer(self.course, self.templates, guide, self.edition)
        return self.renderer

    def write_ahead(self, picked: Callable[[renderer.Job], bool]) -> list[Output]:
        """Render the files `picked` chooses and write those that changed; returns the changed ones."""
        jobs = self._renderer()
        with template_problems(self.root):
            outputs = jobs.ahead(picked)
        old = write_ahead(self.root, outputs)
        self.ahead = old | self.ahead  # a file written ahead twice is put back to its first bytes
        return [output for output in outputs if output.path in old]

    def finish(self) -> BuildReport:
        """Render the rest and write docs/: the report counts files written ahead as written."""
        started = time.perf_counter()
        try:
            jobs = self._renderer()
            with template_problems(self.root), remembered(self.root):
                outputs = jobs.all()
            written = write_outputs(self.root, outputs)
        except CourseError:
            put_back(self.root, self.ahead)
            raise
        for path in self.ahead:
            if path not in written.written:
                written.written.append(path)
                written.unchanged -= 1
        seconds = time.perf_counter() - started
        return BuildReport(self.course, outputs, written, self.seconds_validate, seconds)


def build(
    root: Path,
    templates: Path | None = None,
    site_dir: Path | None = None,
    engine: str | None = None,
    edition: Edition = FULL,
    **engine_options,
) -> BuildReport:
    """The whole pipeline: generate docs/ in one edition, then build the site strictly into site_dir (default root/site).

    `engine` overrides `engine:` in modules/course.yml; `engine_options` are engine config values,
    e.g. site_url for the preview server.
    """
    return build_generated(root, generate(root, templates, edition), site_dir, engine, **engine_options)


def build_generated(
    root: Path, report: BuildReport, site_dir: Path | None = None, engine: str | None = None, **engine_options
) -> BuildReport:
    """Build the site from pages `generate` just wrote, adding its time to the report.

    The engine's problems, and our link check's, are reported at the module file and line that caused them.
    """
    started = time.perf_counter()
    report.engine = engine or report.course.meta.engine
    try:
        report.site = build_site(root, site_dir, engine=report.engine, **engine_options)
    except CourseError as error:
        raise CourseError(blame(error.problems, report.outputs, root), error.outcome) from None
    report.seconds_site = time.perf_counter() - started
    return report


def verify(root: Path, templates: Path | None = None, engine: str | None = None) -> BuildReport:
    """Every check `build` makes, links and anchors included, writing nothing in the project.

    The pages are written to a scratch copy of the project's engine files and built there, so
    the pull-request check fails on exactly what the build on main would fail on.
    """
    started = time.perf_counter()
    course = check(root, templates)
    validated = time.perf_counter()
    outputs = render(root, course, templates)
    with tempfile.TemporaryDirectory(prefix="course-kit-check-") as scratch:
        copy = Path(scratch) / "project"
        _copy_engine_files(root, copy)
        written = write_outputs(copy, outputs)
        report = BuildReport(course, outputs, written, validated - started, time.perf_counter() - validated)
        report.engine = engine or course.meta.engine
        built = time.perf_counter()
        try:
            build_site(copy, copy / "site", engine=report.engine)
        except CourseError as error:
            raise CourseError(blame(error.problems, outputs, root), outcome="nothing was written") from None
        report.seconds_site = time.perf_counter() - built
    return report


def _copy_engine_files(root: Path, copy: Path) -> None:
    """What the engine reads besides the generated pages: its config, docs/ and the theme overrides."""
    copy.mkdir()
    shutil.copy2(root / ENGINE_CONFIG, copy / ENGINE_CONFIG)
    for folder in ("docs", "overrides"):
        if (root / folder).is_dir():
            shutil.copytree(root / folder, copy / folder, symlinks=True)
