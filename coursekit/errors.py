"""Problems found in a trainer's files, and the one error type the CLI reports.

Every stage collects Problem records rather than raising on the first one,
so a trainer sees every mistake in one run, sorted, one per line.
"""

from __future__ import annotations

import difflib
import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong, at a file and line, with what to do about it.

    Line 0 means the problem is not at a line of a file (a busy port, a failed push): then `path`
    names the command or the setting, and the line is left out.
    """

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


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


# What to do about each way a write can fail for reasons outside the course's files.
_WRITE_FIXES = {
    errno.EROFS: "its disk is mounted read-only: remount it read-write, or work on a copy of the project on a writable disk",
    errno.EACCES: "make it writable by you (chmod u+w) and run again",
    errno.EPERM: "it may be immutable: `lsattr -d` shows the flag and `chattr -i` clears it; then run again",
    errno.ENOSPC: "the disk is full: free some space and run again",
    errno.EDQUOT: "your disk quota is used up: free some space and run again",
}
WRITE_FAULTS = frozenset(_WRITE_FIXES)


def shown_path(path: Path, root: Path, folder: bool = False) -> str:
    """A path as problems show it: relative to the project (folders end in '/'), or absolute outside it."""
    try:
        text = path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        text = str(path)
    if text == ".":
        return "./"
    return text + "/" if folder or path.is_dir() else text


def blocked_by(path: Path) -> Path:
    """What to blame when renaming or deleting `path` was refused: its folder when that is not writable, else itself."""
    return path.parent if not os.access(path.parent, os.W_OK) else path


def write_fault(error: OSError, where: str) -> Problem:
    """A write refused by the machine (read-only, immutable, full disk) at `where`, as one problem with its fix."""
    reason = os.strerror(error.errno).lower() if error.errno else str(error)
    fix = _WRITE_FIXES.get(error.errno, "check the folder's permissions and the free space on its disk, and run again")
    return Problem(where, 1, f"cannot write here ({reason}): {fix}")
