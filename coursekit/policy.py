"""The course's own rules, declared in `policy` of modules/course.yml and checked like any other.

Each rule is off until the course declares it. A broken rule is reported at the file and line
that break it, naming the rule and where it is declared, so a trainer can fix the module or
change the rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from . import model
from . import vocabulary as vocab
from .errors import Problem
from .kinds import EXERCISE, QUIZ, ROLEPLAY
from .rules import Rule
from .stats import count_words

if TYPE_CHECKING:
    from .validate import Checked


def _declared(c: Checked, rule: str) -> str:
    """Where a rule is declared, for the message: 'policy min_lesson_words, modules/course.yml:31'."""
    return f"policy {rule}, {c.raw.course.path}:{c.raw.course.line_of(('policy', rule))}"


def lessons_are_long_enough(c: Checked) -> Iterator[Problem]:
    """Each module's lesson has at least `min_lesson_words` words."""
    limit = c.course.policy.min_lesson_words
    for module in c.modules if limit else []:
        words = count_words(module.body)
        if words < limit:
            yield Problem(
                module.path.as_posix(),
                c.source(module).body_line,
                f"the lesson has {words} words; the course asks for at least {limit} ({_declared(c, 'min_lesson_words')}): write more, or lower the rule",
            )


def modules_have_enough_practice(c: Checked) -> Iterator[Problem]:
    """Each module has at least the exercises, role-plays and quizzes the policy's `min_..._per_module` ask for."""
    policy = c.course.policy
    rules = (
        ("min_exercises_per_module", EXERCISE),
        ("min_roleplays_per_module", ROLEPLAY),
        ("min_quizzes_per_module", QUIZ),
    )
    for rule, kind in rules:
        limit = getattr(policy, rule)
        for module in c.modules if limit else []:
            read = len(c.module_sources(module).parts.get(kind.name, []))  # files with their own problems still count
            if read < limit:
                yield Problem(
                    module.path.as_posix(),
                    c.line(module, "id"),
                    f"the module has {kind.describe(read)}; the course asks for at least {limit} ({_declared(c, rule)}): add more, or lower the rule",
                )


def quizzes_are_long_enough(c: Checked) -> Iterator[Problem]:
    """Each quiz has at least `min_quiz_questions` questions."""
    limit = c.course.policy.min_quiz_questions
    for quiz in (p for p in c.parts if p.kind == QUIZ.name) if limit else []:
        count = len(quiz.meta.questions)
        if count < limit:
            yield Problem(
                quiz.path.as_posix(),
                c.line(quiz, "questions"),
                f"the quiz has {count} question{'' if count == 1 else 's'}; the course asks for at least {limit}"
                f" ({_declared(c, 'min_quiz_questions')}): add more, or lower the rule",
            )


def course_files_are_full_enough(c: Checked) -> Iterator[Problem]:
    """The glossary and the references hold at least `min_glossary_terms` and `min_references` entries."""
    policy = c.course.policy
    for rule, source, noun in (
        ("min_glossary_terms", c.raw.glossary, "terms"),
        ("min_references", c.raw.references, "sources"),
    ):
        limit = getattr(policy, rule)
        if limit and source is not None and len(source.data) < limit:
            yield Problem(
                source.path,
                1,
                f"has {len(source.data)} {noun}; the course asks for at least {limit} ({_declared(c, rule)}): add more, or lower the rule",
            )


def coverage_is_complete(c: Checked) -> Iterator[Problem]:
    """Every modality, problem area and format the policy names is taught and practised."""
    policy, parts = c.course.policy, c.practice
    exercises = [p for p in parts if p.kind == "exercise"]
    roleplays = [p for p in parts if p.kind == "roleplay"]
    modalities = [m.id for m in c.course.modalities]
    areas = vocab.PROBLEM_AREA.values
    checks = [
        (
            "every_modality_practised",
            modalities,
            lambda v: any(v in m.meta.modalities for m in c.modules),
            "no module teaches the modality",
        ),
        (
            "every_modality_practised",
            modalities,
            lambda v: any(v in p.meta.modalities for p in parts),
            "no exercise or role-play practises the modality",
        ),
        (
            "every_problem_area_practised",
            areas,
            lambda v: any(v in m.meta.problem_areas for m in c.modules),
            "no module works on the problem area",
        ),
        (
            "every_problem_area_practised",
            areas,
            lambda v: any(v in p.meta.areas for p in parts),
            "no exercise or role-play practises the problem area",
        ),
        (
            "every_modality_roleplayed",
            modalities,
            lambda v: any(v in r.meta.modalities for r in roleplays),
            "no role-play practises the modality",
        ),
        (
            "every_problem_area_roleplayed",
            areas,
            lambda v: any(v in r.meta.areas for r in roleplays),
            "no role-play practises the problem area",
        ),
        (
            "every_format_used",
            vocab.FORMAT.values,
            lambda v: any(e.meta.format == v for e in exercises),
            "no exercise has the format",
        ),
    ]
    for rule, values, covered, message in checks:
        if getattr(policy, rule):
            for value in values:
                if not covered(value):
                    yield Problem(
                        c.raw.course.path,
                        c.raw.course.line_of(("policy", rule)),
                        f"{message} '{value}' ({rule}): add one, or turn the rule off",
                    )


def _with_course(rule: Rule) -> Rule:
    """Policy rules need a valid course.yml; without one, its own problems are the report."""

    def run(c: Checked) -> Iterator[Problem]:
        return rule(c) if isinstance(c.course, model.CourseMeta) else iter(())

    run.__name__ = rule.__name__
    run.__doc__ = rule.__doc__
    return run


POLICY_RULES: list[Rule] = [
    _with_course(rule)
    for rule in (
        lessons_are_long_enough,
        modules_have_enough_practice,
        quizzes_are_long_enough,
        course_files_are_full_enough,
        coverage_is_complete,
    )
]
