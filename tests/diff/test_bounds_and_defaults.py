"""Bounds tightened or loosened on either side of a call, and documented defaults."""

from __future__ import annotations

from pathlib import Path

from .helpers import REQUEST, RESPONSE, at, diff_texts, document, edited, one


def test_tightened_request_bound_is_breaking(tmp_path: Path) -> None:
    """A lower maximum refuses request values the old one allowed."""
    new = document(request=edited(REQUEST, "properties/temperature/maximum", 1))
    changes = diff_texts(tmp_path, document(), new)
    change = one(changes, "request.temperature")
    assert (change.kind, change.breaking) == ("request-bound-tightened", True)
    assert (change.before, change.after) == ("maximum 2", "maximum 1")


def test_loosened_request_bound_is_not_breaking(tmp_path: Path) -> None:
    """A bound that goes, or a lower minimum, accepts every value sent before."""
    request = edited(REQUEST, "properties/temperature/maximum", "-")
    request = edited(request, "properties/temperature/minimum", -1)
    changes = at(diff_texts(tmp_path, document(), document(request=request)), "request.temperature")
    assert sorted((c.kind, c.before, c.after, c.breaking) for c in changes) == [
        ("request-bound-loosened", "maximum 2", None, False),
        ("request-bound-loosened", "minimum 0", "minimum -1", False),
    ]


def test_new_request_bound_is_breaking(tmp_path: Path) -> None:
    """A bound where there was none (maxLength on a string) is a tightening."""
    new = document(request=edited(REQUEST, "properties/model/maxLength", 64))
    change = one(diff_texts(tmp_path, document(), new), "request.model")
    assert (change.kind, change.breaking, change.after) == (
        "request-bound-tightened",
        True,
        "maxLength 64",
    )


def test_response_bounds_are_judged_the_other_way_round(tmp_path: Path) -> None:
    """The client validates responses: a loosened response bound breaks it, a tighter one does not."""
    bounded = document(response=edited(RESPONSE, "properties/choices/maxItems", 4))
    change = one(diff_texts(tmp_path / "a", document(), bounded), "response.choices")
    assert (change.kind, change.breaking) == ("response-bound-tightened", False)
    change = one(diff_texts(tmp_path / "b", bounded, document()), "response.choices")
    assert (change.kind, change.breaking) == ("response-bound-loosened", True)


def test_changed_request_default_is_breaking(tmp_path: Path) -> None:
    """Calls that leave the field out get a different value from the server."""
    new = document(request=edited(REQUEST, "properties/temperature/default", 0.7))
    change = one(diff_texts(tmp_path, document(), new), "request.temperature")
    assert (change.kind, change.breaking, change.before, change.after) == (
        "request-default-changed",
        True,
        "1",
        "0.7",
    )


def test_documented_or_dropped_request_default_is_not_breaking(tmp_path: Path) -> None:
    """A default newly written down, or no longer written down, changes documentation only."""
    new = document(request=edited(REQUEST, "properties/effort/default", "low"))
    change = one(diff_texts(tmp_path / "a", document(), new), "request.effort")
    assert (change.kind, change.breaking, change.after) == ("request-default-added", False, '"low"')
    dropped = document(request=edited(REQUEST, "properties/temperature/default", "-"))
    change = one(diff_texts(tmp_path / "b", document(), dropped), "request.temperature")
    assert (change.kind, change.breaking) == ("request-default-removed", False)
