"""The command line: parse arguments, call the pipeline, map CourseError to exit 1.

No traceback ever reaches a trainer for a problem in their files: every
CourseError is printed as `path:line: message` lines and the exit code is 1.
"""

from __future__ import annotations

import json
import sys
import time
from functools import wraps
from pathlib import Path

import click

from . import pipeline, scaffold
from .engines import DEFAULT as DEFAULT_ENGINE
from .engines import ENGINES
from .errors import CourseError, Problem, one_of
from .kinds import EDITIONS, KINDS, Edition
from .output import Console
from .site import remove_site
from .stats import course_stats, plural, summary_line
from .write import clean as clean_generated

REPO_ROOT = Path(__file__).resolve().parent.parent

project_option = click.option(
    "--project",
    "-C",
    type=click.Path(file_okay=False, path_type=Path, resolve_path=True),  # one root, whatever folder the engines run in
    default=REPO_ROOT,
    show_default="this repository",
    help="The course project folder (holding modules/, docs/ and mkdocs.yml).",
)
templates_option = click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="A folder of template overrides; templates it lacks come from templates/.",
)

engine_option = click.option(
    "--engine",
    default=None,
    metavar="NAME",
    help=f"The site engine for this run: {', '.join(ENGINES)} (default: `engine:` in modules/course.yml, else {DEFAULT_ENGINE}).",
)


def _known(option: str, noun: str, name: str, names) -> str:
    """A name as given, or one line saying which names there are (Click's own error would exit 2)."""
    if name not in names:
        raise CourseError([Problem(option, 0, f"unknown {noun} '{name}': {one_of(name, names)}")])
    return name


def _engine(name: str | None) -> str | None:
    """An engine's name as given (None: the course's own setting)."""
    return None if name is None else _known("--engine", "engine", name, ENGINES)


def _edition(name: str) -> Edition:
    """The edition a name stands for."""
    return EDITIONS[_known("--edition", "edition", name, EDITIONS)]


edition_option = click.option(
    "--edition",
    default="full",
    metavar="NAME",
    show_default=True,
    help="; ".join(f"'{e.name}': {e.summary}" for e in EDITIONS.values())
    + ". A static site cannot hide a page from anyone who has its address: publish the student edition, keep the full one private.",
)


def reports_problems(command):
    """Print a CourseError's problems and exit 1, instead of a traceback."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        console = Console(kwargs.get("fmt", "text"))
        try:
            return command(*args, console=console, **kwargs)
        except CourseError as error:
            console.problems(error.problems, error.outcome)
            sys.exit(1)

    return wrapper


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def main(ctx: click.Context) -> None:
    """Turn the course modules in modules/ into the training site in site/.

    With no command, runs `build`.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(build)


@main.command()
@project_option
@templates_option
@engine_option
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but problems.")
@edition_option
@reports_problems
def build(
    project: Path = REPO_ROOT,
    templates: Path | None = None,
    engine: str | None = None,
    quiet: bool = False,
    edition: str = "full",
    console: Console | None = None,
) -> None:
    """Validate modules/, render docs/, and build site/ with the site engine (strict), then check its links."""
    console.quiet = quiet
    report = pipeline.build(project, templates, engine=_engine(engine), edition=_edition(edition))
    _report_progress(console, report, project)


def _report_progress(console: Console, report: pipeline.BuildReport, project: Path) -> None:
    """The three progress lines of a build: validated, rendered, built."""
    counts = ", ".join(kind.describe(len(report.course.parts(kind.name))) for kind in KINDS if kind.where == "part")
    console.info(
        f"validated {plural(len(report.course.modules), 'module')}, {counts} in {report.seconds_validate:.2f} s"
    )
    written = report.written
    console.info(
        f"rendered {len(report.outputs)} pages in {report.seconds_render:.2f} s: {len(written.written)} written, {written.unchanged} unchanged, {len(written.removed)} removed"
    )
    if report.site is not None:
        where = report.site.relative_to(project) if report.site.is_relative_to(project) else report.site
        console.info(f"built the site with {ENGINES[report.engine].label} in {report.seconds_site:.1f} s: {where}/")


@main.command()
@project_option
@templates_option
@engine_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="'github' prints problems as GitHub Actions annotations.",
)
@click.option(
    "--quick", is_flag=True, help="Validate modules/ only: skip the site build that checks links and anchors."
)
@reports_problems
def check(
    project: Path = REPO_ROOT,
    templates: Path | None = None,
    engine: str | None = None,
    fmt: str = "text",
    quick: bool = False,
    console: Console | None = None,
) -> None:
    """Run every check the build runs (links and anchors too); write nothing."""
    engine = _engine(engine)
    course = pipeline.check(project, templates) if quick else pipeline.verify(project, templates, engine).course
    click.echo(summary_line(course))


@main.command()
@project_option
@templates_option
@engine_option
@click.option("--port", default="8000", show_default=True, metavar="PORT", help="Port on 127.0.0.1 (1 to 65535).")
@reports_problems
def serve(
    project: Path = REPO_ROOT,
    templates: Path | None = None,
    engine: str | None = None,
    port: str = "8000",
    console: Console | None = None,
) -> None:
    """Preview on http://127.0.0.1:PORT/, rebuilding when modules/ or templates/ change.

    A save that breaks the build prints its problems and the last good site stays up.
    """
    from .serve import serve as run_server

    run_server(project, console, templates, port=_port(port), engine=_engine(engine))


