"""The facts the learner record's pages need, as one JSON file (docs/course/record-data.json).

The journal, practice log and portfolio are filled in by docs/assets/record.js from what the student
keeps in their browser; to show an exercise's week and title, a role-play's problem area or a
competence's indicators, the script reads this file from the site itself (never another host).
Every text here is plain text: the script inserts it with textContent, never as HTML.
"""

from __future__ import annotations

from typing import Any

from . import layout, model
from . import vocabulary as vocab


def _url(part: object) -> str:
    """The item's address relative to the site's root: 'exercises/draw-a-circle/'."""
    return layout.url_of(layout.docs_path(part))


def _names(vocabulary: Any, values: list) -> list[str]:
    return [vocabulary.term(value).short for value in values]


def _practice(course: model.Course, part: model.Part, week: int) -> dict[str, Any]:
    """What the log and portfolio show of an exercise or role-play: its place, time and labels."""
    meta = part.meta
    return {
        "id": meta.id,
        "title": meta.title,
        "week": week,
        "url": _url(part),
        "minutes": meta.duration,
        "modalities": _names(course.vocabulary, meta.modalities),
        "areas": _names(course.vocabulary, meta.areas),
    }


def _exercise(course: model.Course, part: model.Part, week: int) -> dict[str, Any]:
    entry = _practice(course, part, week)
    return {**entry, "areas": entry["areas"] or ["General"], "reflection": list(part.meta.reflection)}


def _roleplay(course: model.Course, part: model.Part, week: int) -> dict[str, Any]:
    return {**_practice(course, part, week), "checklist": list(part.meta.observer_checklist)}


def _competences(course: model.Course) -> list[dict[str, Any]]:
    """The course's competence framework (modules/competences.yml; empty without it)."""
    return [
        {
            "id": entry.id,
            "name": entry.name,
            "domain": vocab.COMPETENCE_DOMAIN.term(entry.domain).short,
            "indicators": list(entry.indicators),
        }
        for entry in course.competences.values()
    ]


def _quizzes(course: model.Course, week_of: dict[str, int]) -> list[dict[str, Any]]:
    """Every self-check quiz, with its week and number of questions."""
    return [
        {
            "id": part.meta.id,
            "title": part.meta.title,
            "week": week_of[part.module_id],
            "url": _url(part),
            "questions": len(part.meta.questions),  # type: ignore[union-attr]
        }
        for part in course.parts("quiz")
    ]


def record_data(course: model.Course) -> dict[str, Any]:
    """Weeks, exercises, role-plays, quizzes and competences, as the record's pages show them."""
    week_of = {m.meta.id: m.meta.week for m in course.modules}
    weeks: dict[int, list[str]] = {}
    for module in course.modules:
        weeks.setdefault(module.meta.week, []).append(module.meta.title)
    return {
        "weeks": [{"week": week, "title": " · ".join(titles)} for week, titles in weeks.items()],
        "exercises": [_exercise(course, p, week_of[p.module_id]) for p in course.exercises],
        "roleplays": [_roleplay(course, p, week_of[p.module_id]) for p in course.roleplays],
        "modalities": [term.short for term in course.vocabulary.modalities.terms],
        "areas": [term.short for term in vocab.PROBLEM_AREA.terms] + ["General"],
        "quizzes": _quizzes(course, week_of),
        "competences": _competences(course),
    }
