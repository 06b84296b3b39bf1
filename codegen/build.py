"""`specgen build` and `specgen check` as library calls: documents in, the package's files out."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import Config
from .errors import SpecgenError
from .ingest.document import dump_yaml
from .ir.emit import emit_openapi
from .ir.model import API
from .pipeline import load, merge_loaded
from .report import Report


@dataclass
class BuildOutput:
    """Everything a build produces, before anything is written."""

    files: dict[str, str] = field(default_factory=dict)
    """Path relative to the output folder (``chat_api/models.py``) -> text."""
    report: Report = field(default_factory=Report)
    unreadable: list[SpecgenError] = field(default_factory=list)
    api: API | None = None


def _relative_sources(report: Report, root: Path) -> Report:
    """Findings name sources relative to the project, so the written report is the same anywhere."""
    fixed = Report()
    for finding in report.findings:
        source = finding.source
        if source is not None:
            source = os.path.relpath(os.path.abspath(source), root).replace(os.sep, "/")
        fixed.add(replace(finding, source=source))
    return fixed


def build_files(
    config: Config, sources: Sequence[Path], *, root: Path | None = None
) -> BuildOutput:
    """Run the whole pipeline in memory; nothing is written (see ``write_build``)."""
    from .render import render_package

    output = BuildOutput()
    loaded = load(sources, reference=config.reference)
    output.unreadable = loaded.unreadable
    if loaded.unreadable:
        return output
    result = merge_loaded(loaded)
    output.api = result.api
    output.report = _relative_sources(loaded.report, (root or Path.cwd()).resolve())
    if output.report.has("error"):
        return output
    merged = dump_yaml(emit_openapi(result.api))
    files = render_package(
        result.api,
        package=config.package,
        report_text=output.report.to_text(),
        report_json=output.report.to_json(),
        extra_files={"openapi.yaml": merged},
        template_dir=config.templates,
    )
    output.files = {f"{config.package}/{path}": text for path, text in files.items()}
    return output


def write_build(output: BuildOutput, config: Config) -> None:
    from .render import write_package

    prefix = f"{config.package}/"
    files = {path[len(prefix) :]: text for path, text in output.files.items()}
    write_package(files, config.out, config.package)


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
