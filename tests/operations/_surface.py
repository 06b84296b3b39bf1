"""Walking a generated client: every method of every resource, with the route its docstring names."""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Iterator
from typing import Any

_ROUTE = re.compile(r"^\s*`(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE) (/[^`]*)`\s*$", re.M)


def client_methods(client: Any) -> Iterator[tuple[str, str, str]]:
    """(dotted method name, HTTP method, path) of each method reachable from the client."""
    pending: list[tuple[str, Any]] = [("", client)]
    seen: set[int] = set()
    while pending:
        prefix, resource = pending.pop()
        if id(resource) in seen:
            continue
        seen.add(id(resource))
        for name, member in sorted(vars(type(resource)).items()):
            if name.startswith("_") or name == "with_raw_response":
                continue
            if isinstance(member, property | _cached_property_type()):
                pending.append((f"{prefix}{name}.", getattr(resource, name)))
            elif inspect.isfunction(member):
                # An overloaded method's docstring is on its overloads.
                docs = [member.__doc__, *(o.__doc__ for o in typing.get_overloads(member))]
                found = _ROUTE.search("\n".join(d for d in docs if d))
                assert found is not None, f"{prefix}{name} names no route"
                yield f"{prefix}{name}", found.group(1), found.group(2)


def _cached_property_type() -> type:
    from functools import cached_property

    return cached_property
