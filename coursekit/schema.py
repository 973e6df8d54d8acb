"""JSON Schemas of the front matter, generated from the model so they cannot drift.

Editors use them for completion and checks (see the authoring guide); the
field reference page in the site is rendered from the same models.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from pydantic import BaseModel, RootModel

from . import model
from .errors import Problem

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "module.schema.json": model.ModuleMeta,
    "exercise.schema.json": model.ExerciseMeta,
    "roleplay.schema.json": model.RoleplayMeta,
    "page.schema.json": model.PageMeta,
    "course.schema.json": model.CourseMeta,
    "glossary.schema.json": RootModel[dict[str, model.GlossaryEntry]],
    "references.schema.json": RootModel[dict[str, model.Reference]],
}


def schema_text(cls: type[BaseModel], name: str) -> str:
    """The JSON Schema of one model, as stable, pretty JSON."""
    schema = cls.model_json_schema()
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": name, **schema}
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write_schemas(folder: Path, dry_run: bool = False) -> list[str]:
    """Write every schema file that changed; return the names that were (or would be) written."""
    changed = []
    for name, cls in SCHEMA_FILES.items():
        text = schema_text(cls, name)
        path = folder / name
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        changed.append(name)
        if not dry_run:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return changed


def stale_problem(names: list[str]) -> Problem:
    """The problem reported when committed schemas lag the model."""
    return Problem(f"schema/{names[0]}", 1, "is out of date with the model: run `python build_course.py schema`")


@dataclass(frozen=True)
class FieldRow:
    """One field for the reference page: name, type, whether required, allowed values, description."""

    name: str
    type: str
    required: bool
    allowed: str
    description: str


def field_rows(cls: type[BaseModel]) -> list[FieldRow]:
    """Describe each field of a model for the field reference page."""
    rows = []
    for name, info in cls.model_fields.items():
        annotation = info.annotation
        rows.append(FieldRow(name, _type_name(annotation), info.is_required(), _allowed(annotation, info), info.description or ""))
    return rows


def _unwrap(annotation):
    """Strip Annotated and Optional to the core type."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return _unwrap(args[0])
    return annotation


def _type_name(annotation) -> str:
    core = _unwrap(annotation)
    if typing.get_origin(core) is list:
        return f"list of {_type_name(typing.get_args(core)[0])}"
    if isinstance(core, type) and issubclass(core, Enum):
        return "one of the values"
    if isinstance(core, type) and issubclass(core, BaseModel):
        return f"{core.__name__} (fields below)"
    return {str: "text", int: "whole number", bool: "true or false"}.get(core, getattr(core, "__name__", str(core)))


def _allowed(annotation, info) -> str:
    core = _unwrap(annotation)
    if typing.get_origin(core) is list:
        core = _unwrap(typing.get_args(core)[0])
    notes = []
    if isinstance(core, type) and issubclass(core, Enum):
        notes.append(", ".join(member.value for member in core))
    for constraint in _constraints(annotation):
        notes.append(constraint)
    return "; ".join(notes)


def _constraints(annotation) -> list[str]:
    found = []
    for meta in _metadata(annotation):
        for attr, text in (("min_length", "at least {} items"), ("max_length", "at most {} items"), ("ge", "at least {}"), ("le", "at most {}")):
            value = getattr(meta, attr, None)
            if value is not None and not (attr == "min_length" and value == 1 and _unwrap(annotation) is str):
                found.append(text.format(value))
        pattern = getattr(meta, "pattern", None)
        if pattern:
            found.append("lowercase letters, digits and hyphens")
    return found


def _metadata(annotation) -> list:
    found = []
    while typing.get_origin(annotation) is typing.Annotated:
        args = typing.get_args(annotation)
        found += list(args[1:])
        annotation = args[0]
    for arg in typing.get_args(annotation):
        found += _metadata(arg)
    return found


REFERENCE_SECTIONS: list[tuple[str, str, type[BaseModel]]] = [
    ("Module (module.md)", "module", model.ModuleMeta),
    ("Technique (an item of techniques)", "technique", model.Technique),
    ("Session item (an item of session)", "session-item", model.SessionItem),
    ("Exercise (exercises/ID.md)", "exercise", model.ExerciseMeta),
    ("Step (an item of steps)", "step", model.Step),
    ("Role-play (roleplays/ID.md)", "roleplay", model.RoleplayMeta),
    ("Timing (timing of a role-play)", "timing", model.Timing),
    ("Role (an item of roles)", "role", model.Role),
    ("Script item (an item of script)", "script-item", model.ScriptItem),
    ("Course page (pages/ID.md)", "page", model.PageMeta),
    ("Course (course.yml)", "course", model.CourseMeta),
    ("Glossary entry (glossary.yml)", "glossary-entry", model.GlossaryEntry),
    ("Reference (references.yml)", "reference", model.Reference),
]


def reference_sections() -> list[tuple[str, str, list[FieldRow]]]:
    """Every model's fields, in the order the field reference page shows them."""
    return [(title, anchor, field_rows(cls)) for title, anchor, cls in REFERENCE_SECTIONS]
