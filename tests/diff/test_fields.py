"""Request and response fields added, removed, made required or optional, nullable or not."""

from __future__ import annotations

from pathlib import Path

from .helpers import REQUEST, RESPONSE, diff_texts, document, edited, kinds, one


def test_optional_request_field_added_is_not_breaking(tmp_path: Path) -> None:
    """A new optional request field is reported at its place and does not break callers."""
    new = document(request=edited(REQUEST, "properties/seed", {"type": "integer"}))
    change = one(diff_texts(tmp_path, document(), new), "request.seed")
    assert (change.kind, change.breaking) == ("request-field-added-optional", False)
    assert change.after == "integer, optional"
    assert change.reason


def test_required_request_field_added_is_breaking(tmp_path: Path) -> None:
    """A new required request field breaks every existing call."""
    request = edited(REQUEST, "properties/seed", {"type": "integer"})
    request = edited(request, "required", ["model", "messages", "seed"])
    change = one(diff_texts(tmp_path, document(), document(request=request)), "request.seed")
    assert (change.kind, change.breaking) == ("request-field-added-required", True)


def test_nested_request_field_removed_is_breaking(tmp_path: Path) -> None:
    """A field removed inside an array item is found at ``messages[].content`` and breaks."""
    request = edited(REQUEST, "properties/messages/items/properties/content", "-")
    request = edited(request, "properties/messages/items/required", ["role"])
    changes = diff_texts(tmp_path, document(), document(request=request))
    change = one(changes, "request.messages[].content")
    assert (change.kind, change.breaking) == ("request-field-removed", True)
    assert change.before == "string, required"
    assert change.location == "POST /v1/chat/completions request.messages[].content"


def test_response_field_added_is_not_breaking(tmp_path: Path) -> None:
    """A new response field, even a required one, does not break callers."""
    response = edited(RESPONSE, "properties/model", {"type": "string"})
    response = edited(response, "required", ["id", "choices", "model"])
    change = one(diff_texts(tmp_path, document(), document(response=response)), "response.model")
    assert (change.kind, change.breaking) == ("response-field-added", False)


def test_required_response_field_removed_is_breaking(tmp_path: Path) -> None:
    """A guaranteed (required) response field that goes breaks callers reading it (in a
    response only a constant such as `object` is guaranteed)."""
    response = edited(RESPONSE, "properties/object", "-")
    response = edited(response, "required", ["id", "choices"])
    change = one(diff_texts(tmp_path, document(), document(response=response)), "response.object")
    assert (change.kind, change.breaking) == ("response-field-removed-required", True)


def test_optional_response_field_removed_is_not_breaking(tmp_path: Path) -> None:
    """An optional response field that goes was never guaranteed."""
    response = edited(RESPONSE, "properties/created", "-")
    change = one(diff_texts(tmp_path, document(), document(response=response)), "response.created")
    assert (change.kind, change.breaking) == ("response-field-removed-optional", False)


def test_request_field_becoming_required_is_breaking_and_the_reverse_is_not(
    tmp_path: Path,
) -> None:
    """optional -> required breaks a request; required -> optional does not."""
    stricter = document(request=edited(REQUEST, "required", ["model", "messages", "effort"]))
    change = one(diff_texts(tmp_path / "a", document(), stricter), "request.effort")
    assert (change.kind, change.breaking) == ("request-field-now-required", True)
    assert (change.before, change.after) == ("optional", "required")
    looser = document(request=edited(REQUEST, "required", ["messages"]))
    change = one(diff_texts(tmp_path / "b", document(), looser), "request.model")
    assert (change.kind, change.breaking) == ("request-field-now-optional", False)


def test_response_field_no_longer_guaranteed_is_breaking_and_the_reverse_is_not(
    tmp_path: Path,
) -> None:
    """required -> optional breaks a response; optional -> required does not (a constant is
    the kind of response field that stays required)."""
    looser = document(response=edited(RESPONSE, "required", ["id", "choices"]))
    # An optional response field also accepts null: two changes at the one place.
    assert kinds(diff_texts(tmp_path / "a", document(), looser)) == [
        ("response-field-now-optional", "POST /v1/chat/completions response.object", True),
        ("response-nullable-added", "POST /v1/chat/completions response.object", True),
    ]
    assert kinds(diff_texts(tmp_path / "b", looser, document())) == [
        ("response-field-now-required", "POST /v1/chat/completions response.object", False),
        ("response-nullable-removed", "POST /v1/chat/completions response.object", False),
    ]


def test_response_field_becoming_nullable_is_breaking(tmp_path: Path) -> None:
    """A response value that may now be null breaks callers; null going away does not."""
    nullable = document(
        response=edited(
            RESPONSE, "properties/object", {"type": ["string", "null"], "enum": ["chat.completion"]}
        )
    )
    change = one(diff_texts(tmp_path / "a", document(), nullable), "response.object")
    assert (change.kind, change.breaking) == ("response-nullable-added", True)
    change = one(diff_texts(tmp_path / "b", nullable, document()), "response.object")
    assert (change.kind, change.breaking) == ("response-nullable-removed", False)


def test_request_field_refusing_null_is_breaking(tmp_path: Path) -> None:
    """A request value that may no longer be null breaks callers; accepting null does not."""
    nullable = document(request=edited(REQUEST, "properties/model", {"type": ["string", "null"]}))
    change = one(diff_texts(tmp_path / "a", nullable, document()), "request.model")
    assert (change.kind, change.breaking) == ("request-nullable-removed", True)
    change = one(diff_texts(tmp_path / "b", document(), nullable), "request.model")
    assert (change.kind, change.breaking) == ("request-nullable-added", False)
