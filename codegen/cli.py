"""The ``specgen`` command: a thin Click layer over the library API; every stage is callable alone."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from . import __version__
from .config import load_config
from .errors import SpecgenError
from .fs import ensure_ours, write_atomic
from .ingest import ingest_all
from .ingest.document import SOURCE_EXTENSION, dump_yaml
from .ir.serialize import dump_json, to_data
from .pipeline import Loaded, load, merge_loaded


def _fail(error: SpecgenError | str) -> None:
    click.echo(f"error: {error}", err=True)


def _paths(sources: Sequence[str]) -> list[Path]:
    return [Path(source) for source in sources]


@click.group()
@click.version_option(__version__, prog_name="specgen")
def main() -> None:
    """Turn vendor API documents into one typed Python client, models and server."""


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the ingested OpenAPI 3.1 documents (<name>.yaml each).",
)
@click.option(
    "--vendor",
    default=None,
    help="Vendor of every source (default: file name up to the first dot).",
)
@click.option("--force", is_flag=True, help="Overwrite files in --out that specgen did not write.")
def ingest(sources: tuple[str, ...], out_dir: Path, vendor: str | None, force: bool) -> None:
    """Read vendor documents into unrepaired OpenAPI 3.1 documents with a source map."""
    documents, errors = ingest_all(_paths(sources), vendor=vendor)
    for error in errors:
        _fail(error)
    written = 0
    for document in documents:
        target = out_dir / f"{document.name}.yaml"
        try:
            ensure_ours(target, SOURCE_EXTENSION + ":", force=force)
        except SpecgenError as error:
            _fail(error)
            errors.append(error)
            continue
        write_atomic(target, document.to_yaml(relative_to=str(out_dir)))
        written += 1
        click.echo(f"{target}: {document.reader} reader, vendor {document.vendor}")
    click.echo(f"ingested {written} of {len(sources)} documents")
    if errors:
        sys.exit(1)


def _load_or_exit(
    sources: tuple[str, ...], vendor: str | None, reference: tuple[Path, ...]
) -> Loaded:
    loaded = load(_paths(sources), vendor=vendor, reference=reference)
    for error in loaded.unreadable:
        _fail(error)
    if loaded.unreadable:
        click.echo(
            f"{len(loaded.unreadable)} of {len(sources) + len(reference)} documents unreadable;"
            " nothing written",
            err=True,
        )
        sys.exit(2)
    return loaded


@main.command("ir")
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "yaml"]),
    default="json",
    show_default=True,
)
@click.option(
    "--vendor",
    default=None,
    help="Vendor of every source (default: file name up to the first dot).",
)
@click.option(
    "--reference",
    "references",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A reference document of the API family: evidence of less weight.",
)
def ir_command(
    sources: tuple[str, ...], output_format: str, vendor: str | None, references: tuple[Path, ...]
) -> None:
    """Print the merged IR of the sources."""
    config = load_config(reference=references or None)
    loaded = _load_or_exit(sources, vendor, config.reference)
    result = merge_loaded(loaded)
    if output_format == "json":
        click.echo(dump_json(result.api), nl=False)
    else:
        click.echo(dump_yaml(to_data(result.api)), nl=False)


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report as text lines or as JSON.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when any warning remains.")
@click.option(
    "--vendor",
    default=None,
    help="Vendor of every source (default: file name up to the first dot).",
)
def lint(sources: tuple[str, ...], output_format: str, strict: bool, vendor: str | None) -> None:
    """Ingest and normalize documents and report every repair and finding; build nothing.

    Exit 0 when all is repaired or only warnings remain, 1 on an error finding (or any warning
    with --strict), 2 when a source cannot be read (the others are still reported).
    """
    from .normalize.lint import lint_paths  # here, so this command stays one self-contained block

    result = lint_paths(_paths(sources), vendor=vendor)
    for error in result.unreadable:
        _fail(error)
    click.echo(result.to_text() if output_format == "text" else result.report.to_json(), nl=False)
    sys.exit(result.exit_code(strict=strict))


if __name__ == "__main__":  # pragma: no cover
    main()
