"""An attacker's toolkit for the text-is-text tests: payloads, a poisoner for a course's YAML, an HTML scanner.

Every free-text value a contributor writes (front matter and the YAML files under modules/) gets a
payload; the built site is then parsed and searched for anything a payload could have turned into:
an event handler, a script, image, SVG, frame or object element, a `javascript:`/`data:` URL, or
an attribute the payload named.
"""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# Each payload carries the marker "ckpwn" so that anything it produced can be told from the theme's own markup.
PAYLOADS = [
    "<script>ckpwn()</script>",
    "<img src=x onerror=ckpwn()>",
    "<svg onload=ckpwn()>",
    "<iframe src=javascript:ckpwn()>",
    "<a href='javascript:ckpwn()'>a</a>",
    "[link](javascript:ckpwn())",
    "[link](JaVaScRiPt:ckpwn())",
    "[link]( javascript:ckpwn() )",
    "[link](java\tscript:ckpwn())",
    "[link](\x01javascript:ckpwn())",
    "[link](data:text/html;base64,Y2twd24=)",
    "![image](data:image/svg+xml,ckpwn)",
    "![image](x 'ckpwn'){ onerror=ckpwn() }",
    "<javascript:ckpwn()>",
    "<data:text/html,ckpwn>",
    "[ref][ckpwn]\n\n[ckpwn]: javascript:ckpwn()",
    "text { onclick=ckpwn() }",
    "text {: onmouseover=ckpwn() }",
    "text {#ckpwn .ckpwn onfocus=ckpwn() autofocus tabindex=1}",
    "*emphasis*{ onclick=ckpwn() }",
    "`code`{ onclick=ckpwn() }",
    "\\<img src=x onerror=ckpwn()>",
    "&lt;img src=x onerror=ckpwn()&gt;",
    "&#60;script&#62;ckpwn()&#60;/script&#62;",
    '--8<-- "/etc/passwd"',
    "a\\",
    "*[ckpwn]: <img src=x onerror=ckpwn()>",
    "<!-- ckpwn --> <style>*{background:url(javascript:ckpwn())}</style>",
    '<div markdown="1" onclick="ckpwn()">x</div>',
    'https://example.org/ckpwn" onmouseover="ckpwn()',
]

# Keys whose values are free text (or Markdown) in front matter and modules/*.yml; ids, enums,
# numbers and URLs have formats of their own and are attacked by the URL tests.
TEXT_KEYS = {
    "title", "summary", "objectives", "key_points", "name", "note", "activity", "notes", "facilitator_notes",
    "materials", "text", "reflection", "model_answer", "setting", "public", "brief", "role", "line",
    "direction", "beats", "observer_checklist", "debrief", "deroling", "description", "audience", "person",
    "disclaimer", "safety_note", "term", "definition", "citation", "indicators", "prompt", "feedback",
}  # fmt: skip


def poison_value(value: object, payload: str) -> object:
    """The value with the payload appended to every string in it."""
    if isinstance(value, str):
        return f"{value} {payload}"
    if isinstance(value, list):
        return [poison_value(v, payload) for v in value]
    if isinstance(value, dict):
        return {k: poison_value(v, payload) for k, v in value.items()}
    return value


def poison_mapping(data: dict, payload: str) -> dict:
    """Every free-text field of a front matter or YAML mapping, poisoned; script lines keep their role name.

    A judgement question keeps its options' fixed wording (Coach, Coach with care, Refer): its prompt
    and every option's feedback are poisoned.
    """
    if data.get("judgement") is True:
        fixed = [option.get("text") for option in data.get("options", [])]
        out = poison_mapping({k: v for k, v in data.items() if k != "judgement"}, payload)
        for option, text in zip(out.get("options", []), fixed, strict=True):
            option["text"] = text
        return {**out, "judgement": True}
    out = {}
    for key, value in data.items():
        if key in TEXT_KEYS and not isinstance(value, bool):
            out[key] = poison_value(value, payload)
        elif isinstance(value, dict):
            out[key] = poison_mapping(value, payload)
        elif isinstance(value, list):
            out[key] = [poison_mapping(v, payload) if isinstance(v, dict) else v for v in value]
        else:
            out[key] = value
    return out


def poison_project(root: Path, payloads: list[str]) -> None:
    """Poison every file under root/modules/: payloads spread over the files so each meets every kind of field."""
    files = sorted((root / "modules").rglob("*.md")) + sorted((root / "modules").rglob("*.yml"))
    for index, path in enumerate(files):
        payload = " ".join(payloads[(index + k) % len(payloads)] for k in range(len(payloads)))
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            _, front, body = text.split("---\n", 2)
            meta = yaml.safe_load(front)
            meta = poison_mapping(meta, payload)  # script lines' roles get the same payload as the roles
            path.write_text(f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n{body}", "utf-8")
        else:
            data = yaml.safe_load(text)
            if path.name in ("course.yml", "competences.yml"):
                data = poison_mapping(data, payload)
            else:  # glossary.yml, references.yml, techniques.yml: a mapping of entries
                data = {key: poison_mapping(entry, payload) for key, entry in data.items()}
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


_DANGEROUS_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.IGNORECASE)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc", "background"}
_RAW_ELEMENTS = {"script", "img", "svg", "iframe", "object", "embed", "style", "frame", "base", "form", "math"}


def _url_scheme_text(value: str) -> str:
    """A URL as the browser's parser sees its scheme: leading controls and spaces gone, tabs and newlines removed."""
    return re.sub(r"[\t\n\r]", "", value).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10 ")


def _payload_made(name: str, value: str) -> bool:
    """True when an attribute was made by a payload, not merely holds its text (a heading's slug, a label)."""
    if "ckpwn" in name:
        return True
    if name in _URL_ATTRIBUTES:
        return "ckpwn" in value and not value.startswith("#")
    if name in ("id", "class"):
        return "ckpwn" in value.split()
    return name in ("autofocus", "tabindex", "style") and "ckpwn" in value


@dataclass
class Finding:
    """Something in the built HTML that a payload could have made."""

    page: str
    what: str


@dataclass
class _Scanner(html.parser.HTMLParser):
    page: str = ""
    findings: list[Finding] = field(default_factory=list)
    _stack: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.findings.append(Finding(self.page, f"<{tag} {name}={value!r}>"))
            if name in _URL_ATTRIBUTES and _DANGEROUS_SCHEME.match(_url_scheme_text(value)):
                self.findings.append(Finding(self.page, f"<{tag} {name}={value!r}>"))
            if _payload_made(name, value):
                self.findings.append(Finding(self.page, f"<{tag}> carries the payload in {name}={value!r}"))
        if tag in _RAW_ELEMENTS and any("ckpwn" in (v or "") for _, v in attrs):
            self.findings.append(Finding(self.page, f"a <{tag}> element from a field"))
        self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1] in ("script", "style") and "ckpwn" in data:
            self.findings.append(Finding(self.page, f"a <{self._stack[-1]}> element holds the payload"))


def scan_site(site: Path) -> list[Finding]:
    """Everything in the built HTML that should not be there."""
    findings = []
    for page in sorted(site.rglob("*.html")):
        scanner = _Scanner(page=page.relative_to(site).as_posix())
        scanner.feed(page.read_text(encoding="utf-8"))
        findings += scanner.findings
    return findings


def scan_search_index(site: Path) -> list[str]:
    """Search index entries whose text holds a live tag from a payload (Material inserts them as HTML)."""
    text = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"<(?:img|svg|script|iframe)[^>]*ckpwn[^>]*>", text)))
