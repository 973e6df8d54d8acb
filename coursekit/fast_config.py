"""Load the engine's configuration as the engine does, with libyaml parsing its YAML.

MkDocs parses mkdocs.yml (and the generated file it INHERITs) with PyYAML's pure-Python loader. The
generated file holds the glossary as the abbr extension's setting, so a glossary of 10,000 terms
took seconds to read on every build. `load_config` is the engine's `load_config` step for step
(same file opening, same tags such as !ENV, same validation and messages), with the C loader of the
same PyYAML: the same values, read about ten times faster. A file the C loader cannot parse is
parsed again by the engine's own loader, so a YAML mistake reads exactly as the engine words it.
`package` is the engine's package: "mkdocs", or a fork with the same modules ("properdocs").
"""

from __future__ import annotations

import importlib
import logging

import yaml

_FAST_LOADER = getattr(yaml, "CLoader", None)  # the same constructors and resolver as yaml.Loader, parsed in C


def load_config(config_file: str, package: str = "mkdocs", **options):
    """The engine's load_config(config_file, **options), parsing YAML with libyaml when it is installed."""
    base = importlib.import_module(f"{package}.config.base")
    defaults = importlib.import_module(f"{package}.config.defaults")
    engine_yaml = importlib.import_module(f"{package}.utils.yaml")
    exceptions = importlib.import_module(f"{package}.exceptions")
    log = logging.getLogger(base.__name__)
    options = {key: value for key, value in options.items() if value is not None}
    with base._open_config_file(config_file) as fd:
        config = defaults.MkDocsConfig(config_file_path=getattr(fd, "name", None))
        config.load_dict(_parse(fd, config, engine_yaml, exceptions))
    config.load_dict(options)
    errors, warnings = config.validate()
    for name, warning in warnings:
        log.warning(f"Config value '{name}': {warning}")
    for name, error in errors:
        log.error(f"Config value '{name}': {error}")
    if errors:
        raise exceptions.Abort("Aborted with a configuration error!")
    if config.strict and warnings:
        raise exceptions.Abort(f"Aborted with {len(warnings)} configuration warnings in 'strict' mode!")
    return config


def _parse(fd, config, engine_yaml, exceptions) -> dict:
    if _FAST_LOADER is not None:
        try:
            return engine_yaml.yaml_load(fd, engine_yaml.get_yaml_loader(loader=_FAST_LOADER, config=config))
        except exceptions.ConfigurationError:
            fd.seek(0)  # the engine's loader says what is wrong, in its own words
    return engine_yaml.yaml_load(fd, engine_yaml.get_yaml_loader(config=config))
