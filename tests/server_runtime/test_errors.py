"""Handler errors, request validation and vendor in-body errors as status codes and bodies."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

import httpx
import pytest
from fastapi import HTTPException

from ._app import ChatRequest, Chunk, Completion, build_app, chunk
from .test_routes import BODY, STREAM_BODY, events, post

pytestmark = pytest.mark.anyio

NAMED_ERRORS = [
    ("BadRequest", 400, "invalid_request_error"),
    ("AuthenticationFailed", 401, "authentication_error"),
    ("PermissionDenied", 403, "permission_error"),
    ("NotFound", 404, "not_found_error"),
    ("UnprocessableEntity", 422, "invalid_request_error"),
    ("RateLimited", 429, "rate_limit_error"),
    ("InternalServerFailure", 500, "server_error"),
]


def raising(error: BaseException) -> Any:
    """A handler that raises `error`."""

    async def handler(request: ChatRequest) -> Completion:
        raise error

    return handler


@pytest.mark.parametrize(("name", "status", "error_type"), NAMED_ERRORS)
async def test_named_error_status_and_body(
    server: ModuleType, name: str, status: int, error_type: str
) -> None:
    """Each named error class answers its status with the OpenAI-style body."""
    error = getattr(server, name)("it failed", param="model", code="c1")
    assert error.status_code == status
    response = await post(build_app(server, raising(error)), BODY)
    assert response.status_code == status
    assert response.json() == {
        "error": {"message": "it failed", "type": error_type, "param": "model", "code": "c1"}
    }


async def test_http_error_with_any_status_type_and_headers(server: ModuleType) -> None:
    """HTTPError takes any 4xx/5xx status, overrides the type and sends its headers."""
    error = server.HTTPError(
        402, "balance too low", type="billing_error", code=701, headers={"Retry-After": "3"}
    )
    response = await post(build_app(server, raising(error)), BODY)
    assert response.status_code == 402
    assert response.headers["retry-after"] == "3"
    assert response.json() == {
        "error": {"message": "balance too low", "type": "billing_error", "param": None, "code": 701}
    }


@pytest.mark.parametrize(
    ("status", "error_type"),
    [(409, "conflict_error"), (418, "invalid_request_error"), (503, "server_error")],
)
def test_default_error_type_by_status(server: ModuleType, status: int, error_type: str) -> None:
    """Without a type: the OpenAI type of a 4xx (else invalid_request_error), 5xx server_error."""
    assert server.HTTPError(status, "x").type == error_type


@pytest.mark.parametrize("status", [200, 302, 399, 600])
def test_http_error_rejects_non_error_status(server: ModuleType, status: int) -> None:
    """HTTPError refuses statuses that are not errors."""
    with pytest.raises(ValueError, match="400 to 599"):
        server.HTTPError(status, "x")


async def test_starlette_http_exception_is_mapped(server: ModuleType) -> None:
    """fastapi.HTTPException raised by a handler gets the same OpenAI-style body and headers."""
    error = HTTPException(404, "no such model", headers={"X-Why": "gone"})
    response = await post(build_app(server, raising(error)), BODY)
    assert response.status_code == 404
    assert response.headers["x-why"] == "gone"
    assert response.json()["error"] == {
        "message": "no such model",
        "type": "not_found_error",
        "param": None,
        "code": None,
    }


async def test_unknown_exception_is_generic_500_without_traceback(
    server: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    """Any other exception answers 500 with a generic message; the details go to the log only."""
    with caplog.at_level(logging.ERROR):
        response = await post(build_app(server, raising(KeyError("sk-secret-key"))), BODY)
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "message": server.GENERIC_SERVER_ERROR,
            "type": "server_error",
            "param": None,
            "code": None,
        }
    }
    assert "sk-secret-key" not in response.text
    assert "Traceback" not in response.text
    [record] = [r for r in caplog.records if r.exc_info]
    assert "sk-secret-key" in caplog.text
    assert record.exc_info is not None and record.exc_info[0] is KeyError


@pytest.mark.parametrize(
    ("body", "message", "param"),
    [
        (
            {"messages": BODY["messages"]},
            "Invalid request body: 'model': Field required",
            "model",
        ),
        (
            {"model": "m", "messages": [{"role": "robot", "content": "x"}]},
            "Invalid request body: 'messages[0].role': Input should be 'system', 'user' or "
            "'assistant'",
            "messages[0].role",
        ),
        (
            {"model": 3, "messages": [], "max_tokens": 0},
            "Invalid request body: 'model': Input should be a valid string; 'messages': List "
            "should have at least 1 item after validation, not 0; 'max_tokens': Input should be "
            "greater than or equal to 1",
            "model",
        ),
        ([BODY], "Invalid request body: Input should be an object", None),
    ],
    ids=["missing", "nested-enum", "several", "not-object"],
)
async def test_validation_error_is_400_with_param(
    server: ModuleType, body: object, message: str, param: str | None
) -> None:
    """An invalid body answers 400 naming each bad field, the first as `param`; no handler call."""
    called: list[object] = []

    async def handler(request: ChatRequest) -> Completion:
        called.append(request)
        raise AssertionError("not reached")

    response = await post(build_app(server, handler), body)
    assert response.status_code == 400
    assert response.json() == {
        "error": {"message": message, "type": "invalid_request_error", "param": param, "code": None}
    }
    assert called == []


async def test_validation_message_lists_at_most_ten_problems(server: ModuleType) -> None:
    """A body with many problems gets a bounded message that counts the rest."""
    messages = [{"role": "robot", "content": "x"}] * 12
    response = await post(build_app(server), {"model": "m", "messages": messages})
    message = response.json()["error"]["message"]
    assert message.count("Input should be 'system'") == 10
    assert message.endswith("; and 2 more")
    assert "messages[9].role" in message
    assert "messages[10].role" not in message


@pytest.mark.parametrize("content", [b"{not json", b""], ids=["malformed", "empty"])
async def test_body_that_is_not_json_is_400(server: ModuleType, content: bytes) -> None:
    """A body that does not parse as JSON answers 400 saying so."""
    transport = httpx.ASGITransport(app=build_app(server))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post("/v1/chat/completions", content=content)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"].startswith("We could not parse the JSON body of your request: ")
    assert error["param"] is None


async def test_validation_status_is_per_mount(server: ModuleType) -> None:
    """A mount can answer validation errors with 422; the other prefix keeps 400."""
    mounts = [server.Mount("/v1"), server.Mount("/api/ai", validation_status=422)]
    app = build_app(server, mounts=mounts)
    assert (await post(app, {}, "/v1")).status_code == 400
    response = await post(app, {}, "/api/ai")
    assert response.status_code == 422
    assert response.json()["error"]["type"] == "invalid_request_error"


def in_body_app(server: ModuleType, handler: Any, **in_body: Any) -> Any:
    """/v1 in the OpenAI style, /api/ai with the in-body catalogue 701, 702, "quota"."""
    catalogue = server.InBodyErrors(codes=(701, 702, "quota"), **in_body)
    mounts = [server.Mount("/v1"), server.Mount("/api/ai", in_body_errors=catalogue)]
    return build_app(server, handler, mounts=mounts)


@pytest.mark.parametrize("code", [701, "701", " 701"], ids=["int", "string", "padded"])
async def test_in_body_mode_answers_200_code_message(server: ModuleType, code: object) -> None:
    """At an in-body prefix a catalogue code answers 200 {code, message}, typed as listed."""
    app = in_body_app(server, raising(server.HTTPError(402, "balance too low", code=code)))
    response = await post(app, BODY, "/api/ai")
    assert response.status_code == 200
    assert response.json() == {"code": 701, "message": "balance too low"}


async def test_in_body_mode_is_per_prefix(server: ModuleType) -> None:
    """The same error at the OpenAI-style prefix keeps its status and error object."""
    app = in_body_app(server, raising(server.HTTPError(402, "balance too low", code=701)))
    response = await post(app, BODY, "/v1")
    assert response.status_code == 402
    assert response.json()["error"]["code"] == 701


@pytest.mark.parametrize("code", [703, True, None, "other"], ids=["unknown", "bool", "none", "str"])
async def test_in_body_mode_keeps_status_for_other_codes(server: ModuleType, code: object) -> None:
    """Codes outside the catalogue (and `true`, which is no code) keep the status answer."""
    app = in_body_app(server, raising(server.HTTPError(429, "busy", code=code)))
    response = await post(app, BODY, "/api/ai")
    assert response.status_code == 429
    assert response.json()["error"]["message"] == "busy"


async def test_in_body_status_codes_map_errors_without_code(server: ModuleType) -> None:
    """status_codes gives an in-body code to errors by status, validation errors included."""
    app = in_body_app(
        server,
        raising(server.AuthenticationFailed("bad key")),
        status_codes={401: 702, 400: "quota"},
    )
    response = await post(app, BODY, "/api/ai")
    assert (response.status_code, response.json()) == (200, {"code": 702, "message": "bad key"})
    invalid = await post(app, {}, "/api/ai")
    assert invalid.status_code == 200
    assert invalid.json()["code"] == "quota"
    assert invalid.json()["message"].startswith("Invalid request body: ")


def test_in_body_status_codes_must_be_in_catalogue(server: ModuleType) -> None:
    """A status mapped to a code the catalogue lacks is refused when the catalogue is built."""
    with pytest.raises(ValueError, match=r"not in the catalogue: \[999\]"):
        server.InBodyErrors(codes=(701,), status_codes={401: 999})


async def test_in_body_error_before_stream_and_mid_stream(server: ModuleType) -> None:
    """Before the first chunk the in-body shape applies; mid-stream the error event is OpenAI's."""

    async def refuses(request: ChatRequest) -> AsyncIterator[Chunk]:
        raise server.HTTPError(402, "pay first", code=701)
        yield chunk("never")

    before = await post(in_body_app(server, refuses), STREAM_BODY, "/api/ai")
    assert (before.status_code, before.json()) == (200, {"code": 701, "message": "pay first"})

    async def fails_later(request: ChatRequest) -> AsyncIterator[Chunk]:
        yield chunk("partial")
        raise server.HTTPError(402, "pay first", code=701)

    data = events(await post(in_body_app(server, fails_later), STREAM_BODY, "/api/ai"))
    assert json.loads(data[-1])["error"]["code"] == 701
