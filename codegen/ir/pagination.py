"""Cursor pagination, recognised from the shapes of a list answer and its query parameters.

A list answer is an object with one array of items. It pages when the operation has a query
parameter that carries the cursor, and the answer says where the next page starts:
- a string field of the answer naming that parameter (``pagination_token``, or ``next_`` + it,
  e.g. ``next_page_token`` for ``page_token``) gives the next cursor; or
- a boolean field (``has_more``) says whether there is more, and the last item's identifier is the
  cursor, sent in the query parameter whose description says it marks the place in the list
  (a "cursor", "the next page") and is not the one going backwards.
"""

from __future__ import annotations

import re

from .model import (
    ArrayType,
    Model,
    ModelRef,
    Pagination,
    Parameter,
    ScalarType,
    TypeNode,
)

_CURSOR_WORDS = re.compile(r"\bcursor\b|\bpaginat|next page|place in the list", re.I)
_BACKWARD_WORDS = re.compile(r"\bprevious\b|\bbackwards?\b", re.I)
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")


def _words(name: str) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return "_".join(w for w in _WORD_SPLIT.split(spaced.lower()) if w)


def _is_string(node: TypeNode) -> bool:
    return isinstance(node, ScalarType) and node.kind == "string"


def _is_boolean(node: TypeNode) -> bool:
    return isinstance(node, ScalarType) and node.kind == "boolean"


def detect_pagination(
    response: Model, parameters: tuple[Parameter, ...], models: dict[str, Model]
) -> Pagination | None:
    """The pagination of a list answer; None when the answer is not a list of items."""
    arrays = [f for f in response.fields if isinstance(f.type, ArrayType)]
    if len(arrays) != 1:
        return None
    items = arrays[0]
    query = [p for p in parameters if p.location == "query" and _is_string(p.type)]
    if not query:
        return _single_page(response, items.name)
    by_words = {_words(p.name): p for p in query}
    for candidate in response.fields:
        if not _is_string(candidate.type):
            continue
        words = _words(candidate.name)
        stem = words.removeprefix("next_") if words.startswith("next_") else None
        parameter = by_words.get(words) or (by_words.get(stem) if stem else None)
        if parameter is not None:
            return Pagination(
                items=items.name, cursor_param=parameter.name, next_cursor=candidate.name
            )
    flags = [f for f in response.fields if _is_boolean(f.type)]
    item_type = items.type.items if isinstance(items.type, ArrayType) else None
    if len(flags) != 1 or not isinstance(item_type, ModelRef) or item_type.name not in models:
        return _single_page(response, items.name)
    identifier = next(
        (f for f in models[item_type.name].fields if f.name == "id" and _is_string(f.type)), None
    )
    forward = [
        p
        for p in query
        if _CURSOR_WORDS.search(p.description or "")
        and not _BACKWARD_WORDS.search(p.description or "")
    ]
    if identifier is None or len(forward) != 1:
        return _single_page(response, items.name)
    return Pagination(
        items=items.name,
        cursor_param=forward[0].name,
        item_cursor=identifier.name,
        has_more=flags[0].name,
    )


def _single_page(response: Model, items: str) -> Pagination | None:
    """A list with no cursor is one page: objects, and beside them a few scalars at most (an
    ``object`` tag, counts); an object with one array among its properties is not a list."""
    others = [f for f in response.fields if f.name != items]
    array = next(f.type for f in response.fields if f.name == items)
    objects = isinstance(array, ArrayType) and isinstance(array.items, ModelRef)
    if objects and len(others) <= 4 and all(isinstance(f.type, ScalarType) for f in others):
        return Pagination(items=items, cursor_param=None)
    return None
