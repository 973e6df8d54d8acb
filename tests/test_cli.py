"""The command line as a trainer uses it: check, stats, new, clean, help, schema."""

import json
import os
import re
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli


def test_check_prints_one_summary_line(project: Path):
    result = run_cli("check", project=project)
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "2 modules, 2 exercises, 2 role-plays, 1 quiz: OK\n",
        "",
    )


def test_stats_json_counts_and_coverage(project: Path):
    result = run_cli("stats", "--json", project=project)
    figures = json.loads(result.stdout)
    counted = (
        "modules",
        "exercises",
        "roleplays",
        "quizzes",
        "questions",
        "competences",
        "glossary_terms",
        "references",
    )
    assert {k: figures[k] for k in counted} == {
        "modules": 2,
        "exercises": 2,
        "roleplays": 2,
        "quizzes": 1,
        "questions": 2,
        "competences": 2,
        "glossary_terms": 3,
        "references": 3,
    }
    assert figures["problem_areas"]["grief"] == {"modules": 1, "exercises": 1, "roleplays": 1}
    assert figures["modalities"]["eft"] == {"modules": 1, "exercises": 1, "roleplays": 1}
    assert figures["modalities"]["nlp"] == {"modules": 0, "exercises": 0, "roleplays": 0}
    assert figures["words"] > 100


def test_scaffolded_files_pass_check(project: Path):
    assert run_cli("new", "module", "Working with anger", "--week", "2", project=project).returncode == 0
    assert (project / "modules/02-working-with-anger/module.md").is_file()
    assert run_cli("new", "exercise", "working-with-anger", "Anger diary", project=project).returncode == 0
    assert run_cli("new", "roleplay", "working-with-anger", "The slammed door", project=project).returncode == 0
    assert run_cli("new", "quiz", "working-with-anger", "Anger self-check", project=project).returncode == 0
    result = run_cli("check", project=project)
    assert (result.returncode, result.stdout) == (0, "3 modules, 3 exercises, 3 role-plays, 2 quizzes: OK\n"), (
        result.stderr
    )
    assert run_cli("build", "-q", project=project).returncode == 0
    assert (project / "site/weeks/working-with-anger/index.html").is_file()
    assert (project / "site/exercises/anger-diary/index.html").is_file()
    assert (project / "site/roleplays/cards/the-slammed-door/index.html").is_file()
    assert (project / "site/quizzes/anger-self-check/index.html").is_file()


def test_new_into_unknown_module_is_an_error(project: Path):
    result = run_cli("new", "exercise", "first-step", "X", project=project)
    assert result.returncode == 1
    assert (
        result.stderr.splitlines()[0]
        == "modules:1: unknown module 'first-step': expected one of first-steps, loss-and-change; did you mean 'first-steps'?"
    )


def test_clean_removes_generated_files_only(project: Path):
    assert run_cli("build", "-q", project=project).returncode == 0
    result = run_cli("clean", project=project)
    assert result.returncode == 0
    assert not (project / "site").exists()
    assert not (project / "docs/weeks").exists()
    assert (project / "docs/guide/index.md").is_file() and (project / "docs/assets/course.css").is_file()


@pytest.mark.parametrize("command", ["build", "check", "serve", "new", "stats", "clean", "deploy", "schema"])
def test_every_command_has_help(command: str):
    result = run_cli(command, "--help")
    assert result.returncode == 0 and result.stdout.startswith("Usage:")


def test_committed_json_schemas_match_the_model():
    result = run_cli("schema", "--check", project=REPO)
    assert result.returncode == 0, result.stderr


def test_colour_only_when_wanted(project: Path):
    (project / "modules/course.yml").write_text("title: [", encoding="utf-8")
    result = run_cli("check", project=project, env={**os.environ, "NO_COLOR": "1"})
    assert "\033[" not in result.stderr and result.returncode == 1


def test_build_reports_progress(project: Path):
    result = run_cli("build", project=project)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("validated 2 modules, 2 exercises, 2 role-plays, 1 quiz in ")
    assert re.fullmatch(r"rendered \d+ pages in [\d.]+ s: \d+ written, 0 unchanged, 0 removed", lines[1])
    assert re.fullmatch(r"built the site with MkDocs in \d+\.\d s: site/", lines[2])


def test_authoring_guide_names_every_template_and_filter():
    """Whoever overrides a template needs the list: a new template or filter must reach the guide."""
    import jinja2

    from coursekit.render import environment

    guide = (REPO / "docs/guide/index.md").read_text(encoding="utf-8")
    for template in sorted((REPO / "templates").glob("*.j2")):
        assert f"`{template.name}`" in guide, template.name
    builtins = jinja2.Environment().filters
    ours = [name for name, function in environment(None).filters.items() if builtins.get(name) is not function]
    assert {"label", "minutes", "count", "markdown"} <= set(ours)
    for name in ours:
        assert f"`{name}`" in guide, name


def test_authoring_guide_examples_are_the_fixture_files():
    """The guide's complete examples must stay valid: they are the fixture course's own files."""
    guide = (REPO / "docs/guide/index.md").read_text(encoding="utf-8")
    fixture = REPO / "tests/fixtures/course/modules"
    for name in (
        "techniques.yml",
        "02-loss-and-change/module.md",
        "01-first-steps/exercises/draw-a-circle.md",
        "01-first-steps/roleplays/first-conversation.md",
        "competences.yml",
        "02-loss-and-change/quizzes/grief-check.md",
    ):
        assert (fixture / name).read_text(encoding="utf-8").strip() in guide, name
