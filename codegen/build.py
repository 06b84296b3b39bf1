"""`specgen build` and `specgen check` as library calls: documents in, the package's files out."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from .config import Config
from .errors import OperationError, SpecgenError
from .fs import write_atomic
from .ingest.document import dump_yaml
from .ir.emit import emit_openapi
from .ir.model import API
from .lifetime import keep_until_exit
from .normalize import NormalizedDocument
from .openapi_walk import iter_operations
from .pipeline import load, merge_loaded
from .render.package import HEADER_MARKER
from .report import Report

if TYPE_CHECKING:  # the diff package is imported only when a previous build is compared
    from .diff.change import Change

STARTER_NAME = "server_impl.py"
"""File name of the user's server handler module, beside the package unless configured."""


class BuildOutput(msgspec.Struct):
    """Everything a build produces, before anything is written."""

    files: dict[str, str] = msgspec.field(default_factory=dict)
    """Path relative to the output folder (``chat_api/models.py``) -> text."""
    report: Report = msgspec.field(default_factory=Report)
    unreadable: list[SpecgenError] = msgspec.field(default_factory=list)
    api: API | None = None
    starter: str | None = None
    """The user's starter handler module, written only where no file is (see ``write_starter``);
    None when the API has nothing a server can serve."""
    documents: int = 0
    references: int = 0
    changes: list[Change] | None = None
    """API changes against the package on disk; None when there was no package before."""


def _relative_sources(report: Report, root: Path) -> Report:
    """Findings name sources relative to the project, so the written report is the same anywhere."""
    fixed = Report()
    shown: dict[str, str] = {}  # a large report names a handful of files thousands of times
    for finding in report.findings:
        source = finding.source
        if source is not None:
            if source not in shown:
                relative = os.path.relpath(os.path.abspath(source), root)
                shown[source] = relative.replace(os.sep, "/")
            if shown[source] != source:
                finding = msgspec.structs.replace(finding, source=shown[source])
        fixed.add(finding)  # frozen: a finding already relative is shared, not copied
    return fixed


CHANGES_NAME = "CHANGES.md"


def _previous_api(config: Config, merged: str) -> tuple[bool, API | None]:
    """(a package stood there, its API when it differs from this build's merged document)."""
    previous = config.out / config.package / "openapi.yaml"
    if not previous.is_file():
        return False, None
    try:
        if previous.read_text(encoding="utf-8") == merged:
            return True, None
    except (OSError, UnicodeDecodeError):
        return True, None
    from .diff import load_side

    side = load_side(str(previous), config.reference)
    return True, side.api


def changes_text(output: BuildOutput, config: Config, api: API) -> str:
    """CHANGES.md: what the last build that changed the API changed, against the package it
    replaced. A rebuild that changes nothing keeps the file as it is, so the package stays a
    function of its inputs (and ``check`` compares it like any other file)."""
    existing = config.out / config.package / CHANGES_NAME
    if output.changes:
        from .diff import to_markdown

        return "# API changes in the last build that changed the API\n\n" + to_markdown(
            output.changes
        )
    if output.changes is not None and existing.is_file():
        # The record stays; its header is the new build's (it names the inputs' hash).
        kept = existing.read_text(encoding="utf-8")
        first, _, rest = kept.partition("\n")
        return rest if HEADER_MARKER in first else kept
    vendors = ", ".join(vendor.name for vendor in api.vendors)
    return (
        "# API changes\n\nNo earlier build recorded: this API has "
        f"{len(api.operations)} operations and {len(api.models)} models, for vendors {vendors}.\n"
    )


