"""Path, query, header and cookie parameters: typed in the handler, refused with a 400 naming them,
routed so a static segment wins, and checked when the Operation is built."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from ._files_app import PREFIX, FileObject, FilesHandler, build_files_app, operations


@pytest.fixture
def handler(server: ModuleType) -> FilesHandler:
    return FilesHandler(server)


@pytest.fixture
def client(server: ModuleType, handler: FilesHandler) -> TestClient:
    return TestClient(build_files_app(server, handler))


def only_call(handler: FilesHandler) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
    [call] = handler.calls
    return call


def error(message: str, param: str | None) -> dict[str, Any]:
    return {
        "error": {"message": message, "type": "invalid_request_error", "param": param, "code": None}
    }


def test_query_parameters_arrive_typed_in_every_style(
    client: TestClient, handler: FilesHandler
) -> None:
    """Strings on the wire become the annotations' types: int, bool, Literal, and lists from
    repeated keys, csv, pipes and spaces, and a dict from deep_object keys."""
    query = [
        ("limit", "10"),
        ("order", "desc"),
        ("include_deleted", "true"),
        ("ids", "file-a"),
        ("ids", "file-b"),
        ("purposes", "batch,assistants"),
        ("sizes", "1|20|300"),
        ("words", "big red"),
        ("metadata[project]", "alpha"),
        ("metadata[owner]", "kim"),
        ("unrelated", "ignored"),
    ]
    response = client.get(f"{PREFIX}/files", params=query)
    assert response.status_code == 200
    name, args, kwargs = only_call(handler)
    assert (name, args) == ("list", ())
    assert kwargs == {
        "limit": 10,
        "order": "desc",
        "include_deleted": True,
        "ids": ["file-a", "file-b"],
        "purposes": ["batch", "assistants"],
        "sizes": [1, 20, 300],
        "words": ["big", "red"],
        "metadata": {"project": "alpha", "owner": "kim"},
    }
    assert type(kwargs["limit"]) is int
    assert kwargs["include_deleted"] is True


@pytest.mark.parametrize(("text", "value"), [("false", False), ("1", True), ("no", False)])
def test_bool_query_is_lax(
    client: TestClient, handler: FilesHandler, text: str, value: bool
) -> None:
    """Booleans take the spellings pydantic's lax mode takes."""
    assert client.get(f"{PREFIX}/files", params={"include_deleted": text}).status_code == 200
    assert only_call(handler)[2]["include_deleted"] is value


def test_one_repeated_key_value_is_still_a_list(client: TestClient, handler: FilesHandler) -> None:
    """A list parameter sent once is a one-item list, not a string."""
    client.get(f"{PREFIX}/files", params={"ids": "only", "purposes": "batch"})
    assert only_call(handler)[2] == {"ids": ["only"], "purposes": ["batch"]}


def test_absent_optional_parameters_are_not_passed(
    client: TestClient, handler: FilesHandler
) -> None:
    """No query at all: the handler is called with no keyword, so its defaults apply."""
    assert client.get(f"{PREFIX}/files").status_code == 200
    assert only_call(handler) == ("list", (), {})


def test_path_header_and_cookie_parameters(client: TestClient, handler: FilesHandler) -> None:
    """The path segment, a header (any case, list from a comma list) and a cookie, by attribute."""
    client.cookies.set("session", "sess-9")
    response = client.get(
        f"{PREFIX}/files/file-1",
        headers={"openai-beta": "assistants=v2", "X-TRACE-IDS": "4, 5,6"},
    )
    assert response.status_code == 200
    assert FileObject.model_validate(response.json()).id == "file-1"
    assert only_call(handler)[2] == {
        "file_id": "file-1",
        "openai_beta": "assistants=v2",
        "session": "sess-9",
        "trace_ids": [4, 5, 6],
    }


def test_path_parameter_is_percent_decoded(client: TestClient, handler: FilesHandler) -> None:
    client.get(f"{PREFIX}/files/file%201")
    assert only_call(handler)[2]["file_id"] == "file 1"


def test_missing_required_parameter_is_400_naming_it(
    client: TestClient, handler: FilesHandler
) -> None:
    """A required query parameter that is not sent: 400 in the error envelope, no handler call."""
    response = client.get(f"{PREFIX}/files/search")
    assert response.status_code == 400
    assert response.json() == error("missing required query parameter 'q'", "q")
    assert handler.calls == []


