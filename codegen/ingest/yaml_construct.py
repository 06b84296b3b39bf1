"""YAML construction where every value that cannot be made is a YAML error at its node.

PyYAML's constructors trust a tag's text: ``!!int abc`` ends in ValueError, ``!!bool maybe`` in
KeyError, ``!!timestamp nope`` in AttributeError, an integer past Python's digit limit in
ValueError, a key that is a sequence in TypeError. None of those is a YAMLError, so a reader that
catches YAML errors let them through as a crash. Here each becomes ``ValueRefused``, a
ConstructorError marked at the node, which the readers report in one line like a syntax error.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import yaml

_TAG_PREFIX = "tag:yaml.org,2002:"
_SHOWN = 40
"""Characters of a refused value quoted in its error; a longer one is cut with an ellipsis."""


class ValueRefused(yaml.constructor.ConstructorError):
    """A node whose value cannot be made: ``message`` says why, ``mark`` where."""

    def __init__(self, message: str, node: yaml.Node) -> None:
        super().__init__(None, None, message, node.start_mark)
        self.message = message
        self.mark: yaml.Mark = node.start_mark


def tag_name(tag: str) -> str:
    """``tag:yaml.org,2002:int`` as its author writes it, ``!!int``; other tags as they are."""
    return "!!" + tag[len(_TAG_PREFIX) :] if tag.startswith(_TAG_PREFIX) else tag


def _shown(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")


def _kind(node: yaml.Node) -> str:
    return "mapping" if isinstance(node, yaml.MappingNode) else "sequence"


def _problem(node: yaml.Node, error: Exception) -> str:
    if not isinstance(node, yaml.ScalarNode):
        return f"a {_kind(node)} is not a valid {tag_name(node.tag)}"
    problem = f"{_shown(node.value)} is not a valid {tag_name(node.tag)}"
    limit = sys.get_int_max_str_digits()
    if isinstance(error, ValueError) and limit and len(node.value) > limit:  # int()'s own limit
        problem += f" (more than {limit} digits)"
    return problem


# The mixin's super() is the loader's constructor (whose stubs are partly untyped, as the
# loaders in yaml_lines treat theirs).
_Constructor: Any = object


class GuardedConstruction(_Constructor):  # type: ignore[misc]
    """A constructor mixin: whatever a node's constructor raises becomes ``ValueRefused``."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        waiting = len(self.state_generators)
        try:
            data = super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except Exception as error:  # a constructor's own failure: the node's value is the cause
            raise ValueRefused(_problem(node, error), node) from None
        if len(self.state_generators) > waiting:  # a mapping or sequence filled later, at the end
            self.state_generators[waiting] = _guarded(self.state_generators[waiting], node)
        return data


def _guarded(generator: Iterator[Any], node: yaml.Node) -> Iterator[Any]:
    """The rest of a collection's construction, whose failure is the node's too."""
    try:
        yield from generator
    except yaml.YAMLError:
        raise
    except Exception as error:
        raise ValueRefused(_problem(node, error), node) from None


def refuse_non_scalar_key(key_node: yaml.Node) -> None:
    """JSON keys are strings: a mapping or sequence as a key has no JSON form (nor a hash)."""
    if not isinstance(key_node, yaml.ScalarNode):
        raise ValueRefused(f"a mapping key must be a scalar, not a {_kind(key_node)}", key_node)


_NOT_JSON = {
    "tag:yaml.org,2002:binary": ("bytes", "write the base64 text as a string"),
    "tag:yaml.org,2002:timestamp": ("a date", "write it as a string"),
    "tag:yaml.org,2002:set": ("a set", "write it as a sequence"),
}
"""Tags whose value JSON cannot hold: (what PyYAML makes, what to write instead)."""


def refuse_non_json(loader: Any, node: yaml.Node) -> Any:
    """The constructor of a tag whose value JSON cannot hold (OpenAPI allows YAML only the tags
    of the JSON schema ruleset), so no later stage meets bytes, dates or sets."""
    made, instead = _NOT_JSON[node.tag]
    raise ValueRefused(
        f"{tag_name(node.tag)} makes {made}, which a JSON document cannot hold; {instead}", node
    )


def construct_printable_int(loader: Any, node: yaml.ScalarNode) -> int:
    """``!!int``, refused past the decimal digits Python prints: ``0x`` with 5,000 digits is
    made, and only the first ``str()`` of it, somewhere in a later stage, would fail."""
    value: int = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    limit = sys.get_int_max_str_digits()
    # bit_length first: 10**limit has more than 3 * limit bits, and most ints are short.
    if limit and value.bit_length() > 3 * limit and abs(value) >= 10**limit:
        problem = f"{_shown(node.value)} is not a valid !!int (more than {limit} digits)"
        raise ValueRefused(problem, node)
    return value


def json_tags_only(loader: type[yaml.constructor.BaseConstructor]) -> None:
    """Make ``loader`` refuse every value a JSON document cannot hold (see above)."""
    for tag in _NOT_JSON:
        loader.add_constructor(tag, refuse_non_json)
    loader.add_constructor("tag:yaml.org,2002:int", construct_printable_int)


class GuardedSafeLoader(GuardedConstruction, yaml.SafeLoader):
    """``yaml.SafeLoader`` whose only failures are YAML errors (for optional YAML in pages)."""


def safe_load(text: str) -> Any:
    """``yaml.safe_load``, raising nothing but YAMLError."""
    loader = GuardedSafeLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
