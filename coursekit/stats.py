"""Counts from the model: what the course holds and what each modality and problem area covers."""

from __future__ import annotations

import re

from . import model

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


def count_words(text: str) -> int:
    """Words in Markdown text, ignoring markup symbols."""
    return len(WORD.findall(text))


def course_words(course: model.Course) -> int:
    """Words of course text: lessons, pages, glossary, and the text fields of every item."""
    parts: list[str] = [page.body for page in course.pages]
    parts += [f"{e.term} {e.definition}" for e in course.glossary.values()]
    for module in course.modules:
        meta = module.meta
        parts += [module.body, meta.title, meta.summary, *meta.objectives, *meta.key_points, *meta.facilitator_notes]
        parts += [t.note or "" for t in meta.techniques]
        for exercise in module.exercises:
            e = exercise.meta
            parts += [exercise.body, e.title, *(s.text for s in e.steps), *e.reflection, e.model_answer or ""]
        for roleplay in module.roleplays:
            r = roleplay.meta
            parts += [roleplay.body, r.title, r.setting, r.deroling, *r.beats, *r.observer_checklist, *r.debrief]
            parts += [f"{role.public} {role.brief}" for role in r.roles]
            parts += [item.line or item.direction or "" for item in r.script]
    return sum(count_words(p) for p in parts)


def course_stats(course: model.Course) -> dict:
    """The figures `stats --json` prints."""
    def coverage(values, pick) -> dict[str, dict[str, int]]:
        return {
            value.value: {
                "modules": sum(value in pick(m.meta) for m in course.modules),
                "exercises": sum(value in pick(e.meta) for e in course.exercises),
                "roleplays": sum(value in pick(r.meta) for r in course.roleplays),
            }
            for value in values
        }

    def areas(meta) -> list:
        return [meta.problem_area] if isinstance(meta, model.RoleplayMeta) else meta.problem_areas

    return {
        "modules": len(course.modules),
        "exercises": len(course.exercises),
        "roleplays": len(course.roleplays),
        "glossary_terms": len(course.glossary),
        "references": len(course.references),
        "pages": len(course.pages),
        "words": course_words(course),
        "modalities": coverage(model.Modality, lambda meta: meta.modalities),
        "problem_areas": coverage(model.ProblemArea, areas),
    }


def plural(count: int, noun: str) -> str:
    """'1 module', '2 modules'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def summary_line(course: model.Course) -> str:
    """The one line `check` prints when the course is clean."""
    return f"{plural(len(course.modules), 'module')}, {plural(len(course.exercises), 'exercise')}, {plural(len(course.roleplays), 'role-play')}: OK"
