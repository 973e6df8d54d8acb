"""Hostile files: bounded YAML, nothing from outside the project, and the small things `new` and the loader refuse.

Each case is one exact line per problem, exit 1, no traceback, and (where a build could write)
docs/ and site/ unchanged. Only `check` runs, except where the build itself is what is attacked.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import time
import tracemalloc
from pathlib import Path

import pytest

from coursekit import private_cache
from coursekit.load import ParseCache, Source, load_course
from tests.conftest import edit, run_cli, tree_digest

M1 = "modules/01-first-steps/module.md"
GLOSSARY = "modules/glossary.yml"
EXERCISES = "modules/01-first-steps/exercises"
OK = "2 modules, 2 exercises, 2 role-plays, 1 quiz: OK\n"

ALIAS = "uses a YAML alias ('*'): the kit does not expand aliases; write the value out in full instead"
ANCHOR = "uses a YAML anchor ('&'): the kit does not allow anchors and aliases; remove it and write values out in full"
DEPTH = "is nested more than 32 levels deep: the kit's files need a few levels at most; flatten it"
NUMBER = "has a number longer than 30 characters: shorten it, or put it in quotes if it is text"
VALUES = "holds more than 20,000 values: split it into several files"
LARGE = "is larger than 1 MB, the most the kit reads: split it into several files, or put large files in docs/assets/"
OUTSIDE_FILE = "is a link to a file outside the project: replace the link with the file itself"
OUTSIDE_FOLDER = "is a link to a folder outside the project: replace the link with the folder itself"
LOOP = "is a link in a loop (following it leads back to where it started): remove the link"
BROKEN = "is a link to a file that does not exist: remove the link, or put the file itself here"
RESERVED = "is a name Windows reserves for a device, so the site could not be built on Windows"
SECRET = "TOPSECRET"

# The classic "billion laughs": seven levels of aliases, each nine of the level below (9^8 strings).
ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{level}: &{level} [{', '.join([f'*{below}'] * 9)}]\n" for below, level in zip("abcdefg", "bcdefgh", strict=True)
)


def assert_refused(result: subprocess.CompletedProcess, *lines: str, outcome: str = "nothing was written") -> None:
    """Exactly these problem lines, then the count; exit 1 and no traceback."""
    assert "Traceback" not in result.stderr, result.stderr
    noun = "problem" if len(lines) == 1 else "problems"
    assert result.stderr.splitlines() == [*lines, f"error: {len(lines)} {noun}; {outcome}"]
    assert result.returncode == 1


def front_matter(project: Path, text: str) -> None:
    """Put YAML at the top of module 1's front matter, from line 2."""
    edit(project / M1, "---\nid: first-steps", f"---\n{text}id: first-steps")


def glossary_tail(project: Path, text: str) -> int:
    """Append YAML to the glossary; the line it starts on."""
    path = project / GLOSSARY
    old = path.read_text(encoding="utf-8")
    path.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


# ---------------------------------------------------------------------------------------------
# 3. Bounded YAML


def _bomb_in_front_matter(p: Path) -> str:
    front_matter(p, "bomb:\n" + "".join(f"  {line}\n" for line in ALIAS_BOMB.splitlines()))
    return f"{M1}:3: {ANCHOR}"


def _merge_key_in_glossary(p: Path) -> str:
    line = glossary_tail(p, "base: &base\n  term: base\n  definition: A base.\nother:\n  <<: *base\n")
    return f"{GLOSSARY}:{line}: {ANCHOR}"


def _alias_without_anchor(p: Path) -> str:
    edit(p / M1, "summary: What the fixture teaches first.", "summary: *summary")
    return f"{M1}:5: {ALIAS}"


def _anchor_without_alias(p: Path) -> str:
    edit(p / M1, "title: First steps", "title: &title First steps")
    return f"{M1}:3: {ANCHOR}"


