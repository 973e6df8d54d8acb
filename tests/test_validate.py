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
        (RP1, "rounds: 1", "rounds: 2", f"{RP1}:7: duration is 30 minutes but the timing gives 2 x (3 + 12 + 5) + 10 = 50: make them agree"),
        (RP1, "  - role: Client\n", "  - role: Cliant\n", f"{RP1}:26: the script names role 'Cliant': expected one of Coach, Client; did you mean 'Client'?"),
        (RP1, "  - name: Client\n", "  - name: Coach\n", [f"{RP1}:19: two roles are called 'Coach': give each role its own name",
                                                               f"{RP1}:26: the script names role 'Client': expected one of Coach"]),
        (M2, "prerequisites: [first-steps]", "prerequisites: [loss-and-change]", f"{M2}:18: prerequisite 'loss-and-change' is not in an earlier week: a prerequisite must come before this module"),
        (M1, "## The idea", "# The idea", f"{M1}:41: a '# ' heading in the body: the page title comes from 'title', so start at '## '"),
        (M1, "  - exercise: draw-a-circle", "  - exercise: draw-a-square", [f"{M1}:6: duration is 60 minutes but the session adds up to 50: make them agree",
          f"{M1}:33: the session names exercise 'draw-a-square', which is not in this module: expected one of draw-a-circle; did you mean 'draw-a-circle'?"]),
        (M1, "    source: weissman-2018", "    source: weisman-2018", f"{M1}:25: unknown reference 'weisman-2018': add it to modules/references.yml; did you mean 'weissman-2018'?"),
        (M1, "    evidence: A", "    evidence: E", f"{M1}:22: unknown evidence level 'E': expected one of A, B, C, D"),
        (M1, "  - activity: Welcome\n    minutes: 10", "  - activity: Welcome", f"{M1}:31: session[1]: an activity needs 'minutes'"),
        (M1, "  - Explain the first idea.\n", "", f"{M1}:10: 'objectives' needs at least 3 items, has 2: add more"),
    ],
    ids=["roleplay_timing_not_adding_up", "script_with_unknown_role", "roleplay_with_duplicate_role", "prerequisite_not_earlier",
         "body_with_title_heading", "session_with_unknown_exercise", "technique_with_unknown_source", "technique_with_unknown_evidence",
         "activity_without_minutes", "module_with_two_objectives"],
)
def test_rule(project: Path, file, old, new, expected):
    edit(project / file, old, new)
    assert problems(project) == (expected if isinstance(expected, list) else [expected])


def test_module_mentioning_grief_needs_the_safety_note(project: Path):
    edit(project / M1, "The closeness circle places", "After a bereavement, the closeness circle places")
    assert problems(project) == [
        f"{M1}:29: the module mentions 'bereavement' (line 43) but safety_note is false: set safety_note: true so the scope-of-practice and signposting note is shown"
    ]


def test_folder_name_must_match_week_and_id(project: Path):
    (project / "modules/01-first-steps").rename(project / "modules/01-first-step")
    assert problems(project) == [f"modules/01-first-step/module.md:2: the folder name '01-first-step' does not match week 1 and id 'first-steps': rename the folder to 01-first-steps"]


def test_weeks_must_be_covered_and_within_the_course(project: Path):
    edit(project / "modules/course.yml", "weeks: 2", "weeks: 3")
    assert problems(project) == ["modules/course.yml:4: the course has 3 weeks but no module for week 3: add the module(s) or lower 'weeks'"]


def test_missing_course_file(project: Path):
    (project / "modules/glossary.yml").unlink()
    assert problems(project) == ["modules/glossary.yml:1: is missing: create modules/glossary.yml (see the authoring guide)"]


def test_glossary_entry_missing_definition(project: Path):
    edit(project / "modules/glossary.yml", "  definition: A drawing of relationships by felt closeness.\n", "")
    assert problems(project) == ["modules/glossary.yml:4: missing field 'definition': add it (the field reference in the authoring guide says what belongs there)"]


def test_course_needs_its_safety_page(project: Path):
    (project / "modules/pages/safety.md").unlink()
    assert problems(project) == [
        "modules/pages/safety.md:1: is missing: every course needs a safety and scope-of-practice page (id: safety); the home page and every safety note link to it"
    ]
