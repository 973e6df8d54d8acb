"""The learner record in a real browser (issue 16): a quiz scored and kept, a journal entry, a practice
logged, an observer's rating handed over by code, the whole record exported, cleared and imported back
(also encrypted with a passphrase), and the portfolio printed to PDF.

Everything comes from the fixture course's real pages: the quiz grief-check, the observer's card on the
cards page of the role-play first-conversation, and the competences of modules/competences.yml."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from tests import axe
from tests.conftest import FIXTURE_MODULES, serve_folder

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COURSE = "fixture"
KEY = f"course-kit-progress:{COURSE}"
QUIZ = "quizzes/grief-check/"
CARDS = "roleplays/cards/first-conversation/"
COMPETENCES = yaml.safe_load((FIXTURE_MODULES / "competences.yml").read_text(encoding="utf-8"))["competences"]
COMPETENCE = next(c for c in COMPETENCES if c["id"] == "grief-work")  # the one the quiz checks
SCORED = "You scored 1 of 2. Your score is kept in this browser only."
# The quiz's feedback, as modules/02-loss-and-change/quizzes/grief-check.md words it (question-option).
FEEDBACK = {
    "1-1": "Months of lost sleep and work after a loss may be more than coaching can hold.",
    "1-3": "Persistent grief that stops sleep and work needs a clinician",
    "2-1": "Grief often comes and goes.",
    "2-3": "That is a sign of risk; ask about it directly and signpost to help.",
}


@pytest.fixture(scope="module")
def site(built_fixture):
    """The fixture course, built once for the session, served: its base URL."""
    server, url = serve_folder(built_fixture / "site")
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def context(browser_context):
    """One browser profile for the whole story, downloads allowed; every request is recorded."""
    context = browser_context.browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.requests = []
    context.on("request", lambda request: context.requests.append(request.url))
    yield context
    context.close()


@pytest.fixture(scope="module")
def page(context):
    """One tab, its console errors collected in page.errors."""
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    tab.close()


def _printed(page) -> list[str]:
    """The page printed on A4: each sheet's text, "ﬁ" ligatures back to "fi"."""
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    return [unicodedata.normalize("NFKC", sheet.extract_text()) for sheet in pdf.pages]


def _stored(page) -> dict:
    return page.evaluate(f"JSON.parse(localStorage.getItem('{KEY}'))")


def _download(page, button: str) -> tuple[str, bytes]:
    with page.expect_download() as download:
        page.get_by_role("button", name=button, exact=True).click()
    return download.value.suggested_filename, Path(download.value.path()).read_bytes()


