"""The generated server as an attack surface, built from a large corpus document (xAI's, 41
operations): schemathesis over every operation finds no 5xx but the 501 of what a handler does
not implement and no answer that violates the document; oversized bodies, deep JSON and wrong
content types get a 4xx in the error envelope.

CI runs 4 examples an operation; ``SPECGEN_FUZZ=long python -m pytest tests/hostile/test_server.py``
runs 60 (or ``SPECGEN_FUZZ_EXAMPLES``), random, and on OpenAI's document too.
"""

from __future__ import annotations

import collections
import importlib
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from ._run import imported, specgen

ROOT = Path(__file__).resolve().parents[2]
LONG = os.environ.get("SPECGEN_FUZZ") == "long"
DOCUMENTS = ("xai_openapi.yaml", "openai_openapi.yaml") if LONG else ("xai_openapi.yaml",)
EXAMPLES = int(os.environ.get("SPECGEN_FUZZ_EXAMPLES", "60")) if LONG else 4


@pytest.fixture(scope="module", params=DOCUMENTS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ModuleType, dict[str, Any]]]:
    """The package's server module and its merged document (served under its first prefix)."""
    document: str = request.param
    package = "attack_" + document.split("_", 1)[0]
    out = tmp_path_factory.mktemp(package)
    run = specgen("build", str(ROOT / "tests" / "corpus" / document), "--out", str(out),
                  "--package", package)  # fmt: skip
    assert run.code == 0, run.stderr
    with imported(out, package) as module:
        server = module.server
        merged = yaml.safe_load((out / package / "openapi.yaml").read_text(encoding="utf-8"))
        merged["servers"] = [{"url": server.PREFIXES[0]}]  # the app in process, never the vendor
        yield server, merged


def _is_envelope(body: Any) -> bool:
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and isinstance(error.get("message"), str) and "type" in error


def _schemathesis_run(server: ModuleType, merged: dict[str, Any], handler: object) -> Any:
    """Every operation, EXAMPLES cases each; the statuses seen, by operation."""
    import schemathesis
    from schemathesis.specs.openapi.checks import ignored_auth

    schema = schemathesis.openapi.from_dict(merged)
    schema.app = server.create_app(handler)
    seen: collections.Counter[tuple[str, int]] = collections.Counter()
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        try:
            _check_operation(operation, label, seen, ignored_auth)
        except (Exception, ExceptionGroup) as error:
            failures.append(f"{label}: {str(error)[:1500]}")
    assert not failures, "\n\n".join(failures)
    return seen


def _check_operation(
    operation: Any, label: str, seen: collections.Counter[tuple[str, int]], ignored_auth: Any
) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=not LONG,
        database=None,
    )
    @given(operation.as_strategy())
    def check(case: Any) -> None:
        response = case.call()
        seen[(label, response.status_code)] += 1
        assert response.status_code < 500 or response.status_code == 501, response.text[:500]
        if response.status_code >= 400:
            assert _is_envelope(response.json()), response.text[:500]
        if response.status_code == 501:
            return  # a method the handler lacks: not the document's to describe
        # The document says operations take a key; checking it is the user's handler's job.
        case.validate_response(response, excluded_checks=[ignored_auth])

    check()


def test_schemathesis_finds_nothing_against_the_demo_handler(
    served: tuple[ModuleType, dict[str, Any]],
) -> None:
    """The demo handler answers every operation: each answer must conform to the document."""
    server, merged = served
    seen = _schemathesis_run(server, merged, server.DemoHandler())
    operations = {label for label, _status in seen}
    assert len(operations) == sum(
        1 for item in merged["paths"].values() for key in item if key in _METHODS
    )
    assert all(status < 500 for _label, status in seen), seen


def test_schemathesis_finds_only_501_or_4xx_from_a_handler_that_implements_nothing(
    served: tuple[ModuleType, dict[str, Any]],
) -> None:
    server, merged = served
    seen = _schemathesis_run(server, merged, object())
    assert {status for _label, status in seen} <= {400, 404, 415, 422, 501}, seen
    assert any(status == 501 for _label, status in seen)


