"""Problems found in a trainer's files, and the one error type the CLI reports.

Every stage collects Problem records rather than raising on the first one,
so a trainer sees every mistake in one run, sorted, one per line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong, at a file and line, with what to do about it."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class CourseError(Exception):
    """Raised with every problem found; the CLI prints them and exits 1."""

    def __init__(self, problems: Iterable[Problem], outcome: str = "nothing was written"):
        self.problems = sorted(set(problems))  # Problem orders by path, line, message
        self.outcome = outcome  # what the trainer's files and site look like after the failure
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(value: object, choices: Iterable[str]) -> str:
    """Return "; did you mean 'x'?" for the closest choice, or an empty string."""
    close = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def one_of(value: object, choices: Iterable[str]) -> str:
    """Return "expected one of a, b, c" plus a did-you-mean hint."""
    choices = list(choices)
    return f"expected one of {', '.join(choices)}{did_you_mean(value, choices)}"
