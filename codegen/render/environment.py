"""The one Jinja environment every template is rendered with: user folder first, then built-ins."""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from .docs import docstring

BUILTIN_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
"""The shipped templates; a user's folder overrides them one file at a time."""


def make_environment(template_dir: Path | None = None) -> Environment:
    """An environment whose loader tries ``template_dir`` before the built-in templates.

    Includes and imports go through the same loader, so a user's macro file replaces the
    built-in one wherever it is used.
    """
    folders = [BUILTIN_TEMPLATES] if template_dir is None else [template_dir, BUILTIN_TEMPLATES]
    environment = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    environment.filters["docstring"] = docstring
    return environment
