"""`build_course.py pdf` on the shipped course, run once: the books, their contents, links, fonts and role cards."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from coursekit import pipeline, views
from tests.browser import chromium_path
from tests.conftest import run_cli, tree_digest


def _text(page) -> str:
    """A PDF page's text on one line, ligatures undone."""
    return unicodedata.normalize("NFKC", " ".join(page.extract_text().split()))


@pytest.fixture(scope="module")
def printed(built_course: Path):
    """The shipped course printed once: (project, what the command printed, the course, PDFs by file stem)."""
    chromium_path()
    result = run_cli("pdf", project=built_course)
    assert result.returncode == 0, result.stdout + result.stderr
    pdfs = {path.stem: PdfReader(path) for path in sorted((built_course / "site" / "pdf").glob("*.pdf"))}
    return built_course, result.stdout, pipeline.check(built_course), pdfs


def test_pdf_prints_both_handbooks_and_a_pack_per_week_and_counts_their_pages(printed):
    _, stdout, course, pdfs = printed
    weeks = [f"week-{m.meta.week:02d}-{m.meta.id}" for m in course.modules]
    assert sorted(pdfs) == sorted(["student-handbook", "facilitator-handbook", *weeks])
    pages = sum(len(reader.pages) for reader in pdfs.values())
    assert re.search(rf"^printed 18 PDFs \({pages} pages\) in \d+\.\d s: site/pdf/$", stdout, re.M), stdout
    assert len(pdfs["student-handbook"].pages) > 150 and len(pdfs["facilitator-handbook"].pages) > 30


@pytest.mark.parametrize("book", ["student-handbook", "facilitator-handbook", "week-05-grief-and-loss"])
def test_each_contents_line_shows_the_page_its_link_leads_to(printed, book):
    reader = printed[3][book]
    contents = [page for page in reader.pages[1:6] if "Contents" in _text(page)[:80]]
    shown, linked = [], []
    for page in contents:
        lines = [line for line in page.extract_text().splitlines() if not line.startswith("Page ")]
        shown += [int(m.group(1)) for line in lines if (m := re.search(r"(\d+)\s*$", line))]
        for annotation in page.get("/Annots", []):
            destination = annotation.get_object().get("/Dest")
            if destination is not None:
                linked.append(reader.get_destination_page_number(reader.named_destinations[str(destination)]) + 1)
    assert linked and shown[-len(linked) :] == linked  # a heading's page count line may come first
    assert linked == sorted(linked)


def test_every_link_in_a_book_leads_into_it_or_to_the_web(printed):
    for name, least in (("student-handbook", 100), ("facilitator-handbook", 30)):
        reader = printed[3][name]
        inside, outside = 0, []
        for page in reader.pages:
            for annotation in page.get("/Annots", []):
                link = annotation.get_object()
                if link.get("/Dest") is not None:
                    assert str(link["/Dest"]) in reader.named_destinations, (name, link["/Dest"])
                    inside += 1
                elif "/A" in link:
                    outside.append(str(link["/A"]["/URI"]))
        assert inside > least, name  # the contents, and links between weeks, the glossary, references
        assert all(url.startswith(("https://", "http://", "mailto:", "tel:")) for url in outside), name


def test_fonts_are_embedded(printed):
    reader = printed[3]["student-handbook"]
    fonts = {}
    for page in reader.pages[:12]:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            fonts[str(font["/BaseFont"])] = descendant["/FontDescriptor"].get_object()
    assert fonts
    for name, descriptor in fonts.items():
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), name


def _heading(role) -> str:
    return f"{role.name}: {role.person}" if role.person else role.name


def test_every_role_card_prints_on_one_sheet_that_names_its_role(printed):
    _, _, course, pdfs = printed
    for module in course.modules:
        texts = [_text(page) for page in pdfs[f"week-{module.meta.week:02d}-{module.meta.id}"].pages]
        for roleplay in module.roleplays:
            for role in roleplay.meta.roles:
                sheets = [t for t in texts if t.startswith(_heading(role) + " Page ") and roleplay.meta.title in t]
                brief = " ".join(role.brief.split())[:30]
                assert len(sheets) == 1 and brief in sheets[0], (roleplay.meta.id, role.name, len(sheets))


def test_role_cards_print_one_labelled_sheet_each_on_us_letter(printed, served_course, browser_context):
    url, root = served_course
    page = browser_context.new_page()
    for roleplay in printed[2].roleplays:
        page.goto(url + f"roleplays/cards/{roleplay.meta.id}/", wait_until="load")
        texts = [_text(p) for p in PdfReader(io.BytesIO(page.pdf(format="Letter"))).pages]
        assert [t.split(" ", 1)[0] for t in texts] == [
            _heading(r).split(" ", 1)[0] for r in views.role_cards(roleplay.meta)
        ]
    page.close()


def test_pdf_without_chromium_says_so_in_one_line_and_builds_nothing(project: Path):
    import os

    before = tree_digest(project)
    result = run_cli("pdf", project=project, env={**os.environ, "COURSEKIT_CHROMIUM": str(project / "no-chromium")})
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"COURSEKIT_CHROMIUM: {project / 'no-chromium'} is not a program: set it to Chromium's path, or unset it",
        "error: 1 problem; nothing was built or printed",
    ]
    assert tree_digest(project) == before
