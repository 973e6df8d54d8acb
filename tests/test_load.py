"""The loader: front matter, line numbers, Windows files, bad encodings."""

from pathlib import Path

import pytest

from coursekit.load import LoadError, load_course, parse_front_matter, read_text


def test_line_numbers_point_at_keys_and_list_items():
    text = "---\nid: x\nobjectives:\n  - one\n  - two\n---\nBody\n"
    source = parse_front_matter(text, "m.md")
    assert source.line_of(("id",)) == 2
    assert source.line_of(("objectives", 1)) == 5
    assert source.line_of(("objectives", 1, "deeper")) == 5
    assert source.body == "Body\n"
    assert source.body_line == 7


def test_windows_file_with_bom_and_crlf_loads(tmp_path: Path):
    path = tmp_path / "m.md"
    path.write_bytes("\ufeff---\r\nid: x\r\ntitle: Café\r\n---\r\nLine one\r\n".encode("utf-8"))
    source = parse_front_matter(read_text(path, "m.md"), "m.md")
    assert source.data == {"id": "x", "title": "Café"}
    assert source.body == "Line one\n"
    assert source.line_of(("title",)) == 3


def test_non_utf8_file_names_its_line(tmp_path: Path):
    path = tmp_path / "m.md"
    path.write_bytes(b"---\nid: x\ntitle: caf\xe9\n---\n")
    with pytest.raises(LoadError) as error:
        read_text(path, "modules/m.md")
    assert (
        str(error.value)
        == 'modules/m.md:3: is not UTF-8 text: save the file as UTF-8 in your editor ("Save with encoding")'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "",
            "m.md:1: is empty: it needs front matter between two '---' lines (`python build_course.py new` writes a template)",
        ),
        (
            "id: x\n",
            "m.md:1: has no front matter: start the file with a line '---', then the fields, then another '---'",
        ),
        ("---\nid: x\n", "m.md:1: front matter is not closed: add a line '---' after the last field"),
        ("---\n---\nbody", "m.md:1: front matter is empty: add the fields between the '---' lines"),
        ("---\n- a\n---\n", "m.md:2: front matter must be a set of 'field: value' lines"),
        (
            "---\nid: x\ntitle: [a\n---\n",
            "m.md:3: invalid YAML (did not find expected ',' or ']'): check the indentation and put quotes around text that contains ': ' or starts with a symbol",
        ),
        ("---\nid: x\nid: y\n---\n", "m.md:3: the key 'id' appears twice (also at line 2): keep one of them"),
    ],
    ids=[
        "empty_file",
        "no_front_matter",
        "unclosed_front_matter",
        "empty_front_matter",
        "front_matter_is_a_list",
        "broken_yaml",
        "duplicate_key",
    ],
)
def test_malformed_files_give_one_exact_line(text: str, expected: str):
    with pytest.raises(LoadError) as error:
        parse_front_matter(text, "m.md")
    assert str(error.value) == expected


def test_load_course_collects_problems_from_every_file(project: Path):
    (project / "modules" / "01-first-steps" / "exercises" / "draw-a-circle.md").write_text("", encoding="utf-8")
    (project / "modules" / "02-loss-and-change" / "roleplays" / "the-empty-kitchen.md").write_bytes(
        b"---\nid: \xff\n---\n"
    )
    (project / "modules" / "stray folder").mkdir()
    raw = load_course(project)
    assert [str(p) for p in raw.problems] == [
        "modules/01-first-steps/exercises/draw-a-circle.md:1: is empty: it needs front matter between two '---' lines (`python build_course.py new` writes a template)",
        'modules/02-loss-and-change/roleplays/the-empty-kitchen.md:2: is not UTF-8 text: save the file as UTF-8 in your editor ("Save with encoding")',
        "modules/stray folder:1: is not a module folder name: name it NN-module-id, e.g. 05-grief-and-loss",
    ]
