"""Benchmark the kit on synthetic courses of about 100, 500 and 2,000 pages.

Reports per size the median of several runs of: load + validate, render + write, the full
`build_course.py build`, and a plain `mkdocs build` of the same rendered pages; the ratio of the
two builds; the site's size; peak memory; a module page's first-load weight; every engine side by
side in the same rounds; the time `pdf` takes. bench/speed.py adds a build after one edit, the
preview's latency under `serve`, the glossary's cost and the first search's download. Writes
bench/results.json and docs/guide/performance.md.

Usage: python bench/run.py [--sizes 100,500,2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench/results.json"
sys.path.insert(0, str(REPO))

from bench.speed import measure_speed, with_speed  # noqa: E402
from bench.synth import modules_for_pages, write_course  # noqa: E402
from coursekit import pipeline  # noqa: E402
from coursekit.engines import ENGINES  # noqa: E402
from coursekit.load import load_course  # noqa: E402
from coursekit.render import render_course  # noqa: E402
from coursekit.validate import validate_course  # noqa: E402
from coursekit.write import clean, write_outputs  # noqa: E402
from tests.conftest import make_project  # noqa: E402

WORK = REPO / "bench" / "work"
PYTHON = sys.executable
# Every build runs with Python's compiled modules kept (in the work folder), as on a trainer's machine: an
# environment with PYTHONDONTWRITEBYTECODE (this one's has it) would make every run of the kit compile its own
# modules again (about 0.2 s), while the engines' come compiled from their installation.
QUIET_ENV = {
    **{name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": str(WORK / "pycache"),
    "NO_MKDOCS_2_WARNING": "1",
    "NO_COLOR": "1",
}


# Starts the command from a small process of its own and prints the command's peak memory (KB). On Linux a
# process's peak carries over `exec` from the process that forked it, so a build started straight from this
# one (some hundred MB by now) would report at least that much; a fork of the small launcher starts afresh.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(usage.ru_maxrss, flush=True)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def timed_child(command: list[str]) -> tuple[float, int]:
    """Run a command; return its wall time in seconds and its peak memory in MB (its largest process's)."""
    started = time.perf_counter()
    done = subprocess.run([PYTHON, "-c", LAUNCHER, *command], capture_output=True, text=True, env=QUIET_ENV)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr}")
    return elapsed, int(done.stdout.split()[-1]) // 1024


def stages(root: Path) -> tuple[float, float]:
    """In-process timings of load + validate and of render + write (into an empty docs/)."""
    clean(root)
    started = time.perf_counter()
    course = validate_course(load_course(root))
    validated = time.perf_counter()
    write_outputs(root, render_course(course, None, pipeline.hand_written_guide_pages(root)))
    return validated - started, time.perf_counter() - validated


def folder_mb(folder: Path) -> float:
    """Size of a folder's files in MB."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def first_load_kb(site: Path, page: Path) -> float:
    """HTML + local CSS + JS that a first visit to `page` fetches, in KB.

    The search index is not part of it: overrides/main.html defers it to the first search
    (tests/test_student_site.py checks that), so it is reported on its own.
    """
    html = page.read_text(encoding="utf-8")
    assets = set(re.findall(r'(?:href|src)="([^"]+\.(?:css|js))(?:\?[^"]*)?"', html))
    total = page.stat().st_size
    for asset in assets:
        if "://" not in asset:
            total += (page.parent / asset).resolve().stat().st_size
    return total / 1000


def prepare(pages: int) -> Path:
    """Write a synthetic course of about `pages` pages into its own project folder."""
    root = WORK / f"course-{pages}"
    shutil.rmtree(root, ignore_errors=True)
    make_project(root, REPO / "tests/fixtures/course/modules")
    write_course(root, modules_for_pages(pages))
    return root


def one_run(root: Path) -> dict:
    """One measurement of every timing for one course: stages in-process, then both builds back to back."""
    validate_s, render_s = stages(root)
    clean(root)
    pipeline.forget(root)  # a full build from cold: the build cache would otherwise serve the pages of the last round
    full, memory = timed_child([PYTHON, str(REPO / "build_course.py"), "build", "-q", "--project", str(root)])
    plain, _ = timed_child(
        [
            PYTHON,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "--strict",
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(root / "plain-site"),
        ]
    )
    return {"validate": validate_s, "render": render_s, "full": full, "plain": plain, "memory": memory}


def summarise(pages: int, root: Path, runs: list[dict]) -> dict:
    """Medians of a size's runs, with its ratio taken within each run, and its sizes on disk."""
    median = lambda key: statistics.median(run[key] for run in runs)  # noqa: E731
    site = root / "site"
    module_page = next((site / "weeks").glob("*/index.html"))
    result = {
        "pages": sum(1 for _ in site.rglob("index.html")),
        "modules": modules_for_pages(pages),
        "runs": len(runs),
        "load_validate_s": median("validate"),
        "render_write_s": median("render"),
        "full_build_s": median("full"),
        "plain_mkdocs_s": median("plain"),
        "site_mb": round(folder_mb(site), 1),
        "peak_memory_mb": max(run["memory"] for run in runs),
        "module_page_first_load_kb": round(first_load_kb(site, module_page), 1),
        "search_index_kb": round((site / "search/search_index.json").stat().st_size / 1000, 1),
    }
    result["generator_share"] = (result["load_validate_s"] + result["render_write_s"]) / result["full_build_s"]
    # Full and plain ran back to back, so their ratio within a run cancels most of the machine's noise.
    result["full_vs_plain"] = statistics.median(run["full"] / run["plain"] for run in runs)
    result["incremental_files_written"] = incremental_files(root)
    return result


