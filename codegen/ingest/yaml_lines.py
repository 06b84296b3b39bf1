"""YAML (and JSON) parsing that also returns the source line of every node, keyed by JSON pointer."""

from __future__ import annotations

from typing import Any

import yaml

from ..errors import SpecgenError
from ..jsonpointer import join

# libyaml's parser (when PyYAML was built with it) reads several times faster and still gives
# every node its line; construction stays in Python, so the overrides below apply to both.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _OpenAPILoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader for JSON-shaped documents: keys stay strings, dates stay strings.

    OpenAPI is a JSON data model. YAML 1.1 would turn an unquoted ``200:`` key into an int, ``on:``
    into True and ``2024-01-01`` into a date, none of which survive a trip through JSON.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key: Any = key_node.value
            else:
                key = self.construct_object(key_node, deep=deep)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


_OpenAPILoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _record_lines(node: yaml.Node, pointer: str, offset: int, lines: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = join(pointer, str(key_node.value))
            lines.setdefault(child, key_node.start_mark.line + 1 + offset)
            _record_lines(value_node, child, offset, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = join(pointer, index)
            lines.setdefault(child, item.start_mark.line + 1 + offset)
            _record_lines(item, child, offset, lines)


def load_with_lines(text: str, *, file: str, first_line: int = 1) -> tuple[Any, dict[str, int]]:
    """Parse ``text`` (which starts at ``first_line`` of ``file``) into data and a pointer->line map."""
    offset = first_line - 1
    loader = _OpenAPILoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SpecgenError("empty document", file=file, line=first_line)
        data = loader.construct_document(node)
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
    lines: dict[str, int] = {"": node.start_mark.line + 1 + offset}
    _record_lines(node, "", offset, lines)
    return data, lines
