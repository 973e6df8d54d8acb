"""Zensical with its Markdown on both cores: a helper process renders pages from the last one back while
Zensical renders them from the first.

Zensical 0.0.73 uses one core. It turns each page's Markdown into HTML by calling Python
(`zensical.markdown.render.render`) once per page, in the order of the pages' paths, on one thread: about
40% of its build. The kit runs Zensical through this module. Before the build starts, it forks a helper
that parses the same config and renders pages from the end of that order, predicting each call's
arguments from the page's file (its front matter, first heading and address). The two meet in the middle.

A call takes the helper's answer only when all its arguments are the ones the helper predicted, and a page
the helper has not started is rendered in place, so a wrong guess costs time and never changes a page: the
site is byte for byte plain Zensical's (tests/test_engines.py). If the helper fails, Zensical renders
everything itself.

Run as `python -m coursekit.zensical_ahead CONFIG [--strict]`.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import sys
import threading
from pathlib import Path

import yaml

_FIRST_HEADING = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_NOBODY = 2**31  # "the helper has claimed no page yet"


def page_paths(docs: Path) -> list[str]:
    """The Markdown pages in the order Zensical renders them: by path."""
    return sorted(path.relative_to(docs).as_posix() for path in docs.rglob("*.md"))


def nav_titles(nav: list) -> dict[str, str]:
    """Titles the navigation gives pages by name (`- Home: index.md`): Zensical passes them to the render."""
    titles: dict[str, str] = {}
    for item in nav or []:
        if item.get("url") and item.get("title"):
            titles[item["url"]] = item["title"]
        titles.update(nav_titles(item.get("children")))
    return titles


def predicted_call(docs: Path, path: str, titles: dict[str, str]) -> tuple | None:
    """The arguments Zensical will pass for this page, or None when the page is not one we can predict."""
    try:
        text = (docs / path).read_text(encoding="utf-8")
        meta, body = {}, text
        if text.startswith("---\n"):
            end = text.find("\n---\n", 3)
            if end == -1:
                return None
            meta = yaml.load(text[4:end], Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
            body = text[end + 5 :]
        metadata = json.dumps(meta, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, TypeError, ValueError):
        return None
    content = body.lstrip("\n")
    heading = _FIRST_HEADING.search(content)
    title = meta.get("title") if isinstance(meta, dict) else None
    if title is None and heading:
        title = heading.group(1)
    stem = path[: -len(".md")]
    url = stem[: -len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"
    return (content, path, url, metadata, title, titles.get(path))


class Pair:
    """The two sides of one build: the claims they share and the pipe the helper's pages come back through.

    The parent renders from the front and the helper from the back. `front` is one past the last page the
    parent has started; `back` is the last page the helper has claimed. Whoever finds the other past its
    page leaves that page to the other.
    """

    def __init__(self, config: str):
        context = multiprocessing.get_context("fork")
        self.config = config
        self.lock = context.Lock()
        self.front = context.Value("l", 0, lock=False)
        self.back = context.Value("l", _NOBODY, lock=False)
        self.inbox, outbox = context.Pipe(duplex=False)
        self.helper = context.Process(target=self._help, args=(outbox,), daemon=True)
        self.helper.start()
        outbox.close()
        self.pages: list[str] | None = None
        self.index: dict[str, int] = {}
        self.answers: dict[int, tuple | None] = {}
        self.arrived = threading.Condition()
        self.alive = True
        self.taken = self.own = self.wrong = 0
        threading.Thread(target=self._receive, daemon=True).start()

    # --- The helper's side --------------------------------------------------------------------------

    def _help(self, outbox) -> None:
        from zensical.config import parse_config
        from zensical.markdown.render import render

        try:
            config = parse_config(self.config)
            docs = Path(config["docs_dir"])
            pages, titles = page_paths(docs), nav_titles(config.get("nav"))
            for number in range(len(pages) - 1, -1, -1):
                with self.lock:
                    if number < self.front.value:
                        break
                    self.back.value = number
                call = predicted_call(docs, pages[number], titles)
                try:
                    outbox.send((number, call, render(*call) if call else None))
                except Exception:  # the page's own fault: Zensical meets it again and reports it
                    outbox.send((number, None, None))
        except Exception:  # a broken config or site: Zensical meets it too, and reports it once
            pass
        finally:
            outbox.close()

    # --- Zensical's side ------------------------------------------------------------------------------

    def render(self, original, *call):
        """Zensical's render: the helper's answer when it predicted this exact call, else rendered here."""
        number = self._number(call[1])
        if number is None:
            return original(*call)
        with self.lock:
            mine = number < self.back.value
            if mine:
                self.front.value = max(self.front.value, number + 1)
        if mine:
            self.own += 1
            return original(*call)
        answer = self._answer(number)
        if answer and answer[0] == call:
            self.taken += 1
            return answer[1]
        self.wrong += 1
        return original(*call)

    def _number(self, path: str) -> int | None:
        if self.pages is None:
            from zensical.config import get_config

            self.pages = page_paths(Path(get_config()["docs_dir"]))
            self.index = {page: number for number, page in enumerate(self.pages)}
        return self.index.get(path)

    def _receive(self) -> None:
        """Take the helper's pages as they come, so that it never waits for the pipe."""
        while True:
            try:
                number, call, result = self.inbox.recv()
            except (EOFError, OSError):
                break
            with self.arrived:
                self.answers[number] = (call, result) if call else None
                self.arrived.notify_all()
        with self.arrived:
            self.alive = False
            self.arrived.notify_all()

    def _answer(self, number: int) -> tuple | None:
        """The helper's (predicted call, result) for a page it claimed, waiting for it if need be."""
        with self.arrived:
            self.arrived.wait_for(lambda: number in self.answers or not self.alive)
            return self.answers.pop(number, None)

    def close(self) -> str:
        """Stop the helper; a line on what it did, for whoever reads Zensical's output."""
        self.helper.kill()
        self.helper.join()
        return f"zensical_ahead: {self.taken} pages from the helper, {self.own} here, {self.wrong} guessed wrong"


def main(argv: list[str]) -> int:
    import zensical.main
    import zensical.markdown.render

    config, strict = argv[0], "--strict" in argv[1:]
    pair = Pair(config)
    original = zensical.markdown.render.render
    zensical.markdown.render.render = lambda *call, **named: (
        original(*call, **named) if named else pair.render(original, *call)
    )
    sys.argv = ["zensical", "build", "-f", config] + (["-s"] if strict else [])
    try:
        zensical.main.cli()
        return 0
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1
    finally:
        print(pair.close(), file=sys.stderr)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main(sys.argv[1:]))
