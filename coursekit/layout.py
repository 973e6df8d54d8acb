"""The one owner of where every generated page goes and what its address is.

Templates ask for links through `link(...)`, the writer asks which folders it owns, and the
validator asks whether a trainer's id would land on a page the kit generates. Nothing else
builds a path.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass

from . import model
from .errors import Problem
from .kinds import BY_NAME, KINDS, MODULE, PAGE, Kind

DOCS = "docs"
GENERATED_DIR = ".generated"  # wholly owned, outside docs/: the engine's config


@dataclass(frozen=True)
class CoursePage:
    """A page the kit generates once per course (not per item)."""

    name: str
    path: str  # under docs/
    template: str
    title: str
    source: str  # what a trainer edits to change it, named in the page's marker
    searchable: bool = True
    trainers: bool = False  # in the Trainers section: search ranks it after every student page
    facilitator: bool = False  # the facilitator's material: not built in the student edition


COURSE_PAGES: tuple[CoursePage, ...] = (
    CoursePage("home", "index.md", "home.md.j2", "the home page", "modules/course.yml"),
    CoursePage("syllabus", "course/syllabus.md", "syllabus.md.j2", "the syllabus", "modules/"),
    CoursePage("labels", "course/labels.md", "labels.md.j2", "What the labels mean", "coursekit/vocabulary.py"),
    CoursePage("glossary", "course/glossary.md", "glossary.md.j2", "the glossary", "modules/glossary.yml"),
    CoursePage("references", "course/references.md", "references.md.j2", "the references", "modules/references.yml"),
    CoursePage("matrix", "course/matrix.md", "matrix.md.j2", "the integration matrix", "modules/"),
    CoursePage("progress", "course/progress.md", "progress.md.j2", "the progress page", "modules/"),
    # The learner record's pages: filled in by docs/assets/record.js from the student's own browser.
    CoursePage("journal", "course/journal.md", "journal.md.j2", "the journal page", "modules/"),
    CoursePage("practice", "course/practice.md", "practice.md.j2", "the practice log page", "modules/"),
    CoursePage("portfolio", "course/portfolio.md", "portfolio.md.j2", "the portfolio page", "modules/"),
    CoursePage("tags", "course/tags.md", "tags.md.j2", "the tags page", "modules/"),
    CoursePage("exercises", "exercises/index.md", "exercises_index.md.j2", "the exercise library", "modules/"),
    CoursePage("roleplays", "roleplays/index.md", "roleplays_index.md.j2", "the role-play library", "modules/"),
    CoursePage("quizzes", "quizzes/index.md", "quizzes_index.md.j2", "the self-check quizzes", "modules/"),
    CoursePage(
        "competences", "course/competences.md", "competences.md.j2", "the competence map", "modules/competences.yml"
    ),
    CoursePage(
        "facilitator",
        "facilitator/index.md",
        "facilitator_index.md.j2",
        "the facilitator guide",
        "modules/",
        trainers=True,
        facilitator=True,
    ),
    CoursePage(
        "fields", "reference/fields.md", "fields.md.j2", "the field reference", "coursekit/model.py", trainers=True
    ),
)
COURSE_PAGE = {p.name: p for p in COURSE_PAGES}
# Generated files that are not pages: (path under the project, template, source).
SUPPORT_FILES = (
    (f"{DOCS}/course/labels.css", "labels.css.j2", "coursekit/vocabulary.py"),
    (f"{DOCS}/course/branding.css", "branding.css.j2", "modules/course.yml"),
    (f"{DOCS}/course/record-data.json", "record-data.json.j2", "modules/"),  # read by docs/assets/record.js
    (f"{GENERATED_DIR}/mkdocs-course.yml", "mkdocs-course.yml.j2", "modules/course.yml"),
)


def kind_of_item(item: object) -> Kind:
    """The kind of a validated module, part or course page."""
    if isinstance(item, model.Module):
        return MODULE
    if isinstance(item, model.Part):
        return BY_NAME[item.kind]
    if isinstance(item, model.Page):
        return PAGE
    raise TypeError(f"{item!r} has no page")


def item_path(kind: Kind, item_id: str, view: str = "page") -> str:
    """Where an item's page goes, under docs/: 'weeks/grief-and-loss.md'."""
    folder = next(v.folder for v in kind.views if v.name == view)
    return f"{folder}/{item_id}.md"


def docs_path(target: object, view: str = "page") -> str:
    """The page of a module, part or course page (by object), or a generated course page (by name)."""
    if isinstance(target, str):
        return COURSE_PAGE[target].path
    return item_path(kind_of_item(target), target.meta.id, view)  # type: ignore[attr-defined]


def url_of(path: str) -> str:
    """The address of a docs/ page relative to the site root, as the engine serves it (directory URLs)."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


@functools.lru_cache(maxsize=1 << 16)  # pages link the same few targets many times
def relative_link(from_path: str, to_path: str, anchor: str | None = None) -> str:
    """A Markdown link target from one docs/ page to another: '../weeks/grief-and-loss.md#goals'."""
    link = posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")
    return f"{link}#{anchor}" if anchor else link


def owned_folders() -> tuple[str, ...]:
    """The top-level docs/ folders that hold generated pages (and the trainer's files, left alone)."""
    paths = [p.path for p in COURSE_PAGES] + [f"{v.folder}/x" for k in KINDS for v in k.views]
    paths += [path.removeprefix(DOCS + "/") for path, _, _ in SUPPORT_FILES if path.startswith(DOCS + "/")]
    return tuple(sorted({p.split("/", 1)[0] for p in paths if "/" in p}))


def owned_root_files() -> tuple[str, ...]:
    """Generated files directly in docs/ (the home page)."""
    return tuple(p.path for p in COURSE_PAGES if "/" not in p.path)


def collisions(items: list[tuple[object, str, int]]) -> list[Problem]:
    """A problem for each item whose page would land on a page of another kind or a course page.

    `items` are (validated item, its source path, the line of its id), in course order. Two items
    of one kind with one id are the validator's "duplicate id" problem, not reported here.
    """
    taken: dict[str, tuple[str, str]] = {page.path: ("", f"{page.title} ({DOCS}/{page.path})") for page in COURSE_PAGES}
    problems = []
    for item, source, line in items:
        kind = kind_of_item(item)
        item_id = item.meta.id  # type: ignore[attr-defined]
        for view in kind.views:
            path = item_path(kind, item_id, view.name)
            owner_kind, owner = taken.setdefault(path, (kind.name, f"the page of {source}"))
            if owner_kind != kind.name:
                problems.append(
                    Problem(
                        source,
                        line,
                        f"the id '{item_id}' would put this {kind.noun}'s page at {DOCS}/{path}, "
                        f"which is already {owner}: choose another id",
                    )
                )
    return problems
