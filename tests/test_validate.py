"""Validator rules across fields and files, with their messages pinned."""

from pathlib import Path

import pytest

from coursekit.errors import CourseError
from coursekit.load import load_course
from coursekit.validate import validate_course
from tests.conftest import edit

M1 = "modules/01-first-steps/module.md"
M2 = "modules/02-loss-and-change/module.md"
RP1 = "modules/01-first-steps/roleplays/first-conversation.md"
TECHNIQUES = "modules/techniques.yml"


def problems(project: Path) -> list[str]:
    with pytest.raises(CourseError) as error:
        validate_course(load_course(project))
    return [str(p) for p in error.value.problems]


def test_fixture_course_is_valid_and_in_week_order(project: Path):
    course = validate_course(load_course(project))
    assert [m.meta.id for m in course.modules] == ["first-steps", "loss-and-change"]
    assert [p.meta.id for p in course.pages] == ["start-here", "safety"]
    assert course.modules[1].exercises[0].module_id == "loss-and-change"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            RP1,
            "rounds: 1",
            "rounds: 2",
            f"{RP1}:7: duration is 30 minutes but the timing gives 2 x (3 + 12 + 5) + 10 = 50: make them agree",
        ),
        (
            RP1,
            "  - role: Client\n",
            "  - role: Cliant\n",
            f"{RP1}:27: the script names role 'Cliant': expected one of Coach, Client; did you mean 'Client'?",
        ),
        (
            RP1,
            "  - name: Client\n",
            "  - name: Coach\n",
            [
                f"{RP1}:19: two roles are called 'Coach': give each role its own name",
                f"{RP1}:27: the script names role 'Client': expected one of Coach",
            ],
        ),
        (
            M2,
            "prerequisites: [first-steps]",
            "prerequisites: [loss-and-change]",
            f"{M2}:18: prerequisite 'loss-and-change' is not in an earlier week: a prerequisite must come before this module",
        ),
        (
            M1,
            "## The idea",
            "# The idea",
            f"{M1}:34: a '# ' heading in the body: the page title comes from 'title', so start at '## '",
        ),
        (
            M1,
            "  - exercise: draw-a-circle",
            "  - exercise: draw-a-square",
            [
                f"{M1}:6: duration is 60 minutes but the session adds up to 50: make them agree",
                f"{M1}:26: the session names exercise 'draw-a-square', which is not in this module: expected one of draw-a-circle; did you mean 'draw-a-circle'?",
            ],
        ),
        (
            TECHNIQUES,
            "  source: weissman-2018",
            "  source: weisman-2018",
            f"{TECHNIQUES}:8: unknown reference 'weisman-2018': add it to modules/references.yml; did you mean 'weissman-2018'?",
        ),
        (
            TECHNIQUES,
            "  clinical_evidence: A",
            "  clinical_evidence: E",
            f"{TECHNIQUES}:4: unknown clinical evidence level 'E': expected one of A, B, C, D",
        ),
        (
            TECHNIQUES,
            "  coaching_evidence: D",
            "  coaching_evidence: A+",
            f"{TECHNIQUES}:5: unknown coaching evidence level 'A+': expected one of A, B, C, D; did you mean 'A'?",
        ),
        (
            M1,
            "techniques: [closeness-circle]",
            "techniques: [closeness-circles]",
            f"{M1}:19: unknown technique 'closeness-circles': add it to modules/techniques.yml; did you mean 'closeness-circle'?",
        ),
        (
            M2,
            "techniques: [empathic-listening, empty-chair]",
            "techniques: [empathic-listening, empty-chair, empathic-listening]",
            f"{M2}:19: technique 'empathic-listening' is listed twice in this module: keep one",
        ),
        (
            M1,
            "  - activity: Welcome\n    minutes: 10",
            "  - activity: Welcome",
            f"{M1}:24: session[1]: an activity needs 'minutes'",
        ),
        (M1, "  - Explain the first idea.\n", "", f"{M1}:10: 'objectives' needs at least 3 items, has 2: add more"),
    ],
    ids=[
        "roleplay_timing_not_adding_up",
        "script_with_unknown_role",
        "roleplay_with_duplicate_role",
        "prerequisite_not_earlier",
        "body_with_title_heading",
        "session_with_unknown_exercise",
        "technique_with_unknown_source",
        "technique_with_unknown_clinical_evidence",
        "technique_with_unknown_coaching_evidence",
        "module_with_unknown_technique",
        "module_listing_a_technique_twice",
        "activity_without_minutes",
        "module_with_two_objectives",
    ],
)
def test_rule(project: Path, file, old, new, expected):
    edit(project / file, old, new)
    assert problems(project) == (expected if isinstance(expected, list) else [expected])


