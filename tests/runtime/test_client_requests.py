"""What the clients send: auth, URL, headers, body assembly, query, timeouts, raw responses."""

from __future__ import annotations

import asyncio
import json
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest

from ._helpers import API_KEY, FakeServer, Harness, make_profile

CHAT = "/chat/completions"


def sent_json(request: httpx.Request) -> Any:
    return json.loads(request.content)


def test_bearer_auth_header_and_default_headers(harness: Harness) -> None:
    """The key goes in the profile's header with its scheme; Accept and User-Agent are set."""
    server = FakeServer()
    harness.request(harness.client(server), "POST", CHAT, body={})
    headers = server.requests[0].headers
    assert headers["authorization"] == f"Bearer {API_KEY}"
    assert headers["accept"] == "application/json"
    assert headers["user-agent"].startswith("acme-python-client")
    assert headers["content-type"] == "application/json"


def test_raw_key_without_scheme(harness: Harness) -> None:
    """auth_scheme=None sends the bare key in a custom header."""
    server = FakeServer()
    profile = make_profile(harness.rt, auth_header="X-Api-Key", auth_scheme=None)
    harness.request(harness.client(server, profile=profile), "GET", "/models")
    assert server.requests[0].headers["x-api-key"] == API_KEY
    assert "authorization" not in server.requests[0].headers


