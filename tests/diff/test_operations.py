"""Operations added and removed, request and response bodies, streaming, error statuses."""

from __future__ import annotations

from pathlib import Path

import yaml

from .helpers import CHAT, REQUEST, diff_sets, diff_texts, document, edited, kinds, one

EMBED = "POST /v1/embeddings"


def test_identical_documents_have_no_changes(tmp_path: Path) -> None:
    """The same document on both sides gives an empty list."""
    assert diff_texts(tmp_path, document(), document()) == []


def test_removed_operation_is_breaking_and_added_is_not(tmp_path: Path) -> None:
    """An operation that moves path is one removed (breaking) and one added (ok)."""
    changes = diff_texts(tmp_path, document(), document(path="/v1/chat/complete"))
    assert kinds(changes) == [
        ("operation-added", "POST /v1/chat/complete", False),
        ("operation-removed", CHAT, True),
    ]


def test_request_body_becoming_required_is_breaking(tmp_path: Path) -> None:
    """A request body that goes is breaking; one that was optional and is now required too."""
    changes = diff_texts(tmp_path / "a", document(), document(request=None))
    assert (one(changes, "request").kind, one(changes, "request").breaking) == (
        "request-body-removed",
        True,
    )
    # A body whose schema requires fields is made required by normalize: this one requires none.
    required = document(request=edited(REQUEST, "required", "-"))
    tree = yaml.safe_load(required)
    tree["paths"]["/v1/chat/completions"]["post"]["requestBody"]["required"] = False
    optional = yaml.safe_dump(tree)
    change = one(diff_texts(tmp_path / "b", optional, required), "request")
    assert (change.kind, change.breaking) == ("request-body-now-required", True)
    change = one(diff_texts(tmp_path / "c", required, optional), "request")
    assert (change.kind, change.breaking) == ("request-body-now-optional", False)


def test_request_body_added_required_is_breaking(tmp_path: Path) -> None:
    """A required body on an operation that took none breaks calls made without one."""
    change = one(
        diff_texts(tmp_path, document(request=None, chunk=None), document(chunk=None)), "request"
    )
    assert (change.kind, change.breaking) == ("request-body-added-required", True)


def test_response_body_removed_is_breaking_and_added_is_not(tmp_path: Path) -> None:
    """Callers reading a response that goes break; a new response body breaks nothing."""
    change = one(diff_texts(tmp_path / "a", document(), document(response=None)), "response")
    assert (change.kind, change.breaking) == ("response-body-removed", True)
    change = one(diff_texts(tmp_path / "b", document(response=None), document()), "response")
    assert (change.kind, change.breaking) == ("response-body-added", False)


def test_streaming_removed_is_breaking_and_added_is_not(tmp_path: Path) -> None:
    """The stream media type (a StreamSpec) going breaks streaming calls; a new one does not."""
    change = one(diff_texts(tmp_path / "a", document(), document(chunk=None)), "stream")
    assert (change.kind, change.breaking) == ("streaming-removed", True)
    change = one(diff_texts(tmp_path / "b", document(chunk=None), document()), "stream")
    assert (change.kind, change.breaking) == ("streaming-added", False)


def test_stream_chunk_fields_and_flag_are_compared(tmp_path: Path) -> None:
    """Chunk fields are walked as a response (``stream.``); a renamed stream flag breaks."""
    request = REQUEST.replace("  stream: {type", "  streaming: {type")
    chunk = "type: object\nproperties:\n  id: {type: string}\n"
    changes = diff_texts(tmp_path, document(), document(request=request, chunk=chunk))
    flag = one(changes, "stream.flag")
    assert (flag.kind, flag.breaking, flag.before, flag.after) == (
        "stream-flag-changed",
        True,
        "stream",
        "streaming",
    )
    delta = one(changes, "stream.delta")
    assert (delta.kind, delta.breaking) == ("response-field-removed-optional", False)


def test_error_statuses_added_and_removed_are_not_breaking(tmp_path: Path) -> None:
    """Every status already raises a typed error, so a documented status coming or going is ok."""
    error = "type: object\nproperties:\n  message: {type: string}\n"
    with_429 = document(errors={429: error})
    change = one(diff_texts(tmp_path / "a", document(), with_429), "errors.429")
    assert (change.kind, change.breaking, change.after) == ("error-status-added", False, "429")
    change = one(diff_texts(tmp_path / "b", with_429, document(errors={500: error})), "errors.429")
    assert (change.kind, change.breaking) == ("error-status-removed", False)


def test_vendor_that_stops_describing_an_operation_is_breaking_for_that_vendor(
    tmp_path: Path,
) -> None:
    """A vendor still present but no longer describing an operation: breaking, for that vendor."""
    embed = document(path="/v1/embeddings", chunk=None, server="https://b.test")
    changes = diff_sets(
        tmp_path,
        {"vendora.yaml": document(), "vendorb.yaml": document(server="https://b.test")},
        {"vendora.yaml": document(), "vendorb.yaml": embed},
    )
    change = one(changes, "")
    assert (change.kind, change.vendor, change.breaking) == (
        "vendor-operation-removed",
        "vendorb",
        True,
    )
    assert one(changes, "", EMBED).kind == "operation-added"
