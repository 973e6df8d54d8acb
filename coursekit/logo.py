"""The logo in the header (`branding.logo` in modules/course.yml): a small, plain image inside docs/assets/.

The logo is served from the course's own address, where students' progress is kept, so it is
checked like code: a path of plain characters inside docs/assets/ (it is written into the
engine's configuration and the header's HTML), a file that is the image its name says, under
256 KB, and an SVG free of what would run or fetch anything when the file is opened on its own.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from pathlib import Path

LOGO_FOLDER = "docs/assets"
LOGO_MAX_BYTES = 256 * 1024
# The first bytes of each image type a logo may be.
_SIGNATURES = {
    ".png": ("PNG", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("JPEG", (b"\xff\xd8\xff",)),
    ".jpeg": ("JPEG", (b"\xff\xd8\xff",)),
    ".gif": ("GIF", (b"GIF87a", b"GIF89a")),
    ".webp": ("WebP", (b"RIFF",)),
}


_LOGO_PATH = re.compile(r"docs/assets/[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*")


def logo_path_problem(value: str) -> str | None:
    """What is wrong with the logo's path as written, or None: a plain relative path inside docs/assets/."""
    if _LOGO_PATH.fullmatch(value):
        return None
    return (
        f"'{value[:80]}' is not a file in {LOGO_FOLDER}/: write its path from the project folder, e.g."
        f" {LOGO_FOLDER}/logo.svg, in letters, digits and . _ - /"
    )


def logo_problem(root: Path, logo: str) -> str | None:
    """What is wrong with the logo file, or None."""
    path, folder = root / logo, (root / LOGO_FOLDER).resolve()
    if not path.is_file():
        return f"{logo} is not there: put the image in {LOGO_FOLDER}/ or correct the path"
    if not path.resolve().is_relative_to(folder):
        return f"{logo} leads outside {LOGO_FOLDER}/: put the image itself there, not a link to it"
    size = path.stat().st_size
    if size > LOGO_MAX_BYTES:
        return (
            f"{logo} is {size // 1024} KB: keep a logo under {LOGO_MAX_BYTES // 1024} KB so pages stay fast on a phone"
        )
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return svg_problem(data, logo)
    if suffix not in _SIGNATURES:
        return f"{logo} is not an image the site can show: use a PNG, JPEG, GIF, WebP or SVG file"
    kind, signatures = _SIGNATURES[suffix]
    if not data.startswith(signatures) or (suffix == ".webp" and data[8:12] != b"WEBP"):
        return f"{logo} is not a {kind} image, whatever its name says: save the logo again as {kind}"
    return None


# An SVG opened on its own runs like a page of the site: these would run code or fetch from elsewhere.
_SVG_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "audio", "video"}
_LINK_ATTRIBUTES = {"href", "src"}
_LOCAL_REFERENCE = re.compile(r"^(#|data:image/(png|jpeg|gif|webp);)", re.IGNORECASE)
_STYLE_FETCH = re.compile(r"@import|url\(\s*['\"]?(?!#)|expression\(|javascript:", re.IGNORECASE)


class _Unsafe(Exception):
    """What the SVG holds that the site must not serve, and where."""


def svg_problem(data: bytes, logo: str) -> str | None:
    """Why an SVG logo is refused (not an SVG, a DOCTYPE or entities, scripts, handlers, outside links), or None."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    depth, in_style = [0], [False]

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1].lower()
        if depth[0] == 0 and local != "svg":
            raise _Unsafe(f"starts with <{local}>, not <svg>")
        depth[0] += 1
        if local in _SVG_ELEMENTS:
            raise _Unsafe(f"holds <{local}>")
        for attribute, value in attributes.items():
            key = attribute.rsplit(" ", 1)[-1].lower()
            if key.startswith("on"):
                raise _Unsafe(f"holds an event handler ({key}=)")
            if key in _LINK_ATTRIBUTES and not _LOCAL_REFERENCE.match(value.strip()):
                raise _Unsafe(f"links to '{value[:60]}'")
            if key == "style" and _STYLE_FETCH.search(value):
                raise _Unsafe("has a style that fetches or runs something")
            if key == "attributename" and "href" in value.lower():
                raise _Unsafe("animates a link")
        in_style[0] = local == "style"

    def text(content: str) -> None:
        if in_style[0] and _STYLE_FETCH.search(content):
            raise _Unsafe("has a style that fetches or runs something")

    def doctype(*_args: object) -> None:
        raise _Unsafe("has a DOCTYPE")

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda _name: in_style.__setitem__(0, False)
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        parser.Parse(data, True)
    except _Unsafe as unsafe:
        return (
            f"{logo} {unsafe} (line {parser.CurrentLineNumber}): an SVG logo must be a plain drawing;"
            " save it again without scripts, links or a DOCTYPE, or use a PNG"
        )
    except xml.parsers.expat.ExpatError as error:
        return f"{logo} is not a well-formed SVG ({xml.parsers.expat.errors.messages[error.code]}, line {error.lineno}): save it again or use a PNG"
    return None
