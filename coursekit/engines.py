"""The site engines behind one interface: MkDocs 1.6.1 (the default), ProperDocs and Zensical.

Each engine reads the same mkdocs.yml and docs/ and builds the site into a folder it is given,
strict where it can be; what it warns about comes back as text (EngineFailed) for the kit to
report at the file and line a trainer edits. MkDocs runs in this process. ProperDocs replaces
every `mkdocs` import with its own once loaded, so it runs in this process only when MkDocs is not
loaded here (a `build` from the command line), and otherwise in a child process of its own
(`python -m coursekit.engines properdocs ...`), through the same code as MkDocs. Zensical is a
native program with a Python front: it runs as a child process too, on a small config that
inherits mkdocs.yml and only names the output folder.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

CONFIG = "mkdocs.yml"
DEFAULT = "mkdocs"
MATERIAL_INDEX = "search/search_index.json"


class EngineFailed(Exception):
    """The engine refused to build, with its warnings and errors as lines of text."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Engine:
    """What the kit needs to know of an engine, and how to run it."""

    name: str  # as given to --engine and `engine:` in modules/course.yml
    label: str  # how problems name it
    distribution: str  # its package on PyPI, pinned in requirements.txt
    search_index: str  # where its search index lies in the built site
    dirty: bool  # whether it can rebuild only changed pages (the preview's quick path)
    ranked: bool  # whether its index is Material for MkDocs' lunr index, which coursekit/ranking.py weighs

    def version(self) -> str:
        """The installed version, for the benchmark and the deploy commit."""
        return metadata.version(self.distribution)

    def build(
        self,
        root: Path,
        out: Path,
        strict: bool = True,
        dirty: bool = False,
        overrides: dict | None = None,
        previous: Path | None = None,
    ):
        """Build root's site into `out`; raise EngineFailed with the engine's messages, OSError on a refused write.

        `previous` is the last site built from this project, whose unchanged pages a build may reuse.
        """
        raise NotImplementedError

    def first_look(self, root: Path, wanted, overrides: dict | None = None) -> dict[str, bytes]:
        """A few pages' HTML (those `wanted` picks by their file), by output path, written nowhere: the preview
        shows them before its full build. Empty when the engine cannot build pages one by one."""
        return {}


class MkDocs(Engine):
    """MkDocs 1.6.1 in this process."""

    def build(self, root, out, strict=True, dirty=False, overrides=None, previous=None):
        material_build(root, out, strict, dirty, overrides or {}, previous, self.name)

    def first_look(self, root, wanted, overrides=None):
        return material_first_look(root, wanted, overrides or {})


