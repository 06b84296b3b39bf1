"""Two vendors' whole documents built together (OpenAI's and xAI's): shared operations are
generated once for both; one only a vendor serves is refused for the other before any request."""

from __future__ import annotations

import contextlib
import typing
from types import ModuleType
from typing import Any

import httpx
import pytest

from ._surface import client_methods
from .conftest import CORPUS, build, load_package

OPENAI, XAI = "openai_openapi", "xai_openapi"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    out = tmp_path_factory.mktemp("two-vendors")
    folder = build(
        [CORPUS / "openai_openapi.yaml", CORPUS / "xai_openapi.yaml"], out / "two", "two_vendors"
    )
    return load_package(folder)[0]


def recording(package: ModuleType, vendor: str) -> tuple[Any, list[httpx.Request]]:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    return package.Client(vendor=vendor, api_key="k", http_client=http), sent


def test_a_shared_operation_is_generated_once_and_called_at_each_vendors_url(
    package: ModuleType,
) -> None:
    routes = [route for _name, *route in client_methods(recording(package, OPENAI)[0])]
    assert routes.count(["POST", "/chat/completions"]) == 1
    assert routes.count(["GET", "/batches/{batch_id}"]) == 1  # `{batchId}` in xAI's document
    for vendor, host in ((OPENAI, "api.openai.com"), (XAI, "api.x.ai")):
        client, sent = recording(package, vendor)
        client.with_raw_response.batches.retrieve("b1")
        assert [(r.url.host, r.url.path) for r in sent] == [(host, "/v1/batches/b1")]


@pytest.mark.parametrize(
    ("serving", "other", "call"),
    [
        (OPENAI, XAI, lambda client: client.assistants.list()),
        (XAI, OPENAI, lambda client: client.tts.create(text="hi", language="en")),
    ],
)
def test_an_operation_of_one_vendor_is_refused_for_the_other_before_sending(
    package: ModuleType, serving: str, other: str, call: Any
) -> None:
    client, sent = recording(package, other)
    with pytest.raises(package.UnsupportedOperationError) as raised:
        call(client)
    assert sent == []
    assert raised.value.vendor == other and raised.value.vendors == (serving,)
    assert f"not served by {other}" in str(raised.value)
    client, sent = recording(package, serving)
    # The canned `{}` may not parse; what matters is that the request went out.
    with contextlib.suppress(package.APIError):
        call(client)
    assert len(sent) == 1


def test_the_method_says_which_vendors_serve_it(package: ModuleType) -> None:
    client = recording(package, OPENAI)[0]
    assert f"Only {XAI} serves this operation" in (client.tts.create.__doc__ or "")
    # Served by both: its docstrings (on the overloads of a streaming method) say nothing so.
    shared = typing.get_overloads(type(client.chat.completions).create)
    assert shared and all("serves this operation" not in (o.__doc__ or "") for o in shared)
    assert all("/chat/completions" in (o.__doc__ or "") for o in shared)
