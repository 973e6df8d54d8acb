"""Rules for the competence framework and the self-check quizzes: every id resolves, every competence
is practised, every question can be answered and says why.

Like the passes in rules.py, each looks at what validated and never depends on another. Which
exercises and role-plays practise a competence is read from their files as written, so one that
fails its own validation does not make a competence look unpractised.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .errors import Problem, did_you_mean
from .kinds import PRACTICE
from .load import COMPETENCES_FILE

if TYPE_CHECKING:
    from .validate import Checked

COMPETENCES_PATH = f"modules/{COMPETENCES_FILE}"
# A scenario-judgement item's options, in order: what the coach does with what the client brings.
JUDGEMENT_OPTIONS = ("Coach", "Coach with care", "Refer")


def _unknown_competence(key: str, known: set[str]) -> str:
    return f"unknown competence '{key}': add it to {COMPETENCES_PATH}{did_you_mean(key, sorted(known))}"


def _unknown_reference(key: str, known: set[str]) -> str:
    return f"unknown reference '{key}': add it to modules/references.yml{did_you_mean(key, sorted(known))}"


def competences_are_declared_once(c: Checked) -> Iterator[Problem]:
    """No two competences of competences.yml share an id."""
    source, first = c.raw.competences, {}
    entries = source.data.get("competences") if source is not None else None
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        key = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(key, str):
            continue  # the model reports it
        line = source.line_of(("competences", index, "id"))
        if key in first:
            yield Problem(
                source.path, line, f"the competence '{key}' is declared twice (also at line {first[key]}): keep one"
            )
        first.setdefault(key, line)


def competence_sources_resolve(c: Checked) -> Iterator[Problem]:
    """Every competence is written from sources the references list."""
    references, source = c.defined_keys(c.raw.references), c.raw.competences
    if references is None or source is None:
        return
    framework = source.data.get("competences")
    for index, entry in enumerate(framework if isinstance(framework, list) else []):
        keys = entry.get("sources") if isinstance(entry, dict) else None
        for number, key in enumerate(keys if isinstance(keys, list) else []):
            if isinstance(key, str) and key not in references:
                yield Problem(
                    source.path,
                    source.line_of(("competences", index, "sources", number)),
                    _unknown_reference(key, references),
                )


def competences_are_known(c: Checked) -> Iterator[Problem]:
    """Techniques, exercises, role-plays and quizzes name only competences competences.yml declares."""
    known = c.competence_ids
    if known is None:
        return  # competences.yml cannot be read: its own problem is the report
    techniques = c.raw.techniques
    for key, technique in c.techniques.items():
        for index, competence in enumerate(technique.competences):
            if competence not in known:
                yield Problem(
                    techniques.path,
                    techniques.line_of((key, "competences", index)),
                    _unknown_competence(competence, known),
                )
    for part in c.parts:
        for index, competence in enumerate(part.meta.competences):
            if competence not in known:
                yield Problem(
                    part.path.as_posix(), c.line(part, "competences", index), _unknown_competence(competence, known)
                )


def competences_are_practised(c: Checked) -> Iterator[Problem]:
    """Every competence is practised by an exercise or a role-play: a competence only read about is not learnt."""
    practised = {
        competence
        for sources in c.raw.modules
        for kind in PRACTICE
        for source in sources.parts.get(kind.name, [])
        if isinstance(named := source.data.get("competences"), list)
        for competence in named
        if isinstance(competence, str)
    }
    for competence in c.competences.values():
        if competence.id not in practised:
            index = next(i for i, e in enumerate(c.raw.competences.data["competences"]) if e.get("id") == competence.id)
            yield Problem(
                c.raw.competences.path,
                c.raw.competences.line_of(("competences", index, "id")),
                f"no exercise or role-play practises the competence '{competence.id}': add it to the"
                " `competences` of one that does, or remove it from the framework",
            )


def quizzes_hold_together(c: Checked) -> Iterator[Problem]:
    """Each question has a correct option (exactly one when single choice); judgement items offer Coach, Coach with care, Refer."""
    for quiz in (p for p in c.parts if p.kind == "quiz"):
        path = quiz.path.as_posix()
        for index, question in enumerate(quiz.meta.questions):
            number, line = index + 1, c.line(quiz, "questions", index, "options")
            correct = sum(option.correct for option in question.options)
            if correct == 0:
                yield Problem(
                    path, line, f"question {number} has no correct option: mark at least one option 'correct: true'"
                )
            elif question.type.value == "single" and correct > 1:
                yield Problem(
                    path,
                    line,
                    f"question {number} is single choice but has {correct} correct options:"
                    " mark exactly one 'correct: true', or make it 'type: multiple'",
                )
            texts = tuple(option.text for option in question.options)
            if question.judgement and (texts != JUDGEMENT_OPTIONS or question.type.value != "single"):
                options = ", ".join(f"'{t}'" for t in JUDGEMENT_OPTIONS)
                yield Problem(
                    path,
                    c.line(quiz, "questions", index, "judgement"),
                    f"question {number} is a judgement item: make it 'type: single' with the options {options},"
                    " in that order, or remove 'judgement: true'",
                )


def question_references_resolve(c: Checked) -> Iterator[Problem]:
    """The references a question cites are in references.yml."""
    references = c.defined_keys(c.raw.references)
    for quiz in (p for p in c.parts if p.kind == "quiz") if references is not None else []:
        for index, question in enumerate(quiz.meta.questions):
            for number, key in enumerate(question.references):
                if key not in references:
                    yield Problem(
                        quiz.path.as_posix(),
                        c.line(quiz, "questions", index, "references", number),
                        _unknown_reference(key, references),
                    )


COMPETENCE_RULES = [
    competences_are_declared_once,
    competence_sources_resolve,
    competences_are_known,
    competences_are_practised,
    quizzes_hold_together,
    question_references_resolve,
]