def test_module_mentioning_grief_needs_the_safety_note(project: Path):
    edit(project / M1, "The closeness circle places", "After a bereavement, the closeness circle places")
    assert problems(project) == [
        f"{M1}:22: the module mentions 'bereavement' (line 36) but safety_note is false: set safety_note: true so the scope-of-practice and signposting note is shown"
    ]


def test_folder_name_must_match_week_and_id(project: Path):
    (project / "modules/01-first-steps").rename(project / "modules/01-first-step")
    assert problems(project) == [
        "modules/01-first-step/module.md:2: the folder name '01-first-step' does not match week 1 and id 'first-steps': rename the folder to 01-first-steps"
    ]


def test_weeks_must_be_covered_and_within_the_course(project: Path):
    edit(project / "modules/course.yml", "weeks: 2", "weeks: 3")
    assert problems(project) == [
        "modules/course.yml:4: the course has 3 weeks but no module for week 3: add the module(s) or lower 'weeks'"
    ]


def test_missing_course_file(project: Path):
    (project / "modules/glossary.yml").unlink()
    assert problems(project) == [
        "modules/glossary.yml:1: is missing: create modules/glossary.yml (see the authoring guide)"
    ]


def test_glossary_entry_missing_definition(project: Path):
    edit(project / "modules/glossary.yml", "  definition: A drawing of relationships by felt closeness.\n", "")
    assert problems(project) == [
        "modules/glossary.yml:4: missing field 'definition': add it (the field reference in the authoring guide says what belongs there)"
    ]


def test_course_needs_its_safety_page(project: Path):
    (project / "modules/pages/safety.md").unlink()
    assert problems(project) == [
        "modules/pages/safety.md:1: is missing: every course needs a safety and scope-of-practice page (id: safety); the home page and every safety note link to it"
    ]


@pytest.mark.parametrize(
    "page_id, generated",
    [
        ("labels", "What the labels mean (docs/course/labels.md)"),
        ("tags", "the tags page (docs/course/tags.md)"),
        ("glossary", "the glossary (docs/course/glossary.md)"),
    ],
)
def test_a_page_id_that_collides_with_a_generated_page_names_both(project: Path, page_id, generated):
    text = (
        (project / "modules/pages/start-here.md")
        .read_text(encoding="utf-8")
        .replace("id: start-here", f"id: {page_id}")
    )
    (project / f"modules/pages/{page_id}.md").write_text(text, encoding="utf-8")
    (project / "modules/pages/start-here.md").unlink()
    assert problems(project) == [
        f"modules/pages/{page_id}.md:2: the id '{page_id}' would put this course page's page at docs/course/{page_id}.md, which is already {generated}: choose another id"
    ]


def test_an_exercise_called_index_would_replace_the_library(project: Path):
    source = project / "modules/01-first-steps/exercises/draw-a-circle.md"
    source.rename(source.with_name("index.md"))
    edit(source.with_name("index.md"), "id: draw-a-circle", "id: index")
    edit(project / M1, "  - exercise: draw-a-circle", "  - exercise: index")
    assert problems(project) == [
        "modules/01-first-steps/exercises/index.md:2: the id 'index' would put this exercise's page at docs/exercises/index.md, which is already the exercise library (docs/exercises/index.md): choose another id"
    ]


