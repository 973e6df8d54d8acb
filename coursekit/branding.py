"""The site's colours and logo (`branding` in modules/course.yml), checked before anything is built.

A colour is one of Material's named palette colours or a hex colour. `check` works out every place
the site uses it, in the light and the dark scheme, and refuses a pair of colours under WCAG AA's
4.5:1 (text), naming the pair, its ratio and colours that pass:

- the primary colours the header and the tabs, with white or near-black text on it;
- links are the primary (a named colour may have its own link colour, as Material sets it) on the
  light background, and a lighter shade of it on the dark background;
- the accent colours a link or button under the pointer or keyboard focus, and the matching words in
  search results, on the page's background, with text on it when it fills a button.

For a named colour the values are Material 9.8.1's own (its palette.css); for a hex colour the kit
picks the text colour on it (white or near-black, whichever contrasts more). On the dark background
the kit uses a lighter shade of the link and accent colours wherever the colour itself is too dark
to read there, as Material does for its primary colours: no one colour can reach 4.5:1 on both
Material's white and its dark background.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import logo
from .errors import Problem

if TYPE_CHECKING:
    from .validate import Checked

RGB = tuple[int, int, int]
DEFAULT_PRIMARY = "indigo"
DEFAULT_ACCENT = "deep-purple"
MINIMUM = 4.5  # WCAG 2.2 AA, 1.4.3: text of normal size
HEX = re.compile(r"^#(?:[0-9a-f]{3}|[0-9a-f]{6})$")
LIGHT_PAGE = "#ffffff"  # Material's light background
DARK_PAGE = "#1e2129"  # Material's dark (slate) background: hsla(225deg, 15%, 14%)


@dataclass(frozen=True)
class Text:
    """A text colour Material puts on a coloured surface, with the dimmer variant it uses for hints."""

    css: str  # as Material writes it
    css_light: str
    solid: RGB
    alpha: float

    def on(self, surface: str) -> RGB:
        """The colour the eye sees: the text blended over the surface."""
        return tuple(
            round(self.alpha * t + (1 - self.alpha) * s) for t, s in zip(self.solid, rgb(surface), strict=True)
        )  # type: ignore[return-value]


LIGHT_TEXT = Text("#ffffff", "#ffffffb3", (255, 255, 255), 1.0)
DARK_TEXT = Text("#000000de", "#0000008a", (0, 0, 0), 0.87)


@dataclass(frozen=True)
class Named:
    """One of Material's named colours: its value, the text on it, and its link colours when they differ."""

    colour: str
    text: Text
    link: str | None = None  # light scheme; the colour itself when None
    dark_link: str | None = None  # dark scheme; the light-scheme link colour when None


# Material 9.8.1, palette.css: --md-primary-fg-color, --md-primary-bg-color, --md-typeset-a-color.
MATERIAL_PRIMARIES: dict[str, Named] = {
    "red": Named("#ef5552", LIGHT_TEXT),
    "pink": Named("#e92063", LIGHT_TEXT, dark_link="#ed5487"),
    "purple": Named("#ab47bd", LIGHT_TEXT, dark_link="#c46fd3"),
    "deep-purple": Named("#7e56c2", LIGHT_TEXT, dark_link="#a47bea"),
    "indigo": Named("#4051b5", LIGHT_TEXT, dark_link="#5488e8"),
    "blue": Named("#2094f3", LIGHT_TEXT),
    "light-blue": Named("#02a6f2", LIGHT_TEXT),
    "cyan": Named("#00bdd6", LIGHT_TEXT),
    "teal": Named("#009485", LIGHT_TEXT, dark_link="#00ccb8"),
    "green": Named("#4cae4f", LIGHT_TEXT, dark_link="#71c174"),
    "light-green": Named("#8bc34b", LIGHT_TEXT),
    "lime": Named("#cbdc38", DARK_TEXT),
    "yellow": Named("#ffec3d", DARK_TEXT),
    "amber": Named("#ffc105", DARK_TEXT),
    "orange": Named("#ffa724", DARK_TEXT),
    "deep-orange": Named("#ff6e42", LIGHT_TEXT, dark_link="#ff764d"),
    "brown": Named("#795649", LIGHT_TEXT, dark_link="#c1775c"),
    "grey": Named("#757575", LIGHT_TEXT, link="#4051b5", dark_link="#5e8bde"),
    "blue-grey": Named("#546d78", LIGHT_TEXT, link="#4051b5", dark_link="#5e8bde"),
    "black": Named("#14151a", LIGHT_TEXT, link="#4051b5", dark_link="#5e8bde"),
    "white": Named("#ffffff", DARK_TEXT, link="#4051b5", dark_link="#5e8bde"),
}
# Material 9.8.1, palette.css: --md-accent-fg-color and --md-accent-bg-color (no black, white, greys or brown).
MATERIAL_ACCENTS: dict[str, Named] = {
    "red": Named("#ff1a47", LIGHT_TEXT),
    "pink": Named("#f50056", LIGHT_TEXT),
    "purple": Named("#df41fb", LIGHT_TEXT),
    "deep-purple": Named("#7c4dff", LIGHT_TEXT),
    "indigo": Named("#526cfe", LIGHT_TEXT),
    "blue": Named("#4287ff", LIGHT_TEXT),
    "light-blue": Named("#0091eb", LIGHT_TEXT),
    "cyan": Named("#00bad6", LIGHT_TEXT),
    "teal": Named("#00bda4", LIGHT_TEXT),
    "green": Named("#00c753", LIGHT_TEXT),
    "light-green": Named("#63de17", LIGHT_TEXT),
    "lime": Named("#b0eb00", DARK_TEXT),
    "yellow": Named("#ffd400", DARK_TEXT),
    "amber": Named("#ffaa00", DARK_TEXT),
    "orange": Named("#ff9000", DARK_TEXT),
    "deep-orange": Named("#ff6e42", LIGHT_TEXT),
}