def _import(page, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import a record file").click()
    chooser.value.set_files(str(path))


def _clear_everything(page, site: str) -> None:
    page.goto(site + "course/portfolio/", wait_until="load")
    page.get_by_role("button", name="Clear my whole record").click()
    page.locator("dialog.ck-dialog").get_by_role("button", name="Clear my progress").click()
    # The dialog answers through a promise: the record is cleared once the page says so, not at the click.
    expect(page.locator(".ck-progress-status")).to_contain_text("Your progress is cleared.")
    page.evaluate("sessionStorage.clear()")  # as on another device: nothing to undo
    record = _stored(page)
    assert record["items"] == {} and record["journal"] == {} and record["practice"] == [] and record["ratings"] == []


def _quiz(page, site: str) -> None:
    page.goto(site + QUIZ, wait_until="load")
    form = page.locator("form.ck-quiz")
    for text in FEEDBACK.values():  # on the page, so "hidden" below means hidden, not missing
        expect(form.get_by_text(text)).to_be_attached()
    expect(form.get_by_text(FEEDBACK["1-3"])).to_be_hidden()  # no answer shows before the student chooses
    expect(form.get_by_role("button", name="Try again")).to_be_hidden()
    _answer(form)
    expect(form.get_by_role("button", name="Check answers")).to_be_hidden()
    expect(form.get_by_text(FEEDBACK["1-1"])).to_be_visible()  # the chosen (wrong) option's feedback
    expect(form.get_by_text(FEEDBACK["1-3"])).to_be_hidden()  # not chosen: marked correct, its feedback kept back
    expect(form.locator("label", has_text=re.compile(r"^\s*Refer"))).to_contain_text("(a correct answer)")
    expect(form.get_by_text(FEEDBACK["2-1"])).to_be_visible()
    expect(form.get_by_text(FEEDBACK["2-3"])).to_be_hidden()
    score = form.locator(".ck-quiz-score")
    expect(score).to_have_text(SCORED)
    expect(form.get_by_role("button", name="Try again")).to_be_focused()
    page.reload(wait_until="load")
    expect(score).to_have_text(SCORED)
    expect(form.get_by_text(FEEDBACK["1-1"])).to_be_visible()
    expect(form.get_by_label("Coach", exact=True)).to_be_checked()
    stored = _stored(page)["quizzes"]["grief-check"]
    assert (stored["score"], stored["total"], stored["answers"]) == (1, 2, {"1": [1], "2": [1, 2]})
    assert stored["version"] == form.get_attribute("data-ck-version")
    # Answers are kept by position: once the trainer changes the quiz, they are not put back on it.
    page.evaluate(
        f"(() => {{ const r = JSON.parse(localStorage.getItem('{KEY}')); r.quizzes['grief-check'].version = '0';"
        f" localStorage.setItem('{KEY}', JSON.stringify(r)); }})()"
    )
    page.reload(wait_until="load")
    expect(score).to_have_text(
        re.compile(r"^Your last score: 1 of 2 .* This quiz has changed since then: take it again\.$")
    )
    expect(form.get_by_label("Coach", exact=True)).not_to_be_checked()
    expect(form.get_by_role("button", name="Check answers")).to_be_visible()
    page.evaluate(
        f"(() => {{ const r = JSON.parse(localStorage.getItem('{KEY}')); r.quizzes['grief-check'].version = '{stored['version']}';"
        f" localStorage.setItem('{KEY}', JSON.stringify(r)); }})()"
    )
    page.reload(wait_until="load")
    expect(form.get_by_label("Coach", exact=True)).to_be_checked()
    # Try again: the answers and feedback go, the last score stays until the next check.
    form.get_by_role("button", name="Try again").click()
    expect(form.get_by_text(FEEDBACK["1-1"])).to_be_hidden()
    expect(form.get_by_label("Coach", exact=True)).not_to_be_checked()
    expect(score).to_have_text(re.compile(r"^Your last score: 1 of 2 \(\d{4}-\d{2}-\d{2}\)\. "))
    _answer(form)
    expect(score).to_have_text(SCORED)


def _answer(form) -> None:
    """One wrong answer (question 1), one right (question 2), checked."""
    form.get_by_label("Coach", exact=True).check()
    form.get_by_label("Sadness that comes in waves").check()
    form.get_by_label("Anger at the person who died").check()
    form.get_by_role("button", name="Check answers").click()


def _rate(page, site: str) -> tuple[str, dict]:
    """The observer's side: choose the Observer's role, rate the coach on its card, make the code and the file."""
    page.goto(site + CARDS, wait_until="load")
    form = page.locator("form.ck-rating-form")
    expect(form).to_be_attached()
    expect(form).to_be_hidden()  # no card shows until a role is chosen
    page.get_by_role("button", name="Observer", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(r"^Observer\b"))).to_be_focused()  # focus follows the choice
    expect(form).to_be_visible()
    expect(page.locator("ol.ck-checklist")).to_be_hidden()  # the rating form stands in for the list
    # Printed before a rating is made, each card is one sheet, the observer's with its plain checklist.
    sheets = _printed(page)
    assert [sheet.split()[0] for sheet in sheets] == ["Coach", "Client:", "Observer"], sheets
    assert "1. Open questions first." in sheets[2] and "No advice." in sheets[2]
    assert "Coach's name" not in sheets[2] and "0 Not seen" not in sheets[2]
    form.get_by_label("Coach's name or initials").fill("J. Smith")
    form.get_by_label("Your initials (the observer)").fill("AB")
    form.get_by_role("group", name="1. Open questions first.").get_by_label("2 Clearly").check()
    form.get_by_role("group", name="2. Reflects feeling.").get_by_label("1 Partly").check()
    form.get_by_role("group", name="3. No advice.").get_by_label("0 Not seen").check()
    form.get_by_label("Comment for the coach").fill("<b>Warm</b> =1+1 and ümlauts")
    form.get_by_role("button", name="Make the hand-over code").click()
    code = form.get_by_label("Hand-over code (give it to the coach)")
    expect(code).to_be_focused()
    text = code.input_value()
    assert text.startswith("CK1.") and len(text) < 400
    decoded = json.loads(base64.urlsafe_b64decode(text[4:] + "=" * (-len(text[4:]) % 4)))
    assert decoded["c"] == COURSE and decoded["r"] == "first-conversation" and decoded["s"] == [2, 1, 0]
    name, content = _download(page, "Download as a file")
    assert name.startswith("rating-first-conversation-fixture-") and name.endswith(".json")
    return text, json.loads(content)


