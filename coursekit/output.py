"""Terminal output: problems one per line, progress lines, colour only when wanted.

Colour follows NO_COLOR (https://no-color.org) and is off when the stream
is not a terminal, so logs and CI output stay plain.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from .errors import Problem


class Console:
    """Writes progress to stdout and problems to stderr, in text or GitHub annotation format."""

    def __init__(self, fmt: str = "text", quiet: bool = False):
        self.fmt = fmt
        self.quiet = quiet
        self.colour = sys.stderr.isatty() and "NO_COLOR" not in os.environ

    def _paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.colour else text

    def info(self, message: str) -> None:
        """A progress line."""
        if not self.quiet:
            print(message, flush=True)

    def warn(self, message: str) -> None:
        """A warning: something to know, not a failure."""
        print(self._paint("warning: ", "33") + message, file=sys.stderr, flush=True)

    def problems(self, problems: Iterable[Problem], outcome: str = "nothing was written") -> None:
        """Every problem, one per line, then a count and what was left as it was."""
        problems = list(problems)
        for problem in problems:
            if self.fmt == "github":
                print(github_annotation(problem), flush=True)
            else:
                print(str(problem), file=sys.stderr, flush=True)
        noun = "problem" if len(problems) == 1 else "problems"
        print(self._paint(f"error: {len(problems)} {noun}; {outcome}", "31"), file=sys.stderr, flush=True)


def github_annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command that puts the problem on its line in a pull request."""

    def escape_data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def escape_property(text: str) -> str:
        return escape_data(text).replace(":", "%3A").replace(",", "%2C")

    if not problem.line:  # not at a file's line (a busy port, a failed push): a plain annotation
        return f"::error::{escape_data(str(problem))}"
    return f"::error file={escape_property(problem.path)},line={problem.line}::{escape_data(problem.message)}"