def _deep_flow_nesting(p: Path) -> str:
    edit(p / M1, "summary: What the fixture teaches first.", "summary: " + "[" * 100_000 + "]" * 100_000)
    return f"{M1}:5: {DEPTH}"


def _deep_flow_mappings(p: Path) -> str:
    edit(p / M1, "summary: What the fixture teaches first.", "summary: " + "{a: " * 50_000 + "}" * 50_000)
    return f"{M1}:5: {DEPTH}"


def _deep_block_nesting(p: Path) -> str:
    line = glossary_tail(p, "".join("  " * level + "deep:\n" for level in range(900)) + "  " * 900 + "x\n")
    return f"{GLOSSARY}:{line + 32}: {DEPTH}"  # the glossary's own mapping is the first level


def _deep_compact_lists(p: Path) -> str:
    front_matter(p, "deep:\n  " + "- " * 100_000 + "x\n")
    return f"{M1}:3: {DEPTH}"


def _huge_integer(p: Path) -> str:
    edit(p / M1, "duration: 60", "duration: " + "9" * 5000)
    return f"{M1}:6: {NUMBER}"


def _huge_integer_as_key(p: Path) -> str:
    line = glossary_tail(p, "? 1" + "0" * 5000 + "\n: big\n")
    return f"{GLOSSARY}:{line}: {NUMBER}"


def _long_float(p: Path) -> str:
    edit(p / M1, "duration: 60", "duration: 1." + "5" * 5000)
    return f"{M1}:6: {NUMBER}"


def _huge_exponent(p: Path) -> str:
    edit(p / M1, "duration: 60", "duration: 1.0e+99999")
    return f"{M1}:6: 'duration' must be a whole number, not inf"


def _too_many_values(p: Path) -> str:
    front_matter(p, "many: [" + "1, " * 25_000 + "1]\n")
    return f"{M1}:2: {VALUES}"


def _five_megabyte_module(p: Path) -> str:
    path = p / M1
    path.write_text(path.read_text(encoding="utf-8") + "Padding the lesson. " * 250_000, encoding="utf-8")
    return f"{M1}:1: {LARGE}"


def _five_megabyte_glossary(p: Path) -> str:
    glossary_tail(p, "# padding\n" * 500_000)
    return f"{GLOSSARY}:1: {LARGE}"


YAML_CASES = [
    _bomb_in_front_matter,
    _merge_key_in_glossary,
    _alias_without_anchor,
    _anchor_without_alias,
    _deep_flow_nesting,
    _deep_flow_mappings,
    _deep_block_nesting,
    _deep_compact_lists,
    _huge_integer,
    _huge_integer_as_key,
    _long_float,
    _huge_exponent,
    _too_many_values,
    _five_megabyte_module,
    _five_megabyte_glossary,
]


@pytest.mark.parametrize("breaker", YAML_CASES, ids=[c.__name__.lstrip("_") for c in YAML_CASES])
def test_hostile_yaml_is_one_line(project: Path, breaker):
    expected = breaker(project)
    assert_refused(run_cli("check", "--quick", project=project), expected)


def test_alias_bomb_is_refused_within_a_second_and_a_few_megabytes(project: Path):
    _bomb_in_front_matter(project)
    tracemalloc.start()
    started = time.perf_counter()
    raw = load_course(project)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [str(p) for p in raw.problems] == [f"{M1}:3: {ANCHOR}"]
    assert seconds < 1.0, f"{seconds:.2f} s"
    assert peak < 5_000_000, f"{peak / 1e6:.1f} MB"


def test_refused_file_is_not_cached(project: Path):
    _bomb_in_front_matter(project)
    assert run_cli("check", "--quick", project=project).returncode == 1
    cache = ParseCache(project)
    assert cache.path.stat().st_size < 100_000
    assert M1 not in cache.entries and GLOSSARY in cache.entries


# ---------------------------------------------------------------------------------------------
# The parse cache only saves time: damaged, oversized or unwritable, it is ignored.


