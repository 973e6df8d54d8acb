"""Speed targets of issue 17 for the default engine: rebuild after one edit, preview latency, glossary cost.

Each measurement runs in rounds; a ratio is taken within a round (both builds share the machine's
conditions) and the median of the rounds is reported. `bench/run.py` calls `measure_speed` and
writes the figures and their targets into bench/results.json and the guide's performance page.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import socket
import statistics
import subprocess
import time
from pathlib import Path

import yaml

from bench.synth import modules_for_pages, write_course
from coursekit import pipeline
from coursekit.site import build_site
from tests.conftest import edit, make_project

REPO = Path(__file__).resolve().parent.parent
MODULE = "modules/05-grief-and-loss/module.md"
PAGE = "weeks/grief-and-loss/"


def _forget(root: Path) -> None:
    """A build from nothing: no build cache and no previous site to reuse."""
    pipeline.forget(root)
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
    """Retitle a module; its page shows the new title (tests/test_rebuild.py checks every other page's navigation)."""
    module = root / MODULE
    text = module.read_text(encoding="utf-8")
    old = re.search(r"^title: (.*)$", text, re.M).group(0)
    edit(module, old, f"title: Grief and loss {mark}")
    return PAGE, f"Grief and loss {mark}"


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
    """Seconds from a save to the served page showing it, and to the whole site (search included) having it,
    per kind of edit, on the shipped course under `serve`."""
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
    whole: dict[str, list[float]] = {name: [] for name in EDITS}
    try:
        _wait_for(base + PAGE, "Grief and loss", 180)
        for number in range(rounds):
            for name, change in EDITS.items():
                started = time.perf_counter()
                page, text = change(root, f"p{number}")
                _wait_for(base + page, text, 60)
                times[name].append(time.perf_counter() - started)
                _wait_for(base + "search/search_index.json", text, 60)  # the full build is served
                whole[name].append(time.perf_counter() - started)
                time.sleep(1.5)  # let the watcher settle, so each edit is timed on its own
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "runs": rounds,
        **{f"{name}_s": statistics.median(values) for name, values in times.items()},
        **{f"{name}_whole_site_s": statistics.median(values) for name, values in whole.items()},
    }


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


def speed_targets(rebuild: dict, glossary: dict, preview: dict, search: dict | None) -> dict:
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
    if search:
        found[f"first_search_kb_at_{search['pages']}_pages"] = (search["first_search_kb"], 1000)
    return {
        name: {"value": round(value, 3), "limit": limit, "met": value <= limit}
        for name, (value, limit) in found.items()
    }


def measure_speed(work: Path, python: str, env: dict, rounds: int = 3, largest_site: Path | None = None) -> dict:
    """All of the speed measurements, with their targets; the first search's weight from `largest_site` if given."""
    work.mkdir(parents=True, exist_ok=True)
    print("speed: rebuild after one edit", flush=True)
    rebuild = rebuild_after_edit(work, python, env, rounds)
    print("speed: glossary of 100 and 10,000 terms", flush=True)
    glossary = glossary_cost(work, rounds=max(rounds, 5))  # small builds: more rounds against the machine's noise
    print("speed: preview latency under serve", flush=True)
    preview = preview_latency(work, python, env, rounds)
    search = first_search(largest_site) if largest_site and (largest_site / "search").is_dir() else None
    return {
        "rebuild": rebuild,
        "glossary": glossary,
        "preview": preview,
        "first_search": search,
        "targets": speed_targets(rebuild, glossary, preview, search),
    }


SVG = REPO / "docs/guide/build-time.svg"


def with_speed(report: dict, page: str, speed: dict) -> tuple[dict, str]:
    """results.json and the performance page with the speed figures (replacing earlier ones), and the plot written."""
    report = dict(report, speed=speed)
    page = page.split(SPEED_HEADING, 1)[0].rstrip("\n") + "\n\n" + speed_section(speed)
    if report.get("sizes"):
        SVG.write_text(build_time_svg(report["sizes"]), encoding="utf-8")
        if "build-time.svg" not in page:
            plot = "![Build time in seconds against pages, full build and plain MkDocs](build-time.svg)\n\n"
            page = page.replace(SPEED_HEADING, plot + SPEED_HEADING)
    return report, page


