"""Turn loaded sources into a Course, or report every problem at once.

Two stages. First each file is built into its model on its own (field rules come from the
pydantic models in model.py), so a broken file never stops another from being checked. Then the
rules across fields and files run as a named list of passes (`RULES`), like the Carpentries
lesson checker: each pass looks at everything that did validate and reports problems; none
depends on another having passed. The course's own policy (modules/course.yml) is one of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import model
from . import vocabulary as vocab
from .errors import CourseError, Problem, did_you_mean, one_of
from .kinds import BY_NAME, KINDS, PARTS, Kind
from .load import COMPETENCES_FILE, MODULE_DIR, ModuleSources, RawCourse, Source
from .policy import POLICY_RULES
from .rules import RULES

# What a human calls the value of each vocabulary field, for "unknown problem area 'x'".
FIELD_NOUNS = {
    "problem_areas": vocab.PROBLEM_AREA.noun,
    "problem_area": vocab.PROBLEM_AREA.noun,
    "phase": vocab.PHASE.noun,
    "clinical_evidence": vocab.CLINICAL_EVIDENCE.noun,
    "coaching_evidence": vocab.COACHING_EVIDENCE.noun,
    "delivery": vocab.DELIVERY.noun,
    "fidelity": vocab.FIDELITY.noun,
    "format": vocab.FORMAT.noun,
    "kind": vocab.REFERENCE_KIND.noun,
    "domain": vocab.COMPETENCE_DOMAIN.noun,
    "type": vocab.QUESTION_TYPE.noun,
}


# Fields an older course may still carry, and what replaced them.
RETIRED_FIELDS = {
    "hours": "the course's length is added up from the modules' session durations; remove it",
    "evidence": "a technique has clinical_evidence and coaching_evidence, defined once in modules/techniques.yml",
}


def _all_field_names() -> list[str]:
    classes = [k.meta for k in KINDS] + [
        model.Technique,
        model.SessionItem,
        model.Step,
        model.Timing,
        model.Role,
        model.ScriptItem,
        model.CourseMeta,
        model.ModalityDef,
        model.Policy,
        model.GlossaryEntry,
        model.Reference,
        model.CompetenceFramework,
        model.Competence,
        model.Question,
        model.Option,
    ]
    return sorted({name for cls in classes for name in cls.model_fields})


def where(loc: tuple[Any, ...]) -> str:
    """Render a pydantic location as a field path such as session[2].minutes."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "front matter"


def explain(error: dict[str, Any]) -> str:
    """Phrase one pydantic error as what is wrong and how to fix it."""
    loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    field_name = where(loc)
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx", {})
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "missing":
        return f"missing field '{name}': add it (the field reference in the authoring guide says what belongs there)"
    if kind == "extra_forbidden" and name in RETIRED_FIELDS:
        return f"the field '{name}' is no longer used: {RETIRED_FIELDS[name]}"
    if kind == "extra_forbidden":
        return f"unknown field '{name}'{did_you_mean(name, _all_field_names()) or ': remove it or check the spelling'}"
    if kind == "enum":
        choices = re.findall(r"'([^']*)'", ctx.get("expected", ""))
        return f"unknown {FIELD_NOUNS.get(name, name)} '{value}': {one_of(value, choices)}"
    if kind in ("int_parsing", "int_type", "int_from_float", "finite_number"):
        return f"'{field_name}' must be a whole number, not {value!r}"
    if kind in ("bool_parsing", "bool_type"):
        return f"'{field_name}' must be true or false, not {value!r}"
    if kind == "string_type" and loc[:1] == ("techniques",) and isinstance(value, dict):
        return f"'{field_name}' must be a technique id: define the technique once in modules/techniques.yml (its id as the key) and list the id here"
    if kind == "string_type":
        return f"'{field_name}' must be text, not {_kind_of(value)}"
    if kind == "list_type":
        return f"'{field_name}' must be a list, one item per line starting with '- '"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"'{field_name}' must be a set of 'field: value' lines, not {_kind_of(value)}"
    if kind == "too_short":
        return f"'{field_name}' needs at least {ctx['min_length']} items, has {ctx.get('actual_length', 0)}: add more"
    if kind == "too_long":
        return f"'{field_name}' has at most {ctx['max_length']} items, has {ctx.get('actual_length')}: remove some"
    if kind == "string_too_short":
        return f"'{field_name}' is empty: write something or remove the field"
    if kind == "string_too_long":
        return f"'{field_name}' is too long (at most {ctx['max_length']} characters)"
    if kind == "string_pattern_mismatch":
        if name == "short":
            return f"'{field_name}' must be a short name of letters, digits, spaces and + . / ( ) -, not {value!r}"
        return f"'{value}' is not a valid id: use lowercase letters, digits and hyphens, e.g. 'grief-timeline'"
    if kind == "greater_than_equal":
        return f"'{field_name}' must be at least {ctx['ge']}, not {value!r}"
    if kind == "less_than_equal":
        return f"'{field_name}' must be at most {ctx['le']}, not {value!r}"
    if kind == "value_error":
        return f"{field_name}: {error['msg'].removeprefix('Value error, ')}"
    return f"'{field_name}': {error['msg']}"


