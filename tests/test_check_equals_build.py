"""The pull-request check equals the build: what fails `build` fails `check`, at the file and line a trainer edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import edit, run_cli, tree_digest

M1 = "modules/01-first-steps/module.md"
EX = "modules/01-first-steps/exercises/draw-a-circle.md"


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


CASES = [
    (
        "broken_link_in_a_lesson",
        lambda p: _append(p / M1, "\nSee [the missing page](nowhere.md).\n"),
        f"{M1}:{{line}}: the link 'nowhere.md' (on the page docs/weeks/first-steps.md) is broken: the target"
        " 'weeks/nowhere.md' is not found among documentation files; correct the link or its target",
    ),
    (
        "broken_anchor_in_a_lesson",
        lambda p: _append(p / M1, "\nSee [below](#no-such-heading).\n"),
        f"{M1}:{{line}}: the link '#no-such-heading' (on the page docs/weeks/first-steps.md) is broken: there is no such"
        " anchor on this page; correct the link or its target",
    ),
    (
        "broken_link_in_an_exercise_step",
        lambda p: edit(
            p / EX, "  - text: Place people in them.", "  - text: Place people in them, as in [the guide](../nope.md)."
        ),
        f"{EX}:{{line}}: the link '../nope.md' (on the page docs/exercises/draw-a-circle.md) is broken: the target"
        " 'nope.md' is not found among documentation files; correct the link or its target",
    ),
    (
        "broken_anchor_in_a_guide_page",
        lambda p: _append(
            p / "docs/guide/performance.md", "\nSee [the fields](../reference/fields.md#no-such-field).\n"
        ),
        "docs/guide/performance.md:{line}: the link '../reference/fields.md#no-such-field' (on the page"
        " docs/guide/performance.md) is broken: the doc 'reference/fields.md' does not contain an anchor"
        " '#no-such-field'; correct the link or its target",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("case", "breaker", "expected"), CASES, ids=[c[0] for c in CASES])
def test_check_and_build_report_the_same_line_at_the_source(project: Path, case, breaker, expected):
    breaker(project)
    source, target = expected.split(":", 1)[0], expected.split("'")[1]
    lines = (project / source).read_text(encoding="utf-8").splitlines()
    expected = expected.format(line=next(n for n, text in enumerate(lines, 1) if f"({target})" in text))
    before = tree_digest(project / "docs"), tree_digest(project / "site")

    checked = run_cli("check", "--format", "github", project=project)
    assert checked.returncode == 1
    path, line, message = expected.split(":", 2)
    assert checked.stdout.splitlines() == [f"::error file={path},line={line}::{message.strip()}"]
    assert (tree_digest(project / "docs"), tree_digest(project / "site")) == before  # check writes nothing

    built = run_cli("build", project=project)
    assert built.returncode == 1
    assert built.stderr.splitlines() == [expected, "error: 1 problem; site/ was left as it was"]
    assert "Traceback" not in checked.stderr + built.stderr


def test_quick_check_skips_the_site_build(project: Path):
    _append(project / M1, "\nSee [the missing page](nowhere.md).\n")
    result = run_cli("check", "--quick", project=project)
    assert result.returncode == 0
    assert result.stdout == "2 modules, 2 exercises, 2 role-plays, 1 quiz: OK\n"
