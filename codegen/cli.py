"""The ``specgen`` command: a thin Click layer over the library API; every stage is callable alone."""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import msgspec

from . import __version__
from .config import Config, expand_sources, load_config, project_root
from .errors import SpecgenError
from .fs import ensure_ours, shown_path, write_atomic
from .lifetime import start_keeping

if TYPE_CHECKING:
    from .build import BuildOutput
    from .pipeline import Loaded

# The pipeline's modules are imported inside the commands that use them: `specgen --help` and a
# rebuild the cache answers never pay for jinja, pydantic or the validators.


def _fail(error: SpecgenError | str) -> None:
    click.echo(f"error: {error}", err=True)


def _paths(sources: Sequence[str]) -> list[Path]:
    return [Path(source) for source in sources]


class _Group(click.Group):
    """Turns an unexpected exception into one line and exit 70: a user never sees a traceback.

    SpecgenError (the user's input) is handled inside the commands; anything else is a bug in
    specgen, said as such. SPECGEN_DEBUG=1 lets the traceback through for developers.
    """

    def invoke(self, ctx: click.Context) -> Any:
        # A command builds large trees of small objects and frees them together: the cyclic
        # collector's passes over them cost a quarter of a large build (anthropic's document:
        # 6.8 -> 5.1 s of CPU) and find almost nothing (peak memory is the same). It runs again
        # once the command ends, for callers that invoke commands in process.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except SpecgenError as error:
            _fail(error)
            sys.exit(1)
        except Exception as error:
            if os.environ.get("SPECGEN_DEBUG") == "1":
                raise
            text = str(error).splitlines()[0] if str(error) else ""
            if len(text) > 200:
                text = text[:200] + "…"
            _fail(f"internal error ({type(error).__name__}: {text}); please report it")
            sys.exit(70)
        finally:
            if collecting:
                gc.enable()


@click.group(cls=_Group)
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
    from .ingest import ingest_all
    from .ingest.document import SOURCE_EXTENSION

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
    from .pipeline import load

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
    from .ingest.document import dump_yaml
    from .ir.serialize import dump_json, to_data
    from .pipeline import merge_loaded

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


def _sources_or_config(sources: tuple[str, ...], config: Config) -> list[Path]:
    if sources:
        return _paths(sources)
    if not config.sources:
        _fail("no SOURCE given and no [tool.specgen] sources configured")
        sys.exit(2)
    try:
        return expand_sources(config.sources)
    except SpecgenError as error:
        _fail(error)
        sys.exit(2)


def _report_problems(output: BuildOutput, config: Config) -> None:
    """Exit non-zero, writing nothing, when the documents cannot produce a sound package."""
    for error in output.unreadable:
        _fail(error)
    if output.unreadable:
        click.echo(f"{len(output.unreadable)} documents unreadable; nothing written", err=True)
        sys.exit(2)
    if output.report.has("error"):
        click.echo(output.report.to_text(), err=True, nl=False)
        click.echo("errors in the documents; nothing written", err=True)
        sys.exit(1)
    if config.strict and output.report.has("warning"):
        click.echo(output.report.to_text(), err=True, nl=False)
        click.echo("warnings remain and --strict is set; nothing written", err=True)
        sys.exit(1)


_BUILD_OPTIONS = [
    click.argument("sources", nargs=-1),
    click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Output folder (default: [tool.specgen] out, else generated/).",
    ),
    click.option("--package", default=None, help="Package name (default: [tool.specgen] package)."),
    click.option(
        "--templates",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="A folder of templates overriding the built-in ones, file by file.",
    ),
    click.option(
        "--reference",
        "references",
        multiple=True,
        type=click.Path(path_type=Path),
        help="A reference document of the API family: evidence of less weight.",
    ),
    click.option("--strict", is_flag=True, default=None, help="Fail when any warning remains."),
]


def _build_options(function: Any) -> Any:
    for option in reversed(_BUILD_OPTIONS):
        function = option(function)
    return function


def _configured(
    out: Path | None,
    package: str | None,
    templates: Path | None,
    references: tuple[Path, ...],
    strict: bool | None,
) -> Config:
    return load_config(
        out=out, package=package, templates=templates, reference=references or None, strict=strict
    )


