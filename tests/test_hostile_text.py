"""Text is text: no field, YAML value or URL a contributor writes becomes markup or script on a page.

An attack corpus (tests/attack.py) goes into every free-text field of the fixture course; the
built site is parsed and must hold no handler, script, image, frame or dangerous URL that a
payload made. URL fields are checked as URLs; Markdown fields keep only safe links; Hypothesis
sends arbitrary text through the same escaping and Python-Markdown with the site's extensions.
"""

from __future__ import annotations

import html.parser
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit.inline import CONTROL, link_target_allowed, markdown_text, plain_text
from tests.attack import PAYLOADS, poison_project, scan_search_index, scan_site
from tests.conftest import edit, make_project, run_cli, tree_digest

# ---------------------------------------------------------------------------------------------
# The whole corpus through the real build


@pytest.fixture(scope="module")
def poisoned_site(tmp_path_factory) -> Path:
    """The fixture course with every payload in every free-text field, built in strict mode."""
    root = make_project(tmp_path_factory.mktemp("poisoned") / "project")
    poison_project(root, PAYLOADS)
    result = run_cli("build", project=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_no_payload_becomes_markup_on_any_page(poisoned_site: Path):
    findings = scan_site(poisoned_site)
    assert findings == [], "\n".join(f"{f.page}: {f.what}" for f in findings[:20])


def test_no_payload_becomes_markup_in_the_search_index(poisoned_site: Path):
    assert scan_search_index(poisoned_site) == []


def test_payloads_are_shown_as_the_text_that_was_written(poisoned_site: Path):
    """Inert is not enough: the student sees exactly what the contributor wrote."""
    page = (poisoned_site / "weeks" / "first-steps" / "index.html").read_text(encoding="utf-8")
    text = _visible_text(page)
    for payload in ("<img src=x onerror=ckpwn()>", "[link](javascript:ckpwn())", "text { onclick=ckpwn() }"):
        assert payload in text


@pytest.mark.parametrize("page", ["quizzes/grief-check", "course/competences", "quizzes"])
def test_quiz_and_competence_text_is_shown_as_written(poisoned_site: Path, page: str):
    """Prompts, options, feedback and the competence framework's text are poisoned too, and stay text."""
    text = _visible_text((poisoned_site / page / "index.html").read_text(encoding="utf-8"))
    assert "<img src=x onerror=ckpwn()>" in text
    assert "ckpwn" in text


def _visible_text(page: str) -> str:
    class Text(html.parser.HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_data(self, data):
            self.parts.append(data)

    parser = Text()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


# ---------------------------------------------------------------------------------------------
# URL fields

BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    'https://example.org/" onmouseover="alert(1)',
    "https://example.org/a b",
    "https://example.org/<svg>",
    "//evil.example.org/",
    "/relative/path",
    "example.org",
]
WHERE = {
    "references.yml": ("modules/references.yml", "  url: https://example.org/guide", "  url: {}", 7, "url"),
    "repo_url": ("modules/course.yml", "repo_url: https://example.org/fixture-repo", "repo_url: {}", 6, "repo_url"),
    "site_url": ("modules/course.yml", "site_url: https://example.org/fixture/", "site_url: {}", 5, "site_url"),
}


@pytest.mark.parametrize("field", sorted(WHERE))
@pytest.mark.parametrize("url", BAD_URLS)
def test_url_fields_take_only_web_addresses(project: Path, field: str, url: str):
    path, old, new, line, name = WHERE[field]
    edit(project / path, old, new.format(_yaml_string(url)))
    docs = tree_digest(project / "docs")
    result = run_cli("check", "--quick", project=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    shown = url.strip()[:80]
    assert result.stderr.splitlines() == [
        f"{path}:{line}: {name}: '{shown}' is not a web address: write the whole address, starting with"
        " https:// or http://, with no spaces, quotes or angle brackets",
        "error: 1 problem; nothing was written",
    ]
    assert tree_digest(project / "docs") == docs


def _yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_a_reference_url_is_a_link_that_shows_the_address(built_fixture: Path):
    page = (built_fixture / "site" / "course" / "references" / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://example.org/guide">https://example.org/guide</a>' in page


# ---------------------------------------------------------------------------------------------
# Glossary terms and definitions of any characters


def test_a_glossary_term_of_any_characters_keeps_its_tooltip_and_stays_text(project: Path):
    glossary = project / "modules" / "glossary.yml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8")
        + "odd-term:\n"
        + '  term: "C\\\\D"\n'
        + '  definition: "<img src=x onerror=ckpwn()> [x](javascript:ckpwn()) \\\\ *[y]: z"\n',
        encoding="utf-8",
    )
    edit(
        project / "modules/01-first-steps/module.md",
        "glossary: [closeness-circle]",
        "glossary: [closeness-circle, odd-term]",
    )
    with (project / "modules/01-first-steps/module.md").open("a", encoding="utf-8") as body:
        body.write("\nThe C\\D notation is odd.\n")
    result = run_cli("build", project=project)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (project / "site" / "weeks" / "first-steps" / "index.html").read_text(encoding="utf-8")
    title = "&lt;img src=x onerror=ckpwn()&gt; [x](javascript:ckpwn()) \\ *[y]: z"
    assert f'<abbr title="{title}">C\\D</abbr>' in page
    assert scan_site(project / "site") == []
    assert "*[y]: z" not in _visible_text(page).replace(title, "")


# ---------------------------------------------------------------------------------------------
# Markdown fields: emphasis, code and safe links only


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("[a](https://example.org/a_b)", '<a href="https://example.org/a_b">a</a>'),
        ("[a](mailto:someone@example.org)", '<a href="mailto:someone@example.org">a</a>'),
        ("[a](tel:+441234567890)", '<a href="tel:+441234567890">a</a>'),
        ("[a](../weeks/first-steps.md#the-idea)", '<a href="../weeks/first-steps.md#the-idea">a</a>'),
        ("*em* and `code`", "<em>em</em> and <code>code</code>"),
        ("[a](javascript:alert(1))", "[a](javascript:alert(1))"),
        ("[a](JAVASCRIPT:alert(1))", "[a](JAVASCRIPT:alert(1))"),
        ("[a](javascript&#58;alert(1))", "[a](javascript&#58;alert(1))"),
        ("[a](data:text/html,x)", "[a](data:text/html,x)"),
        ("![a](https://example.org/x.png)", '!<a href="https://example.org/x.png">a</a>'),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("a { onclick=alert(1) }", "a { onclick=alert(1) }"),
        ("[r]: javascript:alert(1)", "[r]: javascript:alert(1)"),
        ("`<b>` in code", "<code>&lt;b&gt;</code> in code"),
    ],
)
def test_markdown_fields_keep_safe_links_and_show_the_rest_as_text(site_markdown, written: str, shown: str):
    assert site_markdown(str(markdown_text(written))) == f"<p>{shown}</p>"