# --- Colour arithmetic (WCAG 2.2, "relative luminance" and "contrast ratio") ---------------------


def rgb(colour: str) -> RGB:
    """'#4051b5' or '#fff' as (64, 81, 181)."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def hex_of(colour: RGB) -> str:
    """(64, 81, 181) as '#4051b5'."""
    return "#" + "".join(f"{channel:02x}" for channel in colour)


def luminance(colour: RGB) -> float:
    """WCAG's relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG's contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(colour: str, towards: str, share: float) -> str:
    """`colour` moved `share` (0 to 1) of the way to `towards`."""
    return hex_of(tuple(round(c + (t - c) * share) for c, t in zip(rgb(colour), rgb(towards), strict=True)))  # type: ignore[arg-type]


def readable_on(colour: str, background: str) -> str:
    """The colour, or the nearest shade of it towards white or black that reads on the background."""
    towards = "#ffffff" if luminance(rgb(background)) < 0.5 else "#000000"
    for step in range(101):
        shade = mix(colour, towards, step / 100)
        if contrast(rgb(shade), rgb(background)) >= MINIMUM:
            return shade
    return towards


def best_text(surface: str) -> Text:
    """White or near-black text, whichever contrasts more with the surface (as Material chooses for its colours)."""
    light, dark = (contrast(text.on(surface), rgb(surface)) for text in (LIGHT_TEXT, DARK_TEXT))
    return LIGHT_TEXT if light >= dark else DARK_TEXT


def ratio_text(ratio: float) -> str:
    """'4.49:1': rounded down, so a ratio shown as 4.50 always passes."""
    return f"{math.floor(ratio * 100) / 100:.2f}:1"


# --- The palette the site uses -----------------------------------------------------------------


def normal(value: str) -> str:
    """A colour as the kit compares it: lower case, named colours with hyphens ('deep purple' -> 'deep-purple')."""
    return "-".join(value.strip().lower().split())


def colour_problem(value: str, names: dict[str, Named]) -> str | None:
    """What is wrong with a colour value, or None: a named colour of `names` or a hex colour."""
    if normal(value) in names or HEX.match(normal(value)):
        return None
    return f"'{value[:80]}' is not a colour: use a named colour ({', '.join(names)}) or a hex colour such as #1a5e63"


@dataclass(frozen=True)
class Palette:
    """Every colour the site shows for one primary and accent: the values the check measures and the CSS sets."""

    primary: str  # Material's palette value: the colour's name, or "custom" for a hex colour
    accent: str
    header: str
    header_text: Text
    link: str
    dark_link: str
    accent_colour: str
    accent_text: Text
    dark_accent: str
    dark_accent_text: Text

    @property
    def header_shade(self) -> str:
        """A shade of the header colour that keeps its text readable (Material's --md-primary-fg-color--dark)."""
        return mix(self.header, "#000000" if self.header_text is LIGHT_TEXT else "#ffffff", 0.15)

    @property
    def header_tint(self) -> str:
        """A lighter tint of the header colour (Material's --md-primary-fg-color--light)."""
        return mix(self.header, "#ffffff", 0.15)


def palette(primary: str, accent: str) -> Palette:
    """The colours the site shows for a primary and an accent (each named or hex), in both schemes."""
    primary, accent = normal(primary), normal(accent)
    named = MATERIAL_PRIMARIES.get(primary)
    header = named.colour if named else primary
    link = (named.link or named.colour) if named else primary
    dark_link = readable_on((named.dark_link or link) if named else primary, DARK_PAGE)
    named_accent = MATERIAL_ACCENTS.get(accent)
    accent_colour = named_accent.colour if named_accent else accent
    accent_text = named_accent.text if named_accent else best_text(accent_colour)
    dark_accent = readable_on(accent_colour, DARK_PAGE)
    # The button text stays as it is on the lighter shade when it still reads there.
    keeps = contrast(accent_text.on(dark_accent), rgb(dark_accent)) >= MINIMUM
    return Palette(
        primary=primary if named else "custom",
        accent=accent if named_accent else "custom",
        header=header,
        header_text=named.text if named else best_text(header),
        link=link,
        dark_link=dark_link,
        accent_colour=accent_colour,
        accent_text=accent_text,
        dark_accent=dark_accent,
        dark_accent_text=accent_text if keeps else best_text(dark_accent),
    )


