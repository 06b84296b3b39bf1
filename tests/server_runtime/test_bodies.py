"""Request bodies other than required JSON: multipart uploads, forms, raw bytes, text, and
optional bodies; wrong content types and missing bodies answered in the error envelope."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from ._files_app import (
    PDF,
    PREFIX,
    FeedbackForm,
    FilesHandler,
    ThreadRequest,
    UploadRequest,
    build_files_app,
)


@pytest.fixture
def handler(server: ModuleType) -> FilesHandler:
    return FilesHandler(server)


@pytest.fixture
def client(server: ModuleType, handler: FilesHandler) -> TestClient:
    return TestClient(build_files_app(server, handler))


def invalid(message: str, param: str | None = None) -> dict[str, Any]:
    error_type = "invalid_request_error"
    return {"error": {"message": message, "type": error_type, "param": param, "code": None}}


def test_multipart_upload_delivers_file_bytes_and_validated_fields(
    client: TestClient, handler: FilesHandler
) -> None:
    """The file part arrives as its exact bytes, the other parts validated by the model:
    a Literal, a list from repeated keys, an int from its text."""
    response = client.post(
        f"{PREFIX}/files",
        files={"file": ("report.pdf", PDF, "application/pdf")},
        data={"purpose": "batch", "tags": ["q1", "finance"], "expires_after": "30"},
    )
    assert response.status_code == 201
    assert response.json() == {
        "id": "file-2",
        "bytes": len(PDF),
        "purpose": "batch",
        "tags": ["q1", "finance"],
    }
    [(name, (request,), kwargs)] = handler.calls
    assert (name, kwargs) == ("upload", {})
    assert isinstance(request, UploadRequest)
    assert request.file == PDF
    assert (request.purpose, request.tags, request.expires_after) == (
        "batch",
        ["q1", "finance"],
        30,
    )


def test_multipart_list_field_sent_once_or_with_brackets(
    client: TestClient, handler: FilesHandler
) -> None:
    """A list field sent once is a one-item list; `tags[]` keys (as some SDKs send) fill `tags`."""
    client.post(f"{PREFIX}/files", files={"file": PDF}, data={"purpose": "batch", "tags": "one"})
    client.post(
        f"{PREFIX}/files", files={"file": PDF}, data={"purpose": "batch", "tags[]": ["a", "b"]}
    )
    assert [call[1][0].tags for call in handler.calls] == [["one"], ["a", "b"]]


def test_multipart_with_several_files(server: ModuleType) -> None:
    """A list-of-bytes field takes every file part sent under its name, in order."""

    class Batch(BaseModel):
        files: list[bytes]

    received: list[Batch] = []

    async def upload(batch: Batch) -> dict[str, int]:
        received.append(batch)
        return {"count": len(batch.files)}

    operation = server.Operation(
        method="POST",
        path="/batch",
        request_model=Batch,
        body_encoding="multipart",
        response_model=dict[str, int],
    )
    app = FastAPI()
    server.mount_operation(app, operation, upload, mounts=[""])
    files = [("files", ("a.bin", b"\x00a")), ("files", ("b.bin", b"\xffb"))]
    response = TestClient(app).post("/batch", files=files)
    assert response.json() == {"count": 2}
    assert received[0].files == [b"\x00a", b"\xffb"]


@pytest.mark.parametrize(
    ("files", "data", "message", "param"),
    [
        (
            {"file": PDF},
            {"purpose": "fun"},
            "Invalid request body: 'purpose': Input should be 'assistants', 'batch' or 'fine-tune'",
            "purpose",
        ),
        (
            {"other": PDF},
            {"purpose": "batch"},
            "Invalid request body: 'file': Field required",
            "file",
        ),
        (
            {"file": PDF},
            {"purpose": "batch", "expires_after": "0"},
            "Invalid request body: 'expires_after': Input should be greater than or equal to 1",
            "expires_after",
        ),
    ],
    ids=["bad-literal", "missing-file", "constraint"],
)
def test_invalid_multipart_field_is_400_naming_it(
    client: TestClient,
    handler: FilesHandler,
    files: dict[str, bytes],
    data: dict[str, str],
    message: str,
    param: str,
) -> None:
    response = client.post(f"{PREFIX}/files", files=files, data=data)
    assert response.status_code == 400
    assert response.json() == invalid(message, param)
    assert handler.calls == []


@pytest.mark.parametrize(
    ("path", "kwargs", "expected", "sent"),
    [
        ("/files", {"json": {"purpose": "batch"}}, "multipart/form-data", "'application/json'"),
        (
            "/files",
            {"data": {"purpose": "batch"}},
            "multipart/form-data",
            "'application/x-www-form-urlencoded'",
        ),
        (
            "/feedback",
            {"files": {"rating": b"4"}},
            "application/x-www-form-urlencoded",
            "'multipart/form-data'",
        ),
        ("/feedback", {"content": b"rating=4"}, "application/x-www-form-urlencoded", "none"),
    ],
    ids=["json-to-multipart", "form-to-multipart", "multipart-to-form", "no-content-type"],
)
def test_wrong_content_type_is_415(
    client: TestClient,
    handler: FilesHandler,
    path: str,
    kwargs: dict[str, Any],
    expected: str,
    sent: str,
) -> None:
    """A form or multipart operation refuses another Content-Type before reading the body."""
    response = client.post(f"{PREFIX}{path}", **kwargs)
    assert response.status_code == 415
    assert response.json() == invalid(f"The request's Content-Type must be {expected}, not {sent}.")
    assert handler.calls == []


def test_malformed_multipart_is_400(client: TestClient, handler: FilesHandler) -> None:
    """A multipart Content-Type without a boundary cannot be parsed: 400 in the envelope."""
    response = client.post(
        f"{PREFIX}/files", content=b"garbage", headers={"content-type": "multipart/form-data"}
    )
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert message.startswith("We could not parse the multipart body of your request: ")
    assert handler.calls == []


def test_required_body_missing_is_400(client: TestClient, handler: FilesHandler) -> None:
    """body_required: no body at all answers 400 naming the media type expected."""
    for response in (
        client.post(f"{PREFIX}/files"),
        client.put(f"{PREFIX}/files/file-1/content"),
    ):
        assert response.status_code == 400
    assert client.post(f"{PREFIX}/files").json() == invalid(
        "The request body is missing: this operation takes multipart/form-data."
    )
    assert client.put(f"{PREFIX}/files/file-1/content").json() == invalid(
        "The request body is missing: this operation takes application/octet-stream."
    )
    assert handler.calls == []


def test_form_urlencoded_is_validated_by_the_model(
    client: TestClient, handler: FilesHandler
) -> None:
    """Form fields arrive typed: an int from "4", a bool from "true", a list from repeated keys."""
    response = client.post(
        f"{PREFIX}/feedback",
        data={"rating": "4", "labels": ["fast", "cheap"], "public": "true"},
    )
    assert response.status_code == 200
    assert response.json() == {
        "received": {"rating": 4, "comment": None, "labels": ["fast", "cheap"], "public": True}
    }
    [(_, (form,), _)] = handler.calls
    assert form == FeedbackForm(rating=4, labels=["fast", "cheap"], public=True)


def test_a_form_writes_null_as_the_text_null_for_a_nullable_field(
    client: TestClient, handler: FilesHandler
) -> None:
    """A form has no null, so clients send a nullable field's null as "null": it is None there,
    and stays the text "null" where the field takes no None (a form is never rewritten else)."""
    response = client.post(f"{PREFIX}/feedback", data={"rating": "4", "comment": "null"})
    assert response.status_code == 200
    assert response.json()["received"]["comment"] is None
    response = client.post(f"{PREFIX}/feedback", data={"rating": "4", "labels": ["null"]})
    assert response.status_code == 200
    assert response.json()["received"]["labels"] == ["null"]
    response = client.post(f"{PREFIX}/feedback", data={"rating": "null"})
    assert response.status_code == 400


def test_invalid_form_is_400_naming_the_field(client: TestClient, handler: FilesHandler) -> None:
    response = client.post(f"{PREFIX}/feedback", data={"rating": "9"})
    assert response.status_code == 400
    assert response.json() == invalid(
        "Invalid request body: 'rating': Input should be less than or equal to 5", "rating"
    )
    assert handler.calls == []


def test_binary_body_reaches_the_handler_as_bytes(
    client: TestClient, handler: FilesHandler
) -> None:
    """An octet-stream body is passed as the exact bytes, positionally, parameters by keyword."""
    content = bytes(range(256))
    response = client.put(
        f"{PREFIX}/files/file-1/content",
        content=content,
        headers={"content-type": "application/octet-stream"},
    )
    assert response.status_code == 200
    assert response.json()["bytes"] == 256
    [(name, (body,), kwargs)] = handler.calls
    assert (name, kwargs) == ("replace", {"file_id": "file-1"})
    assert type(body) is bytes and body == content
    assert client.get(f"{PREFIX}/files/file-1/content").content == content


@pytest.mark.parametrize(
    ("content", "content_type", "text"),
    [
        ("héllo".encode(), "text/plain; charset=utf-8", "héllo"),
        ("héllo".encode("latin-1"), "text/plain; charset=latin-1", "héllo"),
        (b"plain", None, "plain"),
    ],
    ids=["utf-8", "latin-1", "no-charset"],
)
def test_text_body_is_decoded_by_its_charset(
    client: TestClient,
    handler: FilesHandler,
    content: bytes,
    content_type: str | None,
    text: str,
) -> None:
    headers = {} if content_type is None else {"content-type": content_type}
    response = client.post(f"{PREFIX}/shout", content=content, headers=headers)
    assert response.status_code == 200
    assert handler.calls == [("shout", (text,), {})]


def test_text_body_that_does_not_decode_is_400(client: TestClient, handler: FilesHandler) -> None:
    response = client.post(
        f"{PREFIX}/shout", content=b"\xff\xfe", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 400
    assert response.json() == invalid("The request body is not valid utf-8 text.")
    assert handler.calls == []


def test_optional_json_body_may_be_absent(client: TestClient, handler: FilesHandler) -> None:
    """Not body_required and every field optional: no body validates as `{}`."""
    assert client.post(f"{PREFIX}/threads").json() == {"id": "thread-1", "title": None}
    client.post(f"{PREFIX}/threads", json={"title": "t"})
    assert [call[1][0] for call in handler.calls] == [ThreadRequest(), ThreadRequest(title="t")]
