"""Every kind of bad input in DESIGN.md: one exact line, exit 1, no traceback, docs/ and site/ untouched."""

from pathlib import Path

import pytest

from tests.conftest import edit, run_cli, tree_digest

M1 = "modules/01-first-steps/module.md"
M2 = "modules/02-loss-and-change/module.md"
EX2 = "modules/02-loss-and-change/exercises/loss-timeline.md"
QUIZ = "modules/02-loss-and-change/quizzes/grief-check.md"
COMPETENCES = "modules/competences.yml"
TECHNIQUES = "modules/techniques.yml"
COURSE = "modules/course.yml"
NEW_COMPETENCE = """    sources: [weissman-2018, nice-ng222]
  - id: {id}
    name: A competence nobody practises
    domain: meta
    description: Something read about only.
    indicators: [One., Two., Three.]
    sources: [weissman-2018]
"""

# (case, file, old text, new text, the exact error line)
CASES = [
    (
        "module_with_broken_yaml",
        M1,
        "summary: What the fixture teaches first.",
        "summary: [What the fixture",
        f"{M1}:6: invalid YAML (did not find expected ',' or ']'): check the indentation and put quotes around text that contains ': ' or starts with a symbol",
    ),
    (
        "module_with_missing_field",
        M1,
        "summary: What the fixture teaches first.\n",
        "",
        f"{M1}:2: missing field 'summary': add it (the field reference in the authoring guide says what belongs there)",
    ),
    (
        "module_with_wrong_type",
        M1,
        "duration: 60",
        "duration: sixty",
        f"{M1}:6: 'duration' must be a whole number, not 'sixty'",
    ),
    (
        "module_with_unknown_problem_area",
        M2,
        "problem_areas: [grief]",
        "problem_areas: [greif]",
        f"{M2}:8: unknown problem area 'greif': expected one of grief, role-disputes, role-transitions, interpersonal-deficits; did you mean 'grief'?",
    ),
    (
        "module_with_unknown_field",
        M1,
        "facilitator_notes:",
        "facilitator_note:",
        f"{M1}:30: unknown field 'facilitator_note'; did you mean 'facilitator_notes'?",
    ),
    (
        "exercise_with_duplicate_id",
        "modules/02-loss-and-change/exercises/draw-a-circle.md",
        None,
        None,
        "modules/02-loss-and-change/exercises/draw-a-circle.md:2: duplicate exercise id 'draw-a-circle', also used by modules/01-first-steps/exercises/draw-a-circle.md: give one of them another id",
    ),
    (
        "module_with_dangling_prerequisite",
        M2,
        "prerequisites: [first-steps]",
        "prerequisites: [first-step]",
        f"{M2}:18: unknown prerequisite 'first-step': give the id of a module in an earlier week; did you mean 'first-steps'?",
    ),
    (
        "module_with_dangling_glossary_term",
        M2,
        "glossary: [sick-role, role-play]",
        "glossary: [sick-role, roleplay]",
        f"{M2}:20: unknown glossary term 'roleplay': add it to modules/glossary.yml; did you mean 'role-play'?",
    ),
    (
        "module_with_dangling_reference",
        M2,
        "references: [weissman-2018, nice-ng222]",
        "references: [weissman-2018, nice-ng22]",
        f"{M2}:21: unknown reference 'nice-ng22': add it to modules/references.yml; did you mean 'nice-ng222'?",
    ),
    (
        "module_with_session_not_adding_up",
        M2,
        "minutes: 20",
        "minutes: 25",
        f"{M2}:6: duration is 45 minutes but the session adds up to 50: make them agree",
    ),
    (
        "exercise_with_clinician_only_technique",
        EX2,
        "techniques: [empathic-listening]",
        "techniques: [empty-chair]",
        f"{EX2}:8: technique 'empty-chair' is clinician-only and cannot be practised as a coaching exercise: remove it here, or change its delivery label if that is wrong",
    ),
    (
        "grief_module_without_safety_note",
        M2,
        "safety_note: true",
        "safety_note: false",
        f"{M2}:22: a grief module must carry the safety note: set safety_note: true",
    ),
    (
        "quiz_question_without_a_correct_option",
        QUIZ,
        "      - text: Refer\n        correct: true",
        "      - text: Refer\n        correct: false",
        f"{QUIZ}:10: question 1 has no correct option: mark at least one option 'correct: true'",
    ),
    (
        "single_choice_question_with_two_correct_options",
        QUIZ,
        "      - text: Coach with care\n        correct: false",
        "      - text: Coach with care\n        correct: true",
        f"{QUIZ}:10: question 1 is single choice but has 2 correct options: mark exactly one 'correct: true', or make it 'type: multiple'",
    ),
    (
        "quiz_option_without_feedback",
        QUIZ,
        "        feedback: Grief often comes and goes.\n",
        "",
        f"{QUIZ}:26: missing field 'feedback': add it (the field reference in the authoring guide says what belongs there)",
    ),
    (
        "quiz_question_with_one_option",
        QUIZ,
        "      - text: Anger at the person who died\n        correct: true\n        feedback: Anger is common, and speaking of it helps.\n"
        "      - text: Wanting to die to be with them, every day\n        correct: false\n"
        "        feedback: That is a sign of risk; ask about it directly and signpost to help.\n",
        "",
        f"{QUIZ}:25: 'questions[2].options' needs at least 2 items, has 1: add more",
    ),
    (
        "quiz_question_with_seven_options",
        QUIZ,
        "        feedback: Grief often comes and goes.\n",
        "        feedback: Grief often comes and goes.\n" + "      - {text: More, correct: false, feedback: No.}\n" * 4,
        f"{QUIZ}:25: 'questions[2].options' has at most 6 items, has 7: remove some",
    ),
    (
        "judgement_question_with_other_options",
        QUIZ,
        "      - text: Coach with care",
        "      - text: Coach carefully",
        f"{QUIZ}:9: question 1 is a judgement item: make it 'type: single' with the options 'Coach', 'Coach with care', 'Refer', in that order, or remove 'judgement: true'",
    ),
    (
        "quiz_question_type_misspelt",
        QUIZ,
        "    type: multiple",
        "    type: multi",
        f"{QUIZ}:24: unknown question type 'multi': expected one of single, multiple; did you mean 'multiple'?",
    ),
    (
        "quiz_with_dangling_reference",
        QUIZ,
        "references: [nice-ng222]",
        "references: [nice-ng22]",
        f"{QUIZ}:22: unknown reference 'nice-ng22': add it to modules/references.yml; did you mean 'nice-ng222'?",
    ),
    (
        "quiz_with_unknown_competence",
        QUIZ,
        "competences: [grief-work]",
        "competences: [grief-wrok]",
        f"{QUIZ}:4: unknown competence 'grief-wrok': add it to modules/competences.yml; did you mean 'grief-work'?",
    ),
    (
        "exercise_with_unknown_competence",
        "modules/01-first-steps/exercises/draw-a-circle.md",
        "competences: [interpersonal-inventory]",
        "competences: [interpersonal-inventory, inventory]",
        "modules/01-first-steps/exercises/draw-a-circle.md:20: unknown competence 'inventory': add it to modules/competences.yml",
    ),
    (
        "technique_with_unknown_competence",
        TECHNIQUES,
        "  competences: [grief-work]",
        "  competences: [grief]",
        f"{TECHNIQUES}:18: unknown competence 'grief': add it to modules/competences.yml; did you mean 'grief-work'?",
    ),
    (
        "competence_nothing_practises",
        COMPETENCES,
        "    sources: [weissman-2018, nice-ng222]\n",
        NEW_COMPETENCE.format(id="reading-only"),
        f"{COMPETENCES}:21: no exercise or role-play practises the competence 'reading-only': add it to the `competences` of one that does, or remove it from the framework",
    ),
    (
        "competence_declared_twice",
        COMPETENCES,
        "    sources: [weissman-2018, nice-ng222]\n",
        NEW_COMPETENCE.format(id="grief-work"),
        f"{COMPETENCES}:21: the competence 'grief-work' is declared twice (also at line 12): keep one",
    ),
    (
        "competence_with_dangling_source",
        COMPETENCES,
        "sources: [weissman-2018]",
        "sources: [weisman-2018]",
        f"{COMPETENCES}:11: unknown reference 'weisman-2018': add it to modules/references.yml; did you mean 'weissman-2018'?",
    ),
    (
        "competence_with_unknown_domain",
        COMPETENCES,
        "domain: basic",
        "domain: basik",
        f"{COMPETENCES}:5: unknown competence domain 'basik': expected one of generic, basic, specific, meta; did you mean 'basic'?",
    ),
    (
        "module_short_of_quizzes",
        COURSE,
        "    description: Coaching practice.\n",
        "    description: Coaching practice.\npolicy:\n  min_quizzes_per_module: 1\n",
        f"{M1}:2: the module has 0 quizzes; the course asks for at least 1 (policy min_quizzes_per_module, {COURSE}:31): add more, or lower the rule",
    ),
    (
        "quiz_short_of_questions",
        COURSE,
        "    description: Coaching practice.\n",
        "    description: Coaching practice.\npolicy:\n  min_quiz_questions: 5\n",
        f"{QUIZ}:5: the quiz has 2 questions; the course asks for at least 5 (policy min_quiz_questions, {COURSE}:31): add more, or lower the rule",
    ),
]


