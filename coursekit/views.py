"""Ready-made views of the course for templates, so templates only loop and branch.

Anything that needs a computation (run-sheet clock times, the integration matrix, the library
filters, citations) is prepared here as plain records; wording comes from the vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import model
from . import vocabulary as vocab
from .kinds import BY_NAME, MODULE, PLANNED, PRACTICE, Kind
from .stats import count_words
from .vocabulary import Term, Vocabulary


def duration_band(minutes: int) -> str:
    """The duration bucket used to filter the libraries."""
    return next(label for limit, label in vocab.DURATION_BANDS if limit is None or minutes <= limit)


def short_citation(reference: model.Reference) -> str:
    """'Weissman et al. (2018)': how running text names a source from references.yml."""
    citation = reference.citation
    year = re.search(r"\((\d{4}[a-z]?|n\.d\.)\)", citation)
    if not year:
        return citation.split(". ")[0]
    authors = citation[: year.start()].strip()
    if "," not in authors:  # an organisation, such as "World Health Organization"
        return f"{authors} ({year.group(1)})"
    first = authors.split(",")[0]
    if " and " not in authors:
        return f"{first} ({year.group(1)})"
    before, last = authors.rsplit(" and ", 1)
    if before.count(".,") == 0:  # "Surname, A. and Other, B."
        return f"{first} and {last.split(',')[0]} ({year.group(1)})"
    return f"{first} et al. ({year.group(1)})"


@dataclass(frozen=True)
class Step:
    """One step of the room's clock: a run-sheet line, or one phase of a role-play's round."""

    start: int  # minutes from the session's start
    minutes: int
    label: str


@dataclass(frozen=True)
class SessionRow:
    """One run-sheet line with its clock offset; `target` is the exercise or role-play it runs, if any."""

    start: int
    minutes: int
    activity: str
    target: model.Part | None
    notes: str | None
    group: str | None
    materials: list[str] = field(default_factory=list)
    rounds: list[Step] = field(default_factory=list)  # a role-play's briefing, play, feedback (rotating) and debrief

    @property
    def steps(self) -> list[Step]:
        """What the session timer steps through for this line: its rounds, or the line itself."""
        if not self.rounds:
            return [Step(self.start, self.minutes, self.activity)]
        return [Step(r.start, r.minutes, f"{self.activity}: {r.label}") for r in self.rounds]


def roleplay_rounds(start: int, timing: model.Timing) -> list[Step]:
    """A role-play's time box as steps from `start`: each round's briefing, play and feedback, then the debrief."""
    steps, clock = [], start
    for number in range(1, timing.rounds + 1):
        round_name = f"round {number} of {timing.rounds}, " if timing.rounds > 1 else ""
        # Players change roles between rounds: the next briefing is when they read their new card.
        briefing = "rotate roles, then briefing" if number > 1 else "briefing"
        for phase, minutes in ((briefing, timing.briefing), ("play", timing.play), ("feedback", timing.feedback)):
            steps.append(Step(clock, minutes, f"{round_name}{phase}"))
            clock += minutes
    steps.append(Step(clock, timing.debrief, "debrief and stepping out of role"))
    return steps


def timer_steps(rows: list[SessionRow]) -> list[Step]:
    """Every step of a session, in order, for the facilitator's timer."""
    return [step for row in rows for step in row.steps]


def run_sheet(module: model.Module) -> list[SessionRow]:
    """The module's session plan with start offsets and the practice each line runs."""
    parts = {(p.kind, p.meta.id): p for ps in module.parts.values() for p in ps}
    rows, clock = [], 0
    for item in module.meta.session:
        kind, ref = ("exercise", item.exercise) if item.exercise else ("roleplay", item.roleplay)
        if ref:
            part = parts[(kind, ref)]
            group, needs = _practice_needs(part)
            title = f"{BY_NAME[kind].noun.capitalize()}: {part.meta.title}"
            rounds = roleplay_rounds(clock, part.meta.timing) if kind == "roleplay" else []
            row = SessionRow(clock, part.meta.duration, title, part, item.notes, group, needs, rounds)
        else:
            row = SessionRow(clock, item.minutes, item.activity, None, item.notes, "Whole group")
        rows.append(row)
        clock += row.minutes
    return rows


def _practice_needs(part: model.Part) -> tuple[str, list[str]]:
    """How the room groups for a practice, and what it needs printed or brought."""
    if part.kind == "roleplay":
        return part.meta.group + "s", ["Printed role cards"]
    return part.meta.group, list(part.meta.materials)


# ---------------------------------------------------------------------------------------------
# Secrets: what of a role-play the students see, and what only its players and the facilitator do.

FACILITATOR_HEADING = "## For the facilitator"  # in a role-play's body: the rest is the facilitator's


