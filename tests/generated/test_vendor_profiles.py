"""Each vendor's profile as the client applies it: URL with prefix, auth, API key, required fields."""

from __future__ import annotations

import ast
import json
from itertools import pairwise
from types import ModuleType

import httpx
import pytest

from codegen.openapi_walk import iter_operations

from ._documents import GENERATED, PACKAGE, documents
from .conftest import API_KEY, FakeVendor, async_client, sync_client

# vendor -> (full URL of the operation, API key variable, auth scheme); None: no authentication.
PROFILES: dict[str, tuple[str, str | None, str | None]] = {
    "deepseek": ("https://api.deepseek.com/chat/completions", "DEEPSEEK_API_KEY", "Bearer"),
    "oxen": ("https://dev.hub.oxen.ai/api/ai/chat/completions", None, None),
    "siliconstorm": (
        "https://api.siliconstorm.ai/v1/chat/completions",
        "SILICONSTORM_API_KEY",
        "Bearer",
    ),
    "solidrust": ("https://api.solidrust.ai/v1/chat/completions", "SOLIDRUST_API_KEY", "Bearer"),
}
VENDORS = sorted(PROFILES)
KEYED_VENDORS = [vendor for vendor in VENDORS if PROFILES[vendor][1] is not None]
# Fields a vendor's document requires that a caller may leave out, with the value sent for them.
REQUIRED_FIELDS: dict[str, dict[str, object]] = {"siliconstorm": {"stream": False}}

MESSAGES = [{"role": "user", "content": "Hello!"}]
COMPLETION = {"id": "cmpl-1", "object": "chat.completion", "created": 1, "choices": []}


@pytest.fixture(autouse=True)
def _no_vendor_keys_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sets the variables it means to; none leaks in from the machine."""
    for _url, variable, _scheme in PROFILES.values():
        if variable is not None:
            monkeypatch.delenv(variable, raising=False)


def _completion_server() -> FakeVendor:
    return FakeVendor(httpx.Response(200, json=COMPLETION))


def test_expected_urls_are_the_documents_servers_and_paths() -> None:
    """The URLs this file expects are each vendor document's server URL plus its operation path."""
    for document in documents():
        servers = document.openapi.get("servers") or []
        if not servers:
            continue  # a document without servers (DeepSeek's docs page) says nothing on this
        for _pointer, path, _method, _operation in iter_operations(document.openapi):
            url = servers[0]["url"].rstrip("/") + path
            assert url == PROFILES[document.vendor][0], document.name


