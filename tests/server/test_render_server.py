"""Rendering server.py and the starter from small IRs: goldens, what is served, names, examples."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import msgspec
import pytest
from fastapi.testclient import TestClient

from codegen.errors import SpecgenError
from codegen.ir.model import (
    API,
    ArrayType,
    Constraints,
    EnumValue,
    Field,
    Model,
    ModelRef,
    Operation,
    ScalarType,
)
from codegen.render import render_package, write_package
from codegen.render.server import ExampleBuilder, normalized_prefix, render_starter

from ..golden import assert_golden
from ..render.sample_api import SAMPLE_API
from .conftest import GENERATED


def render(api: API, package: str) -> dict[str, str]:
    return render_package(api, package=package, report_text="", report_json="{}")


@pytest.fixture(scope="module")
def sample_files() -> dict[str, str]:
    """The sample API's package files (one render: ruff formatting is not free)."""
    return render(SAMPLE_API, "sample_server_api")


def imported(files: dict[str, str], root: Path, package: str) -> Iterator[ModuleType]:
    """Write and import a rendered package's server module; forget the package afterwards."""
    write_package(files, root, package)
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(f"{package}.server")
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == package or n.startswith(f"{package}.")]:
            del sys.modules[name]


def test_sample_server_module_golden(sample_files: dict[str, str]) -> None:
    """server.py of the sample API (refresh: SPECGEN_UPDATE_GOLDENS=1)."""
    assert_golden("server/sample_server.py.txt", sample_files["server.py"])


def test_sample_starter_golden() -> None:
    """The starter module of the sample API (refresh: SPECGEN_UPDATE_GOLDENS=1)."""
    text = render_starter(SAMPLE_API, package="sample_server_api", module="server_impl.py")
    assert text is not None
    assert_golden("server/sample_server_impl.py.txt", text)


def test_an_operation_without_a_body_is_served_too(
    sample_files: dict[str, str], tmp_path: Path
) -> None:
    """GET /models has no body: it is mounted all the same, and the demo answers it."""
    text = sample_files["server.py"]
    assert "LIST_MODELS = _server.Operation(" in text
    assert "Not served" not in text
    for server in imported(sample_files, tmp_path, "sample_server_api"):
        answer = TestClient(server.create_app(server.DemoHandler())).get("/v1/models")
        assert answer.status_code == 200, answer.text


def test_vendor_mounts_carry_prefixes_and_in_body_catalogues(
    sample_files: dict[str, str],
) -> None:
    """Each vendor's mount has its base URL's prefix; a catalogue becomes InBodyErrors codes;
    the vendor's own bounds and required fields become its VendorRules."""
    text = sample_files["server.py"]
    assert 'PREFIXES: tuple[str, ...] = ("/v1", "", "/api/ai")' in text
    mounts = _vendor_mounts(text)
    assert (
        mounts["bolt"]
        == "_server.Mount('', in_body_errors=_server.InBodyErrors(codes=(701, 9999)))"
    )
    acme = next(v for v in SAMPLE_API.vendors if v.name == "acme")
    assert [(b.field, b.constraints.minimum, b.constraints.maximum) for b in acme.bounds] == [
        ("temperature", 0, 1)
    ]
    assert "rules=_server.VendorRules(bounds={'temperature': {'ge': 0, 'le': 1}})" in mounts["acme"]
    assert (
        mounts["localai"]
        == "_server.Mount('/api/ai', rules=_server.VendorRules(required=('stream',)))"
    )


def _vendor_mounts(server_source: str) -> dict[str, str]:
    """VENDOR_MOUNTS of a rendered server.py, each value as ``ast.unparse`` writes it: the test
    reads what the code says, whatever width the formatter wrapped it at."""
    for node in ast.parse(server_source).body:
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "VENDOR_MOUNTS"
            and isinstance(node.value, ast.Dict)
        ):
            return {
                ast.literal_eval(key): ast.unparse(value)
                for key, value in zip(node.value.keys, node.value.values, strict=True)
                if key is not None
            }
    raise AssertionError("server.py assigns no VENDOR_MOUNTS dict")


def test_an_api_of_get_operations_gets_a_server_and_a_starter() -> None:
    """Every operation is served, so an API of GET operations only has a server too."""
    only_get = msgspec.structs.replace(
        SAMPLE_API, operations=tuple(op for op in SAMPLE_API.operations if op.method == "get")
    )
    assert "server.py" in render(only_get, "get_only_api")
    starter = render_starter(only_get, package="get_only_api", module="impl.py")
    assert starter is not None and "async def list(self)" in starter


