"""Nothing from outside the project: links under modules/, docs/, templates/ and overrides/ stay inside.

A pull request can add a symbolic link. Followed, it would publish or echo a file of the machine
that builds the site (a key, a password file), or send the build round a loop forever. Each
folder is walked without following links; every link is resolved and refused when it leaves the
project (or the template folder it sits in), leads nowhere, or closes a loop. Links that stay
inside are allowed, and the folders they lead to are walked too, once each.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

from .errors import Problem

# What the engine reads besides modules/ (which the loader walks): pages, templates, theme overrides, config.
ENGINE_INPUTS = ("docs", "templates", "overrides", "mkdocs.yml")
PROJECT = "project"
OVERRIDE = "project or the template folder"  # a --templates folder may lie outside the project
OUTSIDE = "is a link to a {what} outside the {where}: replace the link with the {what} itself"
LOOP = "is a link in a loop (following it leads back to where it started): remove the link"
BROKEN = "is a link to a file that does not exist: remove the link, or put the file itself here"


def resolved(path: Path) -> Path | None:
    """Where a path really is, or None when a link on the way is broken or loops."""
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
        return None


def inside(path: Path, root: Path) -> bool:
    """Whether a path (through every link on the way) exists and stays under the project root."""
    real = resolved(path)
    return real is not None and real.is_relative_to(root.resolve())


def project_problems(root: Path, templates: Path | None = None) -> list[Problem]:
    """Links in what the engine reads (and in a --templates folder) that leave the project, break or loop.

    Run before the engine, which follows every link under docs/.
    """
    problems = []
    for name in ENGINE_INPUTS:
        problems += tree_problems(root, root / name, name)
    if templates is not None:
        problems += tree_problems(root, templates, templates.as_posix(), OVERRIDE)
    return problems


def tree_problems(root: Path, top: Path, shown: str, where: str = PROJECT) -> list[Problem]:
    """Every link at or under `top` (shown to the trainer as `shown`) that leaves `root`, breaks or loops.

    Under a --templates folder (`where` is OVERRIDE), links may also stay within that folder.
    """
    if not os.path.lexists(top):
        return []
    bases = [root.resolve()]
    if where == OVERRIDE and (real_top := resolved(top)):
        bases.append(real_top)
    walk = _Walk(root.resolve(), bases, top, shown, where)
    start = walk.follow(top) if top.is_symlink() else top.resolve()
    if start is not None and start.is_dir():
        walk.run(start)
    return walk.problems


class _Walk:
    """A depth-first walk over real folders, jumping along links that stay inside, reporting the rest.

    A loop is a link to a folder still being walked (or to one that contains it): following it
    would never end. A folder already walked to the end is not walked again.
    """

    def __init__(self, root: Path, bases: list[Path], top: Path, shown: str, where: str):
        self.root, self.bases, self.top, self.shown, self.where = root, bases, top, shown, where
        self.top_real = resolved(top)
        self.problems: list[Problem] = []

    def show(self, path: Path) -> str:
        """A path as the trainer knows it: under the walked folder's name, else under the project."""
        if path == self.top:
            return self.shown
        if self.top_real is not None and path.is_relative_to(self.top_real):
            return f"{self.shown}/{path.relative_to(self.top_real).as_posix()}"
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else path.as_posix()

    def report(self, path: Path, message: str) -> None:
        """One problem at a link."""
        self.problems.append(Problem(self.show(path), 1, message))

    def follow(self, link: Path) -> Path | None:
        """Where a link leads, when that is allowed; otherwise report it and return None."""
        try:
            target = link.resolve(strict=True)
        except RuntimeError:  # a loop, before Python 3.13
            self.report(link, LOOP)
            return None
        except OSError as error:
            self.report(link, LOOP if error.errno == errno.ELOOP else BROKEN)
            return None
        if not any(target.is_relative_to(base) for base in self.bases):
            what = "folder" if target.is_dir() else "file"
            self.report(link, OUTSIDE.format(what=what, where=self.where))
            return None
        return target

    def run(self, start: Path) -> None:
        """Walk every folder reachable from `start`, without recursion (a tree may be very deep)."""
        walking: list[tuple[Path, Iterator[os.DirEntry]]] = [(start, _entries(start))]
        open_folders, finished = {start}, set()
        while walking:
            folder, entries = walking[-1]
            entry = next(entries, None)
            if entry is None:
                walking.pop()
                open_folders.discard(folder)
                finished.add(folder)
                continue
            path = folder / entry.name
            if entry.is_symlink():
                target = self.follow(path)
                if target is None or not target.is_dir():
                    continue
                if any(f.is_relative_to(target) for f in open_folders):  # it holds a folder being walked
                    self.report(path, LOOP)
                    continue
            elif entry.is_dir(follow_symlinks=False):
                target = path
            else:
                continue
            if target not in finished:
                open_folders.add(target)
                walking.append((target, _entries(target)))


def _entries(folder: Path) -> Iterator[os.DirEntry]:
    """A folder's entries in name order; none when it cannot be listed."""
    try:
        with os.scandir(folder) as scan:
            return iter(sorted(scan, key=lambda e: e.name))
    except OSError:
        return iter(())