def _journal_and_log(page, site: str) -> None:
    page.goto(site + "exercises/draw-a-circle/", wait_until="load")
    expect(page.locator(".ck-private-note").first).to_contain_text("in this browser only")
    box = page.get_by_role("textbox", name="Your answer").first
    expect(box).to_have_attribute("aria-describedby", re.compile("ck-prompt"))
    box.fill("My sister surprised me.\nShe was closer than I thought.")
    box.blur()
    expect(page.locator(".ck-reflection .ck-log-status")).to_contain_text("Saved in this browser at")
    page.get_by_role("button", name="Log this practice").click()
    form = page.locator("form.ck-log-form")
    form.get_by_label("Date").fill("2025-03-04")
    form.get_by_label("Role I played").select_option("observer")
    form.get_by_label("Minutes").fill("25")
    form.get_by_label("Feedback I received").fill("Good pacing")
    form.get_by_label("Observer's or supervisor's initials").fill('=HYPERLINK("http://x")')
    form.get_by_role("button", name="Add to my log").click()
    expect(page.locator(".ck-log .ck-log-status")).to_have_text(
        "Logged: 25 min as observer on 2025-03-04. See your practice log"
    )
    expect(page.get_by_role("button", name="Log this practice")).to_be_focused()
    # A role-play page logs too.
    page.goto(site + "roleplays/first-conversation/", wait_until="load")
    page.get_by_role("button", name="Log this practice").click()
    page.get_by_label("Minutes").fill("30")
    page.get_by_label("Date").fill("2025-03-05")
    page.get_by_role("button", name="Add to my log").click()
    expect(page.locator(".ck-log .ck-log-status")).to_contain_text("Logged: 30 min as coach on 2025-03-05.")


BAD_CODES = [
    ("", "Paste the code your observer gave you first."),
    (
        "hello",
        "That is not a hand-over code: it starts with CK1. and comes from Make the hand-over code on an observer's card."
        " Nothing was added.",
    ),
    (
        "CK1.bm90IGpzb24",
        "That code is damaged (a part is missing): ask your observer to copy it again. Nothing was added.",
    ),
]


