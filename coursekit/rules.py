"""The course's rules across fields and files: a named list of passes, each yielding problems.

Each pass looks at everything that validated in stage 1 (validate.build_files) and never depends
on another pass, so one mistake never hides another. To add a rule, write a pass and list it in
RULES; the course's own, optional rules live in policy.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from . import layout, model
from .branding import BRANDING_RULES
from .competence_rules import COMPETENCE_RULES
from .errors import Problem, did_you_mean, one_of
from .kinds import KINDS, PARTS, PRACTICE

if TYPE_CHECKING:
    from .validate import Checked

# Words that mean a module touches low mood, grief or risk, so it must carry the safety note.
SAFETY_WORDS = re.compile(
    r"\b(low mood|depress\w*|grief|griev\w*|bereave\w*|mourn\w*|suicid\w*|self-harm\w*|crisis)\b",
    re.IGNORECASE,
)
SAFETY_PAGE = "safety"  # the course page every course needs; the home page and safety notes link to it


Rule = Callable[["Checked"], Iterator[Problem]]


def file_names_match_ids(c: Checked) -> Iterator[Problem]:
    """A part or page file is named after its id."""
    for item in [*c.parts, *c.pages]:
        stem = item.path.stem
        if stem != item.meta.id:
            yield Problem(
                item.path.as_posix(),
                c.line(item, "id"),
                f"the file name '{stem}.md' does not match the id '{item.meta.id}': rename the file to {item.meta.id}.md or change the id",
            )


def module_folders_match(c: Checked) -> Iterator[Problem]:
    """A module folder is named NN-id after its week and id."""
    for module in c.modules:
        folder, expected = module.path.parent.name, f"{module.meta.week:02d}-{module.meta.id}"
        if folder != expected:
            yield Problem(
                module.path.as_posix(),
                c.line(module, "id"),
                f"the folder name '{folder}' does not match week {module.meta.week} and id '{module.meta.id}': rename the folder to {expected}",
            )


def lessons_are_written(c: Checked) -> Iterator[Problem]:
    """Every module has a lesson."""
    for module in c.modules:
        if not module.body.strip():
            yield Problem(
                module.path.as_posix(),
                c.source(module).body_line,
                "the lesson is empty: write the lesson in Markdown after the closing '---'",
            )


def bodies_start_below_the_title(c: Checked) -> Iterator[Problem]:
    """Bodies start at '## ': the page title comes from the front matter."""
    for source in [*(c.source(m) for m in c.modules), *(c.source(p) for p in c.pages)]:
        in_fence = False
        for offset, line in enumerate(source.body.split("\n")):
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            if not in_fence and re.match(r"#\s", line):
                yield Problem(
                    source.path,
                    source.body_line + offset,
                    "a '# ' heading in the body: the page title comes from 'title', so start at '## '",
                )


def modalities_are_declared(c: Checked) -> Iterator[Problem]:
    """Every modality a module, exercise or role-play names is declared in modules/course.yml."""
    if c.course is None:
        return
    known = [m.id for m in c.course.modalities]
    for item in [*c.modules, *c.practice]:
        for index, modality in enumerate(item.meta.modalities):
            if modality not in known:
                yield Problem(
                    item.path.as_posix(),
                    c.line(item, "modalities", index),
                    f"unknown modality '{modality}': {one_of(modality, known)} (add new ones to `modalities` in modules/course.yml)",
                )


def modalities_are_unique(c: Checked) -> Iterator[Problem]:
    """Each modality is declared once."""
    if c.course is None:
        return
    seen: set[str] = set()
    for index, modality in enumerate(c.course.modalities):
        if modality.id in seen:
            yield Problem(
                c.raw.course.path,
                c.raw.course.line_of(("modalities", index, "id")),
                f"the modality '{modality.id}' is declared twice: keep one",
            )
        seen.add(modality.id)


def weeks_are_covered(c: Checked) -> Iterator[Problem]:
    """Modules fall within the course's weeks, and every week has one."""
    if c.course is None:
        return
    for module in c.modules:
        if module.meta.week > c.course.weeks:
            yield Problem(
                module.path.as_posix(),
                c.line(module, "week"),
                f"week {module.meta.week} is beyond the course's {c.course.weeks} weeks: change the week or raise 'weeks' in modules/course.yml",
            )
    weeks = {w for _, w in c.declared_modules if isinstance(w, int)}
    missing = [w for w in range(1, c.course.weeks + 1) if w not in weeks]
    if missing and weeks:
        listed = ", ".join(str(w) for w in missing)
        yield Problem(
            c.raw.course.path,
            c.raw.course.line_of(("weeks",)),
            f"the course has {c.course.weeks} weeks but no module for week {listed}: add the module(s) or lower 'weeks'",
        )