class ProperDocs(Engine):
    """ProperDocs (MkDocs 1.x maintained), run by the same code as MkDocs: in this process while MkDocs' own
    modules are not loaded here (a `build` from the command line), else in a child process of its own."""

    def build(self, root, out, strict=True, dirty=False, overrides=None, previous=None):
        if _properdocs_may_take_the_name():
            import properdocs.replacement  # noqa: F401  (from here on, `mkdocs.*` is ProperDocs in this process)

            material_build(root, out, strict, dirty, overrides or {}, previous, self.name)
            return
        request = {
            "root": str(root),
            "out": str(out),
            "strict": strict,
            "dirty": dirty,
            "overrides": overrides or {},
            "previous": str(previous) if previous else None,
        }
        command = [sys.executable, "-m", "coursekit.engines", self.name, json.dumps(request)]
        done = subprocess.run(command, capture_output=True, text=True, cwd=root, env=_child_env())
        try:
            answer = json.loads(done.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            raise EngineFailed(_last_lines(done.stderr) or [f"exited with status {done.returncode}"]) from None
        if answer["messages"]:
            raise EngineFailed(answer["messages"])


class Zensical(Engine):
    """Zensical in a child process, on a config that inherits mkdocs.yml and names the output folder.

    Zensical keeps its output inside the project, so a folder elsewhere (the preview's, check's)
    is built inside first and moved there. Its cache (.cache/ in the project) makes rebuilds fast.
    It runs through coursekit/zensical_ahead.py, which renders its Markdown on both cores.
    """

    def build(self, root, out, strict=True, dirty=False, overrides=None, previous=None):
        inside = (
            out
            if out.resolve().is_relative_to(root.resolve())
            else Path(tempfile.mkdtemp(prefix=".site-build-", dir=root))
        )
        settings = {"INHERIT": CONFIG, "site_dir": str(inside.resolve()), "strict": strict, **(overrides or {})}
        config = root / f".zensical-{os.getpid()}.yml"
        config.write_text(json.dumps(settings), encoding="utf-8")  # JSON is YAML
        try:
            command = [sys.executable, "-m", "coursekit.zensical_ahead", str(config.resolve())] + (
                ["--strict"] if strict else []
            )
            done = subprocess.run(command, capture_output=True, text=True, cwd=root, env=_child_env())
        finally:
            config.unlink(missing_ok=True)
        if done.returncode:
            shutil.rmtree(inside, ignore_errors=True) if inside != out else None
            raise EngineFailed(zensical_messages(done.stdout + done.stderr, root) or _last_lines(done.stderr))
        if inside != out:
            shutil.rmtree(out, ignore_errors=True)
            shutil.move(inside, out)


def _properdocs_may_take_the_name() -> bool:
    """Whether ProperDocs can run in this process: it answers every `mkdocs.*` import once loaded, so MkDocs'
    own modules must not be loaded already (or ProperDocs has the name already)."""
    if "properdocs.replacement" in sys.modules:
        return True
    return not any(name == "mkdocs" or name.startswith("mkdocs.") for name in sys.modules)


ENGINES = {
    engine.name: engine
    for engine in (
        MkDocs("mkdocs", "MkDocs", "mkdocs", MATERIAL_INDEX, dirty=True, ranked=True),
        ProperDocs("properdocs", "ProperDocs", "properdocs", MATERIAL_INDEX, dirty=True, ranked=True),
        Zensical("zensical", "Zensical", "zensical", "search.json", dirty=False, ranked=False),
    )
}


def engine_named(name: str | None) -> Engine:
    """The engine of that name (the default when None); KeyError for an unknown one (callers check names first)."""
    return ENGINES[name or DEFAULT]


def _child_env() -> dict:
    # No colours in what we parse; the kit's own package importable whatever the working folder.
    kit = str(Path(__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (kit, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "NO_COLOR": "1", "PYTHONPATH": path}


def _last_lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1:]


# --- MkDocs and ProperDocs: the same Python API ---------------------------------------------------


class _Collect(logging.Handler):
    """Keeps the engine's warnings and errors so they can be reported as problems."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def material_build(
    root: Path, out: Path, strict: bool, dirty: bool, overrides: dict, previous: Path | None, name: str
) -> None:
    """Build with the `mkdocs` API (MkDocs' own, or ProperDocs' once it has taken that name) into `out`.

    A full build goes through the kit's build cache (coursekit/cached_build.py), which reuses each
    unchanged page's Markdown, search entry and HTML from `previous`, byte for byte.
    """
    from mkdocs import exceptions

    from .cached_build import BuildCache  # not at the top: the model imports this module, and the cache the model
    from .fast_config import load_config

    with _collected() as collector:
        try:
            config = load_config(str(root / CONFIG), strict=strict, site_dir=str(out), **overrides)
            _material_run(config, out, dirty, BuildCache(root, name), previous)
        except OSError:
            raise  # the caller tells a refused write from any other fault
        except Exception as error:  # the engine and its extensions raise many types; all mean "no new site"
            messages = collector.messages or [f"{type(error).__name__}: {error}"]
            if not isinstance(error, exceptions.Abort) and collector.messages:
                messages.append(f"{type(error).__name__}: {error}")
            raise EngineFailed(messages) from None


@contextlib.contextmanager
def _collected() -> Iterator[_Collect]:
    """The engine's warnings and errors kept for the kit to report, not printed by the engine's own logger."""
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield collector
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate


def material_first_look(root: Path, wanted, overrides: dict) -> dict[str, bytes]:
    """Engine.first_look with the `mkdocs` API: nothing when the engine warns (the full build that follows reports it)."""
    from .cached_build import first_look
    from .csp import add_policy
    from .fast_config import load_config

    with _collected() as collector, tempfile.TemporaryDirectory(prefix="course-kit-first-look-") as unused:
        config = load_config(str(root / CONFIG), strict=False, site_dir=unused, **overrides)  # nothing is written there
        pages = first_look(config, wanted, finish=add_policy)
    return {} if collector.messages else pages  # a page the strict build would refuse is not shown first


def _material_run(config, out: Path, dirty: bool, cache, previous: Path | None) -> None:
    from mkdocs.commands import build

    from .cached_build import build as cached_build
    from .csp import add_policy

    if not dirty:
        cached_build(config, cache, previous=previous, finish=add_policy, engine=build)
        return
    # Re-render only pages newer than their HTML (strict), keeping the search index whole.
    index = out / MATERIAL_INDEX
    old_index = json.loads(index.read_text(encoding="utf-8"))
    build_logger = logging.getLogger("mkdocs.commands.build")
    build_logger.addFilter(_not_the_dirty_warning)
    try:
        build.build(config, dirty=True)
    finally:
        build_logger.removeFilter(_not_the_dirty_warning)
    merge_search_index(old_index, index)


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    # The engine warns on every dirty build; in strict mode that warning alone would abort it.
    return "'dirty' build" not in record.getMessage()


def merge_search_index(old_index: dict, index_path: Path) -> None:
    """Replace the old index's entries for the pages just rebuilt with their new entries."""
    new_index = json.loads(index_path.read_text(encoding="utf-8"))
    rebuilt = {doc["location"].split("#", 1)[0] for doc in new_index["docs"]}
    kept = [doc for doc in old_index["docs"] if doc["location"].split("#", 1)[0] not in rebuilt]
    new_index["docs"] = kept + new_index["docs"]
    index_path.write_text(json.dumps(new_index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# --- Zensical's report ----------------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ZENSICAL_WARNING = re.compile(r"^(?:Warning|Error):\s*(?P<message>.+)$")
_ZENSICAL_PLACE = re.compile(r"\[\s*(?P<page>[^\s\]]+\.md):(?P<line>\d+):(?P<column>\d+)\s*\]")
_ZENSICAL_FAULT = re.compile(r"^\w+(?:Error|Exception): .+$")


def zensical_messages(output: str, root: Path) -> list[str]:
    """Zensical's warnings, a link's in MkDocs' words (so coursekit/blame.py places it), and its fatal error."""
    lines = [_ANSI.sub("", line).strip() for line in output.splitlines()]
    messages = []
    for number, line in enumerate(lines):
        warned = _ZENSICAL_WARNING.match(line)
        if warned:
            place = next((_ZENSICAL_PLACE.search(after) for after in lines[number + 1 : number + 3]), None)
            messages.append(_zensical_warning(warned.group("message"), place, root))
    messages += [line for line in lines if _ZENSICAL_FAULT.match(line) and not line.startswith("ConfigurationError")][
        -1:
    ]
    messages += [line.split(": ", 1)[1] for line in lines if line.startswith("zensical.config.ConfigurationError: ")]
    return messages


def _zensical_warning(message: str, place: re.Match | None, root: Path) -> str:
    if place is None:
        return message
    page, line, column = place.group("page"), int(place.group("line")), int(place.group("column"))
    target = _link_at(root / "docs" / page, line, column)
    if target is None:
        return f"{page}:{line}: {message}"
    return f"Doc file '{page}' contains a link '{target}', but {message}."


def _link_at(path: Path, line: int, column: int) -> str | None:
    """The link target that starts at a line and column of a page (Zensical points at it)."""
    try:
        text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, UnicodeDecodeError, IndexError):
        return None
    found = re.match(r"[^\s)\"'>]+", text[column - 1 :])
    return found.group(0) if found else None


def _child(name: str, request: str) -> int:
    """`python -m coursekit.engines properdocs JSON`: one build, its messages as JSON on the last line."""
    if name == "properdocs":
        import properdocs.replacement  # noqa: F401  (from here on, `mkdocs` is ProperDocs)
    asked = json.loads(request)
    try:
        previous = Path(asked["previous"]) if asked["previous"] else None
        material_build(
            Path(asked["root"]), Path(asked["out"]), asked["strict"], asked["dirty"], asked["overrides"], previous, name
        )
    except EngineFailed as failed:
        print(json.dumps({"messages": failed.messages}))
        return 1
    except OSError as error:
        print(json.dumps({"messages": [f"{type(error).__name__}: {error}"]}))
        return 1
    print(json.dumps({"messages": []}))
    return 0


if __name__ == "__main__":
    sys.exit(_child(*sys.argv[1:3]))