@pytest.mark.parametrize(
    ("request_kwargs", "message", "param"),
    [
        (
            {"params": {"limit": "ten"}},
            "invalid query parameter 'limit': Input should be a valid integer, unable to parse "
            "string as an integer",
            "limit",
        ),
        (
            {"params": {"include_deleted": "perhaps"}},
            "invalid query parameter 'include_deleted': Input should be a valid boolean, unable "
            "to interpret input",
            "include_deleted",
        ),
        (
            {"params": {"order": "sideways"}},
            "invalid query parameter 'order': Input should be 'asc' or 'desc'",
            "order",
        ),
        (
            {"params": {"sizes": "1|big|3"}},
            "invalid query parameter 'sizes': 'sizes[1]': Input should be a valid integer, "
            "unable to parse string as an integer",
            "sizes",
        ),
    ],
    ids=["int", "bool", "literal", "list-item"],
)
def test_invalid_query_parameter_is_400_naming_it(
    client: TestClient,
    handler: FilesHandler,
    request_kwargs: dict[str, Any],
    message: str,
    param: str,
) -> None:
    response = client.get(f"{PREFIX}/files", **request_kwargs)
    assert response.status_code == 400
    assert response.json() == error(message, param)
    assert handler.calls == []


def test_invalid_header_is_400_with_its_wire_name(
    client: TestClient, handler: FilesHandler
) -> None:
    """`param` is the header's wire name, not the handler's attribute."""
    response = client.get(f"{PREFIX}/files/file-1", headers={"OpenAI-Beta": "assistants=v1"})
    assert response.status_code == 400
    assert response.json() == error(
        "invalid header parameter 'OpenAI-Beta': Input should be 'assistants=v2'", "OpenAI-Beta"
    )
    assert handler.calls == []


def test_parameter_errors_use_the_mount_validation_status(
    server: ModuleType, handler: FilesHandler
) -> None:
    """A mount answering validation errors with 422 does so for parameters too."""
    mounts = [server.Mount("/v1"), server.Mount("/strict", validation_status=422)]
    client = TestClient(build_files_app(server, handler, mounts=mounts))
    assert client.get("/v1/files/search").status_code == 400
    response = client.get("/strict/files/search")
    assert response.status_code == 422
    assert response.json()["error"]["param"] == "q"


def test_get_and_delete_without_body(client: TestClient, handler: FilesHandler) -> None:
    """GET and DELETE operations take no body: parameters only, and DELETE answers 204."""
    assert client.get(f"{PREFIX}/files/file-1").status_code == 200
    deleted = client.delete(f"{PREFIX}/files/file-1")
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert [call[0] for call in handler.calls] == ["retrieve", "delete"]
    assert handler.calls[1] == ("delete", (), {"file_id": "file-1"})
    gone = client.get(f"{PREFIX}/files/file-1")
    assert gone.status_code == 404
    assert gone.json()["error"] == {
        "message": "No such file: file-1",
        "type": "not_found_error",
        "param": "file_id",
        "code": None,
    }


def test_static_segment_wins_over_parameter(client: TestClient, handler: FilesHandler) -> None:
    """/files/{file_id} was mounted first, yet /files/search reaches the search handler."""
    response = client.get(f"{PREFIX}/files/search", params={"q": "file"})
    assert response.status_code == 200
    assert only_call(handler) == ("search", (), {"query": "file"})
    assert [item["id"] for item in response.json()["data"]] == ["file-1"]
    handler.calls.clear()
    client.get(f"{PREFIX}/files/searching")
    assert only_call(handler)[2]["file_id"] == "searching"


def test_static_segment_wins_across_separate_mounts(server: ModuleType) -> None:
    """Each mount_operation call keeps the runtime's routes ordered, whatever the call order;
    the app's own routes keep their places."""
    handler = FilesHandler(server)
    ops = operations(server)
    app = FastAPI()

    @app.get("/health")
    async def health() -> dict[str, bool]:
        return {"ok": True}

    server.mount_operation(app, ops["retrieve"], handler.retrieve, mounts=["/v1", "/v2"])
    server.mount_operation(app, ops["search"], handler.search, mounts=["/v1", "/v2"])
    client = TestClient(app)
    for prefix in ("/v1", "/v2"):
        assert client.get(f"{prefix}/files/search", params={"q": "x"}).status_code == 200
    assert [call[0] for call in handler.calls] == ["search", "search"]
    paths = [getattr(route, "path", "") for route in app.router.routes]
    assert paths.index("/health") < paths.index("/v1/files/search")
    assert paths.index("/v1/files/search") < paths.index("/v1/files/{file_id}")
    assert client.get("/health").json() == {"ok": True}


