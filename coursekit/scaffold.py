"""`new module|exercise|roleplay`: write files that pass `check` at once, with a comment on every field."""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import vocabulary as vocab
from .errors import CourseError, Problem, one_of
from .kinds import Kind
from .load import MODULE_DIR, LoadError, load_course, parse_front_matter, parse_yaml, read_text

SCAFFOLDS = Path(__file__).resolve().parent / "scaffolds"


def slugify(title: str) -> str:
    """An id from a title: lowercase words joined by hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:60].rstrip("-") or "untitled"


def _fill(name: str, root: Path, **values: str) -> str:
    """The scaffold with its placeholders filled, including the vocabularies its comments list."""
    values = {**_vocabulary_words(root), **values}
    text = (SCAFFOLDS / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _vocabulary_words(root: Path) -> dict[str, str]:
    """The allowed values for the scaffolds' comments: modalities from course.yml, the rest fixed."""
    path = root / "modules" / "course.yml"
    try:
        declared = parse_yaml(read_text(path, "modules/course.yml"), "modules/course.yml").data.get("modalities") or []
        modalities = [m["id"] for m in declared if isinstance(m, dict) and isinstance(m.get("id"), str)]
    except (LoadError, OSError, AttributeError):
        modalities = []
    return {
        "modalities": ", ".join(modalities) or "the ids in `modalities` of modules/course.yml",
        "first_modality": modalities[0] if modalities else "ipt",
        "areas": ", ".join(vocab.PROBLEM_AREA.values),
        "phases": ", ".join(vocab.PHASE.values),
        "formats": ", ".join(vocab.FORMAT.values),
    }


def _course_keys(root: Path, name: str, needed: int, noun: str) -> list[str]:
    """The keys of a course file a new module must cite (references, techniques); a problem when too few."""
    path = root / "modules" / name
    keys = list(parse_yaml(read_text(path, f"modules/{name}"), f"modules/{name}").data or {}) if path.is_file() else []
    if len(keys) < needed:
        raise CourseError(
            [
                Problem(
                    f"modules/{name}",
                    1,
                    f"needs at least {needed} {noun} before a module can be scaffolded: add {'them' if needed > 1 else 'one'} first",
                )
            ]
        )
    return keys


def _module_folder(root: Path, module_id: str) -> Path:
    for folder in sorted((root / "modules").iterdir()):
        match = MODULE_DIR.match(folder.name)
        if match and match.group(2) == module_id:
            return folder
    known = [m.group(2) for f in sorted((root / "modules").iterdir()) if (m := MODULE_DIR.match(f.name))]
    raise CourseError([Problem("modules", 1, f"unknown module '{module_id}': {one_of(module_id, known)}")])


def _first_problem_area(module_file: Path) -> str | None:
    """The module's first problem area, so a new role-play starts in it; None if unreadable."""
    try:
        areas = parse_front_matter(read_text(module_file, module_file.name), module_file.name).data.get("problem_areas")
    except (LoadError, OSError):
        return None
    return areas[0] if isinstance(areas, list) and areas and isinstance(areas[0], str) else None


def _write_new(path: Path, text: str, root: Path) -> Path:
    if path.exists():
        raise CourseError([Problem(path.relative_to(root).as_posix(), 1, "already exists: choose another title")])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def new_module(root: Path, title: str, week: int | None) -> Path:
    """Scaffold modules/NN-id/module.md; the week defaults to the last week with a module."""
    raw = load_course(root)
    weeks = [int(MODULE_DIR.match(Path(m.folder).name).group(1)) for m in raw.modules]
    week = week or (max(weeks) if weeks else 1)
    module_id = slugify(title)
    refs = _course_keys(root, "references.yml", 2, "references")
    technique = _course_keys(root, "techniques.yml", 1, "technique")[0]
    text = _fill(
        "module.md",
        root,
        id=module_id,
        title=json.dumps(title, ensure_ascii=False),
        week=str(week),
        ref1=refs[0],
        ref2=refs[1],
        technique=technique,
    )
    return _write_new(root / "modules" / f"{week:02d}-{module_id}" / "module.md", text, root)


def new_part(root: Path, kind: Kind, module_id: str, title: str) -> Path:
    """Scaffold an exercise, role-play or other part in a module's folder for that kind."""
    folder = _module_folder(root, module_id)
    part_id = slugify(title)
    area = _first_problem_area(folder / "module.md") or vocab.PROBLEM_AREA.values[0]
    text = _fill(kind.scaffold, root, id=part_id, title=json.dumps(title, ensure_ascii=False), area=area)
    return _write_new(folder / kind.folder / f"{part_id}.md", text, root)
