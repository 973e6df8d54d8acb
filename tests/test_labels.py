"""Labels and lengths as students see them: both evidence labels side by side on every badge row,
the labels page laying them out together, and the course's hours added up from its sessions."""

import re
from pathlib import Path

from coursekit import pipeline
from coursekit import vocabulary as vocab
from tests.conftest import edit


def _page(project: Path, path: str) -> str:
    return (project / "docs" / path).read_text(encoding="utf-8")


def test_every_badge_row_shows_clinical_then_coaching_evidence_then_delivery_and_fidelity(project: Path):
    pipeline.generate(project)
    rows = [line for line in _page(project, "weeks/loss-and-change.md").splitlines() if "ck-badge" in line]
    assert len(rows) == 2  # one per technique of the module
    for row in rows:
        classes = re.findall(r"\{ \.ck-badge \.ck-([a-z0-9-]+) \}", row)
        groups = [next(g.name for g in vocab.BADGE_GROUPS if c.startswith(g.name + "-")) for c in classes]
        assert groups == ["clinical-evidence", "coaching-evidence", "delivery", "fidelity"], row
    assert "[Clinical evidence C](../course/labels.md#clinical-evidence-c " in rows[1]
    assert "[Coaching evidence D](../course/labels.md#coaching-evidence-d " in rows[1]


def test_the_labels_page_sets_the_two_evidence_scales_side_by_side_with_their_anchors(project: Path):
    pipeline.generate(project)
    page = _page(project, "course/labels.md")
    together = page.split('<div class="ck-side-by-side" markdown>')[1].split("## Delivery")[0]
    for group in (vocab.CLINICAL_EVIDENCE, vocab.COACHING_EVIDENCE):
        for term in group.terms:
            assert f"### {term.text} {{ #{term.anchor} }}\n\n{term.meaning}" in together
    assert "### Not recommended { #delivery-not-recommended }" in page
    assert [group for row in vocab.LABEL_ROWS for group in row] == list(vocab.BADGE_GROUPS)


def test_the_course_length_is_added_up_from_the_sessions(project: Path):
    pipeline.generate(project)
    assert "2 weekly modules, with 1 h 45 min of live sessions in all" in _page(project, "index.md")
    assert "with 1 h 45 min of live sessions in all" in _page(project, "course/syllabus.md")
    edit(project / "modules/01-first-steps/module.md", "duration: 60", "duration: 75")
    edit(
        project / "modules/01-first-steps/module.md",
        "  - activity: Close\n    minutes: 10",
        "  - activity: Close\n    minutes: 25",
    )
    pipeline.generate(project)
    assert "2 weekly modules, with 2 h of live sessions in all" in _page(project, "index.md")
