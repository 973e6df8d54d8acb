"""Read modules/ from disk into Source records that remember line numbers.

PyYAML's composed nodes carry marks, so each key and list item is mapped to
its line; the validator uses that map to name `path:line` for any field.
Windows files (CRLF, UTF-8 BOM) are normalised; other encodings are errors.

Files come from pull requests, so reading is bounded: a file of at most 1 MB, no YAML anchors or
aliases (a "billion laughs" file expands to gigabytes), at most 32 levels of nesting and 20,000
values, numbers of at most 30 characters; each refusal is one `path:line` problem. Nothing is
read through a link that leads outside the project (confine.py reports the link).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer

from . import confine, kit_fingerprint, private_cache
from .errors import Problem
from .kinds import KINDS, PARTS

Loc = tuple[str | int, ...]

# libyaml's loader when PyYAML was built with it (it is, in the pinned wheels): several times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 1_000_000  # the shipped course's largest file is about 30 kB
MAX_DEPTH = 32  # levels of lists and mappings; the shipped course uses at most 3
MAX_NUMBER_CHARS = 30  # Python refuses to read an int of more than 4,300 digits, with a traceback
MAX_VALUES = 20_000  # keys, values and list items in one file; the shipped course's largest has about 570
NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
REFUSED_ALIAS = "uses a YAML alias ('*'): the kit does not expand aliases; write the value out in full instead"
REFUSED_ANCHOR = (
    "uses a YAML anchor ('&'): the kit does not allow anchors and aliases; remove it and write values out in full"
)
REFUSED_DEPTH = f"is nested more than {MAX_DEPTH} levels deep: the kit's files need a few levels at most; flatten it"
REFUSED_VALUES = f"holds more than {MAX_VALUES:,} values: split it into several files"
REFUSED_NUMBER = (
    f"has a number longer than {MAX_NUMBER_CHARS} characters: shorten it, or put it in quotes if it is text"
)

MODULE_DIR = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$")
FENCE = "---"


@dataclass
class Source:
    """One file's parsed data, its body, and where each field sits."""

    path: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1

    def line_of(self, loc: Loc) -> int:
        """Return the line of the deepest known part of `loc`."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return self.lines.get((), 1)


@dataclass
class ModuleSources:
    """A module folder: its module.md and the files of each part kind, by kind name."""

    folder: str
    module: Source | None
    parts: dict[str, list[Source]] = field(default_factory=dict)

    def all(self) -> list[Source]:
        """The module file and every part file that could be read."""
        return [s for s in [self.module, *(s for sources in self.parts.values() for s in sources)] if s]


@dataclass
class RawCourse:
    """Everything read from modules/, before validation."""

    course: Source | None
    glossary: Source | None
    references: Source | None
    course_files: dict[str, list[Source]]  # files of course-level kinds (pages), by kind name
    modules: list[ModuleSources]
    problems: list[Problem]
    techniques: Source | None = None  # modules/techniques.yml: every technique, defined once
    root: Path | None = None  # the project, for checks of files outside modules/ (the branding logo)
    competences: Source | None = None  # modules/competences.yml, optional: the course's competence framework

    @property
    def pages(self) -> list[Source]:
        """The course pages in modules/pages/."""
        return self.course_files.get("page", [])


def read_text(path: Path, shown: str) -> str:
    """Read a file as UTF-8 (a BOM is fine), with newlines normalised to LF."""
    return decode_text(read_bytes(path, shown), shown)


def read_bytes(path: Path, shown: str) -> bytes:
    """A file's bytes, read no further than the size limit; LoadError when it is larger."""
    with path.open("rb") as file:
        raw = file.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise LoadError(
            Problem(
                shown,
                1,
                f"is larger than {MAX_FILE_BYTES // 1_000_000} MB, the most the kit reads: "
                "split it into several files, or put large files in docs/assets/",
            )
        )
    return raw


def decode_text(raw: bytes, shown: str) -> str:
    """Decode UTF-8 bytes (a BOM is fine) with newlines normalised to LF; LoadError otherwise."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LoadError(
            Problem(shown, line, 'is not UTF-8 text: save the file as UTF-8 in your editor ("Save with encoding")')
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


class LoadError(Exception):
    """A file that cannot be read at all; carries its single problem."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