def measure(sizes: list[int], runs: int) -> tuple[dict[int, dict], float]:
    """Every size, run in rounds (each round builds every size once), so sizes share the machine's conditions.

    Returns the per-size summaries and T(largest) / T(middle) as the median of its ratio within each round.
    """
    roots = {size: prepare(size) for size in sizes}
    rounds: list[dict[int, dict]] = []
    for number in range(1, runs + 1):
        print(f"round {number} of {runs}: " + ", ".join(f"about {size} pages" for size in sizes), flush=True)
        rounds.append({size: one_run(roots[size]) for size in sizes})
    results = {size: summarise(size, roots[size], [r[size] for r in rounds]) for size in sizes}
    for size in sizes:
        print(json.dumps(results[size]), flush=True)
    largest, middle = sizes[-1], sizes[-2] if len(sizes) > 1 else sizes[-1]
    growth = statistics.median(r[largest]["full"] / r[middle]["full"] for r in rounds)
    return results, growth


# How each engine builds the same rendered pages on its own: the plain build the kit's full build is compared with.
PLAIN_BUILDS = {
    "mkdocs": lambda root, out: [PYTHON, "-m", "mkdocs", "build", "-q", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(out)],
    "properdocs": lambda root, out: [PYTHON, "-m", "properdocs", "build", "-q", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(out)],
    "zensical": lambda root, out: [PYTHON, "-m", "zensical", "build", "-s", "-f", str(_zensical_config(root, out))],
}  # fmt: skip


def _zensical_config(root: Path, out: Path) -> Path:
    """Zensical takes its output folder from its config: one that inherits mkdocs.yml and names it."""
    config = root / ".zensical-bench.yml"
    config.write_text(json.dumps({"INHERIT": "mkdocs.yml", "site_dir": str(out)}), encoding="utf-8")
    return config


def engine_run(root: Path, engine: str) -> dict:
    """One engine's full build of our pipeline, then its plain build of the same pages, back to back (from cold)."""
    clean(root)
    pipeline.forget(root)  # the kit's build cache, and Zensical's own: every engine starts cold
    shutil.rmtree(root / ".cache", ignore_errors=True)
    full, memory = timed_child(
        [PYTHON, str(REPO / "build_course.py"), "build", "-q", "--engine", engine, "--project", str(root)]
    )
    shutil.rmtree(root / ".cache", ignore_errors=True)
    plain, plain_memory = timed_child(PLAIN_BUILDS[engine](root, root / "plain-site"))
    return {"full": full, "plain": plain, "memory": memory, "plain_memory": plain_memory}


def measure_engines(sizes: list[int], runs: int) -> list[dict]:
    """Every engine side by side in the same rounds, at every size: medians, ratios within a round, peak memory.

    Add an engine to coursekit/engines.py and PLAIN_BUILDS, and it gets its rows here.
    """
    roots = {size: WORK / f"course-{size}" if (WORK / f"course-{size}").is_dir() else prepare(size) for size in sizes}
    rounds = []
    for number in range(1, runs + 1):
        print(f"engines, round {number} of {runs}", flush=True)
        rounds.append({(size, e): engine_run(roots[size], e) for size in sizes for e in ENGINES})
    rows = []
    for size in sizes:
        for engine in ENGINES:
            runs_of = [r[(size, engine)] for r in rounds]
            rows.append(
                {
                    "engine": engine,
                    "version": ENGINES[engine].version(),
                    "pages": size,
                    "runs": len(runs_of),
                    "full_build_s": statistics.median(r["full"] for r in runs_of),
                    "plain_build_s": statistics.median(r["plain"] for r in runs_of),
                    "full_vs_plain": statistics.median(r["full"] / r["plain"] for r in runs_of),
                    "vs_mkdocs_full": statistics.median(
                        r["full"] / rr[(size, "mkdocs")]["full"] for r, rr in zip(runs_of, rounds, strict=True)
                    ),
                    "peak_memory_mb": max(r["memory"] for r in runs_of),
                    "plain_peak_memory_mb": max(r["plain_memory"] for r in runs_of),
                }
            )
            print(json.dumps(rows[-1]), flush=True)
    return rows


