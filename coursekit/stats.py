"""Counts from the model: what the course holds and what each modality and problem area covers."""

from __future__ import annotations

import re

from . import model
from . import vocabulary as vocab
from .kinds import KINDS, PRACTICE

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


def count_words(text: str) -> int:
    """Words in Markdown text, ignoring markup symbols."""
    return len(WORD.findall(text))


def course_words(course: model.Course) -> int:
    """Words of course text: lessons, pages, glossary, and the text fields of every item."""
    parts: list[str] = [page.body for page in course.pages]
    parts += [f"{e.term} {e.definition}" for e in course.glossary.values()]
    parts += [f"{t.name} {t.note}" for t in course.techniques.values()]
    for module in course.modules:
        meta = module.meta
        parts += [module.body, meta.title, meta.summary, *meta.objectives, *meta.key_points, *meta.facilitator_notes]
        for exercise in module.exercises:
            e = exercise.meta
            parts += [exercise.body, e.title, *(s.text for s in e.steps), *e.reflection, e.model_answer or ""]
        for roleplay in module.roleplays:
            r = roleplay.meta
            parts += [roleplay.body, r.title, r.setting, r.deroling, *r.beats, *r.observer_checklist, *r.debrief]
            parts += [f"{role.public} {role.brief}" for role in r.roles]
            parts += [item.line or item.direction or "" for item in r.script]
        for quiz in module.quizzes:
            parts += [quiz.body, quiz.meta.title]
            for question in quiz.meta.questions:
                parts += [question.prompt, *(f"{o.text} {o.feedback}" for o in question.options)]
    for competence in course.competences.values():
        parts += [competence.name, competence.description, *competence.indicators]
    return sum(count_words(p) for p in parts)


def course_stats(course: model.Course) -> dict:
    """The figures `stats --json` prints."""
    parts = [k for k in KINDS if k.where == "part"]
    counts = {"modules": course.modules} | {k.plural.replace("-", ""): course.parts(k.name) for k in parts}
    # Coverage is of what teaches and practises: modules, exercises and role-plays (quizzes have no modalities).
    groups = {"modules": course.modules} | {k.plural.replace("-", ""): course.parts(k.name) for k in PRACTICE}

    def coverage(values: list[str], pick) -> dict[str, dict[str, int]]:
        return {
            value: {name: sum(value in pick(item.meta) for item in items) for name, items in groups.items()}
            for value in values
        }

    return {
        **{name: len(items) for name, items in counts.items()},
        "questions": sum(len(quiz.meta.questions) for quiz in course.quizzes),
        "competences": len(course.competences),
        "glossary_terms": len(course.glossary),
        "references": len(course.references),
        "techniques": len(course.techniques),
        "pages": len(course.pages),
        "words": course_words(course),
        "modalities": coverage(course.vocabulary.modalities.values, lambda meta: meta.modalities),
        "problem_areas": coverage(vocab.PROBLEM_AREA.values, lambda meta: meta.areas),
    }


def plural(count: int, noun: str) -> str:
    """'1 module', '2 modules'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def summary_line(course: model.Course) -> str:
    """The one line `check` prints when the course is clean."""
    counts = [
        kind.describe(len(course.modules) if kind.where == "module" else len(course.parts(kind.name)))
        for kind in KINDS
        if kind.where in ("module", "part")
    ]
    return f"{', '.join(counts)}: OK"
