"""`new module|exercise|roleplay`: write files that pass `check` at once, with a comment on every field."""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import confine, model
from . import vocabulary as vocab
from .errors import CourseError, Problem, one_of
from .kinds import Kind
from .load import MODULE_DIR, RawCourse, load_course

SCAFFOLDS = Path(__file__).resolve().parent / "scaffolds"


def slugify(title: str) -> str:
    """An id from a title: lowercase words joined by hyphens; empty when the title has no letters or digits."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:60].rstrip("-")


def new_id(title: str, where: str) -> str:
    """The id a new file's title gives; a problem at `where` when it gives none, or one Windows cannot use."""
    slug = slugify(title)
    if not slug:
        raise CourseError(
            [
                Problem(
                    where,
                    1,
                    f"the title {json.dumps(title)} has no letters or digits to make an id of: give a title in words",
                )
            ]
        )
    if slug in model.WINDOWS_RESERVED:
        raise CourseError(
            [
                Problem(
                    where,
                    1,
                    f"the title {json.dumps(title)} gives the id '{slug}', a name Windows reserves for a device, "
                    "so the site could not be built on Windows: give a longer title",
                )
            ]
        )
    return slug


def _fill(name: str, raw: RawCourse, **values: str) -> str:
    """The scaffold with its placeholders filled, including the vocabularies its comments list."""
    values = {**_vocabulary_words(raw), **values}
    text = (SCAFFOLDS / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _vocabulary_words(raw: RawCourse) -> dict[str, str]:
    """The allowed values for the scaffolds' comments: modalities from course.yml, the rest fixed."""
    declared = (raw.course.data.get("modalities") if raw.course else None) or []
    declared = declared if isinstance(declared, list) else []
    modalities = [m["id"] for m in declared if isinstance(m, dict) and isinstance(m.get("id"), str)]
    return {
        "modalities": ", ".join(modalities) or "the ids in `modalities` of modules/course.yml",
        "first_modality": modalities[0] if modalities else "ipt",
        "areas": ", ".join(vocab.PROBLEM_AREA.values),
        "phases": ", ".join(vocab.PHASE.values),
        "formats": ", ".join(vocab.FORMAT.values),
    }


def _course_keys(raw: RawCourse, name: str, needed: int, noun: str) -> list[str]:
    """The keys of a course file a new module must cite (references, techniques); a problem when too few."""
    source = getattr(raw, name.removesuffix(".yml"))
    unreadable = [p for p in raw.problems if p.path == f"modules/{name}"]
    if source is None and unreadable:
        raise CourseError(unreadable)
    keys = [str(key) for key in source.data] if source and isinstance(source.data, dict) else []
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
        if match and match.group(2) == module_id and confine.inside(folder, root):
            return folder
    known = [m.group(2) for f in sorted((root / "modules").iterdir()) if (m := MODULE_DIR.match(f.name))]
    raise CourseError([Problem("modules", 1, f"unknown module '{module_id}': {one_of(module_id, known)}")])


def _first_problem_area(raw: RawCourse, folder: Path) -> str | None:
    """The module's first problem area, so a new role-play starts in it; None if unreadable."""
    sources = next((m for m in raw.modules if Path(m.folder).name == folder.name and m.module), None)
    areas = sources.module.data.get("problem_areas") if sources else None
    return areas[0] if isinstance(areas, list) and areas and isinstance(areas[0], str) else None


def _week(raw: RawCourse, week: int | None, weeks: list[int]) -> int:
    """The week a new module goes in: the one asked for, if the course has it, or the last week with a module."""
    declared = raw.course.data.get("weeks") if raw.course else None
    last = declared if isinstance(declared, int) and not isinstance(declared, bool) and declared >= 1 else 52
    if week is None:
        return max(weeks) if weeks else 1
    if not 1 <= week <= last:
        line = raw.course.line_of(("weeks",)) if raw.course else 1
        raise CourseError(
            [
                Problem(
                    "modules/course.yml",
                    line,
                    f"week {week} is not a week of the course, which has weeks 1 to {last}: "
                    f"give --week from 1 to {last}, or raise 'weeks' here first",
                )
            ]
        )
    return week


def _write_new(path: Path, text: str, root: Path) -> Path:
    if path.parent.exists() and not confine.inside(path.parent, root):
        where = path.parent.relative_to(root).as_posix()
        raise CourseError([Problem(where, 1, confine.OUTSIDE.format(what="folder", where=confine.PROJECT))])
    if path.exists():
        raise CourseError([Problem(path.relative_to(root).as_posix(), 1, "already exists: choose another title")])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def new_module(root: Path, title: str, week: int | None) -> Path:
    """Scaffold modules/NN-id/module.md; the week defaults to the last week with a module."""
    raw = load_course(root)
    weeks = [int(MODULE_DIR.match(Path(m.folder).name).group(1)) for m in raw.modules]
    week = _week(raw, week, weeks)
    module_id = new_id(title, "modules")
    refs = _course_keys(raw, "references.yml", 2, "references")
    technique = _course_keys(raw, "techniques.yml", 1, "technique")[0]
    text = _fill(
        "module.md",
        raw,
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
    part_id = new_id(title, (folder / kind.folder).relative_to(root).as_posix())
    raw = load_course(root)
    area = _first_problem_area(raw, folder) or vocab.PROBLEM_AREA.values[0]
    text = _fill(kind.scaffold, raw, id=part_id, title=json.dumps(title, ensure_ascii=False), area=area)
    return _write_new(folder / kind.folder / f"{part_id}.md", text, root)