class _Refused(Exception):
    """A construct the bounded loader will not compose, at a line of the YAML text."""

    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(message)


class _BoundedLoader(_Loader):
    """libyaml's event parser under PyYAML's Python composer, which stops at what could blow up.

    libyaml's own composer recurses in C, so a file nested thousands deep crashes the interpreter,
    and it shares aliased nodes that the line map would then walk exponentially. Composing in
    Python from libyaml's lazily parsed events refuses the first anchor, alias, over-deep list or
    mapping, over-long number or value too many, having read no further. It costs about a third
    more than the C composer, and only on files the parse cache has not seen.
    """

    get_single_node = Composer.get_single_node
    compose_document = Composer.compose_document
    compose_scalar_node = Composer.compose_scalar_node
    compose_sequence_node = Composer.compose_sequence_node
    compose_mapping_node = Composer.compose_mapping_node

    def __init__(self, text: str):
        super().__init__(text)
        self.anchors: dict = {}
        self.depth = 0
        self.values = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        """One node, refused when it is an alias, has an anchor, nests too deep or is a huge number."""
        event = self.peek_event()
        line = event.start_mark.line
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(line, REFUSED_ALIAS)
        if event.anchor is not None:
            raise _Refused(line, REFUSED_ANCHOR)
        self.values += 1
        if self.values > MAX_VALUES:
            raise _Refused(line, REFUSED_VALUES)
        nests = isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent))
        if nests and self.depth >= MAX_DEPTH:
            raise _Refused(line, REFUSED_DEPTH)
        self.depth += nests
        node = Composer.compose_node(self, parent, index)
        self.depth -= nests
        if node.tag in NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
            raise _Refused(line, REFUSED_NUMBER)
        return node


def parse_yaml(text: str, shown: str, first_line: int = 1) -> Source:
    """Parse YAML text into a Source whose line map is offset by `first_line`."""
    loader = _BoundedLoader(text)
    try:
        # Compose once, then build the data from the same nodes: their marks give the line map.
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if mark and error.context_mark and mark.line >= text.rstrip("\n").count("\n") + 1:
            mark = error.context_mark  # the text ended early: point at what was left open
        line = first_line + (mark.line if mark else 0)
        what = error.problem or error.context or "cannot be parsed"
        raise LoadError(
            Problem(
                shown,
                line,
                f"invalid YAML ({what}): check the indentation and put quotes around text that contains ': ' or starts with a symbol",
            )
        ) from None
    except yaml.YAMLError as error:
        raise LoadError(Problem(shown, first_line, f"invalid YAML ({error}): check the syntax")) from None
    except _Refused as refused:
        raise LoadError(Problem(shown, first_line + refused.line, refused.message)) from None
    finally:
        loader.dispose()
    source = Source(shown, data)
    if node is not None:
        _map_lines(node, (), source.lines, first_line, shown)
    return source


def _map_lines(node: yaml.Node, loc: Loc, lines: dict[Loc, int], first: int, shown: str) -> None:
    lines.setdefault(loc, first + node.start_mark.line)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                where = f"line {seen[key]}"
                message = f"the key '{key}' appears twice (also at {where}): keep one of them"
                raise LoadError(Problem(shown, first + key_node.start_mark.line, message))
            seen[key] = first + key_node.start_mark.line
            lines[loc + (key,)] = first + key_node.start_mark.line
            _map_lines(value_node, loc + (key,), lines, first, shown)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[loc + (index,)] = first + item.start_mark.line
            _map_lines(item, loc + (index,), lines, first, shown)


