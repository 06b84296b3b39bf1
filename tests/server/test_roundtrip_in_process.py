"""Generated client against the generated app in process, for each vendor profile, sync and async.

The sync client talks to the app through tests/_asgi.py (an httpx.Client bridging to Starlette's
TestClient); the async client through httpx.ASGITransport.
"""

from __future__ import annotations

import asyncio
from typing import Any

import chat_api
import httpx
import pytest
from chat_api import server
from fastapi import FastAPI
from fastapi.testclient import TestClient

from .._asgi import in_process_client
from ._handler import CLIENT_ERRORS, SERVER_ERRORS, ScriptedHandler
from .conftest import VENDOR_NAMES, vendor_prefix

IN_BODY_CODES = [
    (vendor, code, error_class)
    for vendor, profile in chat_api.VENDORS.items()
    for code, error_class in profile.in_body_errors.items()
]
"""(vendor, code, generated error class) of every vendor's in-body catalogue."""


class Caller:
    """Calls `client.chat.completions.create` through the sync or the async client."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def client(self, app: FastAPI, vendor: str, prefix: str | None = None) -> Any:
        base_url = f"http://testserver{vendor_prefix(vendor) if prefix is None else prefix}"
        options: dict[str, Any] = {
            "vendor": vendor,
            "api_key": "test-key",
            "base_url": base_url,
            "max_retries": 0,
        }
        if self.mode == "async":
            transport = httpx.ASGITransport(app=app)
            return chat_api.AsyncClient(
                **options, http_client=httpx.AsyncClient(transport=transport)
            )
        return chat_api.Client(**options, http_client=in_process_client(app))

    def create(self, app: FastAPI, vendor: str, text: str, **kwargs: Any) -> Any:
        """A non-streamed completion of one user message."""
        client = self.client(app, vendor, kwargs.pop("prefix", None))
        call = client.chat.completions.create(
            model="test-model", messages=[{"role": "user", "content": text}], **kwargs
        )
        return asyncio.run(call) if self.mode == "async" else call

    def stream(self, app: FastAPI, vendor: str, text: str) -> list[Any]:
        """The chunks of a streamed completion, in the order they arrived."""
        client = self.client(app, vendor)
        messages = [{"role": "user", "content": text}]
        if self.mode == "async":

            async def collect() -> list[Any]:
                stream = await client.chat.completions.create(
                    model="test-model", messages=messages, stream=True
                )
                return [item async for item in stream]

            return asyncio.run(collect())
        stream = client.chat.completions.create(model="test-model", messages=messages, stream=True)
        return list(stream)


@pytest.fixture(params=["sync", "async"])
def caller(request: pytest.FixtureRequest) -> Caller:
    """Parametrises a test over the sync and the async generated client."""
    return Caller(request.param)


@pytest.fixture(params=VENDOR_NAMES)
def vendor(request: pytest.FixtureRequest) -> str:
    """Parametrises a test over every vendor profile of the package."""
    name: str = request.param
    return name


def vendor_app(vendor: str) -> tuple[FastAPI, ScriptedHandler]:
    handler = ScriptedHandler()
    return server.create_app(handler, vendor=vendor), handler


def test_completion_equals_what_the_handler_made(caller: Caller, vendor: str) -> None:
    """A plain call returns the handler's ChatCompletion, field for field."""
    app, handler = vendor_app(vendor)
    answer = caller.create(app, vendor, "hello there")
    assert isinstance(answer, chat_api.ChatCompletion)
    assert answer.model_dump() == handler.answers[0].model_dump()
    assert answer.choices[0].message.content == "echo: hello there"


def test_handler_receives_the_validated_request_model(caller: Caller, vendor: str) -> None:
    """The handler gets a CreateChatCompletionRequest holding what the client sent."""
    app, handler = vendor_app(vendor)
    caller.create(app, vendor, "hi", temperature=0.5)
    (request,) = handler.requests
    assert isinstance(request, chat_api.CreateChatCompletionRequest)
    assert request.model == "test-model"
    assert request.temperature == 0.5
    assert isinstance(request.messages[0], chat_api.UserMessage)
    # A vendor that requires the stream flag gets it from its client; the others leave it out.
    required = chat_api.VENDORS[vendor].required_fields
    assert ("stream" in request.model_fields_set) == ("stream" in required)


def test_stream_chunks_arrive_in_order_and_equal(caller: Caller, vendor: str) -> None:
    """Every chunk the handler yields arrives, in order and equal, then the stream ends."""
    app, handler = vendor_app(vendor)
    chunks = caller.stream(app, vendor, "one two three")
    (sent,) = handler.streams
    assert len(sent) == 4
    assert [item.model_dump() for item in chunks] == [item.model_dump() for item in sent]
    assert all(isinstance(item, chat_api.ChatCompletionChunk) for item in chunks)


@pytest.mark.parametrize("status", sorted(SERVER_ERRORS))
def test_handler_error_becomes_the_typed_client_error(
    caller: Caller, vendor: str, status: int
) -> None:
    """Each server error class reaches the client as its typed error, status and message kept."""
    app, _ = vendor_app(vendor)
    with pytest.raises(chat_api.APIStatusError) as caught:
        caller.create(app, vendor, f"status {status}")
    assert type(caught.value) is getattr(chat_api, CLIENT_ERRORS[status])
    assert caught.value.status_code == status
    assert caught.value.message == f"scripted status {status}"
    assert caught.value.body["error"]["message"] == f"scripted status {status}"


