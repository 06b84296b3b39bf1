"""Operations documented for other vendors fail before a request exists, on every method."""

from __future__ import annotations

from typing import Any

import pytest

from ._helpers import FakeServer, Harness

EXTRA: dict[str, dict[str, Any]] = {
    "request": {"parse": lambda body: body},
    "request_raw": {"parse": lambda body: body},
    "request_stream": {"parse": lambda body: body},
    "request_binary": {},
    "request_page": {"parse": lambda body: body, "item": object},
}


def call_method(harness: Harness, client: Any, method: str, **kwargs: Any) -> Any:
    kwargs = {**EXTRA[method], **kwargs}
    if method == "request_page":
        kwargs["page"] = harness.rt._pagination.PageSpec(items="data", cursor_param="after")
    return harness.call(client, method, "POST", "/images/edits", **kwargs)


@pytest.mark.parametrize("method", list(EXTRA))
def test_unsupported_vendor_raises_before_any_request(harness: Harness, method: str) -> None:
    """A vendor not in `vendors` raises UnsupportedOperationError and nothing reaches the wire."""
    server = FakeServer()
    client = harness.client(server)
    built: list[object] = []
    original = client._build_request

    def recording_build_request(*args: Any, **kwargs: Any) -> Any:
        built.append(args)
        return original(*args, **kwargs)

    client._build_request = recording_build_request
    with pytest.raises(harness.rt._exceptions.UnsupportedOperationError) as caught:
        call_method(
            harness,
            client,
            method,
            vendors=("openai", "azure"),
            operation="images.edit",
            body={"prompt": "x"},
        )
    assert server.calls == 0
    assert built == []
    error = caught.value
    assert str(error) == "images.edit is not served by acme; documented by: openai, azure"
    assert (error.operation, error.vendor, error.vendors) == (
        "images.edit",
        "acme",
        ("openai", "azure"),
    )
    assert error.request is None
    assert isinstance(error, harness.rt._exceptions.APIError)
    assert not isinstance(error, harness.rt._exceptions.APIStatusError)


def test_supported_vendor_is_sent(harness: Harness) -> None:
    """The client's own vendor among `vendors` goes through as usual."""
    server = FakeServer()
    client = harness.client(server)
    call_method(harness, client, "request", vendors=["openai", "acme"], operation="images.edit")
    assert server.calls == 1


def test_without_vendors_nothing_is_checked(harness: Harness) -> None:
    """vendors=None (the default) serves every vendor."""
    server = FakeServer()
    call_method(harness, harness.client(server), "request", vendors=None)
    assert server.calls == 1


def test_message_without_operation_name_uses_method_and_path(harness: Harness) -> None:
    """Without `operation` the error names the HTTP method and path."""
    server = FakeServer()
    with pytest.raises(harness.rt._exceptions.UnsupportedOperationError) as caught:
        call_method(harness, harness.client(server), "request", vendors=["openai"])
    assert str(caught.value) == "POST /images/edits is not served by acme; documented by: openai"


def test_vendor_set_is_listed_sorted_and_a_str_is_one_vendor(harness: Harness) -> None:
    """A set of vendors is named in sorted order; a bare str is one vendor, not its letters."""
    server = FakeServer()
    client = harness.client(server)
    with pytest.raises(harness.rt._exceptions.UnsupportedOperationError) as caught:
        call_method(harness, client, "request", vendors={"zeta", "beta", "mu"}, operation="op")
    assert caught.value.vendors == ("beta", "mu", "zeta")
    with pytest.raises(harness.rt._exceptions.UnsupportedOperationError):
        call_method(harness, client, "request", vendors="acmex", operation="op")
    call_method(harness, client, "request", vendors="acme", operation="op")
    assert server.calls == 1


def test_error_constructor(rt: Any) -> None:
    """The exception can be made directly, with any collection of vendors."""
    error = rt._exceptions.UnsupportedOperationError("chat.create", "acme", ["a", "b"])
    assert error.vendors == ("a", "b")
    assert error.message == "chat.create is not served by acme; documented by: a, b"
