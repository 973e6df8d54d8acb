"""Regenerate tests/golden/ from the fixture course after an intended template change.

Run: `make golden` (or `.venv/bin/python -m tests.regenerate_golden`), then review the diff.
"""

import shutil
import tempfile
from pathlib import Path

from coursekit import pipeline
from tests.conftest import make_project

GOLDEN = Path(__file__).resolve().parent / "golden"


def rendered_fixture() -> dict[str, str]:
    """Every generated file of the fixture course: path -> text."""
    with tempfile.TemporaryDirectory() as scratch:
        project = make_project(Path(scratch) / "project")
        return {o.path: o.text for o in pipeline.generate(project).outputs}


def main() -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for path, text in rendered_fixture().items():
        target = GOLDEN / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"wrote {len(list(GOLDEN.rglob('*.*')))} golden files to {GOLDEN}")


if __name__ == "__main__":
    main()
