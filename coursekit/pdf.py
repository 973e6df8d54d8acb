"""`build_course.py pdf`: the printed course, from the built site, by headless Chromium.

Each book (coursekit/handbook.py) is one HTML document printed twice: the first print tells on which
page each part starts (Chromium writes a named destination for every linked anchor), the second
prints the table of contents with those numbers. Running heads and page numbers are CSS page margin
boxes (Chromium 131 and later), the fonts are the system's, embedded in the PDF, and any request
for something outside the site is refused and reported. The PDFs are written beside the site and
moved into site/pdf/ only when every one printed, so a failure leaves site/ as the build left it.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import model
from .errors import CourseError, Problem, shown_path, write_fault
from .handbook import Book, Site, document, facilitator_handbook, student_handbook, week_pack
from .kinds import FULL, Edition

PDF_DIR = "pdf"
PAPERS = {"a4": "A4", "letter": "letter"}
CSS = Path(__file__).resolve().parent.parent / "templates" / "handbook.css"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
KEPT = "site/ was left as the build made it, without new PDFs"
NOT_STARTED = "nothing was built or printed"


@dataclass(frozen=True)
class Printed:
    """One PDF written: where, how many pages, and how long it took."""

    path: Path
    pages: int
    seconds: float


def books(site: Site, edition: Edition = FULL) -> list[Book]:
    """The edition's books: the student handbook and a pack per week; the facilitator's handbook in the full edition."""
    students = [student_handbook(site), *(week_pack(site, m) for m in site.course.modules)]
    return [*students, facilitator_handbook(site)] if edition.facilitator else students


def print_course(
    root: Path, site_dir: Path, course: model.Course, paper: str = "a4", edition: Edition = FULL
) -> list[Printed]:
    """Print the edition's books into site_dir/pdf/, replacing what was there only when all of them printed."""
    site = Site(site_dir, course)
    target = site_dir / PDF_DIR
    try:
        staging = Path(tempfile.mkdtemp(prefix=".pdf-", dir=site_dir))
    except OSError as error:
        raise CourseError([write_fault(error, shown_path(site_dir, root, folder=True))], KEPT) from None
    sources: list[Path] = []
    try:
        with _browser() as browser:
            page = browser.new_page()
            page.set_default_timeout(300_000)
            refused: list[str] = []
            page.route("**/*", lambda route: _only_the_site(route, refused))
            printed = []
            for book in books(site, edition):
                source = site_dir / f".print-{book.name}.html"
                sources.append(source)
                printed.append(_print_book(page, book, site, source, staging, PAPERS[paper]))
        if refused:
            raise CourseError(
                [
                    Problem("pdf", 0, f"the print asked for {url}, outside the site: serve it from docs/assets/")
                    for url in refused
                ],
                KEPT,
            )
        _swap_in(staging, target, root)
        return [Printed(target / p.path.name, p.pages, p.seconds) for p in printed]
    except OSError as error:
        raise CourseError([write_fault(error, shown_path(site_dir, root, folder=True))], KEPT) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        for source in sources:
            source.unlink(missing_ok=True)


def _only_the_site(route, refused: list[str]) -> None:
    """Let the print read the site's own files; refuse, and remember, anything else."""
    url = route.request.url
    if url.startswith("file:"):
        route.continue_()
    else:
        refused.append(url)
        route.abort()


def _print_book(page, book: Book, site: Site, source: Path, staging: Path, paper: str) -> Printed:
    """Print a book twice: the first print finds each part's page, the second shows them in the contents."""
    from pypdf import PdfReader

    started = time.perf_counter()
    head = site.head(next(s.url for s in book.sections if s.url))
    style = CSS.read_text(encoding="utf-8").replace("PAPER", paper)
    numbers = None
    for _pass in range(2):
        text = document(book, site, head, numbers).replace("</style>", style + "</style>", 1)
        source.write_text(text, encoding="utf-8")
        page.goto(source.as_uri(), wait_until="load")
        data = page.pdf(prefer_css_page_size=True, print_background=True, outline=True, tagged=True)
        reader = PdfReader(io.BytesIO(data))
        numbers = {
            str(name).lstrip("/"): reader.get_destination_page_number(destination) + 1
            for name, destination in reader.named_destinations.items()
        }
    path = staging / f"{book.name}.pdf"
    path.write_bytes(data)
    return Printed(path, len(reader.pages), time.perf_counter() - started)


def chromium_path() -> str:
    """The Chromium to print with: COURSEKIT_CHROMIUM, else Debian's chromium (or Chrome) on the PATH."""
    chosen = os.environ.get("COURSEKIT_CHROMIUM")
    if chosen:
        if not (Path(chosen).is_file() and os.access(chosen, os.X_OK)):
            message = f"{chosen} is not a program: set it to Chromium's path, or unset it"
            raise CourseError([Problem("COURSEKIT_CHROMIUM", 0, message)], NOT_STARTED)
        return chosen
    found = next((shutil.which(name) for name in CHROMIUM_NAMES if shutil.which(name)), None)
    if not found:
        message = "Chromium is not installed: install Debian's chromium (apt-get install chromium), or set COURSEKIT_CHROMIUM to Chromium's path"
        raise CourseError([Problem("pdf", 0, message)], NOT_STARTED)
    return found


def ready() -> str:
    """Chromium's path, once Playwright and Chromium are both there; else the problem, before any work."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        message = "Playwright is not installed: run `make pdf`, or pip install -r requirements.txt"
        raise CourseError([Problem("pdf", 0, message)], NOT_STARTED) from None
    return chromium_path()


@contextmanager
def _browser():
    """Headless Chromium through Playwright; a browser that will not start is one problem, not a traceback."""
    try:
        executable = ready()
    except CourseError as error:  # gone since the check before the build
        raise CourseError(error.problems, KEPT) from None
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        except Error as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            message = (
                f"Chromium at {executable} would not start ({first}): check that it runs, or set COURSEKIT_CHROMIUM"
            )
            raise CourseError([Problem("pdf", 0, message)], KEPT) from None
        try:
            yield browser
        except Error as error:
            first = str(error).strip().splitlines()[0]
            raise CourseError([Problem("pdf", 0, f"Chromium failed while printing: {first}")], KEPT) from None
        finally:
            browser.close()


def _swap_in(staging: Path, target: Path, root: Path) -> None:
    """Replace site/pdf/ with the new PDFs by renames, so it is never half-written."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    target.chmod(0o755)
    shutil.rmtree(old, ignore_errors=True)