def ids_are_unique(c: Checked) -> Iterator[Problem]:
    """Ids are unique per kind across the whole course: each becomes a page address."""
    groups = {"module": c.modules, "page": c.pages} | {
        kind.name: [p for p in c.parts if p.kind == kind.name] for kind in PARTS
    }
    for kind in KINDS:
        first_seen: dict[str, Path] = {}
        for item in groups[kind.name]:
            if item.meta.id in first_seen:
                yield Problem(
                    item.path.as_posix(),
                    c.line(item, "id"),
                    f"duplicate {kind.noun} id '{item.meta.id}', also used by {first_seen[item.meta.id].as_posix()}: give one of them another id",
                )
            else:
                first_seen[item.meta.id] = item.path


def pages_do_not_collide(c: Checked) -> Iterator[Problem]:
    """No id puts a page where the kit generates another (the labels page, a library...)."""
    items = [(item, item.path.as_posix(), c.line(item, "id")) for item in [*c.pages, *c.modules, *c.parts]]
    yield from layout.collisions(items)


def links_resolve(c: Checked) -> Iterator[Problem]:
    """Prerequisites, glossary ids, reference keys and technique ids point at something that exists."""
    position = {m.meta.id: i for i, m in enumerate(c.modules)}
    declared_ids = {i for i, _ in c.declared_modules if isinstance(i, str)}
    glossary, references = c.defined_keys(c.raw.glossary), c.defined_keys(c.raw.references)
    techniques = c.defined_keys(c.raw.techniques)
    for module in c.modules:
        meta, path = module.meta, module.path.as_posix()
        for index, prereq in enumerate(meta.prerequisites):
            line = c.line(module, "prerequisites", index)
            if prereq not in position:
                if prereq not in declared_ids:  # a module with its own problems is reported there
                    yield Problem(
                        path,
                        line,
                        f"unknown prerequisite '{prereq}': give the id of a module in an earlier week{did_you_mean(prereq, position)}",
                    )
            elif c.modules[position[prereq]].meta.week >= meta.week:
                yield Problem(
                    path,
                    line,
                    f"prerequisite '{prereq}' is not in an earlier week: a prerequisite must come before this module",
                )
        for field, known, where in (
            ("glossary", glossary, "glossary term"),
            ("references", references, "reference"),
            ("techniques", techniques, "technique"),
        ):
            for index, key in enumerate(getattr(meta, field)):
                if known is not None and key not in known:
                    yield Problem(
                        path,
                        c.line(module, field, index),
                        f"unknown {where} '{key}': add it to modules/{_COURSE_FILE[field]}{did_you_mean(key, known)}",
                    )
    if c.raw.techniques is not None and references is not None:
        for key, technique in c.techniques.items():
            if technique.source not in references:
                yield Problem(
                    c.raw.techniques.path,
                    c.raw.techniques.line_of((key, "source")),
                    f"unknown reference '{technique.source}': add it to modules/references.yml{did_you_mean(technique.source, references)}",
                )


# The course file that defines each kind of key a module cites.
_COURSE_FILE = {"glossary": "glossary.yml", "references": "references.yml", "techniques": "techniques.yml"}


def techniques_are_defined_once(c: Checked) -> Iterator[Problem]:
    """No two entries of techniques.yml are one technique: a name used twice (case and spacing aside) is refused."""
    source, first = c.raw.techniques, {}
    for key, technique in c.techniques.items():
        name = " ".join(technique.name.lower().split())
        if name not in first:
            first[name] = key
            continue
        other = first[name]
        differ = [
            f"{ours.term.text} here, {theirs.term.text} there"
            for ours, theirs in zip(technique.labels, c.techniques[other].labels, strict=True)
            if ours != theirs
        ]
        labels = f" with different labels ({'; '.join(differ)})" if differ else ""
        yield Problem(
            source.path,
            source.line_of((key, "name")),
            f"technique '{key}' is defined twice: '{other}' ({source.path}:{source.line_of((other, 'name'))}) has the same name"
            f"{labels}: keep one definition and refer to it by its id",
        )