def _break(project: Path, file: str, old: str | None, new: str | None) -> None:
    if old is None:  # a copy of module 1's exercise, dropped into module 2
        source = project / "modules/01-first-steps/exercises/draw-a-circle.md"
        text = source.read_text(encoding="utf-8").replace("techniques: [closeness-circle]", "techniques: []")
        (project / file).write_text(text, encoding="utf-8")
        return
    edit(project / file, old, new)


@pytest.mark.parametrize(("case", "file", "old", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_check_reports_one_exact_line(project: Path, case, file, old, new, expected):
    _break(project, file, old, new)
    result = run_cli("check", project=project)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [expected, "error: 1 problem; nothing was written"]
    assert "Traceback" not in result.stderr


@pytest.fixture
def built_project(project: Path) -> Path:
    result = run_cli("build", "--quiet", project=project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.mark.slow
@pytest.mark.parametrize(
    ("case", "breaker", "expected"),
    [
        (
            "module_with_bad_encoding",
            lambda p: (p / M1).write_bytes((p / M1).read_bytes().replace(b"First steps", b"First st\xe9ps")),
            f'{M1}:3: is not UTF-8 text: save the file as UTF-8 in your editor ("Save with encoding")',
        ),
        (
            "empty_module_file",
            lambda p: (p / M1).write_text("", encoding="utf-8"),
            f"{M1}:1: is empty: it needs front matter between two '---' lines (`python build_course.py new` writes a template)",
        ),
        (
            "module_with_unknown_problem_area",
            lambda p: edit(p / M2, "problem_areas: [grief]", "problem_areas: [greif]"),
            CASES[3][4],
        ),
    ],
    ids=["module_with_bad_encoding", "empty_module_file", "module_with_unknown_problem_area"],
)
def test_failed_build_leaves_docs_and_site_unchanged(built_project: Path, case, breaker, expected):
    before = (tree_digest(built_project / "docs"), tree_digest(built_project / "site"))
    breaker(built_project)
    result = run_cli("build", project=built_project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == expected
    assert "Traceback" not in result.stderr
    assert (tree_digest(built_project / "docs"), tree_digest(built_project / "site")) == before


def test_every_problem_is_reported_sorted(project: Path):
    edit(project / M2, "glossary: [sick-role, role-play]", "glossary: [sick-role, roleplay]")
    edit(project / M1, "duration: 60", "duration: sixty")
    edit(project / EX2, "techniques: [empathic-listening]", "techniques: [empty-chair]")
    result = run_cli("check", project=project)
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] + ":" + line.split(":")[1] for line in lines[:-1]] == [
        f"{M1}:6",
        f"{EX2}:8",
        f"{M2}:20",
    ]
    assert lines[-1] == "error: 3 problems; nothing was written"


def test_github_annotation_format(project: Path):
    edit(project / M2, "problem_areas: [grief]", "problem_areas: [greif]")
    result = run_cli("check", "--format", "github", project=project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"::error file={M2},line=8::unknown problem area 'greif': expected one of grief, role-disputes, role-transitions, interpersonal-deficits; did you mean 'grief'?"
    ]


def test_broken_template_override_is_a_one_line_error(project: Path, tmp_path: Path):
    override = tmp_path / "mytemplates"
    override.mkdir()
    (override / "exercise.md.j2").write_text("# {{ exercise.meta.title }\n", encoding="utf-8")
    result = run_cli("build", "--templates", str(override), project=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].endswith("exercise.md.j2:1: template error: unexpected '}'")
