"""The glossary's fast abbreviations give exactly the HTML of Python-Markdown's abbr extension."""

from __future__ import annotations

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from coursekit import abbr_fast

EXTENSIONS = ["abbr", "attr_list", "def_list", "md_in_html", "tables", "toc"]
WORDS = ["grief", "role", "role dispute", "IPT", "IPT-A", "C\\D", "(x)", "é-term", "_x", "a.b", "grief work", "x"]


def both(text: str, glossary: dict[str, str]) -> tuple[str, str]:
    """The page converted by the abbr extension as it is, then with the fast treeprocessor."""
    configs = {"abbr": {"glossary": glossary}}
    plain = markdown.Markdown(extensions=EXTENSIONS, extension_configs=configs).convert(text)
    # As the kit converts a page: the glossary left out of the settings, and given without a copy.
    without, glossary_itself = abbr_fast.without_glossary(configs)
    assert without == {"abbr": {"glossary": {}}} and (glossary_itself is glossary or glossary == {})
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=without)
    assert abbr_fast.speed_up(md, glossary_itself)
    return plain, md.convert(text)


def test_terms_in_text_headings_links_and_code_are_treated_as_the_extension_treats_them():
    glossary = {"role dispute": "A disagreement.", "role": "A part.", "IPT": "Interpersonal <therapy>", "C\\D": 'a "b"'}
    text = (
        "# A role dispute\n\nA role dispute, a role, IPT and IPT-A, roles and C\\D.\n\n"
        "[role dispute](x.md) `role` **IPT**\n\n    role in code\n\n*[IPT]: Redefined here\n*[role]: ''\n"
    )
    plain, fast = both(text, glossary)
    assert fast == plain
    assert '<abbr title="Redefined here">IPT</abbr>' in fast


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS + [" ", ", ", "\n\n", "`", "*", "-", "s"]), max_size=40),
    terms=st.lists(st.sampled_from(WORDS), unique=True, max_size=8),
    local=st.lists(st.sampled_from(WORDS), unique=True, max_size=2),
    removed=st.lists(st.sampled_from(WORDS), unique=True, max_size=2),
)
def test_any_text_and_glossary_give_the_extensions_html(words, terms, local, removed):
    glossary = {term: f"Meaning of {term}" for term in terms}
    text = "".join(words) + "\n\n" + "".join(f"*[{term}]: Local {term}\n" for term in local)
    text += "".join(f"\n*[{term}]: ''\n" for term in removed)  # a page may take a glossary term away
    plain, fast = both(text, glossary)
    assert fast == plain
