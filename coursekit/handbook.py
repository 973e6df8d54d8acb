"""The printed course's documents: which built pages each handbook holds, joined into one HTML file.

Each book is made from the site's own rendered pages (their `<article>`), so print and screen never
differ in wording. Joining pages into one document means every id is made unique (prefixed by
its page's section), links between pages in the book become links inside the document, links to
pages left out go to the published site, and the parts that only make sense on screen (ticks, the
week's plan, tags) are dropped. `coursekit/pdf.py` prints the result.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from . import layout, model
from .errors import CourseError, Problem
from .kinds import EXERCISE, ROLEPLAY, has_view

BASE = "http://book.invalid/"  # resolves a page's relative links; never requested
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
BODY = re.compile(r"<body([^>]*)>")
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
ID_ATTRIBUTES = re.compile(r'\b(id|for|aria-labelledby|aria-describedby|aria-controls)="([^"]*)"')
ADDRESS = re.compile(r'\b(href|src)="([^"]*)"')
# What only makes sense on screen: done-ticks, the week's plan, tag links, permalink marks, the trainers' link.
SCREEN_ONLY = (
    ("div", "ck-done"),
    ("section", "ck-week"),
    ("nav", "md-tags"),
    ("a", "headerlink"),
    ("a", "ck-trainer-link"),
    ("p", "ck-slides-link"),
    ("p", "ck-handouts-link"),
)


@dataclass
class Section:
    """One part of a book: a built page's article (or part of one), its contents line and running head."""

    title: str
    head: str  # the running head on its sheets: the week, or the part of the book
    body: str = ""  # the page's article, ids and links already made the book's own
    level: int = 1  # 1 starts a part (a new sheet, a contents line), 2 is a contents line inside it
    url: str = ""  # the built page it comes from, whose relative links it keeps
    whole: bool = True  # the whole page: links to that page from elsewhere in the book come here


@dataclass
class Book:
    """One PDF: its file name, title, and sections in order."""

    name: str  # the file's stem under pdf/
    title: str
    subtitle: str
    sections: list[Section] = field(default_factory=list)


class Site:
    """The built site's pages, read once each, and where each page of the course is in it."""

    def __init__(self, site_dir: Path, course: model.Course):
        self.root = site_dir
        self.course = course
        self._pages: dict[str, str] = {}

    def page(self, url: str) -> str:
        """The built HTML of the page at this site address ('weeks/grief-and-loss/')."""
        if url not in self._pages:
            path = self.root / url / "index.html"
            if not path.is_file():
                problem = Problem(
                    f"{self.root.name}/{url}index.html", 0, "the build did not make this page: build again"
                )
                raise CourseError([problem], "nothing was printed")
            self._pages[url] = path.read_text(encoding="utf-8")
        return self._pages[url]

    def article(self, url: str) -> str:
        """A page's article: the content without the theme's header, navigation and footer."""
        found = ARTICLE.search(self.page(url))
        return found.group(1) if found else ""

    def head(self, url: str) -> tuple[list[str], str]:
        """The site's stylesheets (as addresses from the site root) and the body's attributes (colour scheme)."""
        text = self.page(url)
        sheets = [urlsplit(urljoin(BASE + url, href)).path.lstrip("/") for href in STYLESHEET.findall(text)]
        body = BODY.search(text)
        return sheets, body.group(1) if body else ""


def url_of(item: object, view: str = "page") -> str:
    """The site address of an item's page, from the layout (the one owner of paths)."""
    return layout.url_of(layout.docs_path(item, view))


def drop(text: str, tag: str, css_class: str) -> str:
    """Remove every element `<tag class="... css_class ...">` with its content (same-tag nesting counted)."""
    opening = re.compile(rf'<{tag}\b[^>]*\bclass="(?:[^"]*\s)?{re.escape(css_class)}(?:\s[^"]*)?"[^>]*>')
    while found := opening.search(text):
        text = text[: found.start()] + text[_element_end(text, tag, found.end()) :]
    return text


def take(text: str, tag: str, css_class: str) -> tuple[str, list[str]]:
    """The text without every `<tag class=css_class>` element, and those elements' inner HTML."""
    opening = re.compile(rf'<{tag}\b[^>]*\bclass="(?:[^"]*\s)?{re.escape(css_class)}(?:\s[^"]*)?"[^>]*>')
    taken = []
    while found := opening.search(text):
        end = _element_end(text, tag, found.end())
        taken.append(text[found.end() : end].rsplit(f"</{tag}>", 1)[0])
        text = text[: found.start()] + text[end:]
    return text, taken


def _element_end(text: str, tag: str, position: int) -> int:
    """Where the element opened just before `position` ends (after its closing tag)."""
    depth = 1
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>")
    for match in pattern.finditer(text, position):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return len(text)


