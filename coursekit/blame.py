"""Which file a trainer edits to fix what the engine found: engine warnings mapped to source and line.

The engine reports a broken link or anchor against the generated page (`weeks/grief.md`); the
trainer wrote it in a module, exercise, role-play or hand-written page. Each generated page
records its source, so the problem is reported there, at the first line that holds the link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .errors import Problem
from .layout import DOCS
from .render import Output

ENGINE_CONFIG = "mkdocs.yml"
# "Doc file 'weeks/x.md' contains a link 'y.md#z', but ..." and its variants (unrecognized, absolute).
_DOC_LINK = re.compile(
    r"Doc file '(?P<page>[^']+)' contains (?:an? )?(?:unrecognized relative |absolute )?link '(?P<target>[^']*)'[,.]?\s*(?P<why>.*)"
)


def blame(problems: Iterable[Problem], outputs: Iterable[Output], root: Path) -> list[Problem]:
    """The engine's problems, each moved to the source file and line a trainer edits, where it can be found."""
    sources = {output.path.removeprefix(DOCS + "/"): output.source for output in outputs}
    return [_blame_one(problem, sources, root) for problem in problems]


def _blame_one(problem: Problem, sources: dict[str, str], root: Path) -> Problem:
    found = _DOC_LINK.search(problem.message) if problem.path == ENGINE_CONFIG else None
    if not found:
        return problem
    page, target = found.group("page"), found.group("target")
    source = sources.get(page, f"{DOCS}/{page}")
    why = found.group("why").removeprefix("but ").rstrip(".") or "it leads nowhere"
    return Problem(
        source,
        _line_of(root / source, target),
        f"the link '{target}' (on the page {DOCS}/{page}) is broken: {why}; correct the link or its target",
    )


def _line_of(path: Path, target: str) -> int:
    """The first line of the file that holds the link's target (or its anchor), else 1."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    for needle in (f"({target}", target, target.rpartition("#")[2] if "#" in target else None):
        if needle:
            for number, line in enumerate(lines, 1):
                if needle in line:
                    return number
    return 1
