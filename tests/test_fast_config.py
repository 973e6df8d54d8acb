"""The engine's configuration read with libyaml gives the engine's own values and error messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs import exceptions
from mkdocs.config import load_config as engine_load_config

from coursekit import fast_config, pipeline
from coursekit.errors import CourseError
from coursekit.site import build_site


def test_the_generated_config_loads_to_the_engines_values(project: Path):
    pipeline.generate(project)
    path = str(project / "mkdocs.yml")
    ours, theirs = fast_config.load_config(path, strict=True), engine_load_config(path, strict=True)
    assert {k: ours[k] for k in ("nav", "mdx_configs", "markdown_extensions", "extra", "site_name", "theme")} == {
        k: theirs[k] for k in ("nav", "mdx_configs", "markdown_extensions", "extra", "site_name", "theme")
    }


def test_a_yaml_mistake_in_mkdocs_yml_reads_as_the_engine_words_it(project: Path):
    pipeline.generate(project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nextra_css: [unclosed\n", encoding="utf-8")
    with pytest.raises(exceptions.ConfigurationError) as engine:
        engine_load_config(str(config))
    with pytest.raises(CourseError) as ours:
        build_site(project)
    assert [p.message for p in ours.value.problems] == [f"MkDocs: ConfigurationError: {engine.value}"]
    assert str(engine.value).startswith("MkDocs encountered an error parsing the configuration file: while parsing")