def h2_part(text: str, heading_id: str) -> str:
    """The `<h2 id=heading_id>` heading and what follows it up to the next h2 (empty if there is none)."""
    start = text.find(f'<h2 id="{heading_id}"')
    if start < 0:
        return ""
    end = text.find("<h2", start + 3)
    return text[start : end if end >= 0 else len(text)]


class Joiner:
    """Makes pages one document: unique ids, and links that stay inside it where they can."""

    def __init__(self, site_url: str):
        self.site_url = site_url.rstrip("/") + "/"
        self.anchors: dict[str, str] = {}  # site address -> the section anchor of that page in this book

    def claim(self, url: str, anchor: str) -> None:
        """Record that the page at `url` is in the book at `#anchor` (first claim wins)."""
        self.anchors.setdefault(url, anchor)

    def adopt(self, body: str, url: str, prefix: str) -> str:
        """A page's HTML with ids prefixed and addresses resolved; run after every page is claimed."""
        body = ID_ATTRIBUTES.sub(
            lambda m: f'{m.group(1)}="{" ".join(f"{prefix}-{v}" for v in m.group(2).split())}"', body
        )
        return ADDRESS.sub(lambda m: f'{m.group(1)}="{html.escape(self._address(m, url, prefix), quote=True)}"', body)

    def _address(self, match: re.Match, url: str, prefix: str) -> str:
        attribute, value = match.group(1), html.unescape(match.group(2))
        if value.startswith("#"):
            return f"#{prefix}-{value[1:]}"
        target = urlsplit(urljoin(BASE + url, value))
        if f"{target.scheme}://{target.netloc}/" != BASE:
            return value  # another site, mailto: or tel:
        path = target.path.lstrip("/")
        if attribute == "src":
            return path  # the document sits at the site's root
        if path in self.anchors:
            anchor = self.anchors[path]
            return f"#{anchor}-{target.fragment}" if target.fragment else f"#{anchor}"
        return self.site_url + path + (f"#{target.fragment}" if target.fragment else "")


def student_handbook(site: Site) -> Book:
    """Every week's lesson and exercises, the model answers at the back, the glossary and references."""
    course = site.course
    book = Book("student-handbook", course.meta.title, "Student handbook")
    for module in course.modules:
        head = f"Week {module.meta.week}: {module.meta.title}"
        book.sections.append(_page(site, head, head, url_of(module)))
        book.sections += [_page(site, e.meta.title, head, url_of(e), 2) for e in module.exercises]
    book.sections += _answers(site, course.exercises, "Model answers")
    book.sections.append(_page(site, "Glossary", "Glossary", layout.url_of(layout.docs_path("glossary"))))
    book.sections.append(_page(site, "References", "References", layout.url_of(layout.docs_path("references"))))
    return book


def week_pack(site: Site, module: model.Module) -> Book:
    """One week: the lesson, its worksheets and handouts, and its role cards."""
    head = f"Week {module.meta.week}: {module.meta.title}"
    book = Book(f"week-{module.meta.week:02d}-{module.meta.id}", site.course.meta.title, head)
    book.sections.append(_page(site, "The lesson", head, url_of(module)))
    for exercise in module.exercises:
        book.sections.append(_page(site, f"Worksheet: {exercise.meta.title}", head, url_of(exercise)))
        handouts = next(v for v in EXERCISE.views if v.name == "handouts")
        if has_view(handouts, exercise):
            book.sections.append(_page(site, "Handouts", head, url_of(exercise, "handouts"), 2))
    for roleplay in module.roleplays:
        book.sections.append(_page(site, f"Role cards: {roleplay.meta.title}", head, url_of(roleplay, "cards")))
    return book


def facilitator_handbook(site: Site) -> Book:
    """The facilitator guide, each week's run-sheet (with notes), the role-plays' beats and checklists, answer keys."""
    course = site.course
    book = Book("facilitator-handbook", course.meta.title, "Facilitator's handbook")
    guide = layout.url_of(layout.docs_path("facilitator"))
    book.sections.append(_page(site, "The facilitator guide", "The facilitator guide", guide))
    for module in course.modules:
        head = f"Week {module.meta.week}: {module.meta.title}"
        book.sections.append(_page(site, head, head, url_of(module, "run-sheet")))
        for roleplay in module.roleplays:
            book.sections.append(_facilitator_notes(site, roleplay, head))
        book.sections += _answers(site, module.exercises, "", level=2, head=head)
    return book


def _page(site: Site, title: str, head: str, url: str, level: int = 1) -> Section:
    body = site.article(url)
    for tag, css_class in SCREEN_ONLY:
        body = drop(body, tag, css_class)
    body, _ = take(body, "details", "success")  # model answers go to the back
    body = re.sub(r"<p>\s*</p>", "", body)  # left by a dropped link; at a sheet's foot it would make a blank sheet
    return Section(title, head, body, level, url)


