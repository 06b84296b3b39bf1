"""``specgen diff`` as one call: load both sides, compare, print a report, return the exit code."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from ..config import load_config
from ..errors import SpecgenError
from .api import diff_apis
from .output import to_json, to_markdown, to_text
from .sources import load_side

FORMATS = ("text", "markdown", "json")
FAIL_ON = ("breaking", "any")
EXIT_CLEAN, EXIT_CHANGED, EXIT_UNREADABLE = 0, 1, 2

_RENDER = {"text": to_text, "markdown": to_markdown, "json": to_json}


def _reference(references: Sequence[Path], no_reference: bool) -> tuple[Path, ...]:
    if no_reference:
        return ()
    return load_config(reference=tuple(references) or None).reference


def run_diff(
    old: str,
    new: str,
    *,
    output_format: str = "text",
    fail_on: str = "breaking",
    references: Sequence[Path] = (),
    no_reference: bool = False,
) -> int:
    """Print the changes from ``old`` to ``new`` and return the exit code (0, 1, or 2 when a side
    cannot be read; then each problem is one ``error:`` line and nothing else is printed).

    ``output_format`` is one of FORMATS, ``fail_on`` one of FAIL_ON.
    """
    if output_format not in FORMATS or fail_on not in FAIL_ON:
        raise ValueError(f"unknown format {output_format!r} or fail-on {fail_on!r}")
    try:
        reference = _reference(references, no_reference)
    except SpecgenError as error:
        click.echo(f"error: {error}", err=True)
        return EXIT_UNREADABLE
    sides = [load_side(old, reference), load_side(new, reference)]
    problems = list(dict.fromkeys(str(error) for side in sides for error in side.errors))
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    before, after = sides[0].api, sides[1].api
    if problems or before is None or after is None:
        return EXIT_UNREADABLE
    changes = diff_apis(before, after)
    click.echo(_RENDER[output_format](changes), nl=False)
    failing = changes if fail_on == "any" else [c for c in changes if c.breaking]
    return EXIT_CHANGED if failing else EXIT_CLEAN