@pytest.fixture(scope="module")
def site_markdown(tmp_path_factory):
    """Python-Markdown with exactly the extensions and settings of the built site."""
    from mkdocs.config import load_config

    root = make_project(tmp_path_factory.mktemp("markdown") / "project")
    assert run_cli("build", "-q", project=root).returncode == 0
    config = load_config(str(root / "mkdocs.yml"))
    engine = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)

    def convert(text: str) -> str:
        engine.reset()
        return engine.convert(text)

    return convert


_ALLOWED_TAGS = {"p", "em", "strong", "code", "a", "ul", "ol", "li", "pre", "blockquote", "br", "hr", "abbr"}
_ALLOWED_TAGS |= {f"h{n}" for n in range(1, 7)} | {"table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd"}
_ALLOWED_TAGS |= {"div", "details", "summary", "input", "label", "span"}  # admonitions, details, task lists
_ALLOWED_ATTRIBUTES = {"href", "id", "class", "title", "type", "checked", "disabled", "open", "style"}


class _Audit(html.parser.HTMLParser):
    """Collects every tag and attribute a piece of rendered HTML has."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in _ALLOWED_TAGS:
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            if name not in _ALLOWED_ATTRIBUTES:
                self.bad.append(f"<{tag} {name}>")
            if name == "href" and not link_target_allowed(value or ""):
                self.bad.append(f"<{tag} href={value!r}>")
            if name == "style" and tag != "td" and tag != "th":
                self.bad.append(f"<{tag} style>")


def _audit(html_text: str) -> list[str]:
    audit = _Audit()
    audit.feed(html_text)
    return audit.bad


# Text an attacker builds from Markdown's and HTML's own pieces, plus anything at all.
_PIECES = st.sampled_from(
    ["<", ">", "[", "]", "(", ")", "!", "{", "}", ":", "#", "*", "_", "`", "\\", "&", ";", "\n", " ", "=", '"', "'"]
    + ["javascript:", "data:", "JaVaScRiPt:", "&#58;", "&#x3A;", "onerror=", "onclick=", "<img", "<svg", "<script>"]
    + ["{:", "{#", "{.", "*[", "]:", "](", "<http://x>", "--8<--", "!!! note", "<div markdown>", "\t", "\x01"]
)
_HOSTILE = st.one_of(st.lists(_PIECES | st.text(max_size=3), max_size=30).map("".join), st.text(max_size=80))


@settings(max_examples=300, deadline=None)
@given(_HOSTILE)
def test_fuzz_plain_text_fields_make_no_markup(site_markdown, text: str):
    """A plain-text field becomes at most a paragraph of text (abbreviations may wrap its words)."""
    rendered = site_markdown(plain_text(text))
    assert _audit(rendered) == []
    assert all(tag in ("<p>", "<abbr>") for tag in _tags(rendered)), rendered
    assert _visible_text(rendered) == " ".join(CONTROL.sub("", text).split())  # exactly what was written


@settings(max_examples=300, deadline=None)
@given(_HOSTILE)
def test_fuzz_markdown_fields_make_only_safe_markup(site_markdown, text: str):
    assert _audit(site_markdown(str(markdown_text(text)))) == []


def _tags(html_text: str) -> set[str]:
    class Tags(html.parser.HTMLParser):
        found: set[str] = set()

        def handle_starttag(self, tag, attrs):
            self.found.add(f"<{tag}>")

    parser = Tags()
    parser.found = set()
    parser.feed(html_text)
    return parser.found