# Why an exercise or role-play may not practise a technique, by its delivery label.
_NOT_PRACTICABLE = {
    model.Delivery.CLINICIAN_ONLY: "is clinician-only",
    model.Delivery.NOT_RECOMMENDED: "is not recommended for anyone",
}


def techniques_are_known(c: Checked) -> Iterator[Problem]:
    """A module lists a technique once; parts practise techniques their module teaches, never clinician-only or not-recommended ones."""
    by_module, defined = {m.meta.id: m for m in c.modules}, c.defined_keys(c.raw.techniques)
    for module in c.modules:
        seen: set[str] = set()
        for index, technique_id in enumerate(module.meta.techniques):
            if technique_id in seen:
                yield Problem(
                    module.path.as_posix(),
                    c.line(module, "techniques", index),
                    f"technique '{technique_id}' is listed twice in this module: keep one",
                )
            seen.add(technique_id)
    for part in c.practice:
        module = by_module.get(part.module_id)
        if module is None:
            continue  # its module's own file has problems
        taught = dict.fromkeys(module.meta.techniques)
        # A module that lists an undefined technique is reported there; until it is fixed, its list misleads.
        listed_well = defined is None or all(t in defined for t in taught)
        for index, technique_id in enumerate(part.meta.techniques):
            line, technique = c.line(part, "techniques", index), c.techniques.get(technique_id)
            if technique_id not in taught:
                if not listed_well:
                    continue
                yield Problem(
                    part.path.as_posix(),
                    line,
                    f"technique '{technique_id}' is not taught in module '{module.meta.id}': {one_of(technique_id, taught)} (or add it to the module's techniques)",
                )
            elif technique is not None and not technique.practicable:  # None: reported where it is defined
                yield Problem(
                    part.path.as_posix(),
                    line,
                    f"technique '{technique_id}' {_NOT_PRACTICABLE[technique.delivery]} and cannot be practised as a coaching exercise: remove it here, or change its delivery label if that is wrong",
                )


def exercise_steps_add_up(c: Checked) -> Iterator[Problem]:
    """An exercise's steps add up to its duration."""
    for part in c.parts:
        if part.kind == "exercise":
            total = sum(step.minutes for step in part.meta.steps)
            if total != part.meta.duration:
                yield Problem(
                    part.path.as_posix(),
                    c.line(part, "duration"),
                    f"duration is {part.meta.duration} minutes but the steps add up to {total}: make them agree",
                )


def roleplays_hold_together(c: Checked) -> Iterator[Problem]:
    """A role-play's timing adds up, its roles have distinct names, its script names them, and it has a script or beats."""
    for part in (p for p in c.parts if p.kind == "roleplay"):
        meta, path = part.meta, part.path.as_posix()
        t = meta.timing
        expected = t.rounds * (t.briefing + t.play + t.feedback) + t.debrief
        if meta.duration != expected:
            yield Problem(
                path,
                c.line(part, "duration"),
                f"duration is {meta.duration} minutes but the timing gives {t.rounds} x ({t.briefing} + {t.play} + {t.feedback}) + {t.debrief} = {expected}: make them agree",
            )
        names = [role.name for role in meta.roles]
        for index, name in enumerate(names):
            if names.index(name) != index:
                yield Problem(
                    path,
                    c.line(part, "roles", index, "name"),
                    f"two roles are called '{name}': give each role its own name",
                )
        for index, item in enumerate(meta.script):
            if item.role is not None and item.role not in names:
                yield Problem(
                    path,
                    c.line(part, "script", index, "role"),
                    f"the script names role '{item.role}': {one_of(item.role, dict.fromkeys(names))}",
                )
        if not meta.script and not meta.beats:
            yield Problem(
                path,
                c.line(part, "roles"),
                "the role-play has neither 'script' nor 'beats': add the lines or an outline of the conversation",
            )