def split_body(body: str) -> tuple[str, str]:
    """A role-play body's students' part, and the part from FACILITATOR_HEADING on (notes that would spoil a brief)."""
    lines = body.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.strip() == FACILITATOR_HEADING:
            return "".join(lines[:number]), "".join(lines[number + 1 :]).lstrip("\n")
    return body, ""


OBSERVER = "Observer"
OBSERVER_PUBLIC = "Keeps time, watches the coach, and leads the feedback after each round using the checklist."


@dataclass(frozen=True)
class Card:
    """One role card: the role's public part, its private brief and, on the observer's card, the checklist."""

    number: int
    name: str
    person: str | None
    public: str
    brief: str | None  # None on an observer card the kit adds to a pair's role-play
    checklist: list[str]


def role_cards(meta: model.RoleplayMeta) -> list[Card]:
    """A role-play's cards, one per role, the observer's carrying the checklist (added for a pair, which has none)."""
    cards = []
    for number, role in enumerate(meta.roles, 1):
        observer = role.name.strip().lower() == OBSERVER.lower()
        checklist = list(meta.observer_checklist) if observer else []
        cards.append(Card(number, role.name, role.person, role.public, role.brief, checklist))
    if not any(card.checklist for card in cards):
        cards.append(Card(len(cards) + 1, OBSERVER, None, OBSERVER_PUBLIC, None, list(meta.observer_checklist)))
    return cards


@dataclass(frozen=True)
class MatrixCell:
    """The exercises and role-plays that blend one modality with one problem area."""

    modality: Term
    area: Term
    exercises: list[model.Part]
    roleplays: list[model.Part]

    @property
    def anchor(self) -> str:
        """Where the matrix page lists this blend, e.g. 'cbt-role-disputes'."""
        return f"{self.modality.value}-{self.area.value}"


@dataclass(frozen=True)
class MatrixRow:
    """A modality and its cells, one per problem area."""

    modality: Term
    cells: list[MatrixCell]


def matrix(course: model.Course) -> list[MatrixRow]:
    """Modality x problem area, from each exercise's and role-play's own labels."""
    rows = []
    for modality in course.vocabulary.modalities.terms:
        cells = []
        for area in vocab.PROBLEM_AREA.terms:
            exercises = [
                e for e in course.exercises if modality.value in e.meta.modalities and area.value in e.meta.areas
            ]
            roleplays = [
                r for r in course.roleplays if modality.value in r.meta.modalities and area.value in r.meta.areas
            ]
            cells.append(MatrixCell(modality, area, exercises, roleplays))
        rows.append(MatrixRow(modality, cells))
    return rows


def techniques_of(course: model.Course, ids: list[str]) -> list[model.Technique]:
    """The course's technique records for the given ids, in the given order: each defined once, in techniques.yml."""
    return [course.techniques[i] for i in ids if i in course.techniques]


@dataclass(frozen=True)
class Facet:
    """One filter of a library page: its key, its label and the values its items carry."""

    key: str
    label: str
    options: list[str]


class Facets:
    """How a course's libraries are filtered: by modality, problem area, format (or group) and time."""

    LABELS = {"modality": "Modality", "area": "Problem area", "format": "Format", "time": "Time"}

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        # Every value a facet can take, in the order the filters list them.
        self.order = (
            [t.short for t in vocabulary.modalities.terms]
            + [t.short for t in vocab.PROBLEM_AREA.terms]
            + [t.short for t in vocab.FORMAT.terms]
            + [label for _, label in vocab.DURATION_BANDS]
        )

    def of(self, part: model.Part) -> dict[str, list[str]]:
        """The values one exercise or role-play is filtered by."""
        meta = part.meta
        return {
            "modality": [self.vocabulary.term(m).short for m in meta.modalities],
            "area": [a.term.short for a in meta.areas],
            "format": [meta.group],
            "time": [duration_band(meta.duration)],
        }

    def library(self, parts: list[model.Part], format_label: str = "Format") -> list[Facet]:
        """The filters of a library page, offering only values its items carry, and only where they differ."""
        present: dict[str, set[str]] = {key: set() for key in self.LABELS}
        for part in parts:
            for key, values in self.of(part).items():
                present[key].update(values)
        labels = {**self.LABELS, "format": format_label}
        facets = [Facet(key, labels[key], [v for v in self.order if v in present[key]]) for key in self.LABELS]
        return [facet for facet in facets if len(facet.options) > 1]  # one value filters nothing

    def tags(self, part: model.Part) -> list[str]:
        """Tags for the engine's tags page: the same values the libraries filter by."""
        return list(dict.fromkeys(value for values in self.of(part).values() for value in values))