@dataclass(frozen=True)
class Pair:
    """One place a colour is used: what it is, the two colours, their ratio."""

    field: str  # "primary" or "accent": the colour the trainer chose that this pair depends on
    use: str
    foreground: RGB
    background: RGB

    @property
    def ratio(self) -> float:
        """The pair's contrast ratio."""
        return contrast(self.foreground, self.background)

    def describe(self) -> str:
        """'header text on the primary (#ffffff on #009485) 3.77:1'."""
        return f"{self.use} ({hex_of(self.foreground)} on {hex_of(self.background)}) {ratio_text(self.ratio)}"


def pairs(p: Palette) -> list[Pair]:
    """Every pair of colours the palette puts text in, in the light and the dark scheme."""
    return [
        Pair("primary", "header text on the primary", p.header_text.on(p.header), rgb(p.header)),
        Pair("primary", "links on the light background", rgb(p.link), rgb(LIGHT_PAGE)),
        Pair("primary", "links on the dark background", rgb(p.dark_link), rgb(DARK_PAGE)),
        Pair("accent", "the accent on the light background", rgb(p.accent_colour), rgb(LIGHT_PAGE)),
        Pair("accent", "the accent on the dark background", rgb(p.dark_accent), rgb(DARK_PAGE)),
        Pair("accent", "button text on the accent", p.accent_text.on(p.accent_colour), rgb(p.accent_colour)),
        Pair(
            "accent",
            "button text on the accent in the dark scheme",
            p.dark_accent_text.on(p.dark_accent),
            rgb(p.dark_accent),
        ),
    ]


def failing(primary: str, accent: str, field: str) -> list[Pair]:
    """The pairs under 4.5:1 that depend on one chosen colour ('primary' or 'accent')."""
    return [pair for pair in pairs(palette(primary, accent)) if pair.field == field and pair.ratio < MINIMUM]


def passing_named(field: str) -> list[str]:
    """Material's named colours that pass every check as the primary (with a passing accent) or as the accent."""
    if field == "primary":
        return [name for name in MATERIAL_PRIMARIES if not failing(name, "deep-purple", "primary")]
    return [name for name in MATERIAL_ACCENTS if not failing("indigo", name, "accent")]


def darker_shade(colour: str, field: str) -> str:
    """The nearest shade of a colour, towards black, that passes every check in its role."""
    named = MATERIAL_PRIMARIES if field == "primary" else MATERIAL_ACCENTS
    base = named[normal(colour)].colour if normal(colour) in named else normal(colour)
    for step in range(1, 101):
        shade = mix(base, "#000000", step / 100)
        if not failing(shade, shade, field):
            return shade
    return "#000000"


# --- The checks `check` runs -------------------------------------------------------------------


def _chosen(c: Checked) -> dict[str, str]:
    """The branding fields as written, each only if it is valid on its own, so one mistake hides no other."""
    data = c.raw.course.data.get("branding") if c.raw.course else None
    if not isinstance(data, dict):
        return {}
    valid = {
        "primary": lambda v: colour_problem(v, MATERIAL_PRIMARIES),
        "accent": lambda v: colour_problem(v, MATERIAL_ACCENTS),
        "logo": logo.logo_path_problem,
    }
    return {
        key: value for key, value in data.items() if key in valid and isinstance(value, str) and not valid[key](value)
    }


def colours_are_readable(c: Checked) -> Iterator[Problem]:
    """The primary and accent colours pass WCAG AA contrast wherever the site shows text in or on them."""
    chosen = _chosen(c)
    primary, accent = chosen.get("primary", DEFAULT_PRIMARY), chosen.get("accent", DEFAULT_ACCENT)
    for field in ("primary", "accent"):
        failed = failing(primary, accent, field)
        if not failed or c.raw.course is None:
            continue
        value = chosen.get(field, DEFAULT_PRIMARY if field == "primary" else DEFAULT_ACCENT)
        passing = ", ".join(passing_named(field)) or "none"
        yield Problem(
            c.raw.course.path,
            c.raw.course.line_of(("branding", field)),
            f"branding: the {field} colour '{value}' fails WCAG AA contrast: "
            + ", ".join(pair.describe() for pair in failed)
            + f"; text needs at least {MINIMUM}:1: choose a named {field} colour that passes ({passing})"
            f" or a darker shade such as {darker_shade(value, field)}",
        )


def logo_is_a_safe_image(c: Checked) -> Iterator[Problem]:
    """The logo is an image file inside docs/assets/, small, and (an SVG) free of scripts and outside requests."""
    chosen_logo = _chosen(c).get("logo")
    if chosen_logo is None or c.raw.course is None or c.raw.root is None:
        return
    where = (c.raw.course.path, c.raw.course.line_of(("branding", "logo")))
    problem = logo.logo_problem(c.raw.root, chosen_logo)
    if problem:
        yield Problem(*where, f"branding.logo: {problem}")


BRANDING_RULES = [colours_are_readable, logo_is_a_safe_image]
