"""Synthetic courses in the real module format, for the benchmark and the robustness tests.

Text is drawn from a fixed vocabulary with a seeded generator, so the same size always gives
the same course, with realistic lengths: a lesson of about 1,300 words, exercises and role-plays
of a few hundred.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

WORDS = [
    "coach",
    "client",
    "relationship",
    "conversation",
    "feeling",
    "change",
    "support",
    "role",
    "loss",
    "grief",
    "friend",
    "partner",
    "week",
    "session",
    "listen",
    "notice",
    "question",
    "practice",
    "plan",
    "goal",
    "contract",
    "refer",
    "safety",
    "pattern",
    "family",
    "work",
    "colleague",
    "trust",
    "expectation",
    "dispute",
    "transition",
    "isolation",
    "evidence",
    "label",
    "technique",
    "reflect",
    "summary",
    "moment",
    "pause",
    "breath",
    "belief",
    "value",
    "need",
    "boundary",
    "choice",
    "option",
    "consequence",
    "culture",
    "meaning",
]
PAGES_PER_MODULE = 6  # lesson, run-sheet, two exercises, one role-play and its role cards
FIXED_PAGES = 17


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, words: int) -> str:
    sentences, total = [], 0
    while total < words:
        n = rng.randint(8, 22)
        sentences.append(_sentence(rng, n))
        total += n
    return " ".join(sentences)


def _front(data: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000) + "---\n\n" + body + "\n"


def modules_for_pages(pages: int) -> int:
    """How many modules give about `pages` pages."""
    return max(1, round((pages - FIXED_PAGES) / PAGES_PER_MODULE))


def write_course(root: Path, modules: int, seed: int = 1) -> Path:
    """Write modules/ for a synthetic course of `modules` modules, one per week, under root."""
    rng = random.Random(seed)
    target = root / "modules"
    shutil.rmtree(target, ignore_errors=True)
    (target / "pages").mkdir(parents=True)
    refs = {
        f"ref-{i}": {
            "citation": f"Author {i} (2020). {_sentence(rng, 8)} Journal of Tests, {i}, 1-10.",
            "kind": "article",
        }
        for i in range(30)
    }
    terms = {
        f"term-{i}": {
            "term": f"{WORDS[i % len(WORDS)]} {WORDS[-(i % len(WORDS)) - 1]} {i}",
            "definition": _sentence(rng, 20),
        }
        for i in range(60)
    }
    (target / "references.yml").write_text(yaml.safe_dump(refs, sort_keys=False), encoding="utf-8")
    (target / "glossary.yml").write_text(yaml.safe_dump(terms, sort_keys=False), encoding="utf-8")
    technique = {
        "name": "Technique A",
        "clinical_evidence": "B",
        "coaching_evidence": "D",
        "delivery": "coach-safe",
        "fidelity": "integration",
        "source": "ref-1",
        "note": _sentence(rng, 12),
    }
    (target / "techniques.yml").write_text(
        yaml.safe_dump({"technique-a": technique}, sort_keys=False), encoding="utf-8"
    )
    (target / "course.yml").write_text(
        yaml.safe_dump(
            {
                "title": "Synthetic course",
                "description": _sentence(rng, 20),
                "audience": _sentence(rng, 12),
                "weeks": min(modules, 52),
                "site_url": "https://example.org/synthetic/",
                "disclaimer": _sentence(rng, 25),
                "safety_note": _sentence(rng, 30),
                "modalities": [
                    {"id": m, "name": m.upper(), "short": m.upper(), "description": _sentence(rng, 10)}
                    for m in ("ipt", "cbt", "eft")
                ],
            },
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    for order, page in enumerate(("start-here", "safety", "evidence-labels"), 1):
        body = "\n\n".join(f"## {_sentence(rng, 3)[:-1]}\n\n{_paragraph(rng, 150)}" for _ in range(4))
        (target / "pages" / f"{page}.md").write_text(
            _front(
                {
                    "id": page,
                    "title": page.replace("-", " ").capitalize(),
                    "summary": _sentence(rng, 10),
                    "order": order,
                },
                body,
            ),
            encoding="utf-8",
        )
    weeks = min(modules, 52)  # the model allows 52 weeks; bigger courses split weeks into several modules
    week_of = [1 + index * weeks // modules for index in range(modules)]
    first_of_week = {}
    for index, week in enumerate(week_of, 1):
        first_of_week.setdefault(week, index)
    for index, week in enumerate(week_of, 1):
        _write_module(target, index, week, first_of_week.get(week - 1), rng)
    return root


def _write_module(target: Path, number: int, week: int, prerequisite: int | None, rng: random.Random) -> None:
    module_id = f"module-{number}"
    folder = target / f"{week:02d}-{module_id}"
    (folder / "exercises").mkdir(parents=True)
    (folder / "roleplays").mkdir()
    exercises = [f"exercise-{number}-{i}" for i in (1, 2)]
    roleplay = f"roleplay-{number}"
    for index, exercise in enumerate(exercises):
        steps = [{"text": _paragraph(rng, 40), "minutes": 5} for _ in range(4)]
        (folder / "exercises" / f"{exercise}.md").write_text(
            _front(
                {
                    "id": exercise,
                    "title": _sentence(rng, 4)[:-1],
                    "format": ("solo", "pair", "triad", "group")[(number + index) % 4],
                    "duration": 20,
                    "modalities": ["ipt", "cbt"],
                    "problem_areas": ["grief"],
                    "techniques": ["technique-a"],
                    "materials": ["Paper", "Pens"],
                    "steps": steps,
                    "reflection": [_sentence(rng, 10) for _ in range(3)],
                    "model_answer": _paragraph(rng, 120),
                },
                _paragraph(rng, 150),
            ),
            encoding="utf-8",
        )
    (folder / "roleplays" / f"{roleplay}.md").write_text(
        _front(
            {
                "id": roleplay,
                "title": _sentence(rng, 4)[:-1],
                "problem_area": "role-disputes",
                "modalities": ["ipt", "eft"],
                "techniques": ["technique-a"],
                "duration": 70,
                "timing": {"briefing": 3, "play": 12, "feedback": 5, "rounds": 3, "debrief": 10},
                "setting": _paragraph(rng, 60),
                "roles": [
                    {"name": name, "public": _sentence(rng, 12), "brief": _paragraph(rng, 80)}
                    for name in ("Coach", "Client", "Observer")
                ],
                "script": [{"role": ("Coach", "Client")[i % 2], "line": _sentence(rng, 14)} for i in range(12)],
                "observer_checklist": [_sentence(rng, 8) for _ in range(4)],
                "debrief": [_sentence(rng, 8) for _ in range(3)],
                "deroling": _sentence(rng, 12),
            },
            _paragraph(rng, 150),
        ),
        encoding="utf-8",
    )
    lesson = "\n\n".join(
        f"## {_sentence(rng, 3)[:-1]}\n\n{_paragraph(rng, 160)}\n\n{_paragraph(rng, 100)}" for _ in range(5)
    )
    (folder / "module.md").write_text(
        _front(
            {
                "id": module_id,
                "title": f"Module {number}: {_sentence(rng, 3)[:-1]}",
                "week": week,
                "summary": _sentence(rng, 20),
                "duration": 150,
                "phase": "active-work",
                "problem_areas": ["grief", "role-disputes"],
                "modalities": ["ipt", "cbt", "eft"],
                "objectives": [_sentence(rng, 10) for _ in range(4)],
                "key_points": [_sentence(rng, 14) for _ in range(4)],
                "prerequisites": [f"module-{prerequisite}"] if prerequisite else [],
                "techniques": ["technique-a"],
                "glossary": [f"term-{(number + i) % 60}" for i in range(5)],
                "references": ["ref-1", "ref-2", "ref-3"],
                "safety_note": True,
                "session": [
                    {"activity": "Check-in", "minutes": 10},
                    {"exercise": exercises[0]},
                    {"exercise": exercises[1]},
                    {"roleplay": roleplay},
                    {"activity": "Teaching", "minutes": 30},
                ],
                "facilitator_notes": [_sentence(rng, 12) for _ in range(3)],
            },
            lesson,
        ),
        encoding="utf-8",
    )