def parse_front_matter(text: str, shown: str) -> Source:
    """Split `---` front matter from the Markdown body and parse it."""
    if not text.strip():
        raise LoadError(
            Problem(
                shown,
                1,
                "is empty: it needs front matter between two '---' lines (`python build_course.py new` writes a template)",
            )
        )
    lines = text.split("\n")
    if lines[0].strip() != FENCE:
        raise LoadError(
            Problem(
                shown, 1, "has no front matter: start the file with a line '---', then the fields, then another '---'"
            )
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            break
    else:
        raise LoadError(Problem(shown, 1, "front matter is not closed: add a line '---' after the last field"))
    source = parse_yaml("\n".join(lines[1:index]), shown, first_line=2)
    if source.data is None:
        raise LoadError(Problem(shown, 1, "front matter is empty: add the fields between the '---' lines"))
    if not isinstance(source.data, dict):
        raise LoadError(Problem(shown, 2, "front matter must be a set of 'field: value' lines"))
    body = "\n".join(lines[index + 1 :])
    stripped = body.lstrip("\n")
    source.body = stripped.rstrip("\n") + "\n"
    source.body_line = index + 2 + (len(body) - len(stripped))
    return source


class ParseCache:
    """Parsed files from earlier runs, keyed by a hash of their bytes.

    Parsing YAML in Python is the generator's biggest cost on a large course; a file whose bytes
    are unchanged since the last run is taken from here instead. Kept in a private folder of the
    user's temp directory, one file per course folder. The cache only saves time: a missing,
    unreadable, corrupt or oversized cache is ignored, and one that cannot be written (no usable
    temp folder, a full disk) is skipped without a word. Only files that parsed are stored, so
    a file the loader refuses is parsed (and refused) again on every run.
    """

    MAX_BYTES = 64_000_000  # the shipped course's cache is under 1 MB; a larger one is not ours

    def __init__(self, root: Path):
        self.path: Path | None = None
        self.entries: dict[str, tuple[bytes, Source]] = {}
        self.used: dict[str, tuple[bytes, Source]] = {}
        # One file per course folder and kit version: another version may parse differently.
        folder = private_cache.folder()
        if folder is None:
            return
        self.path = folder / f"{hashlib.sha1(str(root.resolve()).encode()).hexdigest()}-{kit_fingerprint()}.pickle"
        entries = private_cache.read(self.path, self.MAX_BYTES)
        self.entries = {k: v for k, v in entries.items() if _is_entry(v)} if isinstance(entries, dict) else {}

    def get(self, shown: str, digest: bytes) -> Source | None:
        """The cached Source for this file's bytes, if any."""
        entry = self.entries.get(shown)
        if entry and entry[0] == digest:
            self.used[shown] = entry
            return entry[1]
        return None

    def put(self, shown: str, digest: bytes, source: Source) -> None:
        """Remember a freshly parsed file."""
        self.used[shown] = (digest, source)

    def save(self) -> None:
        """Write the entries used in this run, if they differ from what was loaded."""
        if self.path is None or self.used == self.entries:
            return
        private_cache.write(self.path, self.used, self.MAX_BYTES)


def _is_entry(entry: object) -> bool:
    """Whether a loaded cache entry has the shape `put` gives it: (digest, Source)."""
    return isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], bytes) and isinstance(entry[1], Source)


COURSE_FILES = ("course.yml", "glossary.yml", "references.yml", "techniques.yml")
COMPETENCES_FILE = "competences.yml"  # optional: a course without it has no competence map
# Other spellings of Markdown files, which would otherwise be silently left out.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")


