"""Vendor profiles: vendors added and removed, base URLs, auth, in-body errors, own bounds and
required fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..ir.helpers import schema
from .helpers import (
    REQUEST,
    RESPONSE,
    diff_sets,
    diff_texts,
    document,
    edited,
    kinds,
    one,
    with_api_key,
    with_bearer,
)


def _vendor(changes: list[Any], place: str) -> Any:
    return one(changes, place, operation=None)


def test_vendor_added_is_not_breaking_and_removed_is(tmp_path: Path) -> None:
    """A second vendor joining breaks nobody; the same vendor leaving breaks its callers."""
    one_vendor = {"vendora.yaml": document(server="https://a.test")}
    two_vendors = {**one_vendor, "vendorb.yaml": document(server="https://b.test")}
    assert kinds(diff_sets(tmp_path / "a", one_vendor, two_vendors)) == [
        ("vendor-added", "", False)
    ]
    change = _vendor(diff_sets(tmp_path / "b", two_vendors, one_vendor), "")
    assert (change.kind, change.vendor, change.breaking) == ("vendor-removed", "vendorb", True)


def test_base_url_change_is_breaking(tmp_path: Path) -> None:
    """An old client calls the old address."""
    new = document(server="https://api.example.com/v2")
    change = _vendor(diff_texts(tmp_path, document(), new), "base_url")
    assert (change.kind, change.vendor, change.breaking) == ("base-url-changed", "vendora", True)
    assert (change.before, change.after) == (
        "https://api.example.com",
        "https://api.example.com/v2",
    )


def test_auth_changes_are_breaking(tmp_path: Path) -> None:
    """New auth (scheme, header, key variable) or a renamed API-key header breaks old clients."""
    changes = diff_texts(tmp_path / "a", document(), with_bearer(document()))
    assert kinds(changes) == [
        ("api-key-env-changed", "api_key_env", True),
        ("auth-changed", "auth", True),
        ("auth-header-changed", "auth_header", True),
    ]
    assert _vendor(changes, "auth").after == "bearer"
    renamed = diff_texts(
        tmp_path / "b", with_api_key(document(), "x-api-key"), with_api_key(document(), "api-key")
    )
    change = _vendor(renamed, "auth_header")
    assert (change.kind, change.before, change.after, change.breaking) == (
        "auth-header-changed",
        "x-api-key",
        "api-key",
        True,
    )


def _error(code: int, title: str) -> dict[str, Any]:
    """An in-body error alternative of a 2xx body, which normalize moves to the catalogue."""
    return {
        "title": title,
        "type": "object",
        "properties": {"code": {"type": "integer", "const": code}, "message": {"type": "string"}},
    }


def _with_errors(*errors: dict[str, Any]) -> str:
    return document(response={"oneOf": [schema(RESPONSE), *errors]})


def test_in_body_error_codes_added_removed_and_renamed(tmp_path: Path) -> None:
    """A new in-body code is ok; a code removed or renamed changes error classes: breaking."""
    old = _with_errors(_error(701, "Insufficient balance error"))
    new = _with_errors(_error(701, "Balance exhausted error"), _error(702, "Rate limit exceeded"))
    changes = diff_texts(tmp_path / "a", old, new)
    renamed = _vendor(changes, "in_body_errors.701")
    assert (renamed.kind, renamed.breaking) == ("in-body-error-renamed", True)
    assert (renamed.before, renamed.after) == (
        "Insufficient balance error",
        "Balance exhausted error",
    )
    added = _vendor(changes, "in_body_errors.702")
    assert (added.kind, added.breaking) == ("in-body-error-added", False)
    removed = _vendor(diff_texts(tmp_path / "b", old, document()), "in_body_errors.701")
    assert (removed.kind, removed.breaking) == ("in-body-error-removed", True)


def _two_vendors(vendorb_request: str) -> dict[str, str]:
    return {
        "vendora.yaml": document(server="https://a.test"),
        "vendorb.yaml": document(request=vendorb_request, server="https://b.test"),
    }


def test_vendor_bounds_tightened_and_loosened(tmp_path: Path) -> None:
    """A vendor's own bound (tighter than the merged API's) is compared in its profile."""
    at_one = edited(REQUEST, "properties/temperature/maximum", 1)
    at_half = edited(REQUEST, "properties/temperature/maximum", 0.5)
    changes = diff_sets(tmp_path / "a", _two_vendors(at_one), _two_vendors(at_half))
    assert kinds(changes) == [("vendor-bound-tightened", "bounds.temperature", True)]
    change = _vendor(changes, "bounds.temperature")
    assert (change.vendor, change.before, change.after) == ("vendorb", "maximum 1", "maximum 0.5")
    looser = diff_sets(tmp_path / "b", _two_vendors(at_half), _two_vendors(at_one))
    assert kinds(looser) == [("vendor-bound-loosened", "bounds.temperature", False)]


def test_vendor_required_fields_added_and_removed(tmp_path: Path) -> None:
    """A field one vendor alone starts to require breaks its callers; no longer requiring is ok."""
    requiring = edited(REQUEST, "required", ["model", "messages", "effort"])
    changes = diff_sets(tmp_path / "a", _two_vendors(REQUEST), _two_vendors(requiring))
    change = _vendor(changes, "required_fields.effort")
    assert (change.kind, change.vendor, change.breaking) == (
        "vendor-required-field-added",
        "vendorb",
        True,
    )
    changes = diff_sets(tmp_path / "b", _two_vendors(requiring), _two_vendors(REQUEST))
    change = _vendor(changes, "required_fields.effort")
    assert (change.kind, change.breaking) == ("vendor-required-field-removed", False)


def test_vendor_dropping_a_field_others_keep_is_a_feature_removed(tmp_path: Path) -> None:
    """The API keeps ``effort`` (vendora documents it), vendorb no longer does: breaking for it."""
    without = edited(REQUEST, "properties/effort", "-")
    changes = diff_sets(tmp_path, _two_vendors(REQUEST), _two_vendors(without))
    assert kinds(changes) == [("vendor-feature-removed", "features.effort", True)]
    assert _vendor(changes, "features.effort").vendor == "vendorb"


def test_sole_vendor_changes_are_reported_once_at_their_place(tmp_path: Path) -> None:
    """With one vendor its bounds and features are the API's: no second, vendor-level change."""
    request = edited(REQUEST, "properties/effort", "-")
    request = edited(request, "properties/temperature/maximum", 1)
    changes = diff_texts(tmp_path, document(), document(request=request))
    assert kinds(changes) == [
        ("request-field-removed", "POST /v1/chat/completions request.effort", True),
        ("request-bound-tightened", "POST /v1/chat/completions request.temperature", True),
    ]
