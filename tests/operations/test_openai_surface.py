"""OpenAI's document, built alone: one client method and one server route per operation."""

from __future__ import annotations

from pathlib import Path

import yaml

from codegen.openapi_walk import HTTP_METHODS

from ._surface import client_methods
from .conftest import CORPUS, load_package

OPENAI = "openai_openapi.yaml"


def _documented() -> set[tuple[str, str]]:
    document = yaml.load((CORPUS / OPENAI).read_text(), Loader=yaml.CSafeLoader)
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in HTTP_METHODS
        if method in item
    }


def test_every_operation_has_a_client_method_and_a_server_route(
    corpus_packages: dict[str, Path],
) -> None:
    documented = _documented()
    assert len(documented) == 110
    package, server = load_package(corpus_packages[OPENAI])
    methods = list(client_methods(package.Client(vendor="openai_openapi", api_key="k")))
    routes = {(http, path) for _name, http, path in methods}
    assert len(methods) == len(documented)
    assert routes == documented
    served = {(operation.method.upper(), operation.path) for operation, _m in server.ROUTES}
    assert served == documented
    app = server.create_app(server.DemoHandler())
    mounted = {
        (method, route.path)
        for route in app.routes
        for method in getattr(route, "methods", ()) or ()
        if method != "HEAD" or "GET" not in route.methods
    }
    # Every operation under the vendor's prefix (its base URL's path, /v1).
    assert {(m, f"/v1{p}") for m, p in documented} <= {(m, p) for m, p in mounted}


def test_the_reference_calls_read_like_the_official_sdk(corpus_packages: dict[str, Path]) -> None:
    package, _server = load_package(corpus_packages[OPENAI])
    names = {name: (http, path) for name, http, path in
             client_methods(package.Client(vendor="openai_openapi", api_key="k"))}  # fmt: skip
    assert names["models.list"] == ("GET", "/models")
    assert names["models.retrieve"] == ("GET", "/models/{model}")
    assert names["files.create"] == ("POST", "/files")
    assert names["files.content"] == ("GET", "/files/{file_id}/content")
    assert names["batches.retrieve"] == ("GET", "/batches/{batch_id}")
    assert names["batches.cancel"] == ("POST", "/batches/{batch_id}/cancel")
    assert names["fine_tuning.jobs.list"] == ("GET", "/fine_tuning/jobs")
    assert names["chat.completions.create"] == ("POST", "/chat/completions")