class _Reader:
    """Reads files under one project, through the parse cache, collecting problems."""

    def __init__(self, root: Path):
        self.root = root
        self.cache = ParseCache(root)
        self.problems: list[Problem] = []

    def shown(self, path: Path) -> str:
        """The path as a trainer sees it in messages: relative to the project."""
        return path.relative_to(self.root).as_posix()

    def read(self, path: Path, front_matter: bool) -> Source | None:
        """Parse one file (front matter and body, or plain YAML); None, with a problem, if it cannot be."""
        shown = self.shown(path)
        if not confine.inside(path, self.root):
            return None  # the walk of modules/ reports the link; its content is never read
        try:
            raw = read_bytes(path, shown)
            digest = hashlib.blake2b(raw, digest_size=16).digest() + (b"f" if front_matter else b"y")
            cached = self.cache.get(shown, digest)
            if cached is not None:
                return cached
            text = decode_text(raw, shown)
            source = parse_front_matter(text, shown) if front_matter else _parse_mapping(text, shown)
            self.cache.put(shown, digest, source)
            return source
        except LoadError as error:
            self.problems.append(error.problem)
            return None

    def required_yaml(self, name: str) -> Source | None:
        """One of the course files in modules/; a problem when it is missing."""
        path = self.root / "modules" / name
        if not path.is_file():
            self.problems.append(
                Problem(f"modules/{name}", 1, f"is missing: create modules/{name} (see the authoring guide)")
            )
            return None
        return self.read(path, front_matter=False)

    def optional_yaml(self, name: str) -> Source | None:
        """A course file in modules/ that a course may do without (competences.yml); None when absent."""
        path = self.root / "modules" / name
        return self.read(path, front_matter=False) if path.is_file() else None

    def markdown_files(self, folder: Path) -> list[Source]:
        """Every Markdown file of one kind's folder; a problem for one whose name does not end in '.md'."""
        if not folder.is_dir() or not confine.inside(folder, self.root):
            return []
        files = sorted(p for p in folder.iterdir() if p.is_file())
        for path in files:
            if path.suffix != ".md" and path.suffix.lower() in MARKDOWN_SUFFIXES:
                self.problems.append(
                    Problem(
                        self.shown(path),
                        1,
                        f"is not read: the kit reads Markdown files whose names end in '.md': rename it to {path.stem}.md",
                    )
                )
        return [s for p in files if p.suffix == ".md" and (s := self.read(p, front_matter=True))]

    def module(self, folder: Path) -> ModuleSources | None:
        """One module folder: module.md and each part kind's subfolder; None if the name is wrong."""
        if not MODULE_DIR.match(folder.name):
            self.problems.append(
                Problem(
                    self.shown(folder), 1, "is not a module folder name: name it NN-module-id, e.g. 05-grief-and-loss"
                )
            )
            return None
        module_file = folder / "module.md"
        module = self.read(module_file, front_matter=True) if module_file.is_file() else None
        if not module_file.is_file():
            self.problems.append(
                Problem(
                    self.shown(module_file),
                    1,
                    "is missing: every module folder needs a module.md (`python build_course.py new module` writes one)",
                )
            )
        expected = ("module.md", *(kind.folder for kind in PARTS))
        for stray in sorted(folder.iterdir()):
            if stray.name not in expected and not stray.name.startswith("."):
                listed = ", ".join(f"{name}/" for name in expected[1:])
                self.problems.append(
                    Problem(
                        self.shown(stray),
                        1,
                        f"is not part of the module format: a module folder holds module.md, {listed}",
                    )
                )
        parts = {kind.name: self.markdown_files(folder / kind.folder) for kind in PARTS}
        return ModuleSources(self.shown(folder), module, parts)


def _parse_mapping(text: str, shown: str) -> Source:
    source = parse_yaml(text, shown)
    if not isinstance(source.data, dict):
        raise LoadError(Problem(shown, 1, "must be a set of 'key: value' entries"))
    return source


def load_course(root: Path) -> RawCourse:
    """Read every file under root/modules, collecting problems instead of stopping."""
    modules_dir = root / "modules"
    if not modules_dir.is_dir():
        missing = Problem("modules", 1, "folder is missing: create modules/ with course.yml and one folder per module")
        return RawCourse(None, None, None, {}, [], [missing])
    reader = _Reader(root)
    reader.problems += confine.tree_problems(root, modules_dir, "modules")
    course, glossary, references, techniques = (reader.required_yaml(name) for name in COURSE_FILES)
    competences = reader.optional_yaml(COMPETENCES_FILE)
    course_kinds = [k for k in KINDS if k.where == "course"]
    course_files = {kind.name: reader.markdown_files(modules_dir / kind.folder) for kind in course_kinds}
    skip = {kind.folder for kind in course_kinds}
    folders = sorted(
        p
        for p in modules_dir.iterdir()
        if p.is_dir() and p.name not in skip and not p.name.startswith(".") and confine.inside(p, root)
    )
    modules = [m for folder in folders if (m := reader.module(folder))]
    reader.cache.save()
    return RawCourse(
        course, glossary, references, course_files, modules, reader.problems, techniques, root, competences
    )


def _markdown_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".md" and p.is_file())
