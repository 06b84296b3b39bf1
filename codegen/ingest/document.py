"""The output of ingest: an OpenAPI 3.1 document, who it belongs to, and where each node came from."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
from collections.abc import Mapping
from typing import Any

import msgspec
import yaml

from ..jsonpointer import parent
from .notes import IngestNote
from .yaml_nodes import block_literal_wanted, yaml_nodes
from .yaml_text import yaml_text

SOURCE_EXTENSION = "x-source"
QUARANTINE_EXTENSION = "x-specgen-quarantine"


class SourceMap(msgspec.Struct, frozen=True):
    """JSON pointer -> line in the vendor's own file, so findings can point at the vendor's text."""

    file: str
    lines: Mapping[str, int] = msgspec.field(default_factory=dict)

    def line_for(self, pointer: str) -> int | None:
        """The line of ``pointer``, or of its nearest ancestor the map knows."""
        probe = pointer
        while True:
            if probe in self.lines:
                return self.lines[probe]
            if not probe:
                return None
            probe = parent(probe)


class IngestedDocument(msgspec.Struct, frozen=True):
    """One vendor document as OpenAPI 3.1, unrepaired; ``openapi`` holds no ``x-source`` block."""

    name: str
    vendor: str
    reader: str
    openapi: dict[str, Any]
    source_map: SourceMap
    sha256: str
    notes: tuple[IngestNote, ...] = ()
    """What ingest did to read it (upgrade moves, tolerated defects), for the report."""

    def with_source_block(self, relative_to: str | None = None) -> dict[str, Any]:
        """The document with its source map as a root ``x-source`` extension (for writing out)."""
        file = self.source_map.file
        if relative_to is not None and not os.path.isabs(file):
            file = os.path.relpath(file, relative_to)
        document = copy.deepcopy(self.openapi)
        document[SOURCE_EXTENSION] = {
            "file": file.replace(os.sep, "/"),
            "sha256": self.sha256,
            "vendor": self.vendor,
            "reader": self.reader,
            "validated": content_hash(self.openapi),
            **({"notes": [note.to_data() for note in self.notes]} if self.notes else {}),
            "lines": dict(
                sorted(self.source_map.lines.items(), key=lambda item: (item[1], item[0]))
            ),
        }
        return document

    def to_yaml(self, relative_to: str | None = None) -> str:
        return dump_yaml(self.with_source_block(relative_to))


def content_hash(document: dict[str, Any]) -> str:
    """A hash of the document's content (key order and formatting aside), recorded when ingest
    validated it, so re-reading an unchanged ingested document need not validate it again."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
"""libyaml's emitter (PyYAML's wheels carry it): four times faster than the Python one. Its
bytes differ from the Python emitter's only in how it folds long quoted strings; a PyYAML built
without libyaml falls back to that one."""


class _Dumper(_BaseDumper):  # type: ignore[misc]
    """Block style, vendor key order, long strings kept on one line: stable, diffable output."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if block_literal_wanted(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def dump_yaml(data: Any) -> str:
    """``data`` as block-style YAML, keys in their order, multi-line strings as ``|`` blocks."""
    text = yaml_text(data)  # the same bytes, written without building nodes
    if text is not None:
        return text
    stream = io.StringIO()
    dumper = _Dumper(
        stream, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    try:
        dumper.open()
        node = yaml_nodes(data)
        if node is None:
            dumper.represent(data)
        else:
            dumper.serialize(node)
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()
