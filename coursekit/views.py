"""Ready-made views of the course for templates, so templates only loop and branch.

Anything that needs a computation (run-sheet clock times, the integration matrix, the library
filters, citations) is prepared here as plain records; wording comes from the vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import model
from . import vocabulary as vocab
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
class SessionRow:
    """One run-sheet line with its clock offset; `target` is the exercise or role-play it runs, if any."""

    start: int
    minutes: int
    activity: str
    target: model.Part | None
    notes: str | None
    group: str | None
    materials: list[str] = field(default_factory=list)


def run_sheet(module: model.Module) -> list[SessionRow]:
    """The module's session plan with start offsets and the practice each line runs."""
    parts = {(p.kind, p.meta.id): p for ps in module.parts.values() for p in ps}
    rows, clock = [], 0
    for item in module.meta.session:
        if item.exercise:
            part = parts[("exercise", item.exercise)]
            row = SessionRow(
                clock,
                part.meta.duration,
                f"Exercise: {part.meta.title}",
                part,
                item.notes,
                part.meta.group,
                list(part.meta.materials),
            )
        elif item.roleplay:
            part = parts[("roleplay", item.roleplay)]
            row = SessionRow(
                clock,
                part.meta.duration,
                f"Role-play: {part.meta.title}",
                part,
                item.notes,
                part.meta.group + "s",
                ["Printed role cards"],
            )
        else:
            row = SessionRow(clock, item.minutes, item.activity, None, item.notes, "Whole group")
        rows.append(row)
        clock += row.minutes
    return rows


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
