"""axe-core from npm (pinned in tests/npm/package.json), run with the WCAG 2.2 AA tags and its experimental rules."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

AXE_SCRIPT = Path(__file__).resolve().parent / "npm" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, axe's best practices (as its default run has), and the
# experimental rules, which axe leaves out unless asked.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice", "experimental"]
OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
# The rules that read colours: all that a colour scheme can change, on the same page.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
COLOUR_OPTIONS = {"runOnly": {"type": "rule", "values": COLOUR_RULES}, "resultTypes": ["violations"]}


def axe_script() -> str:
    """axe-core's code; skip locally, fail in CI, when `make test` has not installed it."""
    if not AXE_SCRIPT.is_file():
        message = "axe-core is not installed: `make test` (or `make axe`) installs it from npm into tests/npm/"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_version() -> str:
    """The installed axe-core's version, for reports."""
    return json.loads((AXE_SCRIPT.parent / "package.json").read_text(encoding="utf-8"))["version"]


SETTLE = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50))))"


def settle(page) -> None:
    """Let the page's scripts finish what they do after load (Material makes wide code blocks focusable a frame later)."""
    page.evaluate(SETTLE)


def violations(page, script: str, options: dict = OPTIONS) -> list[dict]:
    """axe's violations on the page once its scripts have settled (axe is injected once per document)."""
    settle(page)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(script)
    return page.evaluate("options => axe.run(document, options).then(r => r.violations)", options)


def describe(path: str, found: list[dict]) -> list[str]:
    """One line per violation: page, rule, impact, how many nodes, the first node's HTML."""
    return [f"{path}: {v['id']} ({v['impact']}, {len(v['nodes'])}): {v['nodes'][0]['html'][:140]}" for v in found]