def _poisoned_entries(project: Path) -> dict:
    """Cache entries that, if used, would give module 1 a field 'poisoned' (a problem in check)."""
    digest = ParseCache(project).entries[M1][0]
    return {M1: (digest, Source(M1, {"poisoned": True}))}


@pytest.mark.parametrize(
    "damage",
    [
        lambda entries: b"\x80\x05not a pickle at all",
        lambda entries: pickle.dumps(["a", "list"]),
        lambda entries: pickle.dumps({M1: "not an entry", GLOSSARY: ("too", "many", "parts")}),
        lambda entries: pickle.dumps(entries)[:-20],
        # a valid cache, but larger than any course's: never loaded, so its poisoned entry is unused
        lambda entries: pickle.dumps({**entries, "padding": (b"", b"x" * ParseCache.MAX_BYTES)}),
    ],
    ids=["random_bytes", "a_list", "wrong_entries", "truncated", "oversized"],
)
def test_damaged_cache_is_ignored(project: Path, damage):
    assert load_course(project).problems == []  # fills the cache
    cache_path = ParseCache(project).path
    cache_path.write_bytes(damage(_poisoned_entries(project)))
    started = time.perf_counter()
    assert ParseCache(project).entries == {}
    assert time.perf_counter() - started < 0.5
    result = run_cli("check", "--quick", project=project)
    assert (result.returncode, result.stdout, result.stderr) == (0, OK, "")


def test_poisoned_cache_would_be_used(project: Path):
    """The oversized case above can fail: the same poisoned entry, in a cache of normal size, is used."""
    assert load_course(project).problems == []
    ParseCache(project).path.write_bytes(pickle.dumps(_poisoned_entries(project)))
    result = run_cli("check", "--quick", project=project)
    assert f"{M1}:1: unknown field 'poisoned': remove it or check the spelling" in result.stderr.splitlines()


def test_unwritable_cache_folder_is_skipped(project: Path, tmp_path: Path):
    temp = tmp_path / "temp"
    temp.mkdir()
    blocker = temp / f"course-kit-cache-{os.getuid()}"
    blocker.write_text("a file where the cache folder should be\n", encoding="utf-8")
    result = run_cli("check", "--quick", project=project, env={**os.environ, "TMPDIR": str(temp)})
    assert (result.returncode, result.stdout, result.stderr) == (0, OK, "")
    assert sorted(p.name for p in temp.iterdir()) == [blocker.name]


def test_data_larger_than_its_reader_accepts_is_not_written(tmp_path: Path):
    private_cache.write(tmp_path / "cache/big-1.pickle", b"x" * 2000, max_bytes=1000)
    private_cache.write(tmp_path / "cache/small-1.pickle", b"x" * 10, max_bytes=1000)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["small-1.pickle"]


def test_a_full_cache_folder_loses_its_least_recently_written_files(tmp_path: Path):
    """Every project a user builds leaves caches behind; past the limit the oldest go, down to three quarters."""
    folder = tmp_path / "cache"
    folder.mkdir()
    for number in range(10):  # 1,000 bytes each, written one second apart
        path = folder / f"project{number}-1.pickle"
        path.write_bytes(b"x" * 1000)
        os.utime(path, (1_000_000 + number, 1_000_000 + number))
    private_cache.prune(folder, max_bytes=10_000, keep=folder / "project0-1.pickle")
    assert len(list(folder.iterdir())) == 10  # within the limit: nothing goes
    private_cache.prune(folder, max_bytes=8_000, keep=folder / "project0-1.pickle")
    # down to 6,000 bytes: the oldest but the one just written go, from project1 on
    assert sorted(p.name for p in folder.iterdir()) == [f"project{n}-1.pickle" for n in (0, 5, 6, 7, 8, 9)]