def build_files(
    config: Config,
    sources: Sequence[Path],
    *,
    root: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildOutput:
    """Run the whole pipeline in memory; nothing is written (see ``write_build``).

    ``progress`` is told each stage as it starts (the CLI shows it on a terminal)."""
    say = progress or (lambda _stage: None)
    from .render.manifest import with_manifest

    output = BuildOutput()
    say("ingest and normalize")
    loaded = load(sources, reference=config.reference)
    output.documents = len(loaded.documents)
    output.references = len(loaded.reference)
    output.unreadable = loaded.unreadable
    if loaded.unreadable:
        return output
    say("merge")
    result = merge_loaded(loaded)
    output.api = result.api
    output.report = _relative_sources(loaded.report, (root or Path.cwd()).resolve())
    if output.report.has("error"):
        return output
    api = result.api

    def merged_document_and_changes() -> dict[str, str]:
        merged = dump_yaml(emit_openapi(api))
        say("compare with the package on disk")
        existed, previous = _previous_api(config, merged)
        if existed:
            from .diff import diff_apis

            output.changes = diff_apis(previous, api) if previous is not None else []
        return {"openapi.yaml": merged, CHANGES_NAME: changes_text(output, config, api)}

    from .render.package import render_build

    say("render")
    try:
        rendered = render_build(
            api,
            package=config.package,
            report_text=output.report.to_text(),
            report_json=output.report.to_json(),
            extra_files=merged_document_and_changes,
            template_dir=config.templates,
            starter_module=starter_path(config).name,
        )
        files, output.starter = rendered.files, rendered.starter
    except OperationError as error:
        raise locate_operation_error(error, loaded.documents) from None
    except SpecgenError as error:
        if error.file is None and loaded.documents:
            raise SpecgenError(error.message, file=loaded.documents[0].source_map.file) from None
        raise
    # The manifest is a rendered file like the others, so `check` compares it too.
    files = with_manifest(files)
    output.files = {f"{config.package}/{path}": text for path, text in files.items()}
    keep_until_exit(loaded, result, rendered)
    return output


def locate_operation_error(
    error: OperationError, documents: Sequence[NormalizedDocument]
) -> SpecgenError:
    """The error with the file, line and pointer of the operation in the first document that
    describes it (a vendor's path may carry a prefix the merge moved into its base URL)."""
    for document in documents:
        if error.documents and document.name not in error.documents:
            continue
        for pointer, path, method, _operation in iter_operations(document.openapi):
            if method == error.method and (path == error.path or path.endswith(error.path)):
                return SpecgenError(
                    error.message,
                    file=document.source_map.file,
                    line=document.source_map.line_for(pointer),
                    pointer=pointer,
                )
    file = documents[0].source_map.file if documents else None
    return SpecgenError(error.message, file=file)


class StarterNote(msgspec.Struct, frozen=True):
    """What a build did with the user's server handler module."""

    path: Path
    written: bool
    """True when this build created it; False when a file was already there and was kept."""

    def describe(self, shown: str | None = None) -> str:
        """One line for the build's output; ``shown`` is the path as the user should read it."""
        where = shown if shown is not None else str(self.path)
        if self.written:
            return (
                f"wrote {where}: a starter server handler, yours to edit; builds never overwrite it"
            )
        return f"kept {where}: your server handler; builds never overwrite it (run mypy on it)"


def write_build(output: BuildOutput, config: Config, *, force: bool = False) -> StarterNote | None:
    """Write the package, then the starter handler if there is none yet; returns what happened
    to the starter (None when the API has no server).

    Refuses (SpecgenError, nothing written) when files of the package were edited or added by
    hand since the last build, unless ``force``; the starter is never overwritten, forced or not.
    """
    from .render import write_package
    from .render.manifest import with_manifest

    _check_starter_path(config)
    prefix = f"{config.package}/"
    files = {path[len(prefix) :]: text for path, text in output.files.items()}
    write_package(with_manifest(files), config.out, config.package, force=force)
    return write_starter(output, config)


def starter_path(config: Config) -> Path:
    """Where the user's handler module goes: ``server_impl`` if configured, else beside the package."""
    return config.server_impl if config.server_impl is not None else config.out / STARTER_NAME


def _check_starter_path(config: Config) -> None:
    path = starter_path(config)
    package = (config.out / config.package).resolve()
    if path.resolve().is_relative_to(package):
        # Every build replaces the package folder whole: the user's code would be lost.
        raise SpecgenError(
            "the server handler module must live outside the generated package", file=str(path)
        )
    if path.is_dir():
        raise SpecgenError("is a folder, not the server handler module", file=str(path))


def write_starter(output: BuildOutput, config: Config) -> StarterNote | None:
    """Write the starter handler module unless a file is already there: it is the user's code.

    The starter subclasses the generated handler protocol, so after a rebuild that changes the
    protocol the user's type checker names what to update; the build never touches it again.
    """
    if output.starter is None:
        return None
    path = starter_path(config)
    if path.exists():
        return StarterNote(path, written=False)
    write_atomic(path, output.starter)
    return StarterNote(path, written=True)


def stale_files(output: BuildOutput, out_dir: Path) -> list[str]:
    """Files of the build that are missing or differ on disk, and package files the build no
    longer writes; empty when ``out_dir`` is up to date."""
    stale = []
    for path, text in sorted(output.files.items()):
        target = out_dir / path
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            stale.append(path)
    packages = {path.split("/", 1)[0] for path in output.files}
    for package in sorted(packages):
        folder = out_dir / package
        if folder.is_dir():
            for existing in sorted(folder.rglob("*")):
                relative = existing.relative_to(out_dir).as_posix()
                if (
                    existing.is_file()
                    and "__pycache__" not in relative
                    and relative not in output.files
                ):
                    stale.append(relative)
    return stale
