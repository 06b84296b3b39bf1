"""python-jsonschema's complaints about a default, in its words and order, said from the errors
jsonschema-rs found, so that a document whose defaults its schemas reject is worded without
importing python-jsonschema and referencing (a twentieth of a second, a sixth of a small
document's build).

The pre-screen has already decided that the two validators judge the default alike (no string
under a format or pattern python-jsonschema checks its own way, no number where the two compute
``multipleOf`` differently, no ``$id``, anchors or dynamic references in reach). Under that
verdict each failing keyword fails in both, and python-jsonschema's error for it is a fixed
sentence over the instance and the keyword's value (``jsonschema._keywords``). Its order is that
of its walk: a schema's keywords as written, ``properties`` in the schema's order, ``items`` in
the instance's, ``required`` names in the list's. Every error jsonschema-rs reports is placed on
that walk by its evaluation path. An error of a kind not worded here, or one placed where the
walk has no order (``additionalProperties`` as a schema, met twice), makes the answer None, and
python-jsonschema words the default as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Path = tuple[Any, ...]
Worded = tuple[tuple[Path, str], ...]


class _Unworded(Exception):
    """An error whose words or place python-jsonschema's walk is not sure to match here."""


def default_words(
    errors: Iterable[Any],
    schema: Any,
    value: Any,
    *,
    resolve: Callable[[str], Any],
    valid_at: Callable[[tuple[Any, ...], Any], bool],
) -> Worded | None:
    """(instance path, message) of each error python-jsonschema's ``iter_errors(value)`` yields
    for ``schema``, from jsonschema-rs's ``errors`` for the same value; None where unsure.

    ``errors`` come from a validator whose root is ``{"$ref": <where schema is written>}``.
    ``resolve`` gives the node a local ``$ref`` names; ``valid_at`` says whether an instance is
    valid under the node at a document pointer (jsonschema-rs's ``schema_path``).
    """
    placed: list[tuple[tuple[int, ...], Path, str]] = []
    unordered = False
    try:
        for error in errors:
            place, node, keyword, loose = _place(error, schema, resolve)
            instance = _instance(value, error.instance_path)
            message, tie = _message(error, node, keyword, instance, valid_at)
            placed.append(((*place, tie), tuple(error.instance_path), message))
            unordered = unordered or loose
    except Exception:  # _Unworded, or anything unforeseen: python-jsonschema says it
        return None
    if unordered and len(placed) > 1:
        return None
    placed.sort(key=lambda item: item[0])
    return tuple((path, message) for _place_key, path, message in placed)


def _place(error: Any, schema: Any, resolve: Callable[[str], Any]) -> tuple[Any, ...]:
    """The error's position on python-jsonschema's walk, the schema node holding the failing
    keyword, the keyword, and whether an unordered step was taken. A false schema's error is
    not placed: python-jsonschema reports it one instance step short of where it is."""
    steps = list(error.evaluation_path)
    if not steps or steps[0] != "$ref":
        raise _Unworded("not the pre-screen's validator")
    steps = steps[1:]
    instance_path = list(error.instance_path)
    depth = 0
    node = schema
    place: list[int] = []
    loose = False
    index = 0
    while index < len(steps) - 1:
        step = steps[index]
        if not isinstance(node, dict) or step not in node:
            raise _Unworded("a step that is not a keyword of the schema")
        place.append(list(node).index(step))
        below = node[step]
        if step == "$ref":
            node = resolve(below)
            index += 1
        elif step == "properties":
            name = steps[index + 1]
            place.append(list(below).index(name))
            node = below[name]
            depth += 1
            index += 2
        elif step in ("allOf", "prefixItems"):
            position = steps[index + 1]
            place.append(int(position))
            node = below[position]
            if step == "prefixItems":
                depth += 1
            index += 2
        elif step == "items" and isinstance(below, dict | bool):
            place.append(int(instance_path[depth]))
            node = below
            depth += 1
            index += 1
        elif step == "additionalProperties" and isinstance(below, dict | bool):
            loose = True  # python-jsonschema walks the extra names as a set
            node = below
            depth += 1
            index += 1
        else:
            raise _Unworded(f"a step python-jsonschema's walk is not followed through: {step}")
    if depth != len(instance_path):
        raise _Unworded("the instance path and the schema walk disagree")
    if not steps:
        raise _Unworded("an error of the root itself")
    keyword = steps[-1]
    if not isinstance(node, dict) or keyword not in node:
        raise _Unworded("a keyword the schema does not hold")
    place.append(list(node).index(keyword))
    return tuple(place), node, keyword, loose


