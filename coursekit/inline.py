"""What a contributor's field text may become on a page: plain text, restricted Markdown, or a checked URL.

Lesson bodies are the trainer's own Markdown, reviewed like code. Every other value (front matter,
the YAML files) is text, and reaches Markdown through one of the three functions here:

- `plain_text`: shows exactly the text; nothing in it is read as Markdown or HTML.
- `markdown_text`: for the few fields the model marks as Markdown (`MarkdownText`): paragraphs,
  lists, emphasis, code and links whose targets are http, https, mailto, tel or relative. No HTML,
  no images, no attribute lists, no reference definitions; a link with any other target stays text.
- `url_link`: a URL field (already checked by the model to be http or https) as a link.
"""

from __future__ import annotations

import functools
import html
import re
from urllib.parse import quote

from markupsafe import Markup

# Characters that start Markdown markup inside a line (emphasis, code, links, attribute lists,
# headings' closing hashes); a backslash makes each literal. '<' becomes an entity instead.
_INLINE_MARKUP = re.compile(r"([\\`*_{}\[\]#])")
# What makes a line a list item, a quote, a heading underline, an admonition, a details block or a
# fence when text starts a line; '?', '~', ':' and '=' cannot be backslash-escaped, so they become entities.
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+>!])|^([?~:=])")
_LINE_START_ENTITY = {"?": "&#63;", "~": "&#126;", ":": "&#58;", "=": "&#61;"}
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Control characters show nothing, and Python-Markdown uses two of them (STX, ETX) to mark its own placeholders.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

LINK_SCHEMES = ("http", "https", "mailto", "tel")
WEB_SCHEMES = ("http", "https")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# A Markdown field's token: a code span, an inline link with a plain target, a run of plain text, or one character.
_TOKEN = re.compile(
    r"(?P<code>(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<link>\[(?P<text>[^\[\]\n]*)\]\((?P<target>[!-'*-;=?-~]+)\))"
    r"|(?P<plain>[^`\[\]{}\\<!]+)"  # a run of characters that need no escape and start nothing: kept whole
    r"|(?P<char>.)",
    re.DOTALL,
)
# In a Markdown field, everything that could open HTML, an image, a reference or an attribute list.
_MARKDOWN_FIELD_ESCAPES = {"[": "\\[", "]": "\\]", "{": "\\{", "}": "\\}", "\\": "\\\\", "<": "&lt;"}


def plain_text(value: object) -> str:
    """Text as Markdown that shows exactly that text: one line, no markup, no HTML."""
    return _plain_text(str(value))


@functools.lru_cache(maxsize=1 << 16)  # templates print the same titles and labels on many pages
def _plain_text(text: str) -> str:
    text = " ".join(CONTROL.sub("", text).split())
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;")
    text = _INLINE_MARKUP.sub(r"\\\1", text)
    return _LINE_START.sub(_neutral_line_start, text)


def _neutral_line_start(match: re.Match) -> str:
    if match.group(1):
        return f"{match.group(1)}\\{match.group(2)}"
    if match.group(3):
        return f"\\{match.group(3)}"
    return _LINE_START_ENTITY[match.group(4)]


def link_target_allowed(target: str) -> bool:
    """True for an http, https, mailto or tel URL, or a relative one; never javascript:, data: or the like.

    The target is read as the browser will: entities decoded first, so `javascript&#58;` is caught.
    """
    decoded = html.unescape(target)
    if any(ord(c) <= 32 or ord(c) == 127 for c in decoded):
        return False
    scheme = _SCHEME.match(decoded)
    if scheme:
        return scheme.group(1).lower() in LINK_SCHEMES
    return ":" not in re.split(r"[/?#]", decoded, maxsplit=1)[0]


def is_web_url(value: str) -> bool:
    """True for an absolute http or https URL with a host and no spaces, quotes or angle brackets."""
    return bool(re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?(/[^\s<>\"'`\\{}|^]*)?", value, re.IGNORECASE))


def markdown_text(value: object) -> Markup:
    """A Markdown field, restricted: its lines, emphasis, code spans and safe links kept; anything else shown as text."""
    return _markdown_text(str(value))


@functools.lru_cache(maxsize=65536)  # the same field shows on several pages, and again on every preview rebuild
def _markdown_text(value: str) -> Markup:
    out: list[str] = []
    for token in _TOKEN.finditer(CONTROL.sub("", value)):
        if token.group("code"):
            out.append(token.group("code"))
        elif token.group("link"):
            target = token.group("target")
            if link_target_allowed(target):
                if out and out[-1] == "!":
                    out[-1] = "\\!"  # a link, never an image
                text = "".join(_escape_char(c) for c in token.group("text"))
                out.append(f"[{text}]({target})")
            else:
                out.append("".join(_escape_char(c) for c in token.group("link")))
        elif token.group("plain"):
            out.append(token.group("plain"))
        else:
            out.append(_escape_char(token.group("char")))
    # Entities stay: Markdown shows them as the characters they name, which is text, never markup.
    return Markup("".join(out))


def _escape_char(char: str) -> str:
    return _MARKDOWN_FIELD_ESCAPES.get(char, char)


def url_link(url: object) -> Markup:
    """A checked http(s) URL as a Markdown link that shows the URL."""
    target = quote(str(url), safe="/:?#[]@!$&'*+,;=%~-._")
    return Markup(f"[{plain_text(url)}]({target.replace('(', '%28').replace(')', '%29')})")