@pytest.mark.parametrize("vendor", VENDORS)
def test_request_goes_to_vendor_url_with_key_from_environment(
    api: ModuleType, vendor: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key comes from the vendor's variable and is sent in its auth header and scheme, to
    the vendor's base URL with its path prefix; oxen sends no auth header at all."""
    url, variable, scheme = PROFILES[vendor]
    if variable is not None:
        monkeypatch.setenv(variable, "key-from-env")
    server = _completion_server()
    client = sync_client(api, vendor, server, api_key=None)
    completion = client.chat.completions.create(model="m", messages=MESSAGES)
    assert completion.id == "cmpl-1"
    (request,) = server.requests
    assert request.method == "POST"
    assert str(request.url) == url
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    if scheme is None:
        assert "authorization" not in request.headers
    else:
        assert request.headers["authorization"] == f"{scheme} key-from-env"


@pytest.mark.parametrize("vendor", VENDORS)
def test_api_key_argument_wins_over_environment(
    api: ModuleType, vendor: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`api_key=` is used even when the variable is set; a vendor documented without auth
    (oxen) still gets the key, as `Authorization: Bearer`, the API family's convention."""
    _url, variable, scheme = PROFILES[vendor]
    if variable is not None:
        monkeypatch.setenv(variable, "key-from-env")
    server = _completion_server()
    client = sync_client(api, vendor, server, api_key="key-from-argument")
    client.chat.completions.create(model="m", messages=MESSAGES)
    headers = server.requests[0].headers
    assert headers["authorization"] == f"{scheme or 'Bearer'} key-from-argument"


@pytest.mark.parametrize("empty", [False, True], ids=["unset", "empty"])
@pytest.mark.parametrize("vendor", KEYED_VENDORS)
def test_missing_key_raises_naming_api_key_and_variable(
    api: ModuleType, vendor: str, empty: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No key (variable unset or empty): MissingAPIKeyError naming `api_key` and the variable,
    raised when the client is built, before any request."""
    variable = PROFILES[vendor][1]
    assert variable is not None
    if empty:
        monkeypatch.setenv(variable, "")
    server = _completion_server()
    with pytest.raises(api.MissingAPIKeyError) as caught:
        sync_client(api, vendor, server, api_key=None)
    assert "api_key" in str(caught.value)
    assert variable in str(caught.value)
    assert vendor in str(caught.value)
    assert server.requests == []
    with pytest.raises(api.MissingAPIKeyError):
        async_client(api, vendor, server, api_key=None)


def test_oxen_needs_no_key(api: ModuleType) -> None:
    """A vendor without authentication builds a client with no key anywhere."""
    server = _completion_server()
    client = sync_client(api, "oxen", server, api_key=None)
    client.chat.completions.create(model="m", messages=MESSAGES)
    assert len(server.requests) == 1
    assert "authorization" not in server.requests[0].headers


@pytest.mark.parametrize("vendor", VENDORS)
def test_base_url_argument_overrides_the_vendor_url(api: ModuleType, vendor: str) -> None:
    """`base_url=` replaces scheme, host and prefix (a trailing slash is harmless); auth stays."""
    server = _completion_server()
    client = sync_client(api, vendor, server, base_url="http://127.0.0.1:8080/proxy/v9/")
    client.chat.completions.create(model="m", messages=MESSAGES)
    request = server.requests[0]
    assert str(request.url) == "http://127.0.0.1:8080/proxy/v9/chat/completions"
    scheme = PROFILES[vendor][2]
    assert request.headers["authorization"] == f"{scheme or 'Bearer'} {API_KEY}"


@pytest.mark.parametrize("vendor", VENDORS)
def test_fields_a_vendor_requires_are_sent(api: ModuleType, vendor: str) -> None:
    """A call leaving out a field the vendor requires sends it with its documented value
    (siliconstorm: `"stream": false`); other vendors get only what the caller gave."""
    server = _completion_server()
    client = sync_client(api, vendor, server)
    client.chat.completions.create(model="m", messages=MESSAGES)
    client.chat.completions.create(model="m", messages=MESSAGES, stream=False, temperature=0.5)
    first, second = server.bodies
    assert first == {"model": "m", "messages": MESSAGES, **REQUIRED_FIELDS.get(vendor, {})}
    assert second == {"model": "m", "messages": MESSAGES, "stream": False, "temperature": 0.5}


def test_required_field_never_overrides_the_caller(api: ModuleType) -> None:
    """siliconstorm's required `stream` is only a fallback: `stream=True` is sent as given."""
    sse = b'data: {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",'
    sse += b' "choices": []}\n\ndata: [DONE]\n\n'
    server = FakeVendor(
        httpx.Response(200, headers={"content-type": "text/event-stream"}, content=sse)
    )
    client = sync_client(api, "siliconstorm", server)
    chunks = list(client.chat.completions.create(model="m", messages=MESSAGES, stream=True))
    assert [chunk.id for chunk in chunks] == ["c"]
    assert json.loads(server.requests[0].content)["stream"] is True
    assert server.requests[0].headers["accept"] == "text/event-stream"


@pytest.mark.anyio
@pytest.mark.parametrize("vendor", VENDORS)
async def test_async_client_applies_the_same_profile(
    api: ModuleType, vendor: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AsyncClient: same URL, auth from the environment and required fields as Client."""
    url, variable, scheme = PROFILES[vendor]
    if variable is not None:
        monkeypatch.setenv(variable, "key-from-env")
    server = _completion_server()
    async with async_client(api, vendor, server, api_key=None) as client:
        completion = await client.chat.completions.create(model="m", messages=MESSAGES)
    assert completion.id == "cmpl-1"
    (request,) = server.requests
    assert str(request.url) == url
    assert request.headers.get("authorization") == (
        None if scheme is None else f"{scheme} key-from-env"
    )
    assert server.bodies[0] == {
        "model": "m",
        "messages": MESSAGES,
        **REQUIRED_FIELDS.get(vendor, {}),
    }


def test_unknown_vendor_is_refused_listing_the_known_ones(api: ModuleType) -> None:
    """A vendor name the package does not know: ValueError naming every known vendor."""
    with pytest.raises(ValueError, match="unknown vendor 'acme'") as caught:
        api.Client(vendor="acme", api_key="k")
    for vendor in VENDORS:
        assert vendor in str(caught.value)


def test_a_custom_profile_reaches_a_compatible_server(api: ModuleType) -> None:
    """A VendorProfile for a server the package does not know: its URL, header and scheme."""
    profile = api.VendorProfile(
        name="local",
        base_url="http://localhost:9000/openai",
        api_key_env=None,
        auth_header="X-Api-Key",
        auth_scheme=None,
    )
    server = _completion_server()
    client = api.Client(
        vendor=profile,
        api_key="raw-key",
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
    )
    client.chat.completions.create(model="m", messages=MESSAGES)
    request = server.requests[0]
    assert str(request.url) == "http://localhost:9000/openai/chat/completions"
    assert request.headers["x-api-key"] == "raw-key"
    assert "authorization" not in request.headers


def test_each_profile_docstring_says_how_the_key_is_sent() -> None:
    """The vendor profile's docstring names the case: the declared scheme, or none declared and
    a passed key sent as a bearer token anyway."""
    body = ast.parse((GENERATED / PACKAGE / "_vendors.py").read_text(encoding="utf-8")).body
    docs: dict[str, str] = {}
    for node, after in pairwise(body):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
        ):
            docs[node.targets[0].id] = " ".join(str(after.value.value).split())
    assert "no authentication documented" in docs["OXEN"]
    assert "`Authorization: Bearer`" in docs["OXEN"]
    assert "Authorization header as its document declares" in docs["DEEPSEEK"]