@main.command()
@_build_options
@click.option(
    "--server-impl",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Your server handler module, written once if absent (default: server_impl.py in --out).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite package files edited or added by hand since the last build.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Run the whole pipeline even when the build cache says nothing changed.",
)
def build(
    sources: tuple[str, ...],
    out: Path | None,
    package: str | None,
    templates: Path | None,
    references: tuple[Path, ...],
    strict: bool | None,
    server_impl: Path | None,
    force: bool,
    no_cache: bool,
) -> None:
    """Build the generated package from vendor documents (default: [tool.specgen] sources).

    A rebuild whose inputs, options and package on disk are what the last build left is
    answered from the build cache (.specgen-cache/, safe to delete; --no-cache skips it)."""
    from .build_cache import BuildCache, cache_folder

    config = _configured(out, package, templates, references, strict)
    if server_impl is not None:
        config = msgspec.structs.replace(config, server_impl=server_impl)
    paths = _sources_or_config(sources, config)
    cache = None if no_cache or force else BuildCache(cache_folder(project_root()))
    key = BuildCache.key(config, paths) if cache is not None else ""
    if cache is not None:
        cached = cache.lookup(key, config)
        if cached is not None:
            for line in cached.lines:
                click.echo(line)
            return
    lines, inputs, output = _full_build(config, paths, force=force)
    for line in lines:
        click.echo(line)
    if cache is not None and output.api is not None:
        from .build import starter_path
        from .render.manifest import MANIFEST_NAME

        manifest = output.files[f"{config.package}/{MANIFEST_NAME}"]
        starter = starter_path(config) if output.starter is not None else None
        rebuild = _build_summary(msgspec.structs.replace(output, changes=[]), config, 0)
        if starter is not None:
            from .build import StarterNote

            rebuild.append(StarterNote(starter, written=False).describe(shown_path(starter)))
        cache.store(key, inputs=inputs, manifest=manifest, starter=starter, lines=rebuild)


def _full_build(
    config: Config, paths: list[Path], *, force: bool
) -> tuple[list[str], list[Path], BuildOutput]:
    """The pipeline and the write: the lines to print, every file read, and the build."""
    from .build import build_files, stale_files, write_build
    from .ingest.source import recording_reads
    from .render.writer import recover_package

    # A build killed mid-swap left the old package aside: put it back before comparing with it.
    recover_package(config.out, config.package)
    with _progress() as progress, recording_reads() as inputs:
        output = build_files(config, paths, progress=progress)
    _report_problems(output, config)
    changed = len(stale_files(output, config.out))
    try:
        starter = write_build(output, config, force=force)
    except SpecgenError as error:
        _fail(error)
        sys.exit(1)
    lines = _build_summary(output, config, changed)
    if starter is not None:
        lines.append(starter.describe(shown_path(starter.path)))
    return lines, inputs, output


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[str], None]]:
    """Stage names on a terminal, once a build has taken more than a second; nothing otherwise
    (plain output stays the summary lines alone)."""
    stream = sys.stderr
    if not stream.isatty():
        yield lambda _stage: None
        return
    started = time.monotonic()
    shown: list[int] = []

    def show(stage: str) -> None:
        if time.monotonic() - started > 1.0:
            text = f"specgen build: {stage}…"
            stream.write("\r" + text.ljust(60))
            stream.flush()
            shown.append(len(text))

    try:
        yield show
    finally:
        if shown:
            stream.write("\r" + " " * 60 + "\r")
            stream.flush()


def _build_summary(output: BuildOutput, config: Config, changed: int) -> list[str]:
    """What each stage did, in a few lines: read, merged, written, and what the API changed."""

    api = output.api
    counts = output.report.counts()
    lines = [
        f"read {output.documents} vendor documents"
        + (f" and {output.references} reference" if output.references else "")
        + f": {counts['repair']} repaired, "
        f"{counts['warning']} warnings, {counts['error']} errors",
    ]
    if api is not None:
        lines.append(
            f"merged {len(api.operations)} operations, {len(api.models)} models, "
            f"{len(api.vendors)} vendors"
        )
    lines.append(
        f"wrote {shown_path(config.out / config.package)} ({len(output.files)} files: {changed} "
        f"written, {len(output.files) - changed} unchanged); {output.report.summary()}"
    )
    if output.changes is None:
        lines.append("API changes: no earlier package to compare with")
    else:
        from .diff import summary_line

        breaking = [change for change in output.changes if change.breaking]
        lines.append(f"API changes: {summary_line(output.changes)}")
        lines.extend(f"  breaking: {change.location}: {change.what}" for change in breaking[:10])
    return lines