def _instance(value: Any, path: Iterable[Any]) -> Any:
    for part in path:
        value = value[part]
    return value


def _message(
    error: Any,
    node: Any,
    keyword: str,
    instance: Any,
    valid_at: Callable[[tuple[Any, ...], Any], bool],
) -> tuple[str, int]:
    """python-jsonschema's sentence for the error, and its rank among errors of one keyword."""
    kind = type(error.kind).__name__
    said = node[keyword]
    simple = sentence(kind, keyword, instance, said)
    if simple is not None:
        return simple, 0
    if (kind, keyword) == ("Required", "required"):
        name = error.kind.property
        return f"{name!r} is a required property", list(said).index(name)
    if (kind, keyword) == ("AdditionalProperties", "additionalProperties"):
        if said is not False or "patternProperties" in node:
            raise _Unworded("extra names judged against patterns")
        known = node.get("properties", {})
        extras = sorted((name for name in instance if name not in known), key=str)
        verb = "was" if len(extras) == 1 else "were"
        listed = ", ".join(repr(name) for name in extras)
        return f"Additional properties are not allowed ({listed} {verb} unexpected)", 0
    if (kind, keyword) == ("OneOfMultipleValid", "oneOf"):
        at = tuple(error.schema_path)
        valid = [
            branch for position, branch in enumerate(said) if valid_at((*at, position), instance)
        ]
        if len(valid) < 2:
            raise _Unworded("fewer valid branches than jsonschema-rs found")
        shown = ", ".join(repr(branch) for branch in [*valid[1:], valid[0]])
        return f"{instance!r} is valid under each of {shown}", 0
    raise _Unworded(f"no sentence for {kind} at {keyword}")


def sentence(kind: str, keyword: str, instance: Any, said: Any) -> str | None:
    """python-jsonschema's words for a jsonschema-rs error ``kind`` at ``keyword``, where the
    instance and the keyword's value (``said``) alone fix them; None for any other."""
    simple = _SENTENCES.get((kind, keyword))
    return None if simple is None else simple(instance, said)


def _type(instance: Any, said: Any) -> str:
    types = [said] if isinstance(said, str) else said
    return f"{instance!r} is not of type {', '.join(repr(name) for name in types)}"


def _short(empty: str, other: str, limit: int) -> Callable[[Any, Any], str]:
    """The length keywords' sentences, which name an emptiness where the bound is ``limit``."""
    return lambda instance, said: f"{instance!r} {empty if said == limit else other}"


_SENTENCES: dict[tuple[str, str], Callable[[Any, Any], str]] = {
    ("Type", "type"): _type,
    ("Enum", "enum"): lambda instance, said: f"{instance!r} is not one of {said!r}",
    ("Constant", "const"): lambda instance, said: f"{said!r} was expected",
    ("AnyOf", "anyOf"): lambda instance, said: (
        f"{instance!r} is not valid under any of the given schemas"
    ),
    ("OneOfNotValid", "oneOf"): lambda instance, said: (
        f"{instance!r} is not valid under any of the given schemas"
    ),
    ("Not", "not"): lambda instance, said: f"{instance!r} should not be valid under {said!r}",
    ("Minimum", "minimum"): lambda instance, said: (
        f"{instance!r} is less than the minimum of {said!r}"
    ),
    ("Maximum", "maximum"): lambda instance, said: (
        f"{instance!r} is greater than the maximum of {said!r}"
    ),
    ("ExclusiveMinimum", "exclusiveMinimum"): lambda instance, said: (
        f"{instance!r} is less than or equal to the minimum of {said!r}"
    ),
    ("ExclusiveMaximum", "exclusiveMaximum"): lambda instance, said: (
        f"{instance!r} is greater than or equal to the maximum of {said!r}"
    ),
    ("MinLength", "minLength"): _short("should be non-empty", "is too short", 1),
    ("MaxLength", "maxLength"): _short("is expected to be empty", "is too long", 0),
    ("MinItems", "minItems"): _short("should be non-empty", "is too short", 1),
    ("MaxItems", "maxItems"): _short("is expected to be empty", "is too long", 0),
    ("MinProperties", "minProperties"): _short(
        "should be non-empty", "does not have enough properties", 1
    ),
    ("MaxProperties", "maxProperties"): _short(
        "is expected to be empty", "has too many properties", 0
    ),
    ("UniqueItems", "uniqueItems"): lambda instance, said: f"{instance!r} has non-unique elements",
}
"""The errors python-jsonschema words from the instance and the keyword's value alone."""