def test_body_is_positional_and_parameters_are_keywords(server: ModuleType) -> None:
    """With a body and parameters the call is `handler(body, **parameters)`."""

    class Rename(BaseModel):
        filename: str

    calls: list[tuple[Rename, str, int | None]] = []

    async def rename(body: Rename, /, *, file_id: str, version: int | None = None) -> FileObject:
        calls.append((body, file_id, version))
        return FileObject(id=file_id, filename=body.filename, bytes=0, purpose="batch")

    operation = server.Operation(
        method="POST",
        path="/files/{file_id}/rename",
        request_model=Rename,
        response_model=FileObject,
        parameters=(
            server.Parameter("file_id", "file_id", "path", str, required=True),
            server.Parameter("version", "version", "query", int | None),
        ),
    )
    app = FastAPI()
    server.mount_operation(app, operation, rename, mounts=["/v1"])
    response = TestClient(app).post(
        "/v1/files/file-7/rename", params={"version": "3"}, json={"filename": "b.txt"}
    )
    assert response.status_code == 200
    assert response.json()["filename"] == "b.txt"
    assert calls == [(Rename(filename="b.txt"), "file-7", 3)]


def test_path_name_starlette_cannot_route_is_served_and_documented(server: ModuleType) -> None:
    """A wire name like `model-id` is routed under a safe key but documented as the spec has it."""
    received: list[str] = []

    async def retrieve(*, model_id: str) -> dict[str, str]:
        received.append(model_id)
        return {"id": model_id}

    operation = server.Operation(
        method="GET",
        path="/models/{model-id}",
        response_model=dict[str, str],
        operation_id="retrieveModel",
        parameters=(server.Parameter("model-id", "model_id", "path", str, required=True),),
    )
    app = FastAPI()
    paths = server.mount_operation(app, operation, retrieve, mounts=["/v1"])
    assert paths == ["/v1/models/{model-id}"]
    client = TestClient(app)
    assert client.get("/v1/models/gpt-x").json() == {"id": "gpt-x"}
    assert received == ["gpt-x"]
    document = client.get("/openapi.json").json()
    [path] = [path for path in document["paths"] if path.startswith("/v1/models")]
    assert path == "/v1/models/{model-id}"
    [parameter] = document["paths"][path]["get"]["parameters"]
    assert parameter == {
        "name": "model-id",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"path": "/files/{file_id}"}, r"path placeholders without a Parameter: \['file_id'\]"),
        (
            {"parameters": ("path", "file_id")},
            r"path parameters not in the path: \['file_id'\]",
        ),
        (
            {"parameters": ("query", "a", "query", "a")},
            r"two parameters have the attribute \['a'\]",
        ),
        (
            {"method": "GET", "request_model": "model", "body_encoding": "form"},
            "GET has no form body",
        ),
        ({"body_encoding": "binary", "request_model": "model"}, "request_model must be None"),
        ({"body_encoding": "multipart"}, "a multipart body needs a request_model"),
        ({"body_required": True}, "body_required is set but there is no body"),
        (
            {"response_kind": "binary", "response_model": "model"},
            "a binary answer has no response_model",
        ),
        ({"response_media_type": "audio/mpeg"}, "response_media_type is for binary or text"),
        ({"response_kind": "empty", "success_status": 302}, "success_status 302 is not 2xx"),
    ],
    ids=[
        "undeclared-placeholder",
        "unplaced-path-parameter",
        "repeated-attribute",
        "get-with-body",
        "binary-with-model",
        "multipart-without-model",
        "required-missing-body",
        "binary-with-model-answer",
        "media-type-for-json",
        "non-2xx",
    ],
)
def test_operation_refuses_inconsistent_fields(
    server: ModuleType, fields: dict[str, Any], message: str
) -> None:
    """Mistakes in a generated table fail when the module is imported, not per request."""

    class Model(BaseModel):
        name: str

    values: dict[str, Any] = {"method": "POST", "path": "/files", "response_model": Model}
    for key, value in fields.items():
        if value == "model":
            value = Model
        if key == "parameters":
            pairs = zip(value[::2], value[1::2], strict=True)
            value = tuple(
                server.Parameter(name, name, location, str, required=True)
                for location, name in pairs
            )
        values[key] = value
    with pytest.raises(ValueError, match=message):
        server.Operation(**values)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"attribute": "2fast"}, "attribute '2fast' is not a Python name"),
        ({"attribute": "class"}, "attribute 'class' is not a Python name"),
        ({"location": "body"}, "unknown location 'body'"),
        ({"style": "matrix"}, "unknown style 'matrix'"),
        ({"location": "header", "style": "form_csv"}, "is for query parameters only"),
    ],
)
def test_parameter_refuses_bad_fields(
    server: ModuleType, fields: dict[str, Any], message: str
) -> None:
    values: dict[str, Any] = {
        "name": "x",
        "attribute": "x",
        "location": "query",
        "annotation": str,
        **fields,
    }
    with pytest.raises(ValueError, match=message):
        server.Parameter(**values)