def people_are_distinct(c: Checked) -> Iterator[Problem]:
    """Every person a role-play names is someone of their own: a full name, used by no other role-play."""
    seen: dict[str, tuple[model.Part, str]] = {}
    for part in (p for p in c.parts if p.kind == "roleplay"):
        for index, role in enumerate(part.meta.roles):
            if role.person is None:
                continue
            path, line = part.path.as_posix(), c.line(part, "roles", index, "person")
            if len(role.person.split()) < 2:
                yield Problem(
                    path,
                    line,
                    f"'{role.person}' is not a full name: give the person a first name and a surname, so no two people in the course share a name",
                )
                continue
            key = " ".join(role.person.casefold().split())
            if key not in seen:
                seen[key] = (part, f"{path}:{line}")
            elif seen[key][0] is part:
                yield Problem(path, line, f"two roles play '{role.person}': give each role its own person")
            else:
                yield Problem(
                    path,
                    line,
                    f"'{role.person}' is already someone else, in {seen[key][1]}: give each person in the course their own full name",
                )


def sessions_add_up(c: Checked) -> Iterator[Problem]:
    """A module's session names its own exercises and role-plays, and adds up to its duration."""
    for module in c.modules:
        read = sum(len(c.module_sources(module).parts.get(kind.name, [])) for kind in PRACTICE)
        if read > sum(len(module.parts.get(kind.name, [])) for kind in PRACTICE):
            continue  # a part failed its own validation: its file says so, and the total would mislead
        durations = {(p.kind, p.meta.id): p.meta.duration for kind in PRACTICE for p in module.parts.get(kind.name, [])}
        total = 0
        for index, item in enumerate(module.meta.session):
            if item.activity is not None:
                total += item.minutes
                continue
            kind_name, ref = ("exercise", item.exercise) if item.exercise else ("roleplay", item.roleplay)
            if (kind_name, ref) not in durations:
                known = [i for k, i in durations if k == kind_name]
                folder = next(k.folder for k in PARTS if k.name == kind_name)
                hint = one_of(ref, known) if known else f"add it under {folder}/"
                yield Problem(
                    module.path.as_posix(),
                    c.line(module, "session", index, kind_name),
                    f"the session names {kind_name} '{ref}', which is not in this module: {hint}",
                )
                continue
            total += durations[(kind_name, ref)]
        if total != module.meta.duration:
            yield Problem(
                module.path.as_posix(),
                c.line(module, "duration"),
                f"duration is {module.meta.duration} minutes but the session adds up to {total}: make them agree",
            )


def safety_notes_where_needed(c: Checked) -> Iterator[Problem]:
    """A module about grief, or whose text mentions low mood or risk, carries the safety note."""
    for module in c.modules:
        meta, source = module.meta, c.source(module)
        if meta.safety_note:
            continue
        line = source.line_of(("safety_note",))
        if model.ProblemArea.GRIEF in meta.problem_areas:
            yield Problem(source.path, line, "a grief module must carry the safety note: set safety_note: true")
            continue
        texts = [(source.line_of(("summary",)), meta.summary)]
        texts += [(source.line_of(("objectives", i)), t) for i, t in enumerate(meta.objectives)]
        texts += [(source.line_of(("key_points", i)), t) for i, t in enumerate(meta.key_points)]
        texts += [(source.body_line + i, text) for i, text in enumerate(module.body.split("\n"))]
        found = next(((n, m.group(0)) for n, text in texts if (m := SAFETY_WORDS.search(text))), None)
        if found:
            yield Problem(
                source.path,
                line,
                f"the module mentions '{found[1]}' (line {found[0]}) but safety_note is false: set safety_note: true so the scope-of-practice and signposting note is shown",
            )


def safety_page_exists(c: Checked) -> Iterator[Problem]:
    """Every course has a safety and scope-of-practice page."""
    if not any(p.meta.id == SAFETY_PAGE for p in c.pages) and not any(
        s.path.endswith(f"pages/{SAFETY_PAGE}.md") for s in c.raw.pages
    ):
        yield Problem(
            f"modules/pages/{SAFETY_PAGE}.md",
            1,
            "is missing: every course needs a safety and scope-of-practice page (id: safety); the home page and every safety note link to it",
        )


RULES: list[Rule] = [
    file_names_match_ids,
    module_folders_match,
    lessons_are_written,
    bodies_start_below_the_title,
    modalities_are_declared,
    modalities_are_unique,
    weeks_are_covered,
    ids_are_unique,
    pages_do_not_collide,
    links_resolve,
    techniques_are_defined_once,
    techniques_are_known,
    exercise_steps_add_up,
    roleplays_hold_together,
    people_are_distinct,
    sessions_add_up,
    safety_notes_where_needed,
    safety_page_exists,
    *COMPETENCE_RULES,
    *BRANDING_RULES,
]