def first_search(site: Path) -> dict:
    """What the first search downloads (the index and Material's search worker), raw and gzip-compressed, in KB.

    Also what a trimmed index would weigh (each section's text cut to its first N words), the option
    the issue names, computed from the real index so the figures say what trimming could reach.
    """
    index_path = site / "search/search_index.json"
    worker = next((site / "assets/javascripts/workers").glob("search.*.min.js"))
    raw = index_path.read_bytes()
    index = json.loads(raw)
    result = {
        "index_kb": round(len(raw) / 1000, 1),
        "index_gzip_kb": round(len(gzip.compress(raw, 6)) / 1000, 1),
        "worker_kb": round(worker.stat().st_size / 1000, 1),
        "worker_gzip_kb": round(len(gzip.compress(worker.read_bytes(), 6)) / 1000, 1),
        "entries": len(index["docs"]),
        "pages": len({doc["location"].split("#", 1)[0] for doc in index["docs"]}),
    }
    result["first_search_kb"] = round(result["index_kb"] + result["worker_kb"], 1)
    result["first_search_gzip_kb"] = round(result["index_gzip_kb"] + result["worker_gzip_kb"], 1)
    for words in (0, 20, 50):
        trimmed = dict(index, docs=[dict(doc, text=_first_words(doc["text"], words)) for doc in index["docs"]])
        data = json.dumps(trimmed, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        result[f"trimmed_{words}_words_kb"] = round(len(data) / 1000, 1)
        result[f"trimmed_{words}_words_gzip_kb"] = round(len(gzip.compress(data, 6)) / 1000, 1)
    return result


def _first_words(html: str, words: int) -> str:
    text = re.sub(r"<[^>]+>", " ", html).split()
    return " ".join(text[:words])


def build_time_svg(sizes: dict) -> str:
    """A plot of full and plain build time against pages, as a standalone SVG (no script)."""
    points = sorted((int(r["pages"]), r["full_build_s"], r["plain_mkdocs_s"]) for r in sizes.values())
    width, height, left, bottom, top, right = 560, 320, 60, 40, 20, 20
    most_pages = max(p for p, _, _ in points)
    most_time = max(max(f, m) for _, f, m in points) * 1.1

    def x(pages: float) -> float:
        return left + (width - left - right) * pages / most_pages

    def y(seconds: float) -> float:
        return height - bottom - (height - bottom - top) * seconds / most_time

    def line(column: int, colour: str, dash: str) -> str:
        path = " ".join(f"{x(p[0]):.1f},{y(p[column]):.1f}" for p in points)
        dots = "".join(f'<circle cx="{x(p[0]):.1f}" cy="{y(p[column]):.1f}" r="3" fill="{colour}"/>' for p in points)
        return f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>{dots}'

    ticks = "".join(
        f'<text x="{x(p):.1f}" y="{height - bottom + 16}" text-anchor="middle">{p:,}</text>' for p, _, _ in points
    )
    step = max(1, round(most_time / 5 / 5) * 5)
    yticks = "".join(
        f'<line x1="{left}" x2="{width - right}" y1="{y(s):.1f}" y2="{y(s):.1f}" stroke="#ccc"/>'
        f'<text x="{left - 6}" y="{y(s) + 4:.1f}" text-anchor="end">{s}</text>'
        for s in range(0, int(most_time) + 1, step)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'font-family="sans-serif" font-size="12" fill="#222">'
        "<title>Build time in seconds against pages: the kit's full build and a plain MkDocs build</title>"
        f'<rect width="{width}" height="{height}" fill="#fff"/>{yticks}{ticks}'
        f'<text x="{(width + left) / 2}" y="{height - 6}" text-anchor="middle">pages</text>'
        f'<text x="14" y="{(height - bottom) / 2}" transform="rotate(-90 14 {(height - bottom) / 2})" '
        'text-anchor="middle">seconds</text>'
        + line(1, "#1f5fa8", "")
        + line(2, "#b34700", ' stroke-dasharray="6 4"')
        + f'<text x="{left + 10}" y="{top + 12}" fill="#1f5fa8">full build (build_course.py build)</text>'
        + f'<text x="{left + 10}" y="{top + 28}" fill="#b34700">plain mkdocs build (dashed)</text>'
        + "</svg>\n"
    )


SPEED_HEADING = "## Speed after an edit, in the preview, and with a large glossary"


def speed_section(speed: dict) -> str:
    """The performance page's part for the speed targets: rebuilds, preview, glossary, first search."""
    rebuild, preview, glossary = speed["rebuild"], speed["preview"], speed["glossary"]
    lines = [
        SPEED_HEADING,
        "",
        "Measured by `bench/speed.py` (called by `bench/run.py`) on the shipped course, with MkDocs 1.6.1. A build keeps "
        "each page's Markdown conversion, search entry and finished HTML in a cache (coursekit/cached_build.py), so a "
        "second `build` re-does only what an edit changed; tests/test_rebuild.py checks that its `site/` is byte for "
        "byte a fresh full build's. Times are medians of "
        f"{rebuild['runs']} rounds, in seconds; ratios are taken within a round.",
        "",
        "In `serve`, a save first shows the pages made from the edited file (and any page open in a browser that the "
        "save changed): once the course is valid, only they and the engine's config are rendered, written and built, "
        "a first look byte for byte the page the full build then writes (tests/test_serve.py). The rest of the course "
        "renders after it, and the full build brings the rest of the site and the search index; the last column is "
        "the time until the served search index has the edit.",
        "",
        "| edit | `build` after it | full build | ratio | shows in `serve` after | whole site, search included |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in EDITS:
        whole = preview.get(f"{name}_whole_site_s")
        lines.append(
            f"| {name} | {rebuild[f'{name}_s']:.2f} | {rebuild['full_build_s']:.2f} | {rebuild[f'{name}_over_full']:.2f} | "
            f"{preview[f'{name}_s']:.2f} | {'' if whole is None else f'{whole:.2f}'} |"
        )
    lines += [
        "",
        f"Glossary: the engine's full build of a {glossary['pages']}-page synthetic course takes "
        f"{glossary['build_100_terms_s']:.1f} s with 100 terms and {glossary['build_10000_terms_s']:.1f} s with 10,000 "
        f"(ratio {glossary['large_over_small']:.2f} within a round). The terms go straight into the generated engine "
        "configuration, because the loader refuses a YAML file of more than 20,000 values (about 4,000 glossary terms).",
    ]
    search = speed.get("first_search")
    if search:
        lines += [
            "",
            f"First search at {search['pages']:,} pages: the index is {search['index_kb']:,} KB "
            f"({search['index_gzip_kb']:,} KB gzip-compressed, as GitHub Pages sends it) and the search worker "
            f"{search['worker_kb']:,} KB ({search['worker_gzip_kb']:,} KB): {search['first_search_kb']:,} KB, "
            f"{search['first_search_gzip_kb']:,} KB compressed. Cutting every section's text to its first 50 words "
            f"would give {search['trimmed_50_words_kb']:,} KB ({search['trimmed_50_words_gzip_kb']:,} KB compressed), "
            f"to 20 words {search['trimmed_20_words_kb']:,} KB, and titles alone {search['trimmed_0_words_kb']:,} KB. "
            "Why the first search cannot load under 1 MB with Material's search kept: Material's worker builds one "
            "lunr index from every entry it is handed at setup, so the first search needs all "
            f"{search['entries']:,} entries, and their addresses, titles and weights alone are over 1 MB; shards "
            "would mean replacing Material's worker. Compressed, as students download it, a 50-word trim would be "
            "under 1 MB, at the cost of finding words deeper in a section.",
        ]
    lines += ["", "| target | value | limit | met |", "| --- | ---: | ---: | --- |"]
    for name, goal in speed["targets"].items():
        lines.append(
            f"| {name.replace('_', ' ')} | {goal['value']} | {goal['limit']} | {'yes' if goal['met'] else 'NO'} |"
        )
    return "\n".join(lines) + "\n"