def _code(payload: dict) -> str:
    return "CK1." + base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def _practice_page(page, site: str, code: str, rating_file: dict, tmp_path: Path) -> None:
    page.goto(site + "course/practice/", wait_until="load")
    rows = page.locator(".ck-practice tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("2025-03-05")
    expect(rows.first).to_contain_text("A first conversation")
    totals = page.locator(".ck-practice-totals")
    expect(totals).to_contain_text("In all: 2 practices, 55 min.")
    expect(totals.locator("table", has_text="By week")).to_contain_text("Week 1")
    expect(totals.locator("table", has_text="By role")).to_contain_text("Observer")
    expect(totals.locator("table", has_text="By problem area")).to_contain_text("Role transitions")
    expect(totals.locator("table", has_text="By modality")).to_contain_text("Coaching")

    # Observer ratings: refused codes say why, and add nothing.
    other = dict(json.loads(base64.urlsafe_b64decode(code[4:] + "=" * (-len(code[4:]) % 4))), c="another-course")
    unknown = dict(other, c=COURSE, r="no-such-roleplay")
    wrong_shape = dict(other, c=COURSE, s=[2, 5, 0])
    refused = [
        *BAD_CODES,
        (
            _code(other),
            "That rating is for another course (another-course), not this one (fixture). Nothing was added.",
        ),
        (
            _code(unknown),
            "That rating is for a role-play this course does not have (no-such-roleplay). Nothing was added.",
        ),
        (
            _code(wrong_shape),
            "That rating is damaged (a part is missing or in the wrong shape): ask your observer for it again."
            " Nothing was added.",
        ),
    ]
    box = page.get_by_label("Hand-over code from your observer")
    for text, message in refused:
        box.fill(text)
        page.get_by_role("button", name="Add the rating to my log").click()
        expect(page.locator(".ck-rating-status")).to_have_text(message)
    assert _stored(page)["ratings"] == []
    box.fill(code)
    page.get_by_role("button", name="Add the rating to my log").click()
    expect(page.locator(".ck-rating-status")).to_have_text(
        "Added the rating of A first conversation on " + rating_file["date"] + " from AB to your log."
    )
    rating = page.locator(".ck-ratings .ck-rating")
    expect(rating).to_have_count(1)
    expect(rating).to_contain_text("Open questions first.")
    expect(rating).to_contain_text("2 clearly")
    expect(rating).to_contain_text("Total: 3 of 6.")
    expect(rating).to_contain_text("<b>Warm</b> =1+1")  # text, never markup
    assert rating.locator("b").count() == 0
    # The same rating as a file is the same rating: not added twice.
    path = tmp_path / "rating.json"
    path.write_text(json.dumps(rating_file), encoding="utf-8")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Add a rating from a file").click()
    chooser.value.set_files(str(path))
    expect(page.locator(".ck-rating-status")).to_have_text("That rating is in your log already.")

    # Edit an entry, then the CSV export, with its cells made inert for spreadsheets.
    page.get_by_role("button", name=re.compile("Edit the entry of 2025-03-04")).click()
    page.get_by_label("Minutes").fill("20")
    page.get_by_role("button", name="Save changes").click()
    expect(totals).to_contain_text("In all: 2 practices, 50 min.")
    name, content = _download(page, "Export my log as CSV")
    assert re.fullmatch(r"practice-log-fixture-\d{4}-\d{2}-\d{2}\.csv", name)
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert table[0][:6] == ["Date", "Week", "Practice", "Kind", "Role", "Minutes"]
    assert table[1][:6] == ["2025-03-04", "Week 1", "Draw a circle", "exercise", "observer", "20"]
    assert table[1][9] == '\'=HYPERLINK("http://x")'


def _journal_page(page, site: str) -> None:
    page.goto(site + "course/journal/", wait_until="load")
    journal = page.locator(".ck-journal")
    expect(journal.get_by_role("heading", name="Week 1: First steps")).to_be_visible()
    expect(journal.get_by_role("heading", name="Draw a circle")).to_be_visible()
    expect(journal).to_contain_text("Who surprised you?")
    expect(journal).to_contain_text("She was closer than I thought.")
    journal.get_by_label("Include in my portfolio").check()
    name, content = _download(page, "Export my journal as Markdown")
    assert re.fullmatch(r"journal-fixture-\d{4}-\d{2}-\d{2}\.md", name)
    text = content.decode("utf-8")
    assert "## Week 1: First steps\n\n### Draw a circle\n\n**Who surprised you?**\n\nMy sister surprised me.\n" in text


def _portfolio(page, site: str) -> None:
    page.goto(site + "course/portfolio/", wait_until="load")
    for each in COMPETENCES:  # the course's framework, every competence with its behaviours
        expect(page.get_by_role("group", name=each["name"])).to_contain_text(each["indicators"][-1])
    competence = page.get_by_role("group", name=COMPETENCE["name"])
    if not competence.get_by_label("3 competent with support").is_checked():
        competence.get_by_label("3 competent with support").check()
    assert _stored(page)["self_ratings"] == {COMPETENCE["id"]: 3}
    expect(page.locator(".ck-portfolio-quizzes")).to_contain_text("1 of 2")
    expect(page.locator(".ck-portfolio-practice")).to_contain_text("By role")
    expect(page.locator(".ck-portfolio-ratings")).to_contain_text("A first conversation")
    expect(page.locator(".ck-portfolio-journal")).to_contain_text("She was closer than I thought.")
    expect(page.locator(".ck-sign-off")).to_contain_text("Supervisor's name:")


def _expect_restored(page, site: str) -> None:
    _portfolio(page, site)
    page.goto(site + "course/practice/", wait_until="load")
    expect(page.locator(".ck-practice tbody tr")).to_have_count(2)
    expect(page.locator(".ck-ratings .ck-rating")).to_have_count(1)
    page.goto(site + "course/progress/", wait_until="load")
    expect(page.locator(".ck-quiz-totals")).to_contain_text("1 of 2")
    page.goto(site + QUIZ, wait_until="load")
    expect(page.locator(".ck-quiz-score")).to_have_text(SCORED)
    page.goto(site + "exercises/draw-a-circle/", wait_until="load")
    expect(page.get_by_role("textbox", name="Your answer").first).to_have_value(
        "My sister surprised me.\nShe was closer than I thought."
    )


def test_the_learner_record_is_kept_handed_over_exported_and_imported_back(site, context, page, tmp_path):
    _quiz(page, site)
    code, rating_file = _rate(page, site)
    _journal_and_log(page, site)
    _practice_page(page, site, code, rating_file, tmp_path)
    _journal_page(page, site)
    _portfolio(page, site)

    # One file holds it all (format version 2); cleared, then imported back, everything is there again.
    name, content = _download(page, "Export my whole record")
    exported = json.loads(content)
    assert exported["version"] == 2 and exported["course"] == COURSE
    assert set(exported) >= {"items", "quizzes", "journal", "practice", "ratings", "self_ratings"}
    assert exported["journal"]["exercise:draw-a-circle:1"]["portfolio"] is True
    assert exported["self_ratings"] == {COMPETENCE["id"]: 3}
    backup = tmp_path / name
    backup.write_bytes(content)
    _clear_everything(page, site)
    _import(page, backup)
    expect(page.locator(".ck-progress-status")).to_contain_text(
        "Imported 0 ticks, 1 quiz score, 1 journal entry, 2 practice log entries, 1 observer rating and 1 self-rating,"
        " exported on "
    )
    _expect_restored(page, site)

    # With a passphrase: the file holds none of the record in the clear; a wrong passphrase opens nothing.
    page.goto(site + "course/portfolio/", wait_until="load")
    page.get_by_label("Passphrase (optional)").fill("correct horse battery")
    name, content = _download(page, "Export my whole record")
    expect(page.locator(".ck-progress-status")).to_contain_text(", encrypted with your passphrase.")
    sealed = json.loads(content)
    assert set(sealed) == {"format", "version", "course", "exported", "encrypted"}
    assert sealed["encrypted"]["iterations"] >= 310000 and sealed["encrypted"]["kdf"] == "PBKDF2-SHA256"
    assert b"sister" not in content and b"Good pacing" not in content
    locked = tmp_path / ("locked-" + name)
    locked.write_bytes(content)
    _clear_everything(page, site)
    _import(page, locked)
    dialog = page.get_by_role("dialog", name=f"Open {locked.name}?")
    dialog.get_by_label("Passphrase").fill("wrong horse")
    dialog.get_by_role("button", name="Open").click()
    expect(page.locator(".ck-progress-status")).to_have_text(
        "That passphrase does not open this file: check it (capitals count) and import again. Nothing was imported."
    )
    assert _stored(page)["practice"] == []
    _import(page, locked)
    dialog.get_by_label("Passphrase").fill("correct horse battery")
    dialog.get_by_label("Passphrase").press("Enter")
    expect(page.locator(".ck-progress-status")).to_contain_text("Imported 0 ticks, 1 quiz score")
    _expect_restored(page, site)

    # Private: every request went to the site itself.
    assert {re.sub(r"^(https?://[^/]+/).*", r"\1", url) for url in context.requests} == {site}
    assert page.errors == []


def test_the_portfolio_prints_on_its_own_pages_without_the_sites_frame(site, page):
    page.goto(site + "course/portfolio/", wait_until="load")
    expect(page.locator(".ck-portfolio-journal")).to_contain_text("She was closer than I thought.")
    page.emulate_media(media="print", color_scheme="light")
    pages = _printed(page)
    page.emulate_media(media="screen")
    text = "\n".join(pages)
    assert 1 <= len(pages) <= 4, len(pages)
    for words in (
        "Your portfolio",
        "Practice hours",
        "A first conversation",
        "She was closer than I thought.",
        "Supervisor's name:",
        "Signature:",
        "Quiz scores",
        "My rating: 3 of 5 (competent with support).",
    ):
        assert words in text, words
    for screen_only in ("Export my whole record", "Print my portfolio", "Include in my portfolio", "Passphrase"):
        assert screen_only not in text, screen_only
    # The sign-off is whole on the last page.
    assert "Supervisor's name:" in pages[-1] and "Date:" in pages[-1]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_record_pages_pass_axe(site, context, scheme):
    script = axe.axe_script()
    tab = context.new_page()
    tab.emulate_media(color_scheme=scheme)
    found = []
    for path in (
        QUIZ,
        CARDS,
        "exercises/draw-a-circle/",
        "course/journal/",
        "course/practice/",
        "course/portfolio/",
    ):
        tab.goto(site + path, wait_until="load")
        if path.startswith("exercises"):
            tab.get_by_role("button", name="Log this practice").click()
        if path == CARDS:  # the observer's card, with its rating form
            tab.get_by_role("button", name="Observer", exact=True).click()
        found += axe.describe(path, axe.violations(tab, script))
    tab.close()
    assert found == []


def test_the_quiz_answer_key_shows_only_without_javascript_and_its_links_work(site, context, browser_context):
    """The key sits after the form (not in a <noscript>, whose links Zensical leaves as `.md`): hidden once the
    theme's script runs, read in full without it, its link to the safety page resolved."""
    tab = context.new_page()
    tab.goto(site + QUIZ, wait_until="load")
    expect(tab.locator(".ck-quiz-key")).to_be_hidden()
    tab.close()
    plain = browser_context.browser.new_context(java_script_enabled=False)
    tab = plain.new_page()
    tab.goto(site + QUIZ, wait_until="load")
    key = tab.locator(".ck-quiz-key")
    expect(key).to_be_visible()
    expect(key).to_contain_text("Right: Refer.")
    expect(key).to_contain_text(FEEDBACK["2-3"])
    link = key.get_by_role("link", name="the safety page")
    assert link.get_attribute("href") == "../../course/safety/"
    assert tab.goto(site + QUIZ + link.get_attribute("href"), wait_until="load").status == 200
    plain.close()
