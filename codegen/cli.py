"""The ``specgen`` command: a thin Click layer over the library API; every stage is callable alone."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from . import __version__
from .errors import SpecgenError
from .fs import ensure_ours, write_atomic
from .ingest import ingest_all
from .ingest.document import SOURCE_EXTENSION


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
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the ingested OpenAPI 3.1 documents (<name>.yaml each).")
@click.option("--vendor", default=None, help="Vendor of every source (default: file name up to the first dot).")
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


if __name__ == "__main__":  # pragma: no cover
    main()