def test_invalid_body_is_a_bad_request_naming_the_field(caller: Caller, vendor: str) -> None:
    """A body the request model refuses (an unknown field) is a 400 BadRequestError."""
    app, handler = vendor_app(vendor)
    with pytest.raises(chat_api.BadRequestError, match="not_a_field") as caught:
        caller.create(app, vendor, "hi", extra_body={"not_a_field": 1})
    assert caught.value.body["error"]["param"] == "not_a_field"
    assert handler.requests == []


def test_unexpected_exception_is_a_generic_internal_server_error(
    caller: Caller, vendor: str
) -> None:
    """A plain exception in the handler is a 500 whose message hides the exception's text."""
    app, _ = vendor_app(vendor)
    with pytest.raises(chat_api.InternalServerError) as caught:
        caller.create(app, vendor, "crash")
    assert "internal detail" not in caught.value.message


@pytest.mark.parametrize(
    ("vendor_name", "code", "error_class"),
    IN_BODY_CODES,
    ids=[f"{vendor}-{code}" for vendor, code, _ in IN_BODY_CODES],
)
def test_in_body_code_becomes_the_vendors_error_class(
    caller: Caller, vendor_name: str, code: int | str, error_class: type[Exception]
) -> None:
    """In vendor mode, an error with a catalogue code reaches that vendor's client as its class."""
    app, _ = vendor_app(vendor_name)
    with pytest.raises(chat_api.APIInBodyError) as caught:
        caller.create(app, vendor_name, f"code {code}")
    assert type(caught.value) is error_class
    assert caught.value.status_code == 200
    assert caught.value.body == {"code": code, "message": f"scripted code {code}"}


def test_siliconstorm_code_701_is_insufficient_balance(caller: Caller) -> None:
    """The acceptance case by name: siliconstorm's 701 raises InsufficientBalanceError."""
    app, _ = vendor_app("siliconstorm")
    with pytest.raises(chat_api.InsufficientBalanceError, match="scripted code 701"):
        caller.create(app, "siliconstorm", "code 701")


@pytest.mark.parametrize("vendor_name", VENDOR_NAMES)
def test_shared_app_serves_every_vendor_prefix(caller: Caller, vendor_name: str) -> None:
    """`create_app(handler)` answers each vendor's client at that vendor's own prefix."""
    handler = ScriptedHandler()
    app = server.create_app(handler)
    assert caller.create(app, vendor_name, "shared").choices[0].message.content == "echo: shared"
    chunks = caller.stream(app, vendor_name, "a b")
    assert [c.model_dump() for c in chunks] == [c.model_dump() for c in handler.streams[0]]


def test_shared_app_answers_in_body_codes_openai_style(caller: Caller) -> None:
    """Without a vendor mode, an error carrying an in-body code keeps its HTTP status."""
    vendor_name, code, _ = IN_BODY_CODES[0]
    app = server.create_app(ScriptedHandler())
    with pytest.raises(chat_api.APIStatusError) as caught:
        caller.create(app, vendor_name, f"code {code}")
    assert not isinstance(caught.value, chat_api.APIInBodyError)
    assert caught.value.status_code == 402
    assert caught.value.body["error"]["code"] == code


def test_vendor_mode_serves_only_that_vendors_prefix(caller: Caller) -> None:
    """A vendor-mode app answers 404 under another vendor's prefix."""
    prefixes = {vendor_prefix(name): name for name in VENDOR_NAMES}
    assert len(prefixes) > 1, "the package's vendors use at least two prefixes"
    (first, vendor_name), (other, _) = list(prefixes.items())[:2]
    app, _ = vendor_app(vendor_name)
    assert caller.create(app, vendor_name, "x", prefix=first).choices
    with pytest.raises(chat_api.NotFoundError):
        caller.create(app, vendor_name, "x", prefix=other)


def test_unknown_vendor_mode_is_refused() -> None:
    """create_app names the known vendors when given another."""
    with pytest.raises(ValueError, match="unknown vendor 'nobody'; known vendors: deepseek"):
        server.create_app(ScriptedHandler(), vendor="nobody")


def test_prefixes_are_the_vendors_prefixes_once_each() -> None:
    """PREFIXES holds each vendor's prefix once (equal prefixes deduplicated), in vendor order."""
    expected = tuple(dict.fromkeys(vendor_prefix(name) for name in VENDOR_NAMES))
    assert len(expected) < len(VENDOR_NAMES), "two vendors of the package share a prefix"
    assert expected == server.PREFIXES
    paths = TestClient(server.create_app(ScriptedHandler())).get("/openapi.json").json()["paths"]
    assert sorted(paths) == sorted(f"{prefix}/chat/completions" for prefix in expected)


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_demo_handler_answers_valid_models(caller: Caller, stream: bool) -> None:
    """The packaged demo handler answers with valid models, echoing the request's model name."""
    app = server.create_app(server.DemoHandler())
    vendor_name = VENDOR_NAMES[0]
    if stream:
        chunks = caller.stream(app, vendor_name, "hi")
        assert len(chunks) == 3
        assert all(isinstance(c, chat_api.ChatCompletionChunk) for c in chunks)
        assert {c.model for c in chunks} == {"test-model"}
    else:
        answer = caller.create(app, vendor_name, "hi")
        assert isinstance(answer, chat_api.ChatCompletion)
        assert answer.model == "test-model"
        assert answer.choices and answer.choices[0].message is not None
