"""The pipeline end to end: load, validate, render, write, build.

Nothing is written until the whole course is valid and every page has
rendered, so a mistake anywhere leaves docs/ and site/ exactly as they were.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import model
from .errors import CourseError, Problem
from .load import load_course
from .render import Output, render_course
from .site import build_site
from .validate import validate_course
from .write import OWNED_DOCS_FOLDERS, OWNED_DOCS_FILES, WriteReport, is_generated, write_outputs


@dataclass
class BuildReport:
    """Counts and timings of one build, for the progress lines and the benchmark."""

    course: model.Course
    outputs: list[Output]
    written: WriteReport
    seconds_validate: float
    seconds_render: float


def check(root: Path) -> model.Course:
    """Load and validate modules/ under root; raise CourseError with every problem."""
    return validate_course(load_course(root))


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


def render(root: Path, course: model.Course, templates: Path | None = None) -> list[Output]:
    """Render every page, turning template mistakes into one-line problems."""
    try:
        return render_course(course, templates, hand_written_guide_pages(root))
    except jinja2.TemplateSyntaxError as error:
        raise CourseError([Problem(_template_path(root, error.filename, error.name), error.lineno or 1, f"template error: {error.message}")]) from None
    except jinja2.TemplateError as error:
        # Jinja rewrites tracebacks so template frames carry the template's own file and line.
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")]
        where = (_template_path(root, frames[-1].filename, None), frames[-1].lineno or 1) if frames else ("templates", 1)
        raise CourseError([Problem(where[0], where[1], f"template error: {error}: check the template against the field reference")]) from None


def _template_path(root: Path, filename: str | None, name: str | None) -> str:
    if filename:
        try:
            return Path(filename).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return filename
    return f"templates/{name}" if name else "templates"


def generate(root: Path, templates: Path | None = None) -> BuildReport:
    """Validate, render and write docs/; do not run MkDocs."""
    started = time.perf_counter()
    course = check(root)
    validated = time.perf_counter()
    outputs = render(root, course, templates)
    written = write_outputs(root, outputs)
    rendered = time.perf_counter()
    return BuildReport(course, outputs, written, validated - started, rendered - validated)

