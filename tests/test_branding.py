"""Branding: colours students can read, a logo that is a plain image, and a site that shows what course.yml says."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest

from coursekit import branding
from coursekit.branding import contrast, rgb
from tests.conftest import REPO, run_cli, serve_folder, tree_digest

COURSE = "modules/course.yml"


def _brand(project: Path, *lines: str) -> int:
    """Append a `branding:` block to the project's course.yml; returns the line of its first field."""
    course = project / COURSE
    text = course.read_text(encoding="utf-8").rstrip("\n") + "\n"
    first = len(text.splitlines()) + 2
    course.write_text(text + "branding:\n" + "".join(f"  {line}\n" for line in lines), encoding="utf-8")
    return first


def _check_lines(project: Path) -> list[str]:
    """What `check` printed on stderr, after making sure it failed cleanly and wrote nothing."""
    before = tree_digest(project / "docs")
    result = run_cli("check", project=project)
    assert result.returncode == 1 and result.stdout == "" and "Traceback" not in result.stderr
    assert tree_digest(project / "docs") == before
    return result.stderr.splitlines()


def _png(width: int = 1, height: int = 1, padding: int = 0) -> bytes:
    """A real PNG of one colour (padded with a comment chunk to a given size)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x1a\x5e\x63" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    extra = chunk(b"tEXt", b"Comment\x00" + b"x" * padding) if padding else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + extra
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# --- Contrast arithmetic ----------------------------------------------------------------------------


def test_the_wcag_contrast_formula_gives_the_known_ratios():
    assert contrast(rgb("#ffffff"), rgb("#000000")) == pytest.approx(21.0)
    assert contrast(rgb("#777777"), rgb("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert contrast(rgb("#4051b5"), rgb("#ffffff")) == pytest.approx(6.86, abs=0.01)
    assert branding.ratio_text(4.4999) == "4.49:1"  # rounded down: 4.50 on screen always passes


def test_named_colours_that_pass_are_these_and_the_guide_lists_the_same():
    assert branding.passing_named("primary") == [
        "purple",
        "deep-purple",
        "indigo",
        "brown",
        "grey",
        "blue-grey",
        "black",
        "white",
    ]
    assert branding.passing_named("accent") == ["deep-purple"]
    guide = (REPO / "docs/guide/index.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z-]+)` \| (yes|no) \| (yes|no|—) \|", guide, re.MULTILINE)
    assert {name for name, primary, _ in rows if primary == "yes"} == set(branding.passing_named("primary"))
    assert {name for name, _, accent in rows if accent == "yes"} == set(branding.passing_named("accent"))
    assert {name for name, _, _ in rows} == set(branding.MATERIAL_PRIMARIES) | set(branding.MATERIAL_ACCENTS)


def test_on_the_dark_background_links_and_accent_are_lightened_only_as_far_as_needed():
    palette = branding.palette("#1a5e63", "#a3324f")
    for colour in (palette.dark_link, palette.dark_accent):
        assert contrast(rgb(colour), rgb(branding.DARK_PAGE)) >= 4.5
    assert palette.dark_link == "#619093"  # the first 1% step of #1a5e63 towards white that reads there
    assert branding.palette("indigo", "deep-purple").dark_link == "#5488e8"  # Material's own, already readable


# --- What `check` prints ----------------------------------------------------------------------------

PRIMARIES = "purple, deep-purple, indigo, brown, grey, blue-grey, black, white"


def test_check_refuses_teal_naming_each_failing_pair_its_ratio_and_passing_colours(project: Path):
    line = _brand(project, "primary: teal", "accent: teal")
    assert _check_lines(project) == [
        f"{COURSE}:{line}: branding: the primary colour 'teal' fails WCAG AA contrast: header text on the primary"
        " (#ffffff on #009485) 3.76:1, links on the light background (#009485 on #ffffff) 3.76:1; text needs at"
        f" least 4.5:1: choose a named primary colour that passes ({PRIMARIES}) or a darker shade such as #008578",
        f"{COURSE}:{line + 1}: branding: the accent colour 'teal' fails WCAG AA contrast: the accent on the light"
        " background (#00bda4 on #ffffff) 2.38:1, button text on the accent (#ffffff on #00bda4) 2.38:1; text needs"
        " at least 4.5:1: choose a named accent colour that passes (deep-purple) or a darker shade such as #008674",
        "error: 2 problems; nothing was written",
    ]


def test_check_refuses_a_pale_hex_primary_and_material_s_own_indigo_accent(project: Path):
    line = _brand(project, "primary: '#FFEB3B'", "accent: indigo")
    assert _check_lines(project) == [
        f"{COURSE}:{line}: branding: the primary colour '#FFEB3B' fails WCAG AA contrast: links on the light"
        " background (#ffeb3b on #ffffff) 1.22:1; text needs at least 4.5:1: choose a named primary colour that"
        f" passes ({PRIMARIES}) or a darker shade such as #82781e",
        f"{COURSE}:{line + 1}: branding: the accent colour 'indigo' fails WCAG AA contrast: the accent on the light"
        " background (#526cfe on #ffffff) 4.25:1, button text on the accent (#ffffff on #526cfe) 4.25:1; text needs"
        " at least 4.5:1: choose a named accent colour that passes (deep-purple) or a darker shade such as #4f68f4",
        "error: 2 problems; nothing was written",
    ]


def test_check_refuses_css_in_a_colour_and_a_logo_path_outside_assets_and_still_checks_the_other_colour(
    project: Path,
):
    line = _brand(project, "primary: green", "accent: 'red; } body { display: none'", "logo: ../secret.png")
    names = "red, pink, purple, deep-purple, indigo, blue, light-blue, cyan, teal, green, light-green, lime, yellow, amber, orange, deep-orange"
    assert _check_lines(project) == [
        f"{COURSE}:{line}: branding: the primary colour 'green' fails WCAG AA contrast: header text on the primary"
        " (#ffffff on #4cae4f) 2.80:1, links on the light background (#4cae4f on #ffffff) 2.80:1; text needs at"
        f" least 4.5:1: choose a named primary colour that passes ({PRIMARIES}) or a darker shade such as #3b863d",
        f"{COURSE}:{line + 1}: branding.accent: 'red; }} body {{ display: none' is not a colour: use a named colour"
        f" ({names}) or a hex colour such as #1a5e63",
        f"{COURSE}:{line + 2}: branding.logo: '../secret.png' is not a file in docs/assets/: write its path from the"
        " project folder, e.g. docs/assets/logo.svg, in letters, digits and . _ - /",
        "error: 3 problems; nothing was written",
    ]


SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
LOGO_CASES = [
    ("missing", None, "docs/assets/logo.png is not there: put the image in docs/assets/ or correct the path"),
    (
        "not_an_image_type",
        b"hello",
        "docs/assets/logo.txt is not an image the site can show: use a PNG, JPEG, GIF, WebP or SVG file",
    ),
    (
        "png_that_is_not",
        b"GIF89a....",
        "docs/assets/logo.png is not a PNG image, whatever its name says: save the logo again as PNG",
    ),
    (
        "too_big",
        _png(padding=300 * 1024),
        "docs/assets/logo.png is 300 KB: keep a logo under 256 KB so pages stay fast on a phone",
    ),
    (
        "svg_with_script",
        f"{SVG_OPEN}\n<script>alert(1)</script></svg>".encode(),
        "docs/assets/logo.svg holds <script> (line 2): an SVG logo must be a plain drawing; save it again without scripts, links or a DOCTYPE, or use a PNG",
    ),
    (
        "svg_with_handler",
        f'{SVG_OPEN}<rect width="10" height="10" onload="alert(1)"/></svg>'.encode(),
        "docs/assets/logo.svg holds an event handler (onload=) (line 1): an SVG logo must be a plain drawing; save it again without scripts, links or a DOCTYPE, or use a PNG",
    ),
    (
        "svg_with_outside_link",
        f'{SVG_OPEN}<image href="https://tracker.example/p.png" width="1" height="1"/></svg>'.encode(),
        "docs/assets/logo.svg links to 'https://tracker.example/p.png' (line 1): an SVG logo must be a plain drawing; save it again without scripts, links or a DOCTYPE, or use a PNG",
    ),
    (
        "svg_with_entities",
        b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaa">]>\n<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
        "docs/assets/logo.svg has a DOCTYPE (line 2): an SVG logo must be a plain drawing; save it again without scripts, links or a DOCTYPE, or use a PNG",
    ),
    (
        "svg_with_style_import",
        f"{SVG_OPEN}<style>@import url(https://fonts.example/a.css);</style></svg>".encode(),
        "docs/assets/logo.svg has a style that fetches or runs something (line 1): an SVG logo must be a plain drawing; save it again without scripts, links or a DOCTYPE, or use a PNG",
    ),
]


@pytest.mark.parametrize(("case", "content", "expected"), LOGO_CASES, ids=[c[0] for c in LOGO_CASES])
def test_check_refuses_a_logo_that_is_not_a_small_plain_image(project: Path, case, content, expected):
    name = re.search(r"docs/assets/(\S+) ", expected).group(1)
    if content is not None:
        (project / "docs/assets" / name).write_bytes(content)
    line = _brand(project, f"logo: docs/assets/{name}")
    assert _check_lines(project) == [
        f"{COURSE}:{line}: branding.logo: {expected}",
        "error: 1 problem; nothing was written",
    ]


def test_a_small_png_and_a_plain_svg_are_accepted_as_logos(tmp_path: Path):
    from coursekit import logo

    (tmp_path / "docs/assets").mkdir(parents=True)
    (tmp_path / "docs/assets/logo.png").write_bytes(_png(4, 4))
    (tmp_path / "docs/assets/logo.svg").write_text(
        f'{SVG_OPEN}<defs><linearGradient id="g"/></defs><rect fill="url(#g)" width="9" height="9"/>'
        '<use href="#g"/></svg>',
        encoding="utf-8",
    )
    assert logo.logo_problem(tmp_path, "docs/assets/logo.png") is None
    assert logo.logo_problem(tmp_path, "docs/assets/logo.svg") is None


def test_check_refuses_a_logo_that_links_outside_the_assets_folder(project: Path, tmp_path: Path):
    (tmp_path / "elsewhere.png").write_bytes(_png())
    (project / "docs/assets/logo.png").symlink_to(tmp_path / "elsewhere.png")
    line = _brand(project, "logo: docs/assets/logo.png")
    assert _check_lines(project) == [
        "docs/assets/logo.png:1: is a link to a file outside the project: replace the link with the file itself",
        f"{COURSE}:{line}: branding.logo: docs/assets/logo.png leads outside docs/assets/: put the image itself there,"
        " not a link to it",
        "error: 2 problems; nothing was written",
    ]


# --- The built site shows the colours and passes axe ------------------------------------------------

PRIMARY, ACCENT = "#1a5e63", "#a3324f"


@pytest.fixture(scope="module")
def branded_site(tmp_path_factory):
    """The fixture course with a hex primary and accent and an SVG logo, built and served."""
    from tests.conftest import make_project

    root = make_project(tmp_path_factory.mktemp("branded") / "project")
    (root / "docs/assets/logo.svg").write_text(
        f'{SVG_OPEN}<circle cx="5" cy="5" r="4" fill="{PRIMARY}"/></svg>', encoding="utf-8"
    )
    _brand(root, f"primary: '{PRIMARY}'", f"accent: '{ACCENT}'", "logo: docs/assets/logo.svg")
    result = run_cli("build", project=root)
    assert result.returncode == 0, result.stderr
    server, url = serve_folder(root / "site")
    yield url, root
    server.shutdown()


def _css_rgb(colour: str) -> str:
    r, g, b = rgb(colour)
    return f"rgb({r}, {g}, {b})"


def _styles(page) -> dict[str, str]:
    return page.evaluate(
        """() => {
          const style = (selector, property) => getComputedStyle(document.querySelector(selector))[property];
          const link = document.querySelector(".md-content a:not(.md-button):not(.headerlink)");
          return {
            header: style(".md-header", "backgroundColor"),
            headerText: style(".md-header", "color"),
            tab: style(".md-tabs__link", "color"),
            link: getComputedStyle(link).color,
            accent: getComputedStyle(document.body).getPropertyValue("--md-accent-fg-color").trim(),
            logo: document.querySelector(".md-header .md-logo img").src,
            logoShown: document.querySelector(".md-header .md-logo img").naturalWidth > 0,
          };
        }"""
    )


@pytest.mark.browser
@pytest.mark.slow
def test_a_site_with_a_hex_pair_shows_those_colours_in_both_schemes_and_passes_axe(branded_site):
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser import browser

    url, _ = branded_site
    palette = branding.palette(PRIMARY, ACCENT)
    axe, violations = Axe(), []
    with browser() as instance:
        for scheme, link, accent in (
            ("light", PRIMARY, ACCENT),
            ("dark", palette.dark_link, palette.dark_accent),
        ):
            page = instance.new_page(color_scheme=scheme)
            page.goto(url + "weeks/first-steps/", wait_until="load")
            assert _styles(page) == {
                "header": _css_rgb(PRIMARY),
                "headerText": "rgb(255, 255, 255)",
                "tab": "rgb(255, 255, 255)",
                "link": _css_rgb(link),
                "accent": accent,
                "logo": url + "assets/logo.svg",
                "logoShown": True,
            }
            for path in ("", "weeks/first-steps/", "exercises/", "course/glossary/"):
                page.goto(url + path, wait_until="load")
                for violation in axe.run(page).response["violations"]:
                    violations.append(f"{scheme} {path}: {violation['id']}: {violation['nodes'][0]['html'][:120]}")
            page.close()
    assert violations == []
