"""Turn loaded sources into a Course, or report every problem at once.

Field-level rules come from the pydantic models in model.py; the rules
across fields and files (references, timings, ids, weeks, safety) are
checked here, as data-driven passes that each append Problem records.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import model
from .errors import CourseError, Problem, did_you_mean, one_of
from .load import MODULE_DIR, RawCourse, Source

# What a human calls each enumerated field, for "unknown problem area 'x'".
FIELD_LABELS = {
    "problem_areas": "problem area",
    "problem_area": "problem area",
    "modalities": "modality",
    "phase": "phase",
    "evidence": "evidence level",
    "delivery": "delivery label",
    "fidelity": "fidelity label",
    "format": "exercise format",
    "kind": "reference kind",
}

# Words that mean a module touches low mood, grief or risk, so it must carry the safety note.
SAFETY_WORDS = re.compile(
    r"\b(low mood|depress\w*|grief|griev\w*|bereave\w*|mourn\w*|suicid\w*|self-harm\w*|crisis)\b",
    re.IGNORECASE,
)

# Course-level pages the generator writes itself; a trainer's page may not take these ids.
RESERVED_PAGE_IDS = {"syllabus", "glossary", "references", "matrix", "progress", "exercises", "roleplays", "facilitator"}

def _all_field_names() -> list[str]:
    classes = [*model.FRONT_MATTER_MODELS.values(), model.Technique, model.SessionItem, model.Step, model.Timing,
               model.Role, model.ScriptItem, model.CourseMeta, model.GlossaryEntry, model.Reference]
    return sorted({name for cls in classes for name in cls.model_fields})


def where(loc: tuple[Any, ...]) -> str:
    """Render a pydantic location as a field path such as techniques[2].evidence."""
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
    field = where(loc)
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx", {})
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "missing":
        return f"missing field '{name}': add it (the field reference in the authoring guide says what belongs there)"
    if kind == "extra_forbidden":
        return f"unknown field '{name}'{did_you_mean(name, _all_field_names()) or ': remove it or check the spelling'}"
    if kind == "enum":
        choices = re.findall(r"'([^']*)'", ctx.get("expected", ""))
        label = FIELD_LABELS.get(name, name)
        return f"unknown {label} '{value}': {one_of(value, choices)}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"'{field}' must be a whole number, not {value!r}"
    if kind in ("bool_parsing", "bool_type"):
        return f"'{field}' must be true or false, not {value!r}"
    if kind == "string_type":
        return f"'{field}' must be text, not {_kind_of(value)}"
    if kind == "list_type":
        return f"'{field}' must be a list, one item per line starting with '- '"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"'{field}' must be a set of 'field: value' lines, not {_kind_of(value)}"
    if kind == "too_short":
        return f"'{field}' needs at least {ctx['min_length']} items, has {ctx.get('actual_length', 0)}: add more"
    if kind == "too_long":
        return f"'{field}' has at most {ctx['max_length']} items, has {ctx.get('actual_length')}: remove some"
    if kind == "string_too_short":
        return f"'{field}' is empty: write something or remove the field"
    if kind == "string_too_long":
        return f"'{field}' is too long (at most {ctx['max_length']} characters)"
    if kind == "string_pattern_mismatch":
        return f"'{value}' is not a valid id: use lowercase letters, digits and hyphens, e.g. 'grief-timeline'"
    if kind == "greater_than_equal":
        return f"'{field}' must be at least {ctx['ge']}, not {value!r}"
    if kind == "less_than_equal":
        return f"'{field}' must be at most {ctx['le']}, not {value!r}"
    if kind == "value_error":
        return f"{field}: {error['msg'].removeprefix('Value error, ')}"
    return f"'{field}': {error['msg']}"


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


def validate_course(raw: RawCourse) -> model.Course:
    """Check everything and return the Course; raise CourseError listing every problem."""
    problems = list(raw.problems)
    course_meta = build_meta(raw.course, model.CourseMeta, problems) if raw.course else None
    glossary = _entries(raw.glossary, model.GlossaryEntry, problems)
    references = _entries(raw.references, model.Reference, problems)
    pages = _pages(raw.pages, problems)
    modules = [m for sources in raw.modules if (m := _module(sources, problems))]
    modules.sort(key=lambda m: (m.meta.week, m.path.as_posix()))
    # Ids and weeks of modules that failed validation still count, so one mistake is reported once.
    declared = [(s.module.data.get("id"), s.module.data.get("week")) for s in raw.modules if s.module]
    declared += [(m.group(2), int(m.group(1))) for s in raw.modules if (m := MODULE_DIR.match(Path(s.folder).name))]
    if course_meta:
        _check_weeks(modules, {w for _, w in declared if isinstance(w, int)}, course_meta, raw.course, problems)
    sources = {s.path: s for m in raw.modules for s in [m.module, *m.exercises, *m.roleplays] if s}
    sources |= {s.path: s for s in raw.pages}
    _check_ids(modules, pages, sources, problems)
    declared_ids = {i for i, _ in declared if isinstance(i, str)}
    # Entries with their own problems still count as defined.
    # A missing or unreadable file is reported once, not at every use.
    glossary_keys = set(raw.glossary.data) if raw.glossary else None
    reference_keys = set(raw.references.data) if raw.references else None
    for module in modules:
        _check_module_links(module, sources[module.path.as_posix()], modules, declared_ids, glossary_keys, reference_keys, problems)
    if not any(p.meta.id == "safety" for p in pages) and not any(s.path.endswith("pages/safety.md") for s in raw.pages):
        problems.append(Problem("modules/pages/safety.md", 1, "is missing: every course needs a safety and scope-of-practice page (id: safety); the home page and every safety note link to it"))
    if problems:
        raise CourseError(problems)
    return model.Course(meta=course_meta, modules=modules, pages=pages, glossary=glossary, references=references)


def _entries(source: Source | None, cls: type[BaseModel], problems: list[Problem]) -> dict[str, Any]:
    if source is None:
        return {}
    entries = {}
    for key in source.data:
        if not isinstance(key, str) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key):
            problems.append(Problem(source.path, source.line_of((key,)), f"'{key}' is not a valid id: use lowercase letters, digits and hyphens"))
            continue
        entry = build_meta(source, cls, problems, (key,))
        if entry is not None:
            entries[key] = entry
    return entries


def _pages(sources: list[Source], problems: list[Problem]) -> list[model.Page]:
    pages = []
    for source in sources:
        meta = build_meta(source, model.PageMeta, problems)
        if meta is None:
            continue
        _check_file_name(source, meta.id, problems)
        _check_no_title_heading(source, problems)
        if meta.id in RESERVED_PAGE_IDS:
            problems.append(Problem(source.path, source.line_of(("id",)), f"the id '{meta.id}' is used by a generated page: choose another id"))
        pages.append(model.Page(meta=meta, body=source.body, path=Path(source.path)))
    return sorted(pages, key=lambda p: (p.meta.order, p.meta.id))


def _module(sources, problems: list[Problem]) -> model.Module | None:
    source = sources.module
    meta = build_meta(source, model.ModuleMeta, problems) if source else None
    exercises = [e for s in sources.exercises if (e := _part(s, model.ExerciseMeta, model.Exercise, meta, problems))]
    roleplays = [r for s in sources.roleplays if (r := _part(s, model.RoleplayMeta, model.Roleplay, meta, problems))]
    if meta is None:
        return None
    folder = Path(sources.folder).name
    expected = f"{meta.week:02d}-{meta.id}"
    if folder != expected:
        problems.append(Problem(source.path, source.line_of(("id",)), f"the folder name '{folder}' does not match week {meta.week} and id '{meta.id}': rename the folder to {expected}"))
    if not source.body.strip():
        problems.append(Problem(source.path, source.body_line, "the lesson is empty: write the lesson in Markdown after the closing '---'"))
    _check_no_title_heading(source, problems)
    module = model.Module(meta=meta, body=source.body, path=Path(source.path), exercises=exercises, roleplays=roleplays)
    _check_module_inside(module, source, {s.path: s for s in sources.exercises + sources.roleplays}, problems)
    return module


def _part(source: Source, meta_cls, part_cls, module_meta, problems: list[Problem]):
    meta = build_meta(source, meta_cls, problems)
    if meta is None:
        return None
    _check_file_name(source, meta.id, problems)
    module_id = module_meta.id if module_meta else ""
    return part_cls(meta=meta, body=source.body, path=Path(source.path), module_id=module_id)


def _check_file_name(source: Source, id_: str, problems: list[Problem]) -> None:
    stem = Path(source.path).stem
    if stem != id_:
        problems.append(Problem(source.path, source.line_of(("id",)), f"the file name '{stem}.md' does not match the id '{id_}': rename the file to {id_}.md or change the id"))


def _check_no_title_heading(source: Source, problems: list[Problem]) -> None:
    in_fence = False
    for offset, line in enumerate(source.body.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if not in_fence and re.match(r"#\s", line):
            problems.append(Problem(source.path, source.body_line + offset, "a '# ' heading in the body: the page title comes from 'title', so start at '## '"))


def _check_module_inside(module: model.Module, source: Source, part_sources: dict[str, Source], problems: list[Problem]) -> None:
    """Rules within one module: techniques, timings, session plan, safety."""
    meta = module.meta
    techniques = {}
    for index, technique in enumerate(meta.techniques):
        if technique.id in techniques:
            problems.append(Problem(source.path, source.line_of(("techniques", index, "id")), f"technique id '{technique.id}' is used twice in this module: give each technique its own id"))
        techniques[technique.id] = technique
    for part in module.exercises + module.roleplays:
        part_source = part_sources[part.path.as_posix()]
        for index, technique_id in enumerate(part.meta.techniques):
            line = part_source.line_of(("techniques", index))
            technique = techniques.get(technique_id)
            if technique is None:
                problems.append(Problem(part.path.as_posix(), line, f"unknown technique '{technique_id}': {one_of(technique_id, techniques)} (the techniques of module '{meta.id}')"))
            elif technique.delivery is model.Delivery.CLINICIAN_ONLY:
                problems.append(Problem(part.path.as_posix(), line, f"technique '{technique_id}' is clinician-only and cannot be practised as a coaching exercise: remove it here, or change its delivery label if that is wrong"))
    for exercise in module.exercises:
        total = sum(step.minutes for step in exercise.meta.steps)
        if total != exercise.meta.duration:
            part_source = part_sources[exercise.path.as_posix()]
            problems.append(Problem(exercise.path.as_posix(), part_source.line_of(("duration",)), f"duration is {exercise.meta.duration} minutes but the steps add up to {total}: make them agree"))
    for roleplay in module.roleplays:
        _check_roleplay(roleplay, part_sources[roleplay.path.as_posix()], problems)
    # A part that failed its own validation is missing from the module: say so once, in its file.
    broken = len(module.exercises) + len(module.roleplays) < len(part_sources)
    if not broken:
        _check_session(module, source, problems)
    _check_safety(module, source, problems)


def _check_roleplay(roleplay: model.Roleplay, source: Source, problems: list[Problem]) -> None:
    meta, path = roleplay.meta, roleplay.path.as_posix()
    t = meta.timing
    expected = t.rounds * (t.briefing + t.play + t.feedback) + t.debrief
    if meta.duration != expected:
        problems.append(Problem(path, source.line_of(("duration",)), f"duration is {meta.duration} minutes but the timing gives {t.rounds} x ({t.briefing} + {t.play} + {t.feedback}) + {t.debrief} = {expected}: make them agree"))
    names = [role.name for role in meta.roles]
    for index, name in enumerate(names):
        if names.index(name) != index:
            problems.append(Problem(path, source.line_of(("roles", index, "name")), f"two roles are called '{name}': give each role its own name"))
    for index, item in enumerate(meta.script):
        if item.role is not None and item.role not in names:
            problems.append(Problem(path, source.line_of(("script", index, "role")), f"the script names role '{item.role}': {one_of(item.role, dict.fromkeys(names))}"))
    if not meta.script and not meta.beats:
        problems.append(Problem(path, source.line_of(("roles",)), "the role-play has neither 'script' nor 'beats': add the lines or an outline of the conversation"))


def _check_session(module: model.Module, source: Source, problems: list[Problem]) -> None:
    durations = {("exercise", e.meta.id): e.meta.duration for e in module.exercises}
    durations |= {("roleplay", r.meta.id): r.meta.duration for r in module.roleplays}
    total = 0
    for index, item in enumerate(module.meta.session):
        if item.activity is not None:
            total += item.minutes
            continue
        kind, ref = ("exercise", item.exercise) if item.exercise else ("roleplay", item.roleplay)
        if (kind, ref) not in durations:
            known = [i for k, i in durations if k == kind]
            problems.append(Problem(source.path, source.line_of(("session", index, kind)), f"the session names {kind} '{ref}', which is not in this module: {one_of(ref, known) if known else f'add it under {kind}s/'}"))
            continue
        total += durations[(kind, ref)]
    if total != module.meta.duration:
        problems.append(Problem(source.path, source.line_of(("duration",)), f"duration is {module.meta.duration} minutes but the session adds up to {total}: make them agree"))


def _check_safety(module: model.Module, source: Source, problems: list[Problem]) -> None:
    meta = module.meta
    if meta.safety_note:
        return
    if model.ProblemArea.GRIEF in meta.problem_areas:
        problems.append(Problem(source.path, source.line_of(("safety_note",)), "a grief module must carry the safety note: set safety_note: true"))
        return
    texts = [(source.line_of(("summary",)), meta.summary)]
    texts += [(source.line_of(("objectives", i)), t) for i, t in enumerate(meta.objectives)]
    texts += [(source.line_of(("key_points", i)), t) for i, t in enumerate(meta.key_points)]
    texts += [(source.body_line + i, line) for i, line in enumerate(module.body.split("\n"))]
    for line, text in texts:
        found = SAFETY_WORDS.search(text)
        if found:
            problems.append(Problem(source.path, source.line_of(("safety_note",)), f"the module mentions '{found.group(0)}' (line {line}) but safety_note is false: set safety_note: true so the scope-of-practice and signposting note is shown"))
            return


def _check_weeks(modules: list[model.Module], weeks: set[int], course: model.CourseMeta, source: Source, problems: list[Problem]) -> None:
    for module in modules:
        if module.meta.week > course.weeks:
            problems.append(Problem(module.path.as_posix(), 1, f"week {module.meta.week} is beyond the course's {course.weeks} weeks: change the week or raise 'weeks' in modules/course.yml"))
    missing = [w for w in range(1, course.weeks + 1) if w not in weeks]
    if missing and weeks:
        listed = ", ".join(str(w) for w in missing)
        problems.append(Problem(source.path, source.line_of(("weeks",)), f"the course has {course.weeks} weeks but no module for week {listed}: add the module(s) or lower 'weeks'"))


def _check_ids(modules: list[model.Module], pages: list[model.Page], sources: dict[str, Source], problems: list[Problem]) -> None:
    """Ids must be unique per kind across the whole course: each becomes a page address."""
    groups = {
        "module": [(m.meta.id, m.path) for m in modules],
        "exercise": [(e.meta.id, e.path) for m in modules for e in m.exercises],
        "role-play": [(r.meta.id, r.path) for m in modules for r in m.roleplays],
        "page": [(p.meta.id, p.path) for p in pages],
    }
    for kind, items in groups.items():
        first_seen: dict[str, Path] = {}
        for id_, path in items:
            if id_ in first_seen:
                problems.append(Problem(path.as_posix(), sources[path.as_posix()].line_of(("id",)), f"duplicate {kind} id '{id_}', also used by {first_seen[id_].as_posix()}: give one of them another id"))
            else:
                first_seen[id_] = path


def _check_module_links(module: model.Module, source: Source, modules: list[model.Module], declared_ids: set[str], glossary: set[str] | None, references: set[str] | None, problems: list[Problem]) -> None:
    """Prerequisites, glossary ids and reference keys must point at something that exists."""
    meta, path = module.meta, module.path.as_posix()

    def line_of(*loc: str | int) -> int:
        return source.line_of(loc)

    position = {m.meta.id: i for i, m in enumerate(modules)}
    for index, prereq in enumerate(meta.prerequisites):
        if prereq not in position:
            if prereq in declared_ids:
                continue  # that module has its own problems, reported there
            problems.append(Problem(path, line_of("prerequisites", index), f"unknown prerequisite '{prereq}': give the id of a module in an earlier week{did_you_mean(prereq, position)}"))
        elif position[prereq] >= position[meta.id] or modules[position[prereq]].meta.week >= meta.week:
            problems.append(Problem(path, line_of("prerequisites", index), f"prerequisite '{prereq}' is not in an earlier week: a prerequisite must come before this module"))
    for index, term in enumerate(meta.glossary):
        if glossary is not None and term not in glossary:
            problems.append(Problem(path, line_of("glossary", index), f"unknown glossary term '{term}': add it to modules/glossary.yml{did_you_mean(term, glossary)}"))
    for index, key in enumerate(meta.references):
        if references is not None and key not in references:
            problems.append(Problem(path, line_of("references", index), f"unknown reference '{key}': add it to modules/references.yml{did_you_mean(key, references)}"))
    for index, technique in enumerate(meta.techniques):
        if references is not None and technique.source not in references:
            problems.append(Problem(path, line_of("techniques", index, "source"), f"unknown reference '{technique.source}': add it to modules/references.yml{did_you_mean(technique.source, references)}"))
