"""A generated client sends the key the way its document's security scheme says: in a query
parameter, as HTTP basic credentials, or in a named header."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from .conftest import build, load_package


def document(scheme: dict[str, Any]) -> str:
    return yaml.safe_dump({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.test/v1"}],
        "components": {"securitySchemes": {"key": scheme}}, "security": [{"key": []}],
        "paths": {"/models": {"get": {"operationId": "listModels", "responses": ANSWER}},
                  # Its document says this one takes no credentials (`security: [{}]`).
                  "/health": {"get": {"operationId": "health", "security": [{}],
                                      "responses": ANSWER}}},
    })  # fmt: skip


ANSWER = {"200": {"description": "ok", "content": {"application/json": {"schema": {
    "type": "object", "properties": {"id": {"type": "string"}}}}}}}  # fmt: skip


@pytest.mark.parametrize(
    ("scheme", "key", "expected_query", "expected_header"),
    [
        ({"type": "apiKey", "in": "query", "name": "api_key"}, "k1", "api_key=k1", None),
        ({"type": "http", "scheme": "basic"}, "u:p", "", ("authorization", "Basic dTpw")),
        ({"type": "apiKey", "in": "header", "name": "X-Key"}, "k2", "", ("x-key", "k2")),
    ],
)
def test_the_key_goes_where_the_scheme_says(
    tmp_path: Path,
    scheme: dict[str, Any],
    key: str,
    expected_query: str,
    expected_header: tuple[str, str] | None,
) -> None:
    source = tmp_path / "acme.yaml"
    source.write_text(document(scheme))
    package_name = f"auth_{scheme['type'].lower()}_{scheme.get('in', 'http')}"
    package = load_package(build([source], tmp_path / "out", package_name))[0]
    sent: list[httpx.Request] = []
    http = httpx.Client(transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200, json={"id": "m"})))  # type: ignore[func-returns-value]  # fmt: skip
    client = package.Client(api_key=key, http_client=http)
    assert client.models.list().id == "m"
    (request,) = sent
    assert request.url.query.decode() == expected_query
    if expected_header is not None:
        assert request.headers[expected_header[0]] == expected_header[1]
    else:
        assert "authorization" not in request.headers
    # The public operation goes out without the key, wherever the key would have gone.
    assert client.health.list().id == "m"
    public = sent[-1]
    assert public.url.query.decode() == ""
    if expected_header is not None:
        assert expected_header[0] not in public.headers