def test_three_mistakes_in_three_files_are_three_lines_in_one_run(project: Path):
    edit(project / M1, "phase: assessment", "phase: assesment")  # a bad value: module 1 does not validate
    edit(
        project / "modules/02-loss-and-change/exercises/loss-timeline.md",
        "techniques: [empathic-listening]",
        "techniques: [empathic-listenin]",
    )
    edit(project / RP1, "rounds: 1", "rounds: 2")
    assert problems(project) == [
        f"{M1}:7: unknown phase 'assesment': expected one of assessment, active-work, conclusion; did you mean 'assessment'?",
        f"{RP1}:7: duration is 30 minutes but the timing gives 2 x (3 + 12 + 5) + 10 = 50: make them agree",
        "modules/02-loss-and-change/exercises/loss-timeline.md:8: technique 'empathic-listenin' is not taught in module 'loss-and-change': expected one of empathic-listening, empty-chair; did you mean 'empathic-listening'? (or add it to the module's techniques)",
    ]


def test_a_modality_must_be_declared_in_course_yml(project: Path):
    edit(project / "modules/01-first-steps/exercises/draw-a-circle.md", "modalities: [ipt]", "modalities: [ipt, act]")
    assert problems(project) == [
        "modules/01-first-steps/exercises/draw-a-circle.md:6: unknown modality 'act': expected one of ipt, cbt, nlp, eft, coaching; did you mean 'cbt'? (add new ones to `modalities` in modules/course.yml)"
    ]


POLICY = "\npolicy:\n  min_lesson_words: 900\n  min_exercises_per_module: 2\n  every_modality_roleplayed: true\n"


def test_the_courses_policy_is_checked_with_the_rule_the_file_and_the_line(project: Path):
    with (project / "modules/course.yml").open("a", encoding="utf-8") as course:
        course.write(POLICY)
    lines = (project / "modules/course.yml").read_text(encoding="utf-8").count("\n")
    assert problems(project) == [
        f"modules/01-first-steps/module.md:2: the module has 1 exercise; the course asks for at least 2 (policy min_exercises_per_module, modules/course.yml:{lines - 1}): add more, or lower the rule",
        f"modules/01-first-steps/module.md:34: the lesson has 10 words; the course asks for at least 900 (policy min_lesson_words, modules/course.yml:{lines - 2}): write more, or lower the rule",
        f"modules/02-loss-and-change/module.md:2: the module has 1 exercise; the course asks for at least 2 (policy min_exercises_per_module, modules/course.yml:{lines - 1}): add more, or lower the rule",
        f"modules/02-loss-and-change/module.md:31: the lesson has 8 words; the course asks for at least 900 (policy min_lesson_words, modules/course.yml:{lines - 2}): write more, or lower the rule",
        f"modules/course.yml:{lines}: no role-play practises the modality 'cbt' (every_modality_roleplayed): add one, or turn the rule off",
        f"modules/course.yml:{lines}: no role-play practises the modality 'nlp' (every_modality_roleplayed): add one, or turn the rule off",
    ]


SECOND_LISTENING = """listening-again:
  name: "  Empathic  LISTENING "
  clinical_evidence: A
  coaching_evidence: C
  delivery: coach-safe
  fidelity: integration
  source: weissman-2018
  note: A second definition of the same technique.
"""


def test_a_technique_defined_twice_under_two_ids_names_both_places(project: Path):
    with (project / TECHNIQUES).open("a", encoding="utf-8") as techniques:
        techniques.write(SECOND_LISTENING)
    assert problems(project) == [
        f"{TECHNIQUES}:28: technique 'listening-again' is defined twice: 'empathic-listening' ({TECHNIQUES}:11) has the same name with different labels (Clinical evidence A here, Clinical evidence B there): keep one definition and refer to it by its id"
    ]


