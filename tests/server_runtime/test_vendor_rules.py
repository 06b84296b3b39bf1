"""A mount's VendorRules: the served vendor's own required fields and bounds, beyond the model."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest

from ._app import build_app
from .test_routes import BODY, post

pytestmark = pytest.mark.anyio


def _app(server: ModuleType, **rules: Any) -> Any:
    mount = server.Mount("/v1", rules=server.VendorRules(**rules))
    return build_app(server, mounts=[mount])


async def test_a_body_within_the_vendors_rules_reaches_the_handler(server: ModuleType) -> None:
    app = _app(server, required=("stream",), bounds={"max_tokens": {"le": 100}})
    response = await post(app, {**BODY, "stream": False, "max_tokens": 100})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("bounds", "body", "param"),
    [
        ({"max_tokens": {"le": 100}}, {**BODY, "max_tokens": 101}, "max_tokens"),
        ({"max_tokens": {"lt": 100}}, {**BODY, "max_tokens": 100}, "max_tokens"),
        ({"max_tokens": {"gt": 5}}, {**BODY, "max_tokens": 5}, "max_tokens"),
        ({"max_tokens": {"ge": 5}}, {**BODY, "max_tokens": 4}, "max_tokens"),
        ({"messages": {"max_length": 1}}, {**BODY, "messages": BODY["messages"] * 2}, "messages"),
    ],
)
async def test_a_vendor_bound_the_model_lacks_answers_400_in_the_envelope(
    server: ModuleType, bounds: dict[str, Any], body: dict[str, Any], param: str
) -> None:
    response = await post(_app(server, bounds=bounds), body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["param"], error["type"]) == (param, "invalid_request_error")
    assert "on this server" in error["message"]


async def test_a_field_the_vendor_requires_answers_400_when_left_out(server: ModuleType) -> None:
    response = await post(_app(server, required=("stream",)), BODY)
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "stream"


async def test_a_bound_on_a_field_left_out_or_null_is_not_checked(server: ModuleType) -> None:
    app = _app(server, bounds={"max_tokens": {"ge": 5}})
    assert (await post(app, BODY)).status_code == 200
    assert (await post(app, {**BODY, "max_tokens": None})).status_code == 200


async def test_a_required_field_the_body_model_lacks_is_not_demanded(server: ModuleType) -> None:
    """Rules name fields of one vendor's operation; another operation's body is not refused."""
    response = await post(_app(server, required=("not_a_field_of_this_body",)), BODY)
    assert response.status_code == 200