@pytest.fixture
def full_temp_folder(tmp_path: Path):
    """A tiny tmpfs with one page free: room for Python's probe file, not for the cache (needs root)."""
    mount = tmp_path / "full"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("mounting a tmpfs needs root")
    try:
        filler = mount / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:  # full
            pass
        finally:
            os.close(fd)
        os.truncate(filler, filler.stat().st_size - 4096)
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_full_temp_folder_is_skipped(project: Path, full_temp_folder: Path):
    result = run_cli("check", "--quick", project=project, env={**os.environ, "TMPDIR": str(full_temp_folder)})
    assert (result.returncode, result.stdout, result.stderr) == (0, OK, "")
    left = sorted(p.relative_to(full_temp_folder).as_posix() for p in full_temp_folder.rglob("*"))
    assert left == [f"course-kit-cache-{os.getuid()}", "filler"]  # no half-written cache left behind


# ---------------------------------------------------------------------------------------------
# 4. Nothing from outside the project


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the project, holding a valid-looking glossary, module and asset full of secrets."""
    folder = tmp_path / "outside"
    (folder / "module").mkdir(parents=True)
    (folder / "glossary.yml").write_text(
        f"secret:\n  term: {SECRET}\n  definition: {SECRET} from outside.\n", encoding="utf-8"
    )
    (folder / "page.md").write_text(f"---\nid: secret\ntitle: {SECRET}\n---\n{SECRET}\n", encoding="utf-8")
    (folder / "module" / "module.md").write_text(f"---\nid: {SECRET}\n---\n", encoding="utf-8")
    return folder


OUTSIDE_LINKS = [
    # (case, link under the project, target under `outside`, expected message)
    ("glossary", GLOSSARY, "glossary.yml", OUTSIDE_FILE),
    ("exercise", f"{EXERCISES}/secret.md", "page.md", OUTSIDE_FILE),
    ("course_page", "modules/pages/secret.md", "page.md", OUTSIDE_FILE),
    ("module_folder", "modules/03-secret", "module", OUTSIDE_FOLDER),
    ("docs_asset", "docs/assets/secret.css", "glossary.yml", OUTSIDE_FILE),
    ("docs_folder", "docs/secret", "module", OUTSIDE_FOLDER),
    ("templates_file", "templates/exercise.md.j2", "page.md", OUTSIDE_FILE),
    ("theme_override", "overrides/partials/secret.html", "page.md", OUTSIDE_FILE),
    ("engine_config", "mkdocs.yml", "glossary.yml", OUTSIDE_FILE),
]


@pytest.mark.parametrize(("case", "link", "target", "message"), OUTSIDE_LINKS, ids=[c[0] for c in OUTSIDE_LINKS])
def test_link_out_of_the_project_is_refused_and_never_read(project: Path, outside: Path, case, link, target, message):
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    (project / link).unlink(missing_ok=True)
    (project / link).symlink_to(outside / target)
    result = run_cli("check", "--quick", project=project)
    assert_refused(result, f"{link}:1: {message}")
    assert SECRET not in result.stdout + result.stderr


LOOPS = [
    # (case, {link: target}, folders to make first, the links reported)
    ("self", {"docs/assets/loop": "loop"}, [], ["docs/assets/loop"]),
    ("to_its_folder", {"docs/assets/here": "."}, [], ["docs/assets/here"]),
    ("to_a_parent", {"docs/assets/up": "../.."}, [], ["docs/assets/up"]),
    (
        "two_links",
        {"docs/assets/a/l": "../b", "docs/assets/b/m": "../a"},
        ["docs/assets/a", "docs/assets/b"],
        ["docs/assets/b/m"],
    ),
    ("module_file", {f"{EXERCISES}/loop.md": "loop.md"}, [], [f"{EXERCISES}/loop.md"]),
    (
        "module_folder",
        {"modules/02-loss-and-change/roleplays/up": "../.."},
        [],
        ["modules/02-loss-and-change/roleplays/up"],
    ),
]


@pytest.mark.parametrize(("case", "links", "folders", "reported"), LOOPS, ids=[c[0] for c in LOOPS])
def test_link_loop_is_reported_not_followed(project: Path, case, links, folders, reported):
    for folder in folders:
        (project / folder).mkdir(parents=True)
    for link, target in links.items():
        (project / link).symlink_to(target)
    assert_refused(run_cli("check", "--quick", project=project), *(f"{path}:1: {LOOP}" for path in reported))


def test_broken_link_is_reported(project: Path):
    (project / "docs/assets/gone.css").symlink_to("missing.css")
    assert_refused(run_cli("check", "--quick", project=project), f"docs/assets/gone.css:1: {BROKEN}")


@pytest.fixture
def built_stand_in(project: Path) -> Path:
    """A project with a docs/ page and a site/ to lose: the build must leave both as they were."""
    (project / "docs/index.md").write_text("An earlier home page.\n", encoding="utf-8")
    (project / "site").mkdir()
    (project / "site/index.html").write_text("<p>The last good site.</p>\n", encoding="utf-8")
    return project


def test_build_refuses_a_loop_in_docs_before_the_engine(built_stand_in: Path):
    project = built_stand_in
    (project / "docs/assets/loop").symlink_to("..")
    before = tree_digest(project / "docs"), tree_digest(project / "site")
    result = run_cli("build", project=project)
    assert_refused(result, f"docs/assets/loop:1: {LOOP}")
    assert (tree_digest(project / "docs"), tree_digest(project / "site")) == before


def test_build_refuses_a_template_override_link(built_stand_in: Path, outside: Path, tmp_path: Path):
    project = built_stand_in
    override = tmp_path / "my-templates"
    override.mkdir()
    (override / "exercise.md.j2").symlink_to(outside / "page.md")
    before = tree_digest(project / "docs"), tree_digest(project / "site")
    result = run_cli("build", "--templates", str(override), project=project)
    assert_refused(
        result,
        f"{override.as_posix()}/exercise.md.j2:1: is a link to a file outside the project or the template folder: "
        "replace the link with the file itself",
    )
    assert SECRET not in result.stdout + result.stderr
    assert (tree_digest(project / "docs"), tree_digest(project / "site")) == before


def test_links_inside_the_project_are_allowed(project: Path):
    drafts = project / "drafts"
    drafts.mkdir()
    (project / "modules/pages/start-here.md").rename(drafts / "start-here.md")
    (project / "modules/pages/start-here.md").symlink_to("../../drafts/start-here.md")
    (project / "docs/assets/shared").symlink_to("../../drafts")
    (project / "docs/assets/copy.css").symlink_to("course.css")
    result = run_cli("check", "--quick", project=project)
    assert (result.returncode, result.stdout, result.stderr) == (0, OK, "")


# ---------------------------------------------------------------------------------------------
# 10. Small things


@pytest.mark.parametrize(
    "name",
    [f"{EXERCISES}/x.MD", "modules/01-first-steps/roleplays/x.Md", "modules/pages/x.markdown", f"{EXERCISES}/x.mkd"],
)
def test_markdown_file_not_named_md_is_reported(project: Path, name: str):
    (project / name).write_text("---\nid: x\n---\n", encoding="utf-8")
    assert_refused(
        run_cli("check", "--quick", project=project),
        f"{name}:1: is not read: the kit reads Markdown files whose names end in '.md': rename it to x.md",
    )


def _copy_with_id(project: Path, source: str, target: str, old_id: str, new_id: str) -> None:
    text = (project / source).read_text(encoding="utf-8")
    (project / target).write_text(text.replace(f"id: {old_id}\n", f"id: {new_id}\n", 1), encoding="utf-8")


def _reserved_module(p: Path) -> str:
    (p / "modules/02-loss-and-change").rename(p / "modules/02-con")
    edit(p / "modules/02-con/module.md", "id: loss-and-change", "id: con")
    return "modules/02-con/module.md:2: id: 'con'"


def _reserved_exercise(p: Path) -> str:
    _copy_with_id(p, f"{EXERCISES}/draw-a-circle.md", f"{EXERCISES}/aux.md", "draw-a-circle", "aux")
    return f"{EXERCISES}/aux.md:2: id: 'aux'"


def _reserved_roleplay(p: Path) -> str:
    roleplays = "modules/01-first-steps/roleplays"
    _copy_with_id(p, f"{roleplays}/first-conversation.md", f"{roleplays}/nul.md", "first-conversation", "nul")
    return f"{roleplays}/nul.md:2: id: 'nul'"


def _reserved_page(p: Path) -> str:
    _copy_with_id(p, "modules/pages/start-here.md", "modules/pages/com1.md", "start-here", "com1")
    return "modules/pages/com1.md:2: id: 'com1'"


RESERVED_CASES = [_reserved_module, _reserved_exercise, _reserved_roleplay, _reserved_page]


@pytest.mark.parametrize("breaker", RESERVED_CASES, ids=[c.__name__.lstrip("_") for c in RESERVED_CASES])
def test_windows_reserved_id_is_refused(project: Path, breaker):
    where = breaker(project)
    assert_refused(run_cli("check", "--quick", project=project), f"{where} {RESERVED}: choose another id")


NO_ID = "has no letters or digits to make an id of: give a title in words"
RESERVED_TITLE = "a name Windows reserves for a device, so the site could not be built on Windows: give a longer title"
WEEKS = "is not a week of the course, which has weeks 1 to 2: give --week from 1 to 2, or raise 'weeks' here first"
NEW_CASES = [
    # (case, arguments of `new`, the exact line)
    ("week_0", ["module", "Anger", "--week", "0"], f"modules/course.yml:4: week 0 {WEEKS}"),
    ("week_99", ["module", "Anger", "--week", "99"], f"modules/course.yml:4: week 99 {WEEKS}"),
    ("week_negative", ["module", "Anger", "--week", "-1"], f"modules/course.yml:4: week -1 {WEEKS}"),
    ("empty_module_title", ["module", ""], f'modules:1: the title "" {NO_ID}'),
    ("punctuation_title", ["module", "?! -- !?"], f'modules:1: the title "?! -- !?" {NO_ID}'),
    ("empty_exercise_title", ["exercise", "first-steps", ""], f'{EXERCISES}:1: the title "" {NO_ID}'),
    (
        "blank_roleplay_title",
        ["roleplay", "first-steps", "   "],
        f'modules/01-first-steps/roleplays:1: the title "   " {NO_ID}',
    ),
    ("reserved_module", ["module", "CON"], f"modules:1: the title \"CON\" gives the id 'con', {RESERVED_TITLE}"),
    (
        "reserved_exercise",
        ["exercise", "first-steps", "Lpt1"],
        f"{EXERCISES}:1: the title \"Lpt1\" gives the id 'lpt1', {RESERVED_TITLE}",
    ),
    (
        "reserved_roleplay",
        ["roleplay", "first-steps", "aux!"],
        f"modules/01-first-steps/roleplays:1: the title \"aux!\" gives the id 'aux', {RESERVED_TITLE}",
    ),
]


@pytest.mark.parametrize(("case", "arguments", "expected"), NEW_CASES, ids=[c[0] for c in NEW_CASES])
def test_new_refuses_what_would_not_pass_check(project: Path, case, arguments, expected):
    before = tree_digest(project / "modules")
    assert_refused(run_cli("new", *arguments, project=project), expected)
    assert tree_digest(project / "modules") == before


def test_new_reports_unreadable_references_instead_of_guessing(project: Path):
    line = (project / "modules/references.yml").read_text(encoding="utf-8").count("\n") + 1
    (project / "modules/references.yml").write_text(
        (project / "modules/references.yml").read_text(encoding="utf-8") + "copy: *weissman\n", encoding="utf-8"
    )
    assert_refused(
        run_cli("new", "module", "Anger", "--week", "2", project=project), f"modules/references.yml:{line}: {ALIAS}"
    )
