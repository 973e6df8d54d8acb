"""Rendering: golden pages, escaping of front matter, strict templates, overrides."""

import shutil
from pathlib import Path

import jinja2
import pytest

from coursekit import pipeline
from coursekit.errors import CourseError
from coursekit.render import environment
from tests.conftest import edit
from tests.regenerate_golden import GOLDEN, rendered_fixture


def test_rendered_pages_match_golden_files():
    rendered = rendered_fixture()
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(rendered) == sorted(golden), "pages added or removed: run `make golden` and review"
    for path, text in rendered.items():
        assert text == golden[path], f"{path} differs from its golden file: run `make golden` and review the diff"


def test_cached_templates_and_parses_never_outlive_the_kits_code(tmp_path: Path, project: Path):
    """Jinja folds constant filter calls (`"A" | meaning`) into compiled templates, so the cache key
    must change with the kit's code, or a changed label meaning would never reach the pages."""
    from coursekit import kit_fingerprint, source_fingerprint
    from coursekit.load import ParseCache

    shutil.copytree(Path(pipeline.__file__).parent, tmp_path / "kit", ignore=shutil.ignore_patterns("__pycache__"))
    before = source_fingerprint(tmp_path / "kit")
    words = tmp_path / "kit/vocabulary.py"
    words.write_text(words.read_text(encoding="utf-8").replace("Guideline-endorsed", "Endorsed"), encoding="utf-8")
    assert source_fingerprint(tmp_path / "kit") != before
    assert before == kit_fingerprint()
    assert kit_fingerprint() in environment(None).bytecode_cache.pattern
    assert kit_fingerprint() in ParseCache(project).path.name


def test_front_matter_text_is_escaped_once_where_it_enters_markdown(project: Path):
    """HTML is escaped in the Markdown, once; front matter holds plain text with no entities."""
    edit(project / "modules/01-first-steps/module.md", "title: First steps", 'title: "</title><script>x</script>"')
    edit(
        project / "modules/01-first-steps/module.md",
        "  - Explain the first idea.",
        "  - Explain <img src=x onerror=alert(1)>.",
    )
    edit(
        project / "modules/01-first-steps/module.md",
        "summary: What the fixture teaches first.",
        'summary: Marcus\'s "first" steps & more.',
    )
    pipeline.generate(project)
    page = (project / "docs/weeks/first-steps.md").read_text(encoding="utf-8")
    assert '\ndescription: "Marcus\'s \\"first\\" steps & more."\n---\n' in page
    assert "# Week 1: &lt;/title>&lt;script>x&lt;/script>" in page
    assert "- Explain &lt;img src=x onerror=alert(1)>." in page
    assert 'Marcus\'s "first" steps & more.' in page
    assert "<script>" not in page and "<img" not in page and "&#39;" not in page and "&#34;" not in page
    nav = (project / ".generated/mkdocs-course.yml").read_text(encoding="utf-8")
    assert "<script>" not in nav


def test_templates_fail_on_undefined_variables():
    env = environment()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ nothing_here }}").render()


def test_override_folder_replaces_one_template_and_falls_back_for_the_rest(project: Path, tmp_path: Path):
    override = tmp_path / "mine"
    override.mkdir()
    (override / "exercise.md.j2").write_text(
        '{% from "_macros.md.j2" import front %}{{ front(exercise.meta.title, "d", marker) }}\n\n# Worksheet: {{ exercise.meta.title }}\n',
        encoding="utf-8",
    )
    pipeline.generate(project, templates=override)
    assert "# Worksheet: Draw a circle" in (project / "docs/exercises/draw-a-circle.md").read_text(encoding="utf-8")
    assert "## Learning objectives" in (project / "docs/weeks/first-steps.md").read_text(encoding="utf-8")


def test_override_with_missing_variable_is_a_one_line_error(project: Path, tmp_path: Path):
    override = tmp_path / "mine"
    override.mkdir()
    (override / "syllabus.md.j2").write_text("{{ no_such_thing }}\n", encoding="utf-8")
    with pytest.raises(CourseError) as error:
        pipeline.generate(project, templates=override)
    assert [str(p) for p in error.value.problems] == [
        f"{override / 'syllabus.md.j2'}:1: template error: the template uses 'no_such_thing', which this page is not given: the authoring guide lists what each template receives"
    ]


@pytest.mark.parametrize(
    "citation, short",
    [
        ("Frank, E. (2005). Treating Bipolar Disorder. New York: Guilford.", "Frank (2005)"),
        ("Lipsitz, J. D. and Markowitz, J. C. (2013). Mechanisms of change.", "Lipsitz and Markowitz (2013)"),
        ("Weissman, M. M., Markowitz, J. C. and Klerman, G. L. (2018). The Guide.", "Weissman et al. (2018)"),
        ("Klass, D., Silverman, P. R. and Nickman, S. L. (eds) (1996). Continuing Bonds.", "Klass et al. (1996)"),
        (
            "World Health Organization (2016). Group Interpersonal Therapy (IPT) for Depression.",
            "World Health Organization (2016)",
        ),
        ("IPT UK (n.d.). Accreditation standards.", "IPT UK (n.d.)"),
    ],
)
def test_sources_are_named_as_in_running_text(citation, short):
    from coursekit import model, views

    assert views.short_citation(model.Reference(citation=citation, kind="book")) == short


def test_a_misspelt_field_in_a_template_is_named_with_a_suggestion(project: Path, tmp_path: Path):
    override = tmp_path / "mine"
    override.mkdir()
    (override / "module.md.j2").write_text("{{ module.meta.wek }}\n", encoding="utf-8")
    with pytest.raises(CourseError) as error:
        pipeline.generate(project, templates=override)
    assert [str(p) for p in error.value.problems] == [
        f"{override / 'module.md.j2'}:1: template error: the template uses '.wek' of a ModuleMeta, which has no such field: did you mean 'week'?"
    ]


def test_an_override_template_cannot_reach_python_internals(project: Path, tmp_path: Path):
    """Templates are code from pull requests: the sandbox stops one from reaching files or commands."""
    override = tmp_path / "mine"
    override.mkdir()
    (override / "syllabus.md.j2").write_text(
        "{{ course.__class__.__init__.__globals__['__builtins__']['open']('/etc/passwd').read() }}\n",
        encoding="utf-8",
    )
    with pytest.raises(CourseError) as error:
        pipeline.generate(project, templates=override)
    assert [str(p) for p in error.value.problems] == [
        f"{override / 'syllabus.md.j2'}:1: template error: the template reads '__class__' of a Course: a template may use the course's fields and filters, never Python's internals"
    ]
