"""Operations compared by method and path: added, removed, bodies, streaming, error statuses."""

from __future__ import annotations

from ..ir.model import API, ModelRef, Operation
from .change import Change, make_change, operation_label
from .schema import BodyWalk, compare_body


def _key(operation: Operation) -> tuple[str, str]:
    return (operation.method.lower(), operation.path)


def operation_changes(old: API, new: API) -> list[Change]:
    """Operations added and removed, and every change inside those on both sides."""
    old_ops = {_key(op): op for op in old.operations}
    new_ops = {_key(op): op for op in new.operations}
    changes: list[Change] = []
    for key in sorted(old_ops.keys() | new_ops.keys()):
        label = operation_label(*key)
        if key not in new_ops:
            changes.append(make_change("operation-removed", "", operation=label))
        elif key not in old_ops:
            changes.append(make_change("operation-added", "", operation=label))
        else:
            changes += _compare_operation(old, new, label, old_ops[key], new_ops[key])
    return changes


def _body(
    walk: BodyWalk, place: str, before: ModelRef | None, after: ModelRef | None
) -> list[Change]:
    """Changes inside a body both sides have (one that comes or goes is a change of its own)."""
    if before is None or after is None:
        return []
    return compare_body(walk, place, before, after)


def _compare_operation(
    old: API, new: API, label: str, before: Operation, after: Operation
) -> list[Change]:
    changes = _request_body(label, before, after) + _response_body(label, before, after)
    request, response = BodyWalk(old, new, "request", label), BodyWalk(old, new, "response", label)
    changes += _body(request, "request", before.request, after.request)
    changes += _body(response, "response", before.response, after.response)
    changes += _stream(old, new, label, before, after)
    changes += _errors(label, before, after)
    changes += _vendors_serving(old, new, label, before, after)
    return changes


def _request_body(label: str, before: Operation, after: Operation) -> list[Change]:
    if before.request is not None and after.request is None:
        return [make_change("request-body-removed", "request", operation=label)]
    if before.request is None and after.request is not None:
        kind = "required" if after.request_required else "optional"
        return [make_change(f"request-body-added-{kind}", "request", operation=label)]
    if before.request is not None and before.request_required != after.request_required:
        kind = (
            "request-body-now-required" if after.request_required else "request-body-now-optional"
        )
        return [make_change(kind, "request", operation=label)]
    return []


def _response_body(label: str, before: Operation, after: Operation) -> list[Change]:
    if before.response is not None and after.response is None:
        return [make_change("response-body-removed", "response", operation=label)]
    if before.response is None and after.response is not None:
        return [make_change("response-body-added", "response", operation=label)]
    return []


def _stream(old: API, new: API, label: str, before: Operation, after: Operation) -> list[Change]:
    if before.stream is None and after.stream is None:
        return []
    if after.stream is None:
        return [make_change("streaming-removed", "stream", operation=label)]
    if before.stream is None:
        return [make_change("streaming-added", "stream", operation=label)]
    changes = []
    pairs = (
        ("stream-flag-changed", "stream.flag", before.stream.flag, after.stream.flag),
        (
            "stream-terminator-changed",
            "stream.terminator",
            before.stream.terminator,
            after.stream.terminator,
        ),
        (
            "stream-media-type-changed",
            "stream.media_type",
            before.stream.media_type,
            after.stream.media_type,
        ),
    )
    for kind, place, was, now in pairs:
        if was != now:
            changes.append(make_change(kind, place, operation=label, before=was, after=now))
    walk = BodyWalk(old, new, "response", label)
    return changes + compare_body(walk, "stream", before.stream.chunk, after.stream.chunk)


def _errors(label: str, before: Operation, after: Operation) -> list[Change]:
    was = {error.status for error in before.errors}
    now = {error.status for error in after.errors}
    changes = [
        make_change("error-status-removed", f"errors.{status}", operation=label, before=str(status))
        for status in sorted(was - now)
    ]
    changes += [
        make_change("error-status-added", f"errors.{status}", operation=label, after=str(status))
        for status in sorted(now - was)
    ]
    return changes


def serving_vendors(api: API, operation: Operation) -> set[str]:
    """The vendors whose documents describe an operation."""
    documents = set(operation.documents)
    return {vendor.name for vendor in api.vendors if documents & set(vendor.documents)}


def _vendors_serving(
    old: API, new: API, label: str, before: Operation, after: Operation
) -> list[Change]:
    """A vendor present on both sides that starts or stops describing the operation."""
    common = {v.name for v in old.vendors} & {v.name for v in new.vendors}
    was, now = serving_vendors(old, before) & common, serving_vendors(new, after) & common
    changes = [
        make_change("vendor-operation-removed", "", operation=label, vendor=name)
        for name in sorted(was - now)
    ]
    changes += [
        make_change("vendor-operation-added", "", operation=label, vendor=name)
        for name in sorted(now - was)
    ]
    return changes
