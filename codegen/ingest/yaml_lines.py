"""YAML (and JSON) parsing that also returns the source line of every node, keyed by JSON pointer."""

from __future__ import annotations

from typing import Any

import msgspec
import yaml

from ..errors import SpecgenError
from ..jsonpointer import join
from .json_lines import load_json, looks_like_json, scan_lines
from .yaml_construct import (
    GuardedConstruction,
    ValueRefused,
    json_tags_only,
    refuse_non_scalar_key,
)
from .yaml_limits import MAX_DEPTH, alias_budget, check_yaml_limits, composes_safely
from .yaml_values import values_with_lines

# libyaml's parser (when PyYAML was built with it) reads several times faster and still gives
# every node its line; construction stays in Python, so the overrides below apply to both.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _OpenAPILoader(GuardedConstruction, _BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader for JSON-shaped documents: keys stay strings, dates stay strings.

    OpenAPI is a JSON data model. YAML 1.1 would turn an unquoted ``200:`` key into an int, ``on:``
    into True and ``2024-01-01`` into a date, none of which survive a trip through JSON; a value
    that cannot be made, or only as bytes, a date or a set, is a located error (yaml_construct).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._plain_tags: dict[str, str] = {}

    def resolve(self, kind: type, value: Any, implicit: Any) -> Any:
        """BaseResolver.resolve, remembered per plain text: the composer asks it of every scalar,
        and without path resolvers (SafeLoader has none) a scalar's tag depends on its text and
        on whether it was plain, nothing else; a quoted one is always a string."""
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        if not implicit[0]:
            return self.DEFAULT_SCALAR_TAG
        tag = self._plain_tags.get(value)
        if tag is None:
            tag = self._plain_tags[value] = super().resolve(kind, value, implicit)
        return tag

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            refuse_non_scalar_key(key_node)
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping


json_tags_only(_OpenAPILoader)


_OpenAPILoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class DuplicateKey(msgspec.Struct, frozen=True):
    """A mapping key written twice: the later value wins, as YAML 1.1 loaders do."""

    pointer: str
    first_line: int
    line: int


def _record_lines(
    root: yaml.Node,
    offset: int,
    lines: dict[str, int],
    duplicates: list[DuplicateKey],
    budget: int,
) -> bool:
    """Fill ``lines`` and ``duplicates``; False as soon as the tree nests deeper than
    MAX_DEPTH or holds more than ``budget`` nodes (aliases expanded), which the caller refuses."""
    # An explicit stack: a document may nest deeper than Python's recursion limit.
    stack: list[tuple[yaml.Node, str, int]] = [(root, "", 1)]
    nodes = 1
    while stack:
        node, pointer, depth = stack.pop()
        if isinstance(node, yaml.MappingNode):
            if depth > MAX_DEPTH:
                return False
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                child = join(pointer, str(key_node.value))
                line = key_node.start_mark.line + 1 + offset
                if child in seen:
                    duplicates.append(DuplicateKey(child, seen[child], line))
                seen[child] = line
                lines[child] = line
                stack.append((value_node, child, depth + 1))
            nodes += 2 * len(node.value)
        elif isinstance(node, yaml.SequenceNode):
            if depth > MAX_DEPTH:
                return False
            for index, item in enumerate(node.value):
                child = join(pointer, index)
                lines[child] = item.start_mark.line + 1 + offset
                stack.append((item, child, depth + 1))
            nodes += len(node.value)
        if nodes > budget:
            return False
    return True


def _expand_leading_tabs(text: str) -> str:
    """Indentation written with tabs, which YAML forbids, read as tab stops of eight columns."""
    out = []
    for line in text.split("\n"):
        stripped = line.lstrip(" \t")
        indent = line[: len(line) - len(stripped)]
        out.append(indent.expandtabs(8) + stripped if "\t" in indent else line)
    return "\n".join(out)


class Parsed(msgspec.Struct, frozen=True):
    """Parsed data, the line of every pointer, and what the text said in a tolerated way."""

    data: Any
    lines: dict[str, int]
    duplicates: tuple[DuplicateKey, ...] = ()
    tab_lines: tuple[int, ...] = ()


def load_with_lines(text: str, *, file: str, first_line: int = 1) -> tuple[Any, dict[str, int]]:
    """Parse ``text`` (which starts at ``first_line`` of ``file``) into data and a pointer->line map."""
    parsed = parse_with_lines(text, file=file, first_line=first_line)
    return parsed.data, parsed.lines


def parse_with_lines(text: str, *, file: str, first_line: int = 1) -> Parsed:
    """Parse ``text`` tolerantly: duplicate keys (last wins) and tab indentation are recorded."""
    try:
        return _parse(text, file=file, first_line=first_line)
    except SpecgenError as original:
        tab_lines = tuple(
            number + first_line
            for number, line in enumerate(text.split("\n"))
            if "\t" in line[: len(line) - len(line.lstrip(" \t"))]
        )
        if not tab_lines:
            raise
        try:
            parsed = _parse(_expand_leading_tabs(text), file=file, first_line=first_line)
        except SpecgenError:
            raise original from None
    return Parsed(parsed.data, parsed.lines, parsed.duplicates, tab_lines)


def _parse_json(text: str, offset: int) -> Parsed | None:
    """The JSON path (json_lines), where it surely gives what the YAML path gives."""
    if not looks_like_json(text):
        return None
    data = load_json(text)
    if data is None:
        return None
    scanned = scan_lines(text, offset, MAX_DEPTH)
    if scanned is None:
        return None
    lines, duplicates = scanned
    return Parsed(data, lines, tuple(DuplicateKey(*duplicate) for duplicate in duplicates))


def _parse(text: str, *, file: str, first_line: int) -> Parsed:
    offset = first_line - 1
    parsed = _parse_json(text, offset)
    if parsed is not None:
        return parsed
    # The event stream is checked first only when composing itself could be what goes wrong
    # (libyaml's composer recurses per level); otherwise the walk that records lines checks.
    if not composes_safely(text):
        check_yaml_limits(text, file=file, first_line=first_line)
    loader = _OpenAPILoader(text)
    lines: dict[str, int] = {}
    duplicates: list[DuplicateKey] = []
    try:
        node = loader.get_single_node()
        if node is None:
            raise SpecgenError("empty document", file=file, line=first_line)
        fast = values_with_lines(loader, node, offset, alias_budget(text))
        if fast is not None:
            data, lines, found = fast
            return Parsed(data, lines, tuple(DuplicateKey(*duplicate) for duplicate in found))
        lines[""] = node.start_mark.line + 1 + offset
        if not _record_lines(node, offset, lines, duplicates, alias_budget(text)):
            check_yaml_limits(text, file=file, first_line=first_line)  # says where, and raises
            raise SpecgenError("nested too deeply or aliased too much", file=file, line=first_line)
        data = loader.construct_document(node)
    except ValueRefused as exc:
        where = exc.mark
        raise SpecgenError(
            exc.message, file=file, line=where.line + 1 + offset, column=where.column + 1
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and mark is not None and mark.index >= len(text.rstrip()):
            # "got <stream end>": the opening that was never closed is the useful line.
            mark = exc.context_mark
        line = mark.line + 1 + offset if mark is not None else None
        problem = exc.problem or exc.context or "syntax error"
        raise SpecgenError(f"YAML/JSON syntax error: {problem}", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise SpecgenError(f"YAML/JSON syntax error: {exc}", file=file, line=first_line) from None
    finally:
        loader.dispose()
    return Parsed(data, lines, tuple(duplicates))