@main.command()
@_build_options
def check(
    sources: tuple[str, ...],
    out: Path | None,
    package: str | None,
    templates: Path | None,
    references: tuple[Path, ...],
    strict: bool | None,
) -> None:
    """Exit 1 when the generated package on disk is not what the documents produce."""
    from .build import build_files, stale_files

    config = _configured(out, package, templates, references, strict)
    output = build_files(config, _sources_or_config(sources, config))
    _report_problems(output, config)
    stale = stale_files(output, config.out)
    if stale:
        click.echo(
            f"{shown_path(config.out)} is stale: {len(stale)} files differ, first {stale[0]}; "
            "run specgen build",
            err=True,
        )
        sys.exit(1)
    click.echo(
        f"{shown_path(config.out / config.package)} is up to date ({len(output.files)} files)"
    )


@main.command("diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="Report as text lines, markdown tables or a JSON list.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "any"]),
    default="breaking",
    show_default=True,
    help="Exit 1 on a breaking change, or on any change.",
)
@click.option(
    "--reference",
    "references",
    multiple=True,
    type=click.Path(path_type=Path),
    help="A reference document of the API family, used for both sides.",
)
@click.option("--no-reference", is_flag=True, help="Use no reference document on either side.")
def diff_command(
    old: str,
    new: str,
    output_format: str,
    fail_on: str,
    references: tuple[Path, ...],
    no_reference: bool,
) -> None:
    """Report the API changes from OLD to NEW, each marked BREAKING or ok for a caller.

    OLD and NEW are each a document; a package folder specgen built (its openapi.yaml); any other
    folder (every file directly in it); or a quoted glob pattern ('specs/*.yaml'). Both sides use
    the configured reference documents unless --reference or --no-reference says otherwise.

    Exit 0 when nothing fails, 1 on a breaking change (any change with --fail-on any), 2 when a
    side cannot be read.
    """
    from .diff.command import run_diff  # here, so this command stays one self-contained block

    if no_reference and references:
        raise click.UsageError("--reference and --no-reference exclude each other")
    sys.exit(
        run_diff(
            old,
            new,
            output_format=output_format,
            fail_on=fail_on,
            references=references,
            no_reference=no_reference,
        )
    )


def run() -> None:
    """The ``specgen`` program: ``main``, then the process ends at once, skipping the interpreter's
    teardown of the build's heap.

    A build leaves millions of small objects. Left to itself, the process would pass over them all
    once more when the cyclic collector comes back on, and again while the interpreter finalizes
    (0.2 s of OpenAI's 0.9 MB document, 0.7 s of its 3 MB one) only to free memory the system
    takes back anyway. Every file is closed by then (writes go through ``write_atomic`` and
    ``write_text``), so ``end_process`` flushes the standard streams, runs the exit handlers and
    leaves with the command's exit code. ``main`` called in process (Click's test runner) keeps
    the ordinary ending.
    """
    gc.disable()  # the command turns it off anyway; here it is not turned back on at its end
    start_keeping()  # the process ends with os._exit: freeing stage by stage buys nothing
    sys.stdout = _ReaderMayLeave(sys.stdout)
    sys.stderr = _ReaderMayLeave(sys.stderr)
    try:
        main()
    except SystemExit as stop:
        end_process(stop)
        raise


class _ReaderMayLeave:
    """A standard stream whose reader may close it early (``specgen build | head -1``): the
    command still runs to its end and exits with its own code; what it prints after the reader
    left is dropped, as a pipe's reader who left asked for.

    Python ignores SIGPIPE, so a write to a closed pipe raises BrokenPipeError, which would end
    the command half-way as an internal error (exit 70) and make the final flush fail. On the
    first one the stream's descriptor is pointed at the null device, so every later write and
    flush, the interpreter's own at its end included, succeeds and goes nowhere.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except BrokenPipeError:
            self._reader_left()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._reader_left()

    def _reader_left(self) -> None:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, self._stream.fileno())
        finally:
            os.close(null)
        with contextlib.suppress(OSError):  # what the closed pipe refused, now to the null device
            self._stream.flush()

    def __getattr__(self, name: str) -> Any:  # encoding, isatty, fileno, buffer...: the stream's
        return getattr(self._stream, name)


def end_process(stop: SystemExit) -> None:
    """Leave the process now with ``stop``'s exit code, as the interpreter would after its
    teardown; return (so the caller re-raises) where that ending could differ: an exit code that
    is not a small number, a thread still running, a standard stream that cannot be flushed."""
    code = 0 if stop.code is None else stop.code
    if not isinstance(code, int) or not 0 <= code <= 255:
        return
    threading = sys.modules.get("threading")  # a thread is started through it, if at all
    if threading is not None and threading.active_count() > 1:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    atexit._run_exitfuncs()  # what the interpreter runs first when it ends (temp folders, logging)
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
