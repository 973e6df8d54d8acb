"""Ready-made views of the course for templates, so templates only loop and branch.

Anything that needs a computation (links, run-sheet clock times, the
integration matrix, label wording) is prepared here as plain records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import model

LABEL_TEXT: dict[str, str] = {
    "ipt": "IPT", "cbt": "CBT", "nlp": "NLP", "mindfulness": "Mindfulness", "eft": "EFT (Emotion-Focused Therapy)",
    "rtt": "RTT", "coaching": "Coaching",
    "grief": "Grief", "role-disputes": "Role disputes", "role-transitions": "Role transitions",
    "interpersonal-deficits": "Interpersonal deficits",
    "assessment": "Assessment", "active-work": "Active work", "conclusion": "Conclusion",
    "solo": "Solo", "pair": "Pair", "triad": "Triad", "group": "Group",
    "coach-safe": "Coach-safe", "needs-supervision": "Needs supervision", "clinician-only": "Clinician-only",
    "integration": "Integration",
    "A": "Evidence A (clinical)", "B": "Evidence B", "C": "Evidence C", "D": "Evidence D",
}
SHORT_LABEL = {**LABEL_TEXT, "eft": "EFT"}

# What each label means, from CURRICULUM.md; shown on the labels page and as badge tooltips.
LABEL_MEANING: dict[str, str] = {
    "A": "Guideline-endorsed (NICE or WHO), for trained clinicians treating a condition; it does not show that a coaching use works.",
    "B": "Controlled trials in non-clinical or coaching groups.",
    "C": "Emerging or contested: small trials, high risk of bias, or developer allegiance.",
    "D": "Theory or practice wisdom only: no controlled trials.",
    "coach-safe": "A coach may use it within a coaching contract.",
    "needs-supervision": "Use only with training and regular supervision from someone qualified in it.",
    "clinician-only": "For trained mental-health clinicians: a coach learns to recognise it and refers on; never practised here as a coaching exercise.",
    "ipt": "Faithful to the IPT manuals.",
    "integration": "IPT-informed blending with another approach; not IPT itself.",
}

DURATION_BANDS = ((20, "Up to 20 min"), (45, "21 to 45 min"), (90, "46 to 90 min"), (10_000, "Over 90 min"))


def text(value: object) -> str:
    """Human wording for an enum value or plain string."""
    raw = getattr(value, "value", value)
    return LABEL_TEXT.get(raw, str(raw))


def duration_band(minutes: int) -> str:
    """The duration bucket used to filter the libraries."""
    return next(label for limit, label in DURATION_BANDS if minutes <= limit)


def short_citation(reference: model.Reference) -> str:
    """'Weissman et al. (2018)': how running text names a source from references.yml."""
    citation = reference.citation
    year = re.search(r"\((\d{4}[a-z]?|n\.d\.)\)", citation)
    if not year:
        return citation.split(". ")[0]
    authors = citation[:year.start()].strip()
    if "," not in authors:  # an organisation, such as "World Health Organization"
        return f"{authors} ({year.group(1)})"
    first = authors.split(",")[0]
    if " and " not in authors:
        return f"{first} ({year.group(1)})"
    before, last = authors.rsplit(" and ", 1)
    if before.count(".,") == 0:  # "Surname, A. and Other, B."
        return f"{first} and {last.split(',')[0]} ({year.group(1)})"
    return f"{first} et al. ({year.group(1)})"


def anchor(value: object) -> str:
    """The heading anchor of a label on the labels page."""
    raw = getattr(value, "value", value)
    return {"A": "evidence-a", "B": "evidence-b", "C": "evidence-c", "D": "evidence-d"}.get(raw, raw)


@dataclass(frozen=True)
class SessionRow:
    """One run-sheet line with its clock offset."""

    start: int
    minutes: int
    activity: str
    link: str | None
    notes: str | None
    group: str | None
    materials: list[str] = field(default_factory=list)


def run_sheet(module: model.Module) -> list[SessionRow]:
    """The module's session plan with start offsets and links to practice pages."""
    exercises = {e.meta.id: e for e in module.exercises}
    roleplays = {r.meta.id: r for r in module.roleplays}
    rows, clock = [], 0
    for item in module.meta.session:
        if item.exercise:
            ex = exercises[item.exercise].meta
            row = SessionRow(clock, ex.duration, f"Exercise: {ex.title}", f"../exercises/{ex.id}.md", item.notes,
                             text(ex.format), list(ex.materials))
        elif item.roleplay:
            rp = roleplays[item.roleplay].meta
            row = SessionRow(clock, rp.duration, f"Role-play: {rp.title}", f"../roleplays/{rp.id}.md", item.notes, rp.group + "s",
                             ["Printed role cards"])
        else:
            row = SessionRow(clock, item.minutes, item.activity, None, item.notes, "Whole group")
        rows.append(row)
        clock += row.minutes
    return rows