_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


class _Handler:
    """Implements one JSON operation and one upload, to show where a request gets through."""

    def __init__(self, server: ModuleType) -> None:
        self.server = server

    async def embeddings_create(self, request: object) -> object:
        raise self.server.HTTPError(409, "the handler was reached")

    async def files_create(self, request: object) -> object:
        raise self.server.HTTPError(409, "the handler was reached")


@pytest.fixture(scope="module")
def client(served: tuple[ModuleType, dict[str, Any]]) -> TestClient:
    server, merged = served
    if "/embeddings" not in merged["paths"]:
        pytest.skip("the limits are shown on xAI's embeddings and files operations")
    return TestClient(server.create_app(_Handler(server)), raise_server_exceptions=False)


EMBEDDINGS = "/v1/embeddings"
JSON = {"content-type": "application/json"}


def _error(response: Any, status: int) -> str:
    assert response.status_code == status, (response.status_code, response.text[:300])
    body = response.json()
    assert _is_envelope(body), body
    return str(body["error"]["message"])


def test_a_valid_request_reaches_the_handler(client: TestClient) -> None:
    """The limits refuse only what passes them: the control for every test below."""
    response = client.post(EMBEDDINGS, content=b'{"input": "x", "model": "m"}', headers=JSON)
    assert _error(response, 409) == "the handler was reached"


def test_an_oversized_body_is_refused_by_its_length_before_it_is_read(
    client: TestClient, served: tuple[ModuleType, dict[str, Any]]
) -> None:
    limits = importlib.import_module(served[0].__name__.rsplit(".", 1)[0] + "._server_limits")
    body = b'{"model": "m", "input": "' + b"a" * limits.MAX_BODY_BYTES + b'"}'
    message = _error(client.post(EMBEDDINGS, content=body, headers=JSON), 413)
    assert str(limits.MAX_BODY_BYTES) in message


def test_an_oversized_body_without_a_length_is_refused_as_it_arrives(client: TestClient) -> None:
    """Sent chunked (no Content-Length): counted while read, refused once past the limit."""

    def chunks() -> Iterator[bytes]:
        for _ in range(64):
            yield b"a" * (1024 * 1024)

    _error(client.post(EMBEDDINGS, content=chunks(), headers=JSON), 413)


def test_an_oversized_upload_is_refused_too(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\n'
        for _ in range(64):
            yield b"a" * (1024 * 1024)
        yield b"\r\n--b--\r\n"

    headers = {"content-type": "multipart/form-data; boundary=b"}
    _error(client.post("/v1/files", content=chunks(), headers=headers), 413)


@pytest.mark.parametrize("levels", [1_000, 100_000])
def test_deeply_nested_json_is_a_400(client: TestClient, levels: int) -> None:
    body = b'{"model": "m", "input": ' + b"[" * levels + b"]" * levels + b"}"
    message = _error(client.post(EMBEDDINGS, content=body, headers=JSON), 400)
    assert "recursion limit" in message


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/xml", "application/x-www-form-urlencoded"]
)
def test_a_json_operation_refuses_another_content_type(
    client: TestClient, content_type: str
) -> None:
    response = client.post(
        EMBEDDINGS, content=b'{"input": "x", "model": "m"}', headers={"content-type": content_type}
    )
    assert content_type in _error(response, 415)


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "application/x+json"])
def test_json_media_types_are_accepted(client: TestClient, content_type: str) -> None:
    response = client.post(
        EMBEDDINGS, content=b'{"input": "x", "model": "m"}', headers={"content-type": content_type}
    )
    assert _error(response, 409) == "the handler was reached"


def test_an_upload_refuses_a_json_content_type(client: TestClient) -> None:
    response = client.post("/v1/files", content=b"{}", headers=JSON)
    assert "multipart/form-data" in _error(response, 415)