def incremental_files(root: Path) -> int:
    """Files rewritten after one module's lesson changes."""
    pipeline.generate(root)
    module = next((root / "modules").glob("*/module.md"))
    module.write_text(module.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    return len(pipeline.generate(root).written.written)


def machine() -> str:
    """A one-line description of the machine the benchmark ran on."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores{', ' + model if model else ''}, Python {platform.python_version()}"


def targets(results: dict[int, dict], growth: float, engines: list[dict]) -> dict:
    """Each target with its measured value, its limit and whether it is met."""
    largest = results[max(results)]
    found = {
        "generator_share_max": (max(r["generator_share"] for r in results.values()), 0.05),
        "full_vs_plain_max": (max(r["full_vs_plain"] for r in results.values()), 1.0),
        **{
            f"{name}_full_vs_plain_max": (max(r["full_vs_plain"] for r in engines if r["engine"] == name), 1.0)
            for name in dict.fromkeys(r["engine"] for r in engines)
        },
        "full_build_largest_over_middle": (growth, 4.2),
        "site_mb_largest": (largest["site_mb"], 200),
        "module_page_first_load_kb_max": (max(r["module_page_first_load_kb"] for r in results.values()), 500),
    }
    return {
        name: {"value": round(value, 3), "limit": limit, "met": value <= limit}
        for name, (value, limit) in found.items()
    }


def table(results: dict[int, dict], goals: dict, command: str, where: str) -> str:
    """The Markdown report: per-size figures, then targets."""
    lines = [
        f"Measured with `{command}` on {where}. Times are medians of {next(iter(results.values()))['runs']} runs, in seconds; "
        "each run builds every size once, and the ratios are medians of ratios taken within a run.",
        "",
        "| pages | load + validate | render + write | full build | plain mkdocs build | full / plain | generator share | site size | peak memory | module page first load | search index (on first search) | files rewritten after one edit |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results.values():
        lines.append(
            f"| {r['pages']} | {r['load_validate_s']:.2f} | {r['render_write_s']:.2f} | {r['full_build_s']:.1f} | {r['plain_mkdocs_s']:.1f} | "
            f"{r['full_vs_plain']:.2f} | {r['generator_share']:.1%} | {r['site_mb']} MB | {r['peak_memory_mb']} MB | {r['module_page_first_load_kb']} KB | {r['search_index_kb']} KB | {r['incremental_files_written']} |"
        )
    lines += ["", "| target | value | limit | met |", "| --- | ---: | ---: | --- |"]
    for name, goal in goals.items():
        lines.append(
            f"| {name.replace('_', ' ')} | {goal['value']} | {goal['limit']} | {'yes' if goal['met'] else 'NO'} |"
        )
    return "\n".join(lines) + "\n"


PERFORMANCE_PAGE = """# Performance

How fast the kit builds, measured by the benchmark in `bench/run.py` on synthetic courses in the real module
format (lessons of about 1,300 words, two exercises and a role-play per module). The generator's own stages
(load, validate, render, write) are timed in-process; the full build is `python build_course.py build`; the
plain build is `mkdocs build` of the same rendered pages, run straight after it. "Full build largest over middle" is
T(2,000 pages) / T(500 pages): linear growth gives about 4. The machine is shared, so each run builds every size
once and each ratio is the median of the ratios within a run, which cancels most of the noise.

How the full build can take less time than the engine's own: once the navigation is known, a second process
forked from the build takes the later half of the pages' Markdown, and then of their templates, on the second core
(coursekit/helper_process.py); the build takes its results in page order, so the site is byte for byte what one
process builds (tests/test_rebuild.py). The kit's own rendering splits the same way, and the glossary's tooltips
are found through an index, not one pattern of every term per page. `COURSEKIT_JOBS=1` keeps a build in one process.
Material's sidebar renders every item of a page's open section on every page: pages times modules in all, the one
part of a build that grows faster than its pages. The kit renders an item that does not hold the page once for all
the pages that reach its links by the same relative addresses (coursekit/nav_memo.py; tests/test_nav_memo.py checks
the site is the same bytes). Zensical (0.0.73) uses one core and calls Python for each page's Markdown, one page at
a time; the kit runs it with a helper process that renders the pages from the last one back on the second core
(coursekit/zensical_ahead.py), and takes a page from it only when Zensical asks for exactly the call the helper
predicted, so the site is byte for byte plain Zensical's (tests/test_engines.py).
Peak memory is the largest resident size of any one process of the build (the build or its helper, which shares the build's memory until either writes to it), measured from a small launcher, so the benchmark's own memory is not counted.

Run it yourself with `make bench` (about forty minutes on 2 cores); it rewrites this page and `bench/results.json`.

{table}"""


def pdf_timing() -> dict:
    """`build_course.py pdf` on the shipped course: wall time (build included), PDFs and pages (needs Chromium)."""
    from pypdf import PdfReader

    root = make_project(WORK / "pdf", REPO / "modules")
    seconds, peak_mb = timed_child([PYTHON, str(REPO / "build_course.py"), "pdf", "--project", str(root)])
    pdfs = sorted((root / "site" / "pdf").glob("*.pdf"))
    pages = {path.name: len(PdfReader(path).pages) for path in pdfs}
    return {
        "seconds": round(seconds, 1),
        "peak_mb": peak_mb,
        "pdfs": len(pdfs),
        "pages": sum(pages.values()),
        "by_file": pages,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500,2000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--only-speed", action="store_true", help="measure only bench/speed.py's targets, keep the rest"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite the page and targets from bench/results.json, measuring nothing",
    )
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    if args.only_speed:
        return speed_only(args.runs)
    if args.report_only:
        return write_report(json.loads(RESULTS.read_text(encoding="utf-8")))
    sizes = sorted(int(s) for s in args.sizes.split(","))
    results, growth = measure(sizes, args.runs)
    engines = measure_engines(sizes, args.runs)
    printed = pdf_timing()
    command = "python bench/run.py" + (
        "" if args.sizes == "100,500,2000" and args.runs == 3 else f" --sizes {args.sizes} --runs {args.runs}"
    )
    speed = measure_speed(WORK / "speed", PYTHON, QUIET_ENV, args.runs, WORK / f"course-{max(results)}" / "site")
    shutil.rmtree(WORK, ignore_errors=True)
    summary = {
        "machine": machine(),
        "command": command,
        "sizes": results,
        "full_build_growth": growth,
        "engines": engines,
        "pdf": printed,
        "speed": speed,
    }
    return write_report(summary)


def write_report(summary: dict) -> int:
    """results.json and the performance page from the measurements, with every target judged; 1 if one is missed."""
    results = {int(size): row for size, row in summary["sizes"].items()}
    goals = targets(results, summary["full_build_growth"], summary["engines"])
    report = table(results, goals, summary["command"], summary["machine"]) + "\n" + engine_table(summary["engines"])
    summary, page = with_speed({**summary, "targets": goals}, PERFORMANCE_PAGE.format(table=report), summary["speed"])
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    (REPO / "docs/guide/performance.md").write_text(page, encoding="utf-8")
    print(page)
    printed = summary["pdf"]
    print(f"pdf: {printed['pdfs']} PDFs, {printed['pages']} pages in {printed['seconds']} s (build included)")
    met = list(goals.values()) + list(summary["speed"]["targets"].values())
    return 0 if all(goal["met"] for goal in met) else 1


def engine_table(engines: list[dict]) -> str:
    """Every engine at every size: the kit's full build against the engine's plain build, and memory."""
    lines = [
        "Every engine, side by side in the same rounds (each round builds every size with every engine, from cold):",
        "",
        "| engine | version | pages (about) | full build | plain engine build | full / plain | full / MkDocs' full | peak memory (full) | peak memory (plain) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in engines:
        lines.append(
            f"| {r['engine']} | {r['version']} | {r['pages']} | {r['full_build_s']:.1f} | {r['plain_build_s']:.1f} | "
            f"{r['full_vs_plain']:.2f} | {r['vs_mkdocs_full']:.2f} | {r['peak_memory_mb']} MB | {r['plain_peak_memory_mb']} MB |"
        )
    return "\n".join(lines) + "\n"


def speed_only(runs: int) -> int:
    """Measure bench/speed.py's targets alone, updating their part of results.json and the performance page."""
    results_path, page_path = REPO / "bench/results.json", REPO / "docs/guide/performance.md"
    speed = measure_speed(WORK / "speed", PYTHON, QUIET_ENV, runs)
    previous = json.loads(results_path.read_text(encoding="utf-8"))
    old_search = (previous.get("speed") or {}).get("first_search")
    if old_search and not speed["first_search"]:  # measured with the sizes; kept until they run again
        speed["first_search"] = old_search
        speed["targets"].update({k: v for k, v in previous["speed"]["targets"].items() if k.startswith("first_search")})
    summary, page = with_speed(previous, page_path.read_text(encoding="utf-8"), speed)
    results_path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    page_path.write_text(page, encoding="utf-8")
    print(page.split("## Speed", 1)[1])
    shutil.rmtree(WORK, ignore_errors=True)
    return 0 if all(goal["met"] for goal in speed["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
