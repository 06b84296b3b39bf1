"""The library API other code calls: diff_apis, summary_line, to_markdown, and the rules table."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from codegen.diff import RULES, diff_apis, summary_line, to_json, to_markdown, to_text
from codegen.diff.change import make_change

from .helpers import REQUEST, RESPONSE, document, edited, load_api, write


def test_every_rule_has_a_verdict_words_and_a_one_line_reason() -> None:
    """The table is complete enough to print: each row says what and why, on one line."""
    for kind, rule in RULES.items():
        assert rule.what and rule.reason, kind
        assert "\n" not in rule.reason and len(rule.reason) < 100, kind
    assert RULES["operation-removed"].breaking and not RULES["operation-added"].breaking


def test_change_carries_its_rule_and_is_frozen() -> None:
    """make_change copies the verdict and reason from the table into the (frozen) change."""
    change = make_change("request-field-removed", "request.x", operation="POST /a")
    assert (change.breaking, change.reason) == (True, RULES["request-field-removed"].reason)
    with pytest.raises(FrozenInstanceError):
        change.breaking = False  # type: ignore[misc]


def test_summary_line_counts_changes_and_breaking_ones() -> None:
    """ "3 API changes, 1 breaking"; one change is singular; none says so."""
    removed = make_change("operation-removed", "", operation="POST /a")
    added = make_change("operation-added", "", operation="POST /b")
    assert summary_line([removed, added, added]) == "3 API changes, 1 breaking"
    assert summary_line([added]) == "1 API change, 0 breaking"
    assert summary_line([]) == "no API changes"
    assert to_markdown([]) == "**no API changes**\n"


def test_diff_is_deterministic_and_independent_of_the_order_found(tmp_path: Path) -> None:
    """Many changes at once come out in one order: by operation, then place; reports agree."""
    old = load_api(write(tmp_path / "old", "vendora.yaml", document()))
    request = edited(REQUEST, "properties/effort", "-")
    request = edited(request, "properties/seed", {"type": "integer"})
    response = edited(RESPONSE, "required", ["id", "choices"])
    new = load_api(
        write(
            tmp_path / "new",
            "vendora.yaml",
            document(request=request, response=response, server="https://x.test"),
        )
    )
    changes = diff_apis(old, new)
    assert [c.location for c in changes] == [
        "POST /v1/chat/completions request.effort",
        "POST /v1/chat/completions request.seed",
        "POST /v1/chat/completions response.object",
        "POST /v1/chat/completions response.object",
        "base_url",
    ]
    assert diff_apis(old, new) == changes
    reversed_input = list(reversed(changes))
    assert to_json(reversed_input) == to_json(changes)
    assert to_text(reversed_input) == to_text(changes)
    assert to_markdown(reversed_input) == to_markdown(changes)
    assert summary_line(changes) == "5 API changes, 4 breaking"
