"""Search queries run against a built site by Material's own search worker in Chromium, the ranking students get.

Each query is a glossary term, a module title or the title of an exercise, role-play or course page,
with the pages that should answer it. `python -m tests.search_ranking [SITE] [PROJECT]` prints how many
queries meet the goal (default: site/ and the modules/ of this repository).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from coursekit import layout, pipeline
from tests.browser import browser
from tests.conftest import REPO, serve_folder

# The Trainers section, as the issue names it: run-sheets, the facilitator index, the trainers' guide, the field reference.
TRAINER_PAGES = ("facilitator/", "guide/", "reference/fields/")

# Material's search worker takes {type, data} messages: 0 sets up the index, 2 asks a query, 3 answers it.
# Each result is a page's group of sections, best first; Material shows the page and the sections scoring as
# high as its best one, so those are what a student sees of the page without opening "more on this page".
_RANK = """async ([queries]) => {
  const config = JSON.parse(document.getElementById("__config").textContent);
  const base = new URL(config.base + "/", location.href);
  const index = await (await fetch(new URL("search/search_index.json", base))).json();
  const worker = new Worker(new URL(config.search, base));
  let answer;
  worker.onmessage = (event) => answer(event.data);
  const ask = (message) => new Promise((resolve) => { answer = resolve; worker.postMessage(message); });
  const options = {suggest: config.features.includes("search.suggest")};
  await ask({type: 0, data: {config: index.config, docs: index.docs, options}});
  const ranked = {};
  for (const query of queries) {
    const result = await ask({type: 2, data: query});
    ranked[query] = result.data.items.map((group) =>
      group.filter((item) => item.score >= group[0].score).map((item) => item.location));
  }
  worker.terminate();
  return ranked;
}"""


@dataclass(frozen=True)
class Query:
    """A query and the addresses (a page, or a page#section) that answer it."""

    text: str
    answers: frozenset[str]


def goal_queries(root: Path) -> list[Query]:
    """Every glossary term (its entry, or a module that lists it or is titled by it) and every module title."""
    course = pipeline.check(root)
    glossary = layout.url_of(layout.COURSE_PAGE["glossary"].path)
    answers: dict[str, set[str]] = {}
    for term_id, entry in course.glossary.items():
        teaching = {
            _url(module)
            for module in course.modules
            if term_id in module.meta.glossary or entry.term.lower() in module.meta.title.lower()
        }
        answers.setdefault(entry.term, set()).update(teaching | {f"{glossary}#{term_id}"})
    for module in course.modules:
        answers.setdefault(module.meta.title, set()).add(_url(module))
    return [Query(text, frozenset(pages)) for text, pages in answers.items()]


def title_queries(root: Path) -> list[Query]:
    """The title of every exercise, role-play and course page, answered by that page."""
    course = pipeline.check(root)
    items = [*course.exercises, *course.roleplays, *course.pages]
    return [Query(item.meta.title, frozenset({_url(item)})) for item in items]


def _url(item: object) -> str:
    return layout.url_of(layout.docs_path(item))


def rank(site: Path, queries: list[str]) -> dict[str, list[list[str]]]:
    """Each query's results as Material's worker ranks them: per page, the addresses it shows."""
    server, url = serve_folder(site)
    try:
        with browser() as instance:
            page = instance.new_page()
            page.goto(url, wait_until="load")
            return page.evaluate(_RANK, [queries])
    finally:
        server.shutdown()


def misses(query: Query, results: list[list[str]]) -> list[str]:
    """What is wrong with one query's results: no answer in the first three, or a trainers' page above a student page."""
    problems = []
    if not any(set(shown) & query.answers or _page(shown[0]) in query.answers for shown in results[:3]):
        problems.append(f"{query.text!r}: none of {sorted(query.answers)} in the first three: {_pages(results[:3])}")
    pages = [_page(shown[0]) for shown in results]
    trainers = [i for i, page in enumerate(pages) if page.startswith(TRAINER_PAGES)]
    students = [i for i, page in enumerate(pages) if not page.startswith(TRAINER_PAGES)]
    if trainers and students and trainers[0] < students[-1]:
        problems.append(
            f"{query.text!r}: trainers' page {pages[trainers[0]]} (#{trainers[0] + 1}) above student page "
            f"{pages[students[-1]]} (#{students[-1] + 1})"
        )
    return problems


def _page(location: str) -> str:
    return location.split("#", 1)[0]


def _pages(results: list[list[str]]) -> list[str]:
    return [shown[0] for shown in results]


def main() -> int:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "site"
    root = Path(sys.argv[2]) if len(sys.argv) > 2 else REPO
    failed = 0
    for name, queries in (("goal", goal_queries(root)), ("titles", title_queries(root))):
        ranked = rank(site, [q.text for q in queries])
        problems = {q.text: misses(q, ranked[q.text]) for q in queries}
        top = sum(not any("first three" in p for p in found) for found in problems.values())
        order = sum(not any("trainers' page" in p for p in found) for found in problems.values())
        print(f"{name}: {len(queries)} queries: answer in the first three {top}, trainers' pages last {order}")
        for found in problems.values():
            for problem in found:
                print(f"  {problem}")
                failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
