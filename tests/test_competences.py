"""Competences and self-check quizzes as a student meets them: the quiz's HTML contract, the competence map, the plan."""

from __future__ import annotations

import html.parser
from pathlib import Path

from tests.conftest import edit, run_cli

QUIZ_PAGE = "quizzes/grief-check/index.html"


class _Elements(html.parser.HTMLParser):
    """Every element inside the page's quiz form, in order, as (tag, attributes, its direct text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = 0
        self.found: list[tuple[str, dict[str, str], list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and "ck-quiz" in attributes.get("class", ""):
            self.inside = 1
        elif self.inside and tag != "input":
            self.inside += 1
        if self.inside:
            self.found.append((tag, attributes, []))

    def handle_endtag(self, tag):
        if self.inside and tag != "input":
            self.inside -= 1

    def handle_data(self, data):
        if self.inside and self.found:
            self.found[-1][2].append(data)


def _quiz_form(site: Path) -> list[tuple[str, dict[str, str], str]]:
    parser = _Elements()
    parser.feed((site / QUIZ_PAGE).read_text(encoding="utf-8"))
    return [(tag, attrs, "".join(text).strip()) for tag, attrs, text in parser.found]


def _with_class(elements, name):
    return [(tag, attrs, text) for tag, attrs, text in elements if name in attrs.get("class", "").split()]


def test_the_quiz_page_renders_the_html_contract_record_js_scores(built_fixture: Path):
    elements = _quiz_form(built_fixture / "site")
    form = elements[0]
    assert form[0] == "form" and form[1]["data-ck-quiz"] == "grief-check" and form[1]["data-ck-questions"] == "2"
    questions = _with_class(elements, "ck-question")
    assert [(t, a["data-ck-question"], a["data-ck-type"]) for t, a, _ in questions] == [
        ("fieldset", "1", "single"),
        ("fieldset", "2", "multiple"),
    ]
    assert questions[0][1].get("data-ck-judgement") == "true"
    page = (built_fixture / "site" / QUIZ_PAGE).read_text(encoding="utf-8")
    assert (
        "<legend><strong>Question 2 (choose every answer that fits).</strong> Which are normal parts of grief?</legend>"
        in page
    )
    inputs = [attrs for tag, attrs, _ in elements if tag == "input"]
    assert [(i["type"], i["name"], i["value"], i["data-ck-correct"]) for i in inputs] == [
        ("radio", "q1", "1", "false"),
        ("radio", "q1", "2", "false"),
        ("radio", "q1", "3", "true"),
        ("checkbox", "q2", "1", "true"),
        ("checkbox", "q2", "2", "true"),
        ("checkbox", "q2", "3", "false"),
    ]
    feedback = _with_class(elements, "ck-feedback")
    assert [a["data-ck-option"] for _, a, _ in feedback] == ["1", "2", "3", "1", "2", "3"]
    assert all("hidden" in a for _, a, _ in feedback), "feedback is hidden until the student checks"
    assert _with_class(elements, "ck-quiz-check")[0][2] == "Check answers"
    assert _with_class(elements, "ck-quiz-score")[0][1]["aria-live"] == "polite"


def test_quiz_feedback_keeps_its_markdown_and_the_option_text_stays_text(built_fixture: Path):
    page = (built_fixture / "site" / QUIZ_PAGE).read_text(encoding="utf-8")
    assert 'See <a href="../../course/safety/">the safety page</a>.' in page
    assert "she <em>still</em> cannot sleep" in page
    assert '<a href="../../course/references/#nice-ng222">NICE (2022)</a>' in page
    assert '<a href="../../course/competences/#grief-work">Working with grief and loss</a>' in page


def test_the_module_page_and_its_week_plan_list_the_quiz(built_fixture: Path):
    page = (built_fixture / "docs/weeks/loss-and-change.md").read_text(encoding="utf-8")
    assert (
        '4. <span class="ck-tick" data-ck-item="quiz:grief-check" data-ck-noun="quiz" data-ck-scored="true"></span>'
        "[Quiz: Self-check: loss and change](../quizzes/grief-check.md) · about 4&nbsp;min"
    ) in page
    assert "## Check what you learnt\n\n- [Self-check: loss and change](../quizzes/grief-check.md): 2 questions" in page


def test_the_competence_map_shows_where_each_competence_is_taught_practised_and_checked(built_fixture: Path):
    page = (built_fixture / "docs/course/competences.md").read_text(encoding="utf-8")
    assert "### Working with grief and loss { #grief-work }" in page
    assert "**Taught in:** [Week 2: Loss and change](../weeks/loss-and-change.md)\n" in page
    assert (
        "**Practised in:** [A first conversation](../roleplays/first-conversation.md) (role-play)"
        " · [A timeline of a loss](../exercises/loss-timeline.md) (exercise)"
        " · [The empty kitchen](../roleplays/the-empty-kitchen.md) (role-play)\n"
    ) in page
    assert "**Checked in:** [Self-check: loss and change](../quizzes/grief-check.md)\n" in page
    assert (
        "**Sources:** [Weissman et al. (2018)](references.md#weissman-2018); [NICE (2022)](references.md#nice-ng222)"
        in page
    )
    html_page = (built_fixture / "site/course/competences/index.html").read_text(encoding="utf-8")
    assert 'id="grief-work"' in html_page and 'id="interpersonal-inventory"' in html_page
    nav = (built_fixture / "site/index.html").read_text(encoding="utf-8")
    assert 'href="course/competences/"' in nav and 'href="quizzes/"' in nav


def test_a_course_without_competences_yml_names_each_unknown_competence_where_it_is_used(project: Path):
    (project / "modules/competences.yml").unlink()
    edit(project / "modules/01-first-steps/exercises/draw-a-circle.md", "competences: [interpersonal-inventory]", "")
    result = run_cli("check", project=project)
    unknown = "unknown competence '{}': add it to modules/competences.yml"
    assert result.stderr.splitlines() == [
        "modules/01-first-steps/roleplays/first-conversation.md:38: " + unknown.format("grief-work"),
        "modules/01-first-steps/roleplays/first-conversation.md:38: " + unknown.format("interpersonal-inventory"),
        "modules/02-loss-and-change/exercises/loss-timeline.md:16: " + unknown.format("grief-work"),
        "modules/02-loss-and-change/quizzes/grief-check.md:4: " + unknown.format("grief-work"),
        "modules/02-loss-and-change/roleplays/the-empty-kitchen.md:38: " + unknown.format("grief-work"),
        "modules/techniques.yml:18: " + unknown.format("grief-work"),
        "error: 6 problems; nothing was written",
    ]


def test_a_broken_competences_file_is_reported_once_not_at_every_use(project: Path):
    edit(project / "modules/competences.yml", "    domain: specific\n", "")
    result = run_cli("check", project=project)
    assert result.stderr.splitlines() == [
        "modules/competences.yml:12: missing field 'domain': add it (the field reference in the authoring guide says what belongs there)",
        "error: 1 problem; nothing was written",
    ]