def _kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    if value is None:
        return "empty"
    return f"{type(value).__name__} {value!r}"


def build_meta(source: Source, cls: type[BaseModel], problems: list[Problem], prefix: tuple = ()) -> Any:
    """Validate `source.data` (or the part at `prefix`) as `cls`, recording errors with lines."""
    data = source.data
    for part in prefix:
        data = data[part]
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = prefix + tuple(error["loc"])
            line = source.line_of(loc if error["type"] != "missing" else loc[:-1])
            problems.append(Problem(source.path, line, explain(error)))
        return None


# ---------------------------------------------------------------------------------------------
# Stage 1: each file on its own


@dataclass
class Checked:
    """What the per-file stage built, with the sources to find lines in, for the rule passes."""

    raw: RawCourse
    course: model.CourseMeta | None
    glossary: dict[str, model.GlossaryEntry]
    references: dict[str, model.Reference]
    techniques: dict[str, model.Technique]
    pages: list[model.Page]
    modules: list[model.Module]
    # Parts that validated, including those of modules whose own file did not.
    parts: list[model.Part]
    sources: dict[str, Source]
    problems: list[Problem] = field(default_factory=list)
    # modules/competences.yml's competences that validated, by id (the first of a duplicated id).
    competences: dict[str, model.Competence] = field(default_factory=dict)

    @property
    def competence_ids(self) -> set[str] | None:
        """Every id competences.yml declares, valid entries or not; None when the file is unreadable."""
        source = self.raw.competences
        if source is None:
            return None if any(p.path == f"modules/{COMPETENCES_FILE}" for p in self.raw.problems) else set()
        entries = source.data.get("competences") if isinstance(source.data, dict) else None
        if not isinstance(entries, list):
            return None  # its own problem is reported
        return {str(e["id"]) for e in entries if isinstance(e, dict) and "id" in e}

    @property
    def practice(self) -> list[model.Part]:
        """The exercises and role-plays (not the quizzes): parts with modalities, techniques and a duration."""
        return [p for p in self.parts if BY_NAME[p.kind].practice]

    def source(self, item: Any) -> Source:
        """The source file of a validated module, part or page."""
        return self.sources[item.path.as_posix()]

    def line(self, item: Any, *loc: str | int) -> int:
        """The line of a field of a validated item."""
        return self.source(item).line_of(loc)

    @property
    def declared_modules(self) -> list[tuple[Any, Any]]:
        """(id, week) of every module folder and file, valid or not, so one mistake is reported once."""
        declared = [(s.module.data.get("id"), s.module.data.get("week")) for s in self.raw.modules if s.module]
        declared += [
            (m.group(2), int(m.group(1))) for s in self.raw.modules if (m := MODULE_DIR.match(Path(s.folder).name))
        ]
        return declared

    def module_sources(self, module: model.Module) -> ModuleSources:
        """The files read from a module's folder."""
        folder = module.path.parent.as_posix()
        return next(m for m in self.raw.modules if m.folder == folder)

    def defined_keys(self, source: Source | None) -> set[str] | None:
        """Keys of glossary.yml, references.yml or techniques.yml, valid entries or not; None when the file is unreadable."""
        return set(source.data) if source else None