def weeks(course: model.Course) -> list[tuple[int, list[model.Module]]]:
    """Modules grouped by week, in course order."""
    grouped: dict[int, list[model.Module]] = {}
    for module in course.modules:
        grouped.setdefault(module.meta.week, []).append(module)
    return list(grouped.items())


# ---------------------------------------------------------------------------------------------
# The student's week and progress.

WORDS_PER_MINUTE = 200  # an unhurried reading speed for study text


def reading_minutes(words: int) -> int:
    """Minutes to read `words` words at WORDS_PER_MINUTE, rounded up; any text takes at least a minute."""
    return max(1, -(-words // WORDS_PER_MINUTE))


def lesson_words(module: model.Module) -> int:
    """Words a student reads on the module page: objectives, the lesson and its key points."""
    meta = module.meta
    return count_words(" ".join([*meta.objectives, module.body, *meta.key_points]))


@dataclass(frozen=True)
class PlanItem:
    """One thing the week asks of a student: the lesson, or an exercise, role-play or quiz of the module."""

    kind: Kind
    target: model.Module | model.Part
    minutes: int

    @property
    def key(self) -> str:
        """The item's progress key, as the page's ticks and the exported file name it: 'exercise:draw-a-circle'."""
        return f"{self.kind.name}:{self.target.meta.id}"

    @property
    def is_scored(self) -> bool:
        """Whether the browser scores it (a quiz), so it is done once checked, not ticked by hand."""
        return self.kind.scored

    @property
    def is_lesson(self) -> bool:
        """Whether this is the module's own lesson (read, not practised)."""
        return self.kind is MODULE


@dataclass(frozen=True)
class WeekPlan:
    """What a module asks of a student this week, in the order the session runs it."""

    module: model.Module
    words: int
    items: list[PlanItem]
    next_module: model.Module | None  # what follows once everything here is done

    @property
    def reading_minutes(self) -> int:
        """The lesson's reading time."""
        return reading_minutes(self.words)


def week_plan(module: model.Module, next_module: model.Module | None = None) -> WeekPlan:
    """The lesson, then the module's exercises and role-plays in session order (any the session skips next), then its quizzes."""
    words = lesson_words(module)
    items = [PlanItem(MODULE, module, reading_minutes(words))]
    planned: list[model.Part] = []
    in_session = [row.target for row in run_sheet(module) if row.target is not None]
    for part in in_session + [p for kind in PLANNED for p in module.parts.get(kind.name, [])]:
        if not any(part is seen for seen in planned):  # a session may run a practice twice; list it once
            planned.append(part)
    items += [PlanItem(BY_NAME[part.kind], part, part.meta.duration) for part in planned]
    return WeekPlan(module, words, items, next_module)


def week_plans(course: model.Course) -> list[tuple[int, list[WeekPlan]]]:
    """Every module's plan grouped by week, in course order, each knowing the module after it."""
    after = {m.meta.id: n for m, n in zip(course.modules, [*course.modules[1:], None], strict=True)}
    return [(week, [week_plan(m, after[m.meta.id]) for m in modules]) for week, modules in weeks(course)]


def course_id(site_url: str) -> str:
    """The key a student's progress is kept under: the site's path ('course-kit'), or its host at a site's root.

    Courses published on one origin (owner.github.io/a/ and owner.github.io/b/) share the browser's
    storage; their paths tell them apart, and an exported file names the course it belongs to.
    """
    address = urlsplit(site_url)
    return address.path.strip("/") or address.hostname or "course"


def progress_pages() -> str:
    """Which page folders hold which kind's items, for the script: 'weeks=module exercises=exercise ...'."""
    return " ".join(f"{view.folder}={kind.name}" for kind in PLANNED for view in kind.views if view.name == "page")


@dataclass(frozen=True)
class CompetenceRow:
    """One competence of the map: where the course teaches, practises and checks it."""

    competence: model.Competence
    sources: list[tuple[str, model.Reference]]
    taught: list[model.Module]  # modules teaching a technique that develops it
    practised: list[model.Part]  # exercises and role-plays naming it
    checked: list[model.Part]  # quizzes naming it


def competence_map(course: model.Course) -> list[CompetenceRow]:
    """Each competence of modules/competences.yml with the modules, practice and quizzes that name it."""
    practice = [p for m in course.modules for kind in PRACTICE for p in m.parts.get(kind.name, [])]
    rows = []
    for competence in course.competences.values():
        key = competence.id
        taught = [
            m
            for m in course.modules
            if any(key in course.techniques[t].competences for t in m.meta.techniques if t in course.techniques)
        ]
        rows.append(
            CompetenceRow(
                competence,
                [(r, course.references[r]) for r in competence.sources if r in course.references],
                taught,
                [p for p in practice if key in p.meta.competences],
                [q for q in course.quizzes if key in q.meta.competences],
            )
        )
    return rows
