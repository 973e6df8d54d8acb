"""JSON Schemas of the front matter, and the field reference, both from the model so neither drifts.

Editors use the schemas for completion and checks (see the authoring guide); the field reference
page is made from the same JSON Schema, so it shows the constraints `check` applies.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, RootModel

from . import model
from .errors import Problem
from .kinds import KINDS

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    **{f"{kind.name}.schema.json": kind.meta for kind in KINDS},
    "course.schema.json": model.CourseMeta,
    "glossary.schema.json": RootModel[dict[str, model.GlossaryEntry]],
    "references.schema.json": RootModel[dict[str, model.Reference]],
    "techniques.schema.json": RootModel[dict[str, model.Technique]],
    "competences.schema.json": model.CompetenceFramework,
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


class _Reader:
    """Reads one model's JSON Schema, following its $refs."""

    def __init__(self, cls: type[BaseModel]):
        self.schema = cls.model_json_schema()
        self.defs = self.schema.get("$defs", {})

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """The node behind a $ref, and the non-null branch of an optional value."""
        if "$ref" in node:
            return self.resolve(self.defs[node["$ref"].rsplit("/", 1)[-1]])
        branches = [b for b in node.get("anyOf", []) if b.get("type") != "null"]
        if len(branches) == 1:
            return self.resolve(branches[0])
        return node

    def type_name(self, node: dict[str, Any]) -> str:
        node = self.resolve(node)
        if node.get("type") == "array":
            return f"list of {self.type_name(node.get('items', {}))}"
        if "enum" in node:
            return "one of the values"
        if node.get("type") == "object" and "title" in node:
            return f"{node['title']} (fields below)"
        return {
            "string": "text",
            "integer": "whole number",
            "boolean": "true or false",
            "object": "a set of fields",
        }.get(node.get("type", ""), "value")

    def allowed(self, node: dict[str, Any]) -> str:
        node = self.resolve(node)
        notes = []
        if node.get("type") == "array":
            if "minItems" in node:
                notes.append(f"at least {node['minItems']} {'item' if node['minItems'] == 1 else 'items'}")
            if "maxItems" in node:
                notes.append(f"at most {node['maxItems']} items")
            inner = self.allowed(node.get("items", {}))
            if inner:
                notes.append(f"each: {inner}")
            return "; ".join(notes)
        if "enum" in node:
            notes.append(", ".join(str(v) for v in node["enum"]))
        if node.get("pattern") == model.ID_PATTERN:
            notes.append(
                f"an id: lowercase letters, digits and hyphens, at most {node.get('maxLength', 80)} characters"
            )
        elif node.get("pattern"):
            notes.append(f"matching {node['pattern']}")
        if "minimum" in node and "maximum" in node:
            notes.append(f"from {node['minimum']} to {node['maximum']}")
        elif "minimum" in node:
            notes.append(f"at least {node['minimum']}")
        if node.get("format") == "markdown":
            notes.append("Markdown: paragraphs, lists, emphasis and links")
        return "; ".join(notes)


def field_rows(cls: type[BaseModel]) -> list[FieldRow]:
    """Describe each field of a model for the field reference page, from its JSON Schema."""
    reader = _Reader(cls)
    properties, required = reader.schema.get("properties", {}), set(reader.schema.get("required", []))
    return [
        FieldRow(
            name,
            reader.type_name(node),
            name in required,
            reader.allowed(node),
            cls.model_fields[name].description or "",
        )
        for name, node in properties.items()
    ]


REFERENCE_SECTIONS: list[tuple[str, str, type[BaseModel]]] = [
    ("Module (module.md)", "module", model.ModuleMeta),
    ("Session item (an item of session)", "session-item", model.SessionItem),
    ("Exercise (exercises/ID.md)", "exercise", model.ExerciseMeta),
    ("Step (an item of steps)", "step", model.Step),
    ("Role-play (roleplays/ID.md)", "roleplay", model.RoleplayMeta),
    ("Timing (timing of a role-play)", "timing", model.Timing),
    ("Role (an item of roles)", "role", model.Role),
    ("Script item (an item of script)", "script-item", model.ScriptItem),
    ("Quiz (quizzes/ID.md)", "quiz", model.QuizMeta),
    ("Question (an item of questions)", "question", model.Question),
    ("Option (an item of options)", "option", model.Option),
    ("Course page (pages/ID.md)", "page", model.PageMeta),
    ("Course (course.yml)", "course", model.CourseMeta),
    ("Modality (an item of modalities in course.yml)", "modality", model.ModalityDef),
    ("Policy (policy in course.yml)", "policy", model.Policy),
    ("Branding (branding in course.yml)", "branding", model.Branding),
    ("Glossary entry (glossary.yml)", "glossary-entry", model.GlossaryEntry),
    ("Reference (references.yml)", "reference", model.Reference),
    ("Technique (techniques.yml)", "technique", model.Technique),
    ("Competence framework (competences.yml)", "competence-framework", model.CompetenceFramework),
    ("Competence (an item of competences)", "competence", model.Competence),
]


@functools.cache  # the models' JSON Schemas take a tenth of a second, and only a new kit changes them
def reference_sections() -> tuple[tuple[str, str, tuple[FieldRow, ...]], ...]:
    """Every model's fields, in the order the field reference page shows them."""
    return tuple((title, anchor, tuple(field_rows(cls))) for title, anchor, cls in REFERENCE_SECTIONS)
