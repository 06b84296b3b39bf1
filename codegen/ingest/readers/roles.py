"""What a block of fields describes (the request body, the answer, a nested object or a parameter
place) and what an example shows, read from the headings above it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..markdown import Heading
from .text import word_list


@dataclass(frozen=True)
class Role:
    """What a parameter table describes: ``body``, ``response``, ``nested`` or a parameter place."""

    kind: str
    heading: Heading | None = None


def heading_name(heading: Heading) -> list[str]:
    """The words of a heading that name a type: ``Message Object`` -> ``["Message"]``."""
    words = re.findall(r"[A-Za-z0-9]+", heading.text.replace("`", ""))
    return [word for word in words if word.lower() not in {"object", "schema"}]


def table_role(headings: tuple[Heading, ...], field_keys: set[str]) -> Role:
    """Read from the innermost heading out; the first that says something decides."""
    for heading in reversed(headings):
        words = set(word_list(heading.text))
        name_key = "".join(word.lower() for word in heading_name(heading))
        if name_key and name_key in field_keys:
            return Role("nested", heading)
        for place in ("query", "path", "header", "cookie"):
            if {place, place + "s"} & words:
                return Role(place, heading)
        if {"response", "responses"} & words:
            return Role("response", heading)
        if {"object", "schema"} & words:
            return Role("nested", heading)
        if {"request", "body", "parameters", "params", "arguments"} & words:
            return Role("body", heading)
    # A table whose headings say nothing describes the operation's own request.
    return Role("body", headings[-1] if headings else None)


def type_name_key(type_text: str) -> str:
    """``array of Message objects`` / ``Message[]`` -> ``message``: the type a cell names."""
    noise = {"a", "an", "array", "list", "of", "object", "objects"}
    return "".join(word for word in word_list(type_text) if word not in noise)


def example_role(headings: tuple[Heading, ...]) -> str | None:
    """``response``, ``request`` or None (an error, a stream chunk or an unrelated snippet)."""
    for heading in reversed(headings):
        words = set(word_list(heading.text))
        if words & {"error", "errors", "stream", "streaming", "chunk", "chunks", "event", "events"}:
            return None
        if words & {"response", "responses"}:
            return "response"
        if words & {"request", "requests"}:
            return "request"
    return None


def slug(text: str, taken: dict[str, Any]) -> str:
    base = "_".join(word_list(text.replace("`", ""))) or "example"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}_{number}", number + 1
    return name