def test_package_root_does_not_import_the_server() -> None:
    """Without FastAPI importable, `import chat_api` and a client work; chat_api.server does not."""
    script = (
        "import sys; sys.modules['fastapi'] = None; sys.path.insert(0, sys.argv[1]); "
        "import chat_api; chat_api.Client(vendor='oxen'); "
        "assert 'chat_api.server' not in sys.modules\n"
        "try:\n    import chat_api.server\nexcept ImportError:\n    print('no server')\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", script, str(GENERATED)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "no server\n"


EMBEDDINGS = Operation(
    id="createEmbedding",
    method="post",
    path="/embeddings",
    summary=None,
    description=None,
    request=ModelRef("ChatCompletionRequest"),
    request_required=True,
    response=ModelRef("ModelList"),
    stream=None,
)
WITH_PARAMETER = msgspec.structs.replace(
    EMBEDDINGS, id="updateEmbedding", method="put", path="/embeddings/{id}"
)


def test_several_resources_get_one_protocol_each_and_a_combined_handler(
    tmp_path: Path,
) -> None:
    """Two resources: a protocol each, `Handler` combining them, a clashing verb qualified."""
    api = msgspec.structs.replace(
        SAMPLE_API, operations=(*SAMPLE_API.operations, EMBEDDINGS, WITH_PARAMETER)
    )
    files = render(api, "multi_server_api")
    assert "Not served" not in files["server.py"]
    for server in imported(files, tmp_path, "multi_server_api"):
        assert server.Handler.__mro__[1:4] == (
            server.ChatCompletionsHandler,
            server.ModelsHandler,
            server.EmbeddingsHandler,
        )
        assert "create" in vars(server.ChatCompletionsHandler)
        assert "embeddings_create" in vars(server.EmbeddingsHandler)
        app = server.create_app(server.DemoHandler(), vendor="acme")
        client = TestClient(app)
        body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
        answer = client.post("/v1/embeddings", json=body)
        assert answer.status_code == 200, answer.text
        assert client.post("/v1/chat/completions", json=body).status_code == 200
        # The path parameter reaches the handler; the demo answers it.
        assert client.put("/v1/embeddings/e-1", json=body).status_code == 200
        assert "update" in vars(server.EmbeddingsHandler)


def test_a_model_named_like_a_server_class_is_a_clear_error() -> None:
    """A served model called `NotFound` would shadow the error class: the render says so."""
    renamed = tuple(
        msgspec.structs.replace(model, name="NotFound") if model.name == "ChatCompletion" else model
        for model in SAMPLE_API.models
    )
    operations = tuple(
        msgspec.structs.replace(op, response=ModelRef("NotFound"))
        if op.response == ModelRef("ChatCompletion")
        else op
        for op in SAMPLE_API.operations
    )
    api = msgspec.structs.replace(SAMPLE_API, models=renamed, operations=operations)
    with pytest.raises(SpecgenError, match="'NotFound' from both"):
        render(api, "clash_api")


def test_demo_handler_of_the_sample_answers_valid_models(
    sample_files: dict[str, str], tmp_path: Path
) -> None:
    """The sample's demo answers validate, stream 3 chunks and end with [DONE]."""
    for server in imported(sample_files, tmp_path, "sample_server_api"):
        client = TestClient(server.create_app(server.DemoHandler()))
        body = {"model": "bolt-chat", "messages": [{"role": "user", "content": "hi"}]}
        answer = client.post("/chat/completions", json=body)
        assert answer.status_code == 200, answer.text
        assert answer.json()["model"] == "bolt-chat"
        streamed = client.post("/v1/chat/completions", json={**body, "stream": True})
        events = [line for line in streamed.text.splitlines() if line.startswith("data:")]
        assert len(events) == 4 and events[-1] == "data: [DONE]"


def scalar(kind: str, **constraints: float | int) -> ScalarType:
    return ScalarType(kind, Constraints(**constraints))  # type: ignore[arg-type]


def field(name: str, node: object, *, required: bool = True, nullable: bool = False) -> Field:
    return Field(name=name, type=node, required=required, nullable=nullable)  # type: ignore[arg-type]


def example_api(*models: Model) -> API:
    return API("t", "1", models=models, aliases=(), operations=(), vendors=())


def test_examples_respect_bounds_and_enums() -> None:
    """Numbers within their bounds, strings long enough, arrays with min_items, first enum value."""
    model = Model(
        "Bounded",
        (
            field("low", scalar("integer", minimum=3, maximum=9)),
            field("exclusive", scalar("number", exclusive_minimum=0.5)),
            field("capped", scalar("integer", maximum=-2)),
            field("name", scalar("string", min_length=6)),
            field("short", scalar("string", max_length=2)),
            field("items", ArrayType(scalar("boolean"), Constraints(min_items=2))),
            field("kind", ScalarType("string", enum=(EnumValue("first"), EnumValue("second")))),
        ),
        "response",
    )
    value = ExampleBuilder(example_api(model)).model(model)
    assert value == {
        "low": 3,
        "exclusive": 1.5,
        "capped": -2,
        "name": "demooo",
        "short": "de",
        "items": [False, False],
        "kind": "first",
    }


def test_examples_fill_optional_objects_and_cut_cycles() -> None:
    """Optional objects are filled (a response reads every field as optional and nullable, so a
    demo shows a full answer), required nullable ones null, a model met again cut."""
    inner = Model("Inner", (field("x", scalar("integer")),), "response")
    node = Model(
        "Node",
        (
            field("usage", ModelRef("Inner"), required=False, nullable=True),
            field("must", ModelRef("Inner"), nullable=True),
            field("kept", ModelRef("Inner"), required=False),
            field("next", ModelRef("Node"), required=False),
            field("text", scalar("string"), required=False, nullable=True),
        ),
        "response",
    )
    value = ExampleBuilder(example_api(inner, node)).model(node, frozenset({"Node"}))
    assert value == {"usage": {"x": 0}, "must": None, "kept": {"x": 0}, "text": "demo"}


@pytest.mark.parametrize(
    ("url", "prefix"),
    [
        ("https://api.example.com", ""),
        ("https://api.example.com/", ""),
        ("https://api.example.com/v1/", "/v1"),
        ("http://localhost:8080/api/ai", "/api/ai"),
    ],
)
def test_mount_prefix_is_the_base_urls_path(url: str, prefix: str) -> None:
    """A vendor's mount prefix is its base URL's path, without a trailing slash."""
    assert normalized_prefix(url) == prefix