def _facilitator_notes(site: Site, roleplay: model.Part, head: str) -> Section:
    """A role-play's beats and observer checklist, from whichever of its pages shows them."""
    for view in (v for v in ROLEPLAY.views if has_view(v, roleplay)):
        url = url_of(roleplay, view.name)
        article = site.article(url)
        parts = h2_part(article, "beats") + h2_part(article, "observer-checklist")
        if parts:
            break
    else:
        url, parts = url_of(roleplay), "<p>This role-play has no beats or observer checklist.</p>"
    body = f"<h1>Role-play: {html.escape(roleplay.meta.title)}</h1>{parts}"
    return Section(f"Role-play: {roleplay.meta.title}", head, body, 2, url, whole=False)


def _answers(site: Site, exercises: list[model.Part], title: str, level: int = 1, head: str = "") -> list[Section]:
    """The model answers of these exercises: a part headed `title` (or, untitled, one line each)."""
    sections = [Section(title, title or head, f"<h1>{html.escape(title)}</h1>", level)] if title else []
    for exercise in exercises:
        url = url_of(exercise)
        _, answers = take(site.article(url), "details", "success")
        if not answers:
            continue
        answer = re.sub(r"<summary>.*?</summary>", "", answers[0], count=1, flags=re.S)
        heading = f"Model answer: {exercise.meta.title}"
        sections.append(Section(heading, title or head, f"<h2>{html.escape(heading)}</h2>{answer}", 2, url, False))
    return sections


TOC_PLACEHOLDER = "000"


def document(book: Book, site: Site, head: tuple[list[str], str], numbers: dict[str, int] | None = None) -> str:
    """The book as one HTML document at the site's root; `numbers` are the contents' page numbers, once known.

    `head` is the site's stylesheets and the body's attributes (text direction, colour scheme), from Site.head.
    """
    stylesheets, body_attributes = head
    joiner = Joiner(site.course.meta.site_url)
    anchors = [f"s{index}" for index in range(1, len(book.sections) + 1)]
    for section, anchor in zip(book.sections, anchors, strict=True):
        if section.whole:
            joiner.claim(section.url, anchor)
    parts, heads = [], {}
    for section, anchor in zip(book.sections, anchors, strict=True):
        body = joiner.adopt(section.body, section.url, anchor) if section.url else section.body
        page_name = heads.setdefault(section.head, f"head{len(heads) + 1}")
        kind = "ck-book-page" if section.whole or section.level == 1 else "ck-book-part"
        parts.append(f'<section id="{anchor}" class="{kind}" style="page: {page_name}">{body}</section>')
    running = "\n".join(
        f"@page {name} {{ @top-right {{ content: {_css_string(head)}; }} }}" for head, name in heads.items()
    )
    links = "\n".join(f'<link rel="stylesheet" href="{html.escape(sheet)}">' for sheet in stylesheets)
    meta = site.course.meta
    return f"""<!doctype html>
<html lang="en" data-ck-handbook>
<head>
<meta charset="utf-8">
<title>{html.escape(meta.title)}: {html.escape(book.subtitle)}</title>
{links}
<style>
@page {{ @top-left {{ content: {_css_string(meta.title)}; }} }}
{running}
</style>
<script src="assets/print.js"></script>
</head>
<body{body_attributes} data-ck-book>
<div class="md-typeset">
<section class="ck-book-cover" style="page: cover">
<p class="ck-book-course">{html.escape(meta.title)}</p>
<h1>{html.escape(book.subtitle)}</h1>
<p>{html.escape(meta.description)}</p>
<p class="ck-book-disclaimer">{html.escape(meta.disclaimer)}</p>
<p>Online, with the latest version: <a href="{html.escape(meta.site_url)}">{html.escape(meta.site_url)}</a></p>
</section>
{_contents(book, anchors, numbers)}
{"".join(parts)}
</div>
</body>
</html>
"""


def _contents(book: Book, anchors: list[str], numbers: dict[str, int] | None) -> str:
    """The table of contents: a line for each part and page, with its page number (placeholders at first)."""
    lines = []
    for section, anchor in zip(book.sections, anchors, strict=True):
        if not section.title:
            continue
        number = str(numbers.get(anchor, "")) if numbers is not None else TOC_PLACEHOLDER
        lines.append(
            f'<li class="ck-toc-{section.level}"><a href="#{anchor}"><span>{html.escape(section.title)}</span>'
            f'<span class="ck-toc-page">{number}</span></a></li>'
        )
    return f'<nav class="ck-book-toc" style="page: contents"><h1>Contents</h1><ol>{"".join(lines)}</ol></nav>'


def _css_string(text: str) -> str:
    """Text as a CSS string (for margin boxes)."""
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'