def _entries(source: Source | None, cls: type[BaseModel], problems: list[Problem]) -> dict[str, Any]:
    if source is None:
        return {}
    entries = {}
    for key in source.data:
        if not isinstance(key, str) or not re.fullmatch(model.ID_PATTERN, key):
            problems.append(
                Problem(
                    source.path,
                    source.line_of((key,)),
                    f"'{key}' is not a valid id: use lowercase letters, digits and hyphens",
                )
            )
            continue
        entry = build_meta(source, cls, problems, (key,))
        if entry is not None:
            entries[key] = entry
    return entries


def _competences(source: Source | None, problems: list[Problem]) -> dict[str, model.Competence]:
    """The competences of modules/competences.yml by id; a file that does not validate gives none."""
    framework = build_meta(source, model.CompetenceFramework, problems) if source else None
    competences: dict[str, model.Competence] = {}
    for competence in framework.competences if framework else []:
        competences.setdefault(competence.id, competence)
    return competences


def _page(source: Source, problems: list[Problem]) -> model.Page | None:
    meta = build_meta(source, model.PageMeta, problems)
    return model.Page(meta=meta, body=source.body, path=Path(source.path)) if meta else None


def _part(kind: Kind, source: Source, module_id: str, problems: list[Problem]) -> model.Part | None:
    meta = build_meta(source, kind.meta, problems)
    return (
        model.Part(kind=kind.name, meta=meta, body=source.body, path=Path(source.path), module_id=module_id)
        if meta
        else None
    )


def _module(sources: ModuleSources, problems: list[Problem]) -> tuple[model.Module | None, list[model.Part]]:
    meta = build_meta(sources.module, model.ModuleMeta, problems) if sources.module else None
    module_id = meta.id if meta else ""
    parts = {
        kind.name: [p for s in sources.parts.get(kind.name, []) if (p := _part(kind, s, module_id, problems))]
        for kind in PARTS
    }
    every_part = [p for ps in parts.values() for p in ps]
    if meta is None:
        return None, every_part
    return model.Module(meta=meta, body=sources.module.body, path=Path(sources.module.path), parts=parts), every_part


def build_files(raw: RawCourse) -> Checked:
    """Stage 1: build each file's model on its own, recording field problems."""
    problems = list(raw.problems)
    course = build_meta(raw.course, model.CourseMeta, problems) if raw.course else None
    glossary = _entries(raw.glossary, model.GlossaryEntry, problems)
    references = _entries(raw.references, model.Reference, problems)
    techniques = _entries(raw.techniques, model.Technique, problems)
    pages = sorted((p for s in raw.pages if (p := _page(s, problems))), key=lambda p: (p.meta.order, p.meta.id))
    modules, parts = [], []
    for sources in raw.modules:
        module, module_parts = _module(sources, problems)
        parts += module_parts
        if module:
            modules.append(module)
    modules.sort(key=lambda m: (m.meta.week, m.path.as_posix()))
    sources = {s.path: s for m in raw.modules for s in m.all()} | {s.path: s for s in raw.pages}
    competences = _competences(raw.competences, problems)
    return Checked(raw, course, glossary, references, techniques, pages, modules, parts, sources, problems, competences)


def validate_course(raw: RawCourse) -> model.Course:
    """Check everything and return the Course; raise CourseError listing every problem."""
    checked = build_files(raw)
    for rule in [*RULES, *POLICY_RULES]:
        checked.problems.extend(rule(checked))
    if checked.problems:
        raise CourseError(checked.problems)
    return model.Course(
        meta=checked.course,
        modules=checked.modules,
        pages=checked.pages,
        glossary=checked.glossary,
        references=checked.references,
        techniques=checked.techniques,
        competences=checked.competences,
    )
