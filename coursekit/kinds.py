"""The registry of content kinds: one record per kind of file a trainer writes.

Every stage loops over this table instead of naming kinds: the loader finds each kind's files,
the validator builds its model and checks its ids, the renderer renders its pages through its
templates, the layout places them, the writer owns their folders, stats counts them, the schema
command describes them and `new` scaffolds them. Adding a kind is one model class, one entry
here, one template and its tests (the self-check quiz, a scored part, was added so).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import model


@dataclass(frozen=True)
class View:
    """One page a kind's item produces: its name, its template and the docs/ folder it goes in."""

    name: str
    template: str
    folder: str
    searchable: bool = True
    facilitator: bool = False  # for trainers (run-sheets): linked from the trainers' section
    needs: str | None = None  # a front-matter field the item must fill for this page to exist ("handouts")


@dataclass(frozen=True)
class Kind:
    """What the kit knows about one kind of content."""

    name: str  # the key in session items and progress records: "roleplay"
    noun: str  # "role-play"
    plural: str  # "role-plays"
    meta: type[model.Strict]
    where: str  # "module" (module.md), "part" (a subfolder of a module folder) or "course" (a folder of modules/)
    folder: str  # the subfolder (part) or folder (course) its files live in; "" for the module file
    views: tuple[View, ...]
    tickable: bool = False  # students can mark it done by hand
    scored: bool = False  # students answer it and the browser scores it: in the week's plan, done once checked
    practice: bool = False  # an exercise or role-play: run in sessions, with modalities, problem areas, techniques
    library: str | None = None  # the generated page that lists every item of the kind
    scaffold: str | None = None  # the file `new` fills in, from coursekit/scaffolds/

    def describe(self, count: int) -> str:
        """'1 role-play', '3 role-plays'."""
        return f"{count} {self.noun if count == 1 else self.plural}"


MODULE = Kind(
    "module",
    "module",
    "modules",
    model.ModuleMeta,
    "module",
    "",
    (
        View("page", "module.md.j2", "weeks"),
        View("run-sheet", "facilitator.md.j2", "facilitator", facilitator=True),
        View("slides", "slides.md.j2", "facilitator/slides", searchable=False, facilitator=True),
    ),
    tickable=True,
    scaffold="module.md",
)
EXERCISE = Kind(
    "exercise",
    "exercise",
    "exercises",
    model.ExerciseMeta,
    "part",
    "exercises",
    (
        View("page", "exercise.md.j2", "exercises"),
        View("handouts", "handouts.md.j2", "exercises/handouts", searchable=False, needs="handouts"),
    ),
    tickable=True,
    practice=True,
    library="exercises",
    scaffold="exercise.md",
)
ROLEPLAY = Kind(
    "roleplay",
    "role-play",
    "role-plays",
    model.RoleplayMeta,
    "part",
    "roleplays",
    (
        View("page", "roleplay.md.j2", "roleplays"),
        View("cards", "role_cards.md.j2", "roleplays/cards", searchable=False),
        View("facilitator", "roleplay_facilitator.md.j2", "facilitator/roleplays", searchable=False, facilitator=True),
    ),
    tickable=True,
    practice=True,
    library="roleplays",
    scaffold="roleplay.md",
)
QUIZ = Kind(
    "quiz",
    "quiz",
    "quizzes",
    model.QuizMeta,
    "part",
    "quizzes",
    (View("page", "quiz.md.j2", "quizzes", searchable=False),),  # its feedback would give the answers away
    scored=True,  # not ticked by hand: the browser marks it done when the student checks their answers
    library="quizzes",
    scaffold="quiz.md",
)
PAGE = Kind(
    "page", "course page", "course pages", model.PageMeta, "course", "pages", (View("page", "page.md.j2", "course"),)
)


@dataclass(frozen=True)
class Edition:
    """Which site a build makes: everything, or the students' pages with no facilitator material at all.

    A static site cannot restrict who reads it, so the facilitator's pages (run-sheets, beats, the
    observer's checklist, model-answer keys) are either published with the rest or not built at all.
    """

    name: str
    facilitator: bool  # builds the facilitator's pages, and the links and search entries that lead to them
    summary: str

    def shows(self, page: View | object) -> bool:
        """Whether a view's pages (or a course page, by its own `facilitator` flag) are built in this edition."""
        return self.facilitator or not getattr(page, "facilitator", False)


FULL = Edition("full", True, "every page, the facilitator's too (the default)")
STUDENT = Edition("student", False, "the students' pages only: no run-sheets, beats or answer keys")
EDITIONS: dict[str, Edition] = {e.name: e for e in (FULL, STUDENT)}


KINDS: tuple[Kind, ...] = (MODULE, EXERCISE, ROLEPLAY, QUIZ, PAGE)
PARTS: tuple[Kind, ...] = tuple(k for k in KINDS if k.where == "part")
PRACTICE: tuple[Kind, ...] = tuple(k for k in PARTS if k.practice)
BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
TICKABLE: tuple[Kind, ...] = tuple(k for k in KINDS if k.tickable)
# What a week's plan and the progress page list: what is ticked by hand, and what is scored.
PLANNED: tuple[Kind, ...] = tuple(k for k in KINDS if k.tickable or k.scored)


def has_view(view: View, item: object) -> bool:
    """Whether an item has this page: a view that `needs` a field exists only when the item fills it."""
    return not view.needs or bool(getattr(item.meta, view.needs))  # type: ignore[attr-defined]


def kind_of(meta: model.Strict) -> Kind:
    """The kind whose model `meta` is."""
    return next(k for k in KINDS if isinstance(meta, k.meta))
