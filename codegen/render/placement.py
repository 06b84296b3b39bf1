"""Where each operation lives in the client: its resource (a chain of path segments) and its
method name, in the official SDKs' manner.

- Static path segments are the resource chain: ``GET /fine_tuning/jobs`` is
  ``client.fine_tuning.jobs.list``.
- A static segment right after a parameter, with one operation and nothing below it, is an action
  on the item: ``GET /files/{file_id}/content`` is ``client.files.content(file_id)`` and
  ``POST /batches/{batch_id}/cancel`` is ``client.batches.cancel(batch_id)``.
- The verb comes from the REST shape: GET of a collection is ``list``, of an item ``retrieve``;
  POST to a collection ``create``, to an item ``update``; PUT and PATCH ``update``; DELETE
  ``delete``. Where two operations would share a name, each takes its cleaned operationId.
- A custom method on an item (``POST /batches/{batch_id}:cancel``) is that verb:
  ``client.batches.cancel(batch_id)``.
- Operations on the bare root (``POST /``) live in a ``root`` resource.

Client and server both read names from here, so a handler method is called like its client
method.
"""

from __future__ import annotations

import re
from collections import Counter

import msgspec

from ..ir.model import API, Operation
from .names import field_name, snake_case, unique

ROOT_RESOURCE = "root"

_VERBS = {"post": "create", "put": "update", "patch": "update", "delete": "delete"}


class Placement(msgspec.Struct, frozen=True):
    resource: tuple[str, ...]
    """Path segments of the resource chain (wire spelling)."""
    method: str


def _segments(path: str) -> list[str]:
    return [segment for segment in path.strip("/").split("/") if segment]


def _is_parameter(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


_CUSTOM_METHOD = re.compile(r"^\{[^{}]+\}:([A-Za-z][\w-]*)$")
"""``{batch_id}:cancel``: a verb on the item, the custom-method form of Google's API guide."""


def _statics(path: str) -> tuple[str, ...]:
    return tuple(s for s in _segments(path) if not _is_parameter(s) and not _CUSTOM_METHOD.match(s))


def _custom_verb(path: str) -> str | None:
    segments = _segments(path)
    found = _CUSTOM_METHOD.match(segments[-1]) if segments else None
    return found.group(1) if found else None


def key(operation: Operation) -> tuple[str, str]:
    return (operation.method, operation.path)


def _actions(api: API) -> set[tuple[str, str]]:
    """Operations that are actions on an item: ``/{id}/<static>``, alone at their path, with
    nothing below it."""
    per_path = Counter(operation.path for operation in api.operations)
    paths = {operation.path.rstrip("/") for operation in api.operations}
    found: set[tuple[str, str]] = set()
    for operation in api.operations:
        segments = _segments(operation.path)
        if len(segments) < 3 or _is_parameter(segments[-1]) or not _is_parameter(segments[-2]):
            continue
        if not any(not _is_parameter(s) for s in segments[:-2]):
            continue
        base = operation.path.rstrip("/")
        if per_path[operation.path] == 1 and not any(p.startswith(base + "/") for p in paths):
            found.add(key(operation))
    return found


def _verb(operation: Operation) -> str:
    method = operation.method.lower()
    segments = _segments(operation.path)
    on_item = bool(segments) and _is_parameter(segments[-1])
    if method == "get":
        return "retrieve" if on_item else "list"
    if method == "post" and on_item:
        return "update"
    return _VERBS.get(method, snake_case(method))


def place_operations(
    api: API, reserved: frozenset[str] = frozenset()
) -> dict[tuple[str, str], Placement]:
    """Resource and method name of every operation, unique within each resource."""
    actions = _actions(api)
    wanted: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {}
    for operation in api.operations:
        statics = _statics(operation.path)
        verb = _custom_verb(operation.path)
        if verb is not None:
            resource, name = statics, snake_case(verb)
        elif key(operation) in actions:
            resource, name = statics[:-1], snake_case(statics[-1])
        else:
            resource, name = statics, _verb(operation)
        wanted[key(operation)] = (resource or (ROOT_RESOURCE,), name)
    # A method must not take the attribute of a child resource.
    children: dict[tuple[str, ...], set[str]] = {}
    for resource, _name in wanted.values():
        for depth in range(1, len(resource)):
            children.setdefault(resource[:depth], set()).add(field_name(resource[depth]))
    counts = Counter(wanted.values())
    placements: dict[tuple[str, str], Placement] = {}
    used: dict[tuple[str, ...], set[str]] = {}
    for operation in api.operations:
        resource, name = wanted[key(operation)]
        taken = used.setdefault(resource, set(reserved) | children.get(resource, set()))
        if counts[(resource, name)] > 1 or name in taken:
            name = snake_case(operation.id)
        placements[key(operation)] = Placement(resource, unique(name, taken))
    return placements