def test_key_read_from_environment(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no api_key argument the key comes from the profile's environment variable."""
    monkeypatch.setenv("ACME_API_KEY", "sk-from-env")
    server = FakeServer()
    client = harness.client(server, api_key=None)
    harness.request(client, "GET", "/models")
    assert client.api_key == "sk-from-env"
    assert server.requests[0].headers["authorization"] == "Bearer sk-from-env"


def test_argument_key_beats_environment(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """An explicit api_key wins over the environment variable."""
    monkeypatch.setenv("ACME_API_KEY", "sk-from-env")
    server = FakeServer()
    harness.request(harness.client(server, api_key="sk-arg"), "GET", "/models")
    assert server.requests[0].headers["authorization"] == "Bearer sk-arg"


@pytest.mark.parametrize("env_value", [None, ""], ids=["unset", "empty"])
def test_missing_key_names_argument_and_variable(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, env_value: str | None
) -> None:
    """No key anywhere (or an empty variable) fails at construction naming api_key and the var."""
    if env_value is None:
        monkeypatch.delenv("ACME_API_KEY", raising=False)
    else:
        monkeypatch.setenv("ACME_API_KEY", env_value)
    with pytest.raises(harness.rt._exceptions.MissingAPIKeyError) as caught:
        harness.client(FakeServer(), api_key=None)
    assert str(caught.value) == "no API key for acme: pass api_key=... or set ACME_API_KEY"


def test_missing_key_without_env_variable(harness: Harness) -> None:
    """A profile with auth but no variable only suggests the argument."""
    profile = make_profile(harness.rt, api_key_env=None)
    with pytest.raises(harness.rt._exceptions.MissingAPIKeyError, match=r"pass api_key=\.\.\.$"):
        harness.client(FakeServer(), profile=profile, api_key=None)


def test_no_auth_profile_needs_no_key(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """A profile without an auth header works without any key and sends no auth header."""
    monkeypatch.delenv("ACME_API_KEY", raising=False)
    server = FakeServer()
    profile = make_profile(harness.rt, auth_header=None, auth_scheme=None)
    harness.request(harness.client(server, profile=profile, api_key=None), "GET", "/models")
    assert "authorization" not in server.requests[0].headers


def test_url_joins_base_url_prefix_and_path(harness: Harness) -> None:
    """The profile's base URL keeps its path prefix; slashes are not doubled."""
    server = FakeServer()
    profile = make_profile(harness.rt, base_url="https://api.acme.test/v1/")
    harness.request(harness.client(server, profile=profile), "POST", CHAT, body={})
    assert str(server.requests[0].url) == "https://api.acme.test/v1/chat/completions"


def test_base_url_override(harness: Harness) -> None:
    """base_url= replaces the profile's base URL, path prefix included."""
    server = FakeServer()
    client = harness.client(server, base_url="http://proxy.local:8080/api/v2")
    harness.request(client, "POST", "chat/completions", body={})
    assert str(server.requests[0].url) == "http://proxy.local:8080/api/v2/chat/completions"


def test_body_drops_not_given_and_keeps_explicit_none(harness: Harness) -> None:
    """NOT_GIVEN fields (also nested) are not sent; an explicit None is sent as null."""
    not_given = harness.rt._types.NOT_GIVEN
    server = FakeServer()
    body = {
        "model": "m",
        "temperature": not_given,
        "stop": None,
        "options": {"a": 1, "b": not_given},
    }
    harness.request(harness.client(server), "POST", CHAT, body=body)
    assert sent_json(server.requests[0]) == {"model": "m", "stop": None, "options": {"a": 1}}


def test_required_fields_added_only_when_omitted(harness: Harness) -> None:
    """Profile required_fields fill in omitted (or NOT_GIVEN) fields; a caller's value wins."""
    not_given = harness.rt._types.NOT_GIVEN
    server = FakeServer()
    profile = make_profile(harness.rt, required_fields={"stream": False, "n": 1})
    client = harness.client(server, profile=profile)
    harness.request(client, "POST", CHAT, body={"model": "m", "n": not_given})
    harness.request(client, "POST", CHAT, body={"model": "m", "stream": True, "n": None})
    assert sent_json(server.requests[0]) == {"model": "m", "stream": False, "n": 1}
    assert sent_json(server.requests[1]) == {"model": "m", "stream": True, "n": None}


def test_required_fields_not_added_to_bodiless_request(harness: Harness) -> None:
    """A request without a body (a GET) gets no body, required fields or not."""
    server = FakeServer()
    profile = make_profile(harness.rt, required_fields={"stream": False})
    harness.request(harness.client(server, profile=profile), "GET", "/models")
    assert server.requests[0].content == b""


def test_extra_body_merged_last(harness: Harness) -> None:
    """extra_body adds fields and overrides both the caller's and the required fields."""
    server = FakeServer()
    profile = make_profile(harness.rt, required_fields={"stream": False})
    extra = {"stream": True, "top_k": 3, "model": "x"}
    options = harness.rt._types.RequestOptions(extra_body=extra)
    harness.request(
        harness.client(server, profile=profile), "POST", CHAT, body={"model": "m"}, options=options
    )
    assert sent_json(server.requests[0]) == {"model": "x", "stream": True, "top_k": 3}


def test_pydantic_models_in_body_are_dumped(harness: Harness) -> None:
    """Pydantic models in the body are sent by alias, leaving out fields nobody set."""

    class Message(pydantic.BaseModel):
        role: str
        content: str | None = None
        name_: str | None = pydantic.Field(default=None, alias="name")

    server = FakeServer()
    messages = [Message(role="user", content=None), Message(role="system", name="x")]
    harness.request(harness.client(server), "POST", CHAT, body={"messages": messages})
    assert sent_json(server.requests[0]) == {
        "messages": [{"role": "user", "content": None}, {"role": "system", "name": "x"}]
    }


def test_query_and_extra_query(harness: Harness) -> None:
    """query and extra_query become URL parameters; None and NOT_GIVEN values are dropped."""
    not_given = harness.rt._types.NOT_GIVEN
    server = FakeServer()
    options = harness.rt._types.RequestOptions(extra_query={"beta": "true", "limit": 5})
    query = {"limit": 10, "after": None, "order": not_given, "tag": "a b"}
    harness.request(harness.client(server), "GET", "/models", query=query, options=options)
    params = server.requests[0].url.params
    assert dict(params) == {"limit": "5", "tag": "a b", "beta": "true"}


def test_extra_headers_merge_override_and_remove(harness: Harness) -> None:
    """extra_headers add and override headers (any case); None removes one, even User-Agent."""
    server = FakeServer()
    client = harness.client(server, default_headers={"X-Team": "a", "X-Gone": "soon"})
    options = harness.rt._types.RequestOptions(
        extra_headers={"x-team": "b", "X-Trace": "t1", "X-Gone": None, "user-agent": None}
    )
    harness.request(client, "GET", "/models", options=options)
    headers = server.requests[0].headers
    assert headers["x-team"] == "b"
    assert headers["x-trace"] == "t1"
    assert "x-gone" not in headers
    assert "user-agent" not in headers
    assert headers["authorization"] == f"Bearer {API_KEY}"


def test_default_headers_override_auth(harness: Harness) -> None:
    """default_headers can replace the computed auth header for every call."""
    server = FakeServer()
    client = harness.client(server, default_headers={"Authorization": "Token other"})
    harness.request(client, "GET", "/models")
    assert server.requests[0].headers["authorization"] == "Token other"


def test_client_and_per_call_timeout(harness: Harness) -> None:
    """The client's timeout applies to every request unless options.timeout replaces it."""
    server = FakeServer()
    client = harness.client(server, timeout=12.0)
    harness.request(client, "GET", "/models")
    options = harness.rt._types.RequestOptions(timeout=httpx.Timeout(3.0, connect=1.0))
    harness.request(client, "GET", "/models", options=options)
    no_timeout = harness.rt._types.RequestOptions(timeout=None)
    harness.request(client, "GET", "/models", options=no_timeout)
    timeouts = [request.extensions["timeout"] for request in server.requests]
    assert timeouts[0] == httpx.Timeout(12.0).as_dict()
    assert timeouts[1] == httpx.Timeout(3.0, connect=1.0).as_dict()
    assert timeouts[2] == httpx.Timeout(None).as_dict()


def test_default_timeout(harness: Harness) -> None:
    """Without a timeout argument requests carry DEFAULT_TIMEOUT."""
    server = FakeServer()
    harness.request(harness.client(server), "GET", "/models")
    expected = harness.rt._base_client.DEFAULT_TIMEOUT.as_dict()
    assert server.requests[0].extensions["timeout"] == expected


def test_parse_receives_decoded_json(harness: Harness) -> None:
    """request() returns what parse makes of the decoded JSON body."""

    class Reply(pydantic.BaseModel):
        id: str

    server = FakeServer(httpx.Response(200, json={"id": "r1", "extra": 1}))
    reply = harness.request(harness.client(server), "GET", "/x", parse=Reply.model_validate)
    assert reply == Reply(id="r1")


def test_raw_response_access(harness: Harness) -> None:
    """request_raw gives status, headers and the httpx response; parse() runs once, lazily."""
    calls: list[object] = []

    def parse(body: object) -> object:
        calls.append(body)
        return {"parsed": body}

    server = FakeServer(httpx.Response(201, json={"id": "r1"}, headers={"x-request-id": "q9"}))
    raw = harness.call(harness.client(server), "request_raw", "POST", CHAT, body={}, parse=parse)
    assert raw.status_code == 201
    assert raw.headers["x-request-id"] == "q9"
    assert isinstance(raw.http_response, httpx.Response)
    assert raw.json() == {"id": "r1"}
    assert calls == []
    assert raw.parse() == {"parsed": {"id": "r1"}}
    assert raw.parse() == {"parsed": {"id": "r1"}}
    assert calls == [{"id": "r1"}]


def test_stream_request_headers_and_chunks(harness: Harness) -> None:
    """request_stream asks for text/event-stream and yields each parsed chunk until [DONE]."""
    server = FakeServer(
        httpx.Response(
            200,
            headers={"content-type": "text/event-stream"},
            content=b'data: {"n": 1}\r\n\r\ndata: {"n": 2}\r\n\r\ndata: [DONE]\r\n\r\n',
        )
    )
    chunks = harness.stream(harness.client(server), "POST", CHAT, body={"stream": True})
    assert chunks == [{"n": 1}, {"n": 2}]
    assert server.requests[0].headers["accept"] == "text/event-stream"


def test_user_http_client_is_not_closed(rt: ModuleType) -> None:
    """Closing our client leaves a caller's httpx.Client open; our own one is closed."""
    user_client = httpx.Client(transport=httpx.MockTransport(FakeServer()))
    profile = make_profile(rt)
    with rt._base_client.SyncAPIClient(profile=profile, api_key="k", http_client=user_client):
        pass
    assert not user_client.is_closed
    own = rt._base_client.SyncAPIClient(profile=profile, api_key="k")
    own.close()
    assert own._client.is_closed


def test_async_user_http_client_is_not_closed(rt: ModuleType) -> None:
    """Closing our async client leaves a caller's httpx.AsyncClient open; our own one is closed."""
    profile = make_profile(rt)

    async def scenario() -> tuple[bool, bool]:
        user_client = httpx.AsyncClient(transport=httpx.MockTransport(FakeServer()))
        async with rt._base_client.AsyncAPIClient(
            profile=profile, api_key="k", http_client=user_client
        ):
            pass
        own = rt._base_client.AsyncAPIClient(profile=profile, api_key="k")
        await own.close()
        return user_client.is_closed, own._client.is_closed

    assert asyncio.run(scenario()) == (False, True)


def test_negative_max_retries_rejected(harness: Harness) -> None:
    """max_retries below zero is a programming error caught at construction."""
    with pytest.raises(ValueError, match="max_retries"):
        harness.client(FakeServer(), max_retries=-1)


def test_a_key_taken_in_the_query_goes_there_and_not_in_a_header(harness: Harness) -> None:
    server = FakeServer()
    profile = make_profile(harness.rt, auth_header=None, auth_scheme=None, auth_query="key")
    harness.request(harness.client(server, profile=profile), "GET", "/models", query={"n": 1})
    (request,) = server.requests
    assert request.url.query.decode() == f"n=1&key={API_KEY}"
    assert "authorization" not in request.headers


def test_basic_credentials_are_base64_of_user_and_password(harness: Harness) -> None:
    import base64

    server = FakeServer()
    profile = make_profile(harness.rt, auth_scheme="Basic")
    client = harness.client(server, profile=profile, api_key="user:secret")
    harness.request(client, "GET", "/models")
    expected = base64.b64encode(b"user:secret").decode()
    assert server.requests[0].headers["authorization"] == f"Basic {expected}"