def _port(text: str) -> int:
    """A TCP port number, or one line saying what a port is."""
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        problem = Problem("serve", 0, f"'{text}' is not a port: choose a whole number from 1 to 65535 with --port")
        raise CourseError([problem], outcome="nothing was served")
    return int(text)


@main.group()
def new() -> None:
    """Scaffold a module, exercise or role-play that passes `check` at once."""


@new.command("module")
@click.argument("title")
@click.option("--week", type=int, default=None, help="Course week (default: the last week that has a module).")
@project_option
@reports_problems
def new_module(title: str, week: int | None, project: Path = REPO_ROOT, console: Console | None = None) -> None:
    """Write modules/NN-id/module.md for TITLE."""
    path = scaffold.new_module(project, title, week)
    console.info(f"wrote {path.relative_to(project)}: fill in each field, then run `python build_course.py check`")


def _new_part_command(kind) -> None:
    """`new KIND MODULE TITLE` for a kind whose files live in a module's folder."""

    @project_option
    @reports_problems
    def command(module: str, title: str, project: Path = REPO_ROOT, console: Console | None = None) -> None:
        path = scaffold.new_part(project, kind, module, title)
        console.info(f"wrote {path.relative_to(project)}")

    command.__doc__ = f"Write a {kind.noun} called TITLE in MODULE (a module id)."
    new.command(kind.name)(click.argument("module")(click.argument("title")(command)))


for _kind in KINDS:
    if _kind.where == "part" and _kind.scaffold:
        _new_part_command(_kind)


@main.command()
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@reports_problems
def stats(project: Path = REPO_ROOT, as_json: bool = False, console: Console | None = None) -> None:
    """Count modules, exercises, role-plays, terms, references, words and coverage."""
    figures = course_stats(pipeline.check(project))
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    for key, value in figures.items():
        if isinstance(value, dict):
            click.echo(f"{key}:")
            for name, counts in value.items():
                click.echo(
                    f"  {name}: "
                    + ", ".join(
                        kind.describe(counts[kind.plural.replace("-", "")])
                        for kind in KINDS
                        if kind.plural.replace("-", "") in counts
                    )
                )
        else:
            click.echo(f"{key}: {value}")


@main.command()
@project_option
@reports_problems
def clean(project: Path = REPO_ROOT, console: Console | None = None) -> None:
    """Remove generated pages and site/; hand-written files stay."""
    removed = clean_generated(project)
    remove_site(project)
    console.info(f"removed {len(removed)} generated files and site/")


@main.command("schema")
@project_option
@click.option("--check", "check_only", is_flag=True, help="Fail if the committed schema files are out of date.")
@reports_problems
def schema_cmd(project: Path = REPO_ROOT, check_only: bool = False, console: Console | None = None) -> None:
    """Write the JSON Schemas of the front matter to schema/."""
    from . import schema

    changed = schema.write_schemas(project / "schema", dry_run=check_only)
    if check_only and changed:
        raise CourseError([schema.stale_problem(changed)])
    console.info(f"schema/: {len(changed)} files updated")


@main.command()
@project_option
@templates_option
@click.option(
    "--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help="The paper size to print on."
)
@engine_option
@edition_option
@reports_problems
def pdf(
    project: Path = REPO_ROOT,
    templates: Path | None = None,
    engine: str | None = None,
    paper: str = "a4",
    edition: str = "full",
    console: Console | None = None,
) -> None:
    """Build the site, then print the handbooks and a pack per week into site/pdf/ (headless Chromium).

    The student edition prints no facilitator's handbook: what it publishes, anyone can read.
    """
    from .pdf import print_course, ready

    ready()  # a missing browser is said before the build, not after it
    chosen = _edition(edition)
    report = pipeline.build(project, templates, engine=_engine(engine), edition=chosen)
    _report_progress(console, report, project)
    started = time.perf_counter()
    printed = print_course(project, report.site, report.course, paper, chosen)
    pages = sum(p.pages for p in printed)
    where = report.site.relative_to(project) if report.site.is_relative_to(project) else report.site
    console.info(
        f"printed {plural(len(printed), 'PDF')} ({plural(pages, 'page')}) in {time.perf_counter() - started:.1f} s: {where}/pdf/"
    )


@main.command()
@project_option
@templates_option
@engine_option
@edition_option
@reports_problems
def deploy(
    project: Path = REPO_ROOT,
    templates: Path | None = None,
    engine: str | None = None,
    edition: str = "full",
    console: Console | None = None,
) -> None:
    """Build (strict), then publish that site/ to the gh-pages branch; a failed build publishes nothing."""
    from .deploy import publish

    report = pipeline.build(project, templates, engine=_engine(engine), edition=_edition(edition))
    _report_progress(console, report, project)
    console.info(f"published site/ to {publish(project, report.site, ENGINES[report.engine])}")
