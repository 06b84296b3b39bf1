"""Findings as values: every repair, warning and error any stage records, with where it came from.

A finding is data, never a print: stages return them, the CLI prints them once, `build` writes them
into the generated package. Modelled on openapi-python-client's ParseError records.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, is_dataclass
from typing import Any, Literal

import msgspec

Level = Literal["repair", "warning", "error"]
LEVELS: tuple[Level, ...] = ("repair", "warning", "error")


class Finding(msgspec.Struct, frozen=True):
    """One thing a rule did or could not do to one place of one document.

    ``pointer`` is a JSON pointer into the ingested document (before the rule ran); ``source`` and
    ``line`` point at the vendor's own text, from the ingest source map.
    """

    rule: str
    level: Level
    document: str
    pointer: str
    message: str
    source: str | None = None
    line: int | None = None
    before: Any = None
    after: Any = None
    evidence: str | None = None
    other_places: int | None = None
    """How many more places use the model this was found in (the merge builds a shared model
    once, so its findings are reported once, at the first place, not once per use)."""

    def location(self) -> str:
        where = f"{self.source}:{self.line}" if self.source and self.line else (self.source or "")
        return f"{where} {self.pointer}".strip()

    def one_line(self) -> str:
        text = f"{self.level:<7} {self.rule:<34} {self.pointer or '/'}"
        if self.source and self.line:
            text += f" ({self.source}:{self.line})"
        text = f"{text}: {self.message}"
        if self.other_places:
            places = "place" if self.other_places == 1 else "places"
            text += f" (the same model is used at {self.other_places} more {places})"
        return text

    def to_json(self) -> dict[str, Any]:
        # Not asdict: it deep-copies every before/after value, most of a large report's cost.
        # A dataclass inside one is still written as asdict would (see _as_data).
        return {
            name: value for name in _FINDING_FIELDS if (value := getattr(self, name)) is not None
        }


_FINDING_FIELDS = Finding.__struct_fields__


def _as_data(value: Any) -> Any:
    """json's fallback for a value it cannot write: a record (a msgspec Struct or a dataclass)
    as its fields."""
    if isinstance(value, msgspec.Struct):
        return msgspec.to_builtins(value)
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"not JSON data: {type(value).__name__}")


class Report(msgspec.Struct):
    """An ordered collection of findings with the counts the CLI and exit codes need."""

    findings: list[Finding] = msgspec.field(default_factory=list)

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def counts(self) -> dict[str, int]:
        counter = Counter(f.level for f in self.findings)
        return {level: counter.get(level, 0) for level in LEVELS}

    def has(self, level: Level) -> bool:
        return any(f.level == level for f in self.findings)

    def by_document(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.document, []).append(finding)
        return grouped

    def summary(self) -> str:
        counts = self.counts()
        docs = len(self.by_document())
        return (
            f"{counts['repair']} repaired, {counts['warning']} warnings, {counts['error']} errors"
            f" in {docs} documents"
        )

    def to_text(self) -> str:
        lines: list[str] = []
        for document, findings in self.by_document().items():
            lines.append(f"{document}:")
            lines.extend(f"  {finding.one_line()}" for finding in findings)
        lines.append(self.summary())
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        payload = {
            "summary": self.counts(),
            "findings": [finding.to_json() for finding in self.findings],
        }
        return indented_json(payload) + "\n"


def indented_json(payload: Any, depth: int = 0) -> str:
    """``json.dumps(payload, indent=2, ensure_ascii=False)`` (dataclasses written as their
    fields), byte for byte.

    json writes indented text in pure Python, a tenth of a second for a large report; orjson's
    encoder writes the same text fifteen times faster for every value it writes alike: strings,
    booleans, null, 64-bit integers, most floats (not ``1e+16``: it writes ``1e16``), lists and
    tuples, dicts with string keys. A container holding anything else is written part by part,
    each part by orjson where it can be and by json where not.
    """
    if _written_alike(payload, depth):
        text = _by_orjson(payload)
        if text is not None:
            return text
    kind = type(payload)
    if depth < _ORJSON_DEPTH and payload:
        if kind is dict and all(type(key) is str for key in payload):
            parts = (
                _deeper(f"{json.dumps(key, ensure_ascii=False)}: {indented_json(item, depth + 1)}")
                for key, item in payload.items()
            )
            return "{\n  " + ",\n  ".join(parts) + "\n}"
        if kind is list or kind is tuple:
            return "[\n  " + ",\n  ".join(_list_items(payload, depth + 1)) + "\n]"
    return json.dumps(payload, indent=2, sort_keys=False, ensure_ascii=False, default=_as_data)


def _by_orjson(payload: Any) -> str | None:
    import orjson

    try:
        return orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode("utf-8")
    except orjson.JSONEncodeError:  # an integer beyond 64 bits, a lone surrogate
        return None


def _deeper(text: str) -> str:
    """JSON text one level deeper: every line break in it is indentation (a string writes its
    own as ``\\n``), so each gains two spaces."""
    return text.replace("\n", "\n  ")


def _list_items(items: list[Any] | tuple[Any, ...], depth: int) -> Iterator[str]:
    """A list's items, each as its text one level deep; a run of items orjson writes alike is
    written by one call (a large report is thousands of findings, a few of them not alike)."""
    run: list[Any] = []
    for item in [*items, _END]:
        if item is not _END and _written_alike(item, depth):
            run.append(item)
            continue
        if run:
            text = _by_orjson(run)
            if text is None:
                yield from (_deeper(indented_json(each, depth)) for each in run)
            else:
                yield text[len("[\n  ") : -len("\n]")]
            run = []
        if item is not _END:
            yield _deeper(indented_json(item, depth))


_END = object()
"""Marks the end of a list's items in ``_list_items``."""

_ORJSON_DEPTH = 254
"""orjson refuses deeper nesting; the checks stop there too (so a cycle ends them, in json's
ValueError)."""


def _written_alike(value: Any, depth: int) -> bool:
    """Whether orjson writes ``value`` as json does (exact types: subclasses and other objects
    are json's to write, through ``default`` or their own methods)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    if depth >= _ORJSON_DEPTH:
        return False
    if kind is dict:
        return all(
            type(key) is str and _written_alike(item, depth + 1) for key, item in value.items()
        )
    if kind is list or kind is tuple:
        return all(_written_alike(item, depth + 1) for item in value)
    if kind is float:
        import orjson

        return orjson.dumps(value) == float.__repr__(value).encode("ascii")
    return False