@dataclass(frozen=True)
class MatrixCell:
    """The exercises and role-plays that blend one modality with one problem area."""

    modality: model.Modality
    area: model.ProblemArea
    exercises: list[model.Exercise]
    roleplays: list[model.Roleplay]

    @property
    def anchor(self) -> str:
        """Where the matrix page lists this blend, e.g. 'cbt-role-disputes'."""
        return f"{self.modality.value}-{self.area.value}"


@dataclass(frozen=True)
class MatrixRow:
    """A modality and its cells, one per problem area."""

    modality: model.Modality
    cells: list[MatrixCell]


def matrix(course: model.Course) -> list[MatrixRow]:
    """Modality x problem area, from each exercise's and role-play's own labels."""
    rows = []
    for modality in model.Modality:
        cells = []
        for area in model.ProblemArea:
            exercises = [e for e in course.exercises if modality in e.meta.modalities and area in e.meta.problem_areas]
            roleplays = [r for r in course.roleplays if modality in r.meta.modalities and r.meta.problem_area is area]
            cells.append(MatrixCell(modality, area, exercises, roleplays))
        rows.append(MatrixRow(modality, cells))
    return rows


def module_of(course: model.Course) -> dict[str, model.Module]:
    """Module by id."""
    return {m.meta.id: m for m in course.modules}


def techniques_of(module: model.Module, ids: list[str]) -> list[model.Technique]:
    """The module's technique records for the given ids, in the given order."""
    by_id = {t.id: t for t in module.meta.techniques}
    return [by_id[i] for i in ids if i in by_id]


# The ways a library page can be filtered, by the key the page's script uses.
FACET_LABELS = {"modality": "Modality", "area": "Problem area", "format": "Format", "time": "Time"}
# Every value a facet can take, in the order the filters list them.
FACET_ORDER = (
    [SHORT_LABEL[m.value] for m in model.Modality] + [text(a) for a in model.ProblemArea]
    + [text(f) for f in model.ExerciseFormat] + [label for _, label in DURATION_BANDS]
)


@dataclass(frozen=True)
class Facet:
    """One filter of a library page: its key, its label and the values its items carry."""

    key: str
    label: str
    options: list[str]


def facets_of(part: model.Exercise | model.Roleplay) -> dict[str, list[str]]:
    """What an exercise or role-play is filtered by: modalities, problem areas, format (or group) and time band."""
    meta = part.meta
    is_exercise = isinstance(meta, model.ExerciseMeta)
    return {
        "modality": [SHORT_LABEL[m.value] for m in meta.modalities],
        "area": [text(a) for a in (meta.problem_areas if is_exercise else [meta.problem_area])],
        "format": [text(meta.format) if is_exercise else meta.group],
        "time": [duration_band(meta.duration)],
    }


def library_facets(parts: list[model.Exercise] | list[model.Roleplay], format_label: str = "Format") -> list[Facet]:
    """The filters of a library page, offering only values its items carry, and only where they differ."""
    present: dict[str, set[str]] = {key: set() for key in FACET_LABELS}
    for part in parts:
        for key, values in facets_of(part).items():
            present[key].update(values)
    labels = {**FACET_LABELS, "format": format_label}
    facets = [Facet(key, labels[key], [v for v in FACET_ORDER if v in present[key]]) for key in FACET_LABELS]
    return [facet for facet in facets if len(facet.options) > 1]  # one value filters nothing


def tags_for(part: model.Exercise | model.Roleplay) -> list[str]:
    """Tags for Material's tags plugin: the same values the libraries filter by."""
    return list(dict.fromkeys(value for values in facets_of(part).values() for value in values))


def weeks(course: model.Course) -> list[tuple[int, list[model.Module]]]:
    """Modules grouped by week, in course order."""
    grouped: dict[int, list[model.Module]] = {}
    for module in course.modules:
        grouped.setdefault(module.meta.week, []).append(module)
    return list(grouped.items())
