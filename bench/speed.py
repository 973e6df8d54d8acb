"""Speed targets of issue 17 for the default engine: rebuild after one edit, preview latency, glossary cost.

Each measurement runs in rounds; a ratio is taken within a round (both builds share the machine's
conditions) and the median of the rounds is reported. `bench/run.py` calls `measure_speed` and
writes the figures and their targets into bench/results.json and the guide's performance page.
"""

from __future__ import annotations

import re
import shutil
import socket
import statistics
import subprocess
import time
from pathlib import Path

import yaml

from bench.synth import modules_for_pages, write_course
from coursekit import cached_build, pipeline
from coursekit.site import build_site
from tests.conftest import edit, make_project

REPO = Path(__file__).resolve().parent.parent
MODULE = "modules/05-grief-and-loss/module.md"
PAGE = "weeks/grief-and-loss/"


def _forget(root: Path) -> None:
    """A build from nothing: no build cache and no previous site to reuse."""
    cache = cached_build.BuildCache(root)
    if cache.path is not None:
        cache.path.unlink(missing_ok=True)
    shutil.rmtree(root / "site", ignore_errors=True)


def _timed_build(python: str, env: dict, root: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [python, str(REPO / "build_course.py"), "build", "-q", "--project", str(root)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def edit_body(root: Path, mark: str) -> str:
    """Add a sentence to a lesson; returns the page and the text that shows it."""
    module = root / MODULE
    module.write_text(module.read_text(encoding="utf-8") + f"\nA sentence {mark}.\n", encoding="utf-8")
    return PAGE, f"A sentence {mark}."


def edit_title(root: Path, mark: str) -> str:
    """Retitle a module; the next module's page shows the new title in its navigation."""
    module = root / MODULE
    text = module.read_text(encoding="utf-8")
    old = re.search(r"^title: (.*)$", text, re.M).group(0)
    edit(module, old, f"title: Grief and loss {mark}")
    return "weeks/role-disputes/", f"Grief and loss {mark}"


def add_exercise(root: Path, mark: str) -> str:
    """Add an exercise (a copy of one, with a new id and title)."""
    folder = (root / MODULE).parent / "exercises"
    source = sorted(folder.glob("*.md"))[0]
    text = source.read_text(encoding="utf-8")
    old_id = re.search(r"^id: (.*)$", text, re.M).group(1)
    old_title = re.search(r"^title: (.*)$", text, re.M).group(0)
    new_id = f"bench-exercise-{mark}"
    text = text.replace(f"id: {old_id}", f"id: {new_id}", 1).replace(old_title, f"title: Bench exercise {mark}", 1)
    (folder / f"{new_id}.md").write_text(text, encoding="utf-8")
    return f"exercises/{new_id}/", f"Bench exercise {mark}"


EDITS = {"body": edit_body, "title": edit_title, "new exercise": add_exercise}


def rebuild_after_edit(work: Path, python: str, env: dict, rounds: int = 3) -> dict:
    """`build` from nothing, then `build` after each kind of edit, on the shipped course (wall seconds, ratios in a round)."""
    root = work / "rebuild"
    shutil.rmtree(root, ignore_errors=True)
    make_project(root, REPO / "modules")
    rows = []
    for number in range(rounds):
        _forget(root)
        row = {"full": _timed_build(python, env, root)}
        for name, change in EDITS.items():
            change(root, f"r{number}")
            row[name] = _timed_build(python, env, root)
        rows.append(row)
    result = {"full_build_s": statistics.median(r["full"] for r in rows), "runs": rounds}
    for name in EDITS:
        result[f"{name}_s"] = statistics.median(r[name] for r in rows)
        result[f"{name}_over_full"] = statistics.median(r[name] / r["full"] for r in rows)
    return result


def glossary_cost(work: Path, pages: int = 100, rounds: int = 3, sizes: tuple[int, int] = (100, 10_000)) -> dict:
    """The engine's full build (cache emptied) of one synthetic course with 100 and with 10,000 glossary terms.

    The loader refuses a YAML file of more than 20,000 values, so glossary.yml holds at most about
    4,000 terms; the terms are therefore put straight into the generated engine configuration, where
    the tooltips come from. The extra terms are realistic words that occur nowhere in the text.
    """
    root = work / "glossary"
    shutil.rmtree(root, ignore_errors=True)
    make_project(root)
    write_course(root, modules_for_pages(pages))
    pipeline.generate(root)
    config = root / ".generated/mkdocs-course.yml"
    original = config.read_text(encoding="utf-8")
    rows = []
    for _ in range(rounds):
        row = {}
        for terms in sizes:
            config.write_text(_with_terms(original, terms), encoding="utf-8")
            _forget(root)
            started = time.perf_counter()
            build_site(root)
            row[terms] = time.perf_counter() - started
        rows.append(row)
    small, large = sizes
    return {
        "pages": pages,
        "terms": list(sizes),
        "runs": rounds,
        f"build_{small}_terms_s": statistics.median(r[small] for r in rows),
        f"build_{large}_terms_s": statistics.median(r[large] for r in rows),
        "large_over_small": statistics.median(r[large] / r[small] for r in rows),
    }


def _with_terms(config_text: str, terms: int) -> str:
    """The generated configuration with its glossary padded to `terms` entries."""
    data = config_text.split("markdown_extensions:", 1)
    extensions = yaml.safe_load("markdown_extensions:" + data[1])["markdown_extensions"]
    glossary = next(e["abbr"]["glossary"] for e in extensions if isinstance(e, dict) and "abbr" in e)
    for number in range(terms - len(glossary)):
        glossary[f"Glossaryterm{number} phrase"] = f"Meaning number {number}, as plain text."
    return data[0] + yaml.safe_dump({"markdown_extensions": extensions}, sort_keys=False, allow_unicode=True)


def preview_latency(work: Path, python: str, env: dict, rounds: int = 3) -> dict:
    """Seconds from a save to the served page showing it, per kind of edit, on the shipped course under `serve`."""
    root = work / "preview"
    shutil.rmtree(root, ignore_errors=True)
    make_project(root, REPO / "modules")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [python, str(REPO / "build_course.py"), "serve", "--port", str(port), "--project", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    base = f"http://127.0.0.1:{port}/"
    times: dict[str, list[float]] = {name: [] for name in EDITS}
    try:
        _wait_for(base + PAGE, "Grief and loss", 180)
        for number in range(rounds):
            for name, change in EDITS.items():
                started = time.perf_counter()
                page, text = change(root, f"p{number}")
                _wait_for(base + page, text, 60)
                times[name].append(time.perf_counter() - started)
                time.sleep(1.5)  # let the watcher settle, so each edit is timed on its own
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"runs": rounds, **{f"{name}_s": statistics.median(values) for name, values in times.items()}}


def _wait_for(url: str, text: str, timeout: float) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit(f"{text!r} never appeared at {url}")


def speed_targets(rebuild: dict, glossary: dict, preview: dict) -> dict:
    """Each speed target with its measured value, its limit and whether it is met."""
    found = {
        "rebuild_body_over_full": (rebuild["body_over_full"], 0.5),
        "rebuild_title_over_full": (rebuild["title_over_full"], 0.5),
        "rebuild_new_exercise_over_full": (rebuild["new exercise_over_full"], 0.5),
        "preview_body_s": (preview["body_s"], 1.0),
        "preview_title_s": (preview["title_s"], 1.0),
        "preview_new_exercise_s": (preview["new exercise_s"], 1.0),
        "glossary_10000_over_100_terms": (glossary["large_over_small"], 1.1),
    }
    return {
        name: {"value": round(value, 3), "limit": limit, "met": value <= limit}
        for name, (value, limit) in found.items()
    }


def measure_speed(work: Path, python: str, env: dict, rounds: int = 3) -> dict:
    """All of the speed measurements, with their targets."""
    work.mkdir(parents=True, exist_ok=True)
    print("speed: rebuild after one edit", flush=True)
    rebuild = rebuild_after_edit(work, python, env, rounds)
    print("speed: glossary of 100 and 10,000 terms", flush=True)
    glossary = glossary_cost(work, rounds=rounds)
    print("speed: preview latency under serve", flush=True)
    preview = preview_latency(work, python, env, rounds)
    return {
        "rebuild": rebuild,
        "glossary": glossary,
        "preview": preview,
        "targets": speed_targets(rebuild, glossary, preview),
    }