def test_a_technique_defined_twice_with_the_same_labels_is_still_refused(project: Path):
    with (project / TECHNIQUES).open("a", encoding="utf-8") as techniques:
        techniques.write(SECOND_LISTENING.replace("clinical_evidence: A", "clinical_evidence: B"))
    assert problems(project) == [
        f"{TECHNIQUES}:28: technique 'listening-again' is defined twice: 'empathic-listening' ({TECHNIQUES}:11) has the same name: keep one definition and refer to it by its id"
    ]


def test_a_technique_id_used_twice_in_techniques_yml_is_refused_where_it_is_read(project: Path):
    with (project / TECHNIQUES).open("a", encoding="utf-8") as techniques:
        techniques.write(SECOND_LISTENING.replace("listening-again:", "empathic-listening:"))
    assert problems(project) == [
        f"{TECHNIQUES}:27: the key 'empathic-listening' appears twice (also at line 10): keep one of them"
    ]


def test_a_not_recommended_technique_cannot_be_practised(project: Path):
    edit(project / TECHNIQUES, "  delivery: clinician-only", "  delivery: not-recommended")
    edit(
        project / "modules/02-loss-and-change/exercises/loss-timeline.md",
        "techniques: [empathic-listening]",
        "techniques: [empty-chair]",
    )
    assert problems(project) == [
        "modules/02-loss-and-change/exercises/loss-timeline.md:8: technique 'empty-chair' is not recommended for anyone and cannot be practised as a coaching exercise: remove it here, or change its delivery label if that is wrong"
    ]


def test_a_part_practises_only_what_its_module_teaches(project: Path):
    edit(project / RP1, "techniques: [closeness-circle]", "techniques: [empathic-listening]")
    assert problems(project) == [
        f"{RP1}:6: technique 'empathic-listening' is not taught in module 'first-steps': expected one of closeness-circle (or add it to the module's techniques)"
    ]


def test_a_course_without_techniques_yml_is_told_to_create_it(project: Path):
    (project / TECHNIQUES).unlink()
    assert problems(project) == [f"{TECHNIQUES}:1: is missing: create {TECHNIQUES} (see the authoring guide)"]


def test_a_hand_written_course_length_is_refused_with_what_replaced_it(project: Path):
    edit(project / "modules/course.yml", "weeks: 2\n", "weeks: 2\nhours: about 45 hours\n")
    assert problems(project) == [
        "modules/course.yml:5: the field 'hours' is no longer used: the course's length is added up from the modules' session durations; remove it"
    ]


def test_a_technique_written_in_the_module_is_told_to_move_to_techniques_yml(project: Path):
    edit(
        project / M1,
        "techniques: [closeness-circle]\n",
        "techniques:\n  - id: closeness-circle\n    name: Closeness circle\n    evidence: A\n",
    )
    assert problems(project) == [
        f"{M1}:20: 'techniques[1]' must be a technique id: define the technique once in modules/techniques.yml (its id as the key) and list the id here"
    ]


def test_two_role_plays_cannot_play_people_with_one_full_name(project: Path):
    edit(
        project / "modules/02-loss-and-change/roleplays/the-empty-kitchen.md",
        "person: Maya Levin",
        "person: sam  CARTER",
    )
    assert problems(project) == [
        f"modules/02-loss-and-change/roleplays/the-empty-kitchen.md:20: 'sam  CARTER' is already someone else, in {RP1}:20: give each person in the course their own full name"
    ]


def test_a_person_needs_a_full_name(project: Path):
    edit(project / RP1, "person: Sam Carter", "person: Sam")
    assert problems(project) == [
        f"{RP1}:20: 'Sam' is not a full name: give the person a first name and a surname, so no two people in the course share a name"
    ]


def test_two_roles_of_one_role_play_cannot_play_one_person(project: Path):
    edit(project / RP1, "  - name: Coach\n", "  - name: Coach\n    person: Sam Carter\n")
    assert problems(project) == [f"{RP1}:21: two roles play 'Sam Carter': give each role its own person"]
