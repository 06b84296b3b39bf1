"""Request bodies other than JSON: url-encoded forms, multipart uploads, raw bytes and text."""

from __future__ import annotations

import email
import email.policy
import io
import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ._helpers import FakeServer, Harness, make_profile


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str | None
    """The part's own Content-Type header (None when it has none)."""
    data: bytes


def multipart_parts(request: httpx.Request) -> list[Part]:
    """The parts of a multipart/form-data request, in order, read with the stdlib parser."""
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    raw = f"Content-Type: {content_type}\r\n\r\n".encode() + request.content
    message = email.message_from_bytes(raw, policy=email.policy.HTTP)
    parts = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        assert isinstance(name, str)
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        parts.append(Part(name, part.get_filename(), part["content-type"], payload))
    return parts


def test_form_body_encoding(harness: Harness) -> None:
    """form: url-encoded pairs, lists repeated, booleans true/false, objects as JSON text."""
    not_given = harness.rt._types.NOT_GIVEN
    server = FakeServer()
    body = {
        "grant_type": "client_credentials",
        "scope": ["read", "write"],
        "remember": True,
        "n": 2,
        "meta": {"a": 1},
        "note": "a b&c=d",
        "skip": not_given,
        "gone": None,
    }
    harness.request(harness.client(server), "POST", "/token", body=body, body_encoding="form")
    request = server.requests[0]
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.content == (
        b"grant_type=client_credentials&scope=read&scope=write&remember=true&n=2"
        b"&meta=%7B%22a%22%3A1%7D&note=a+b%26c%3Dd"
    )


def test_form_body_merges_required_fields_and_extra_body(harness: Harness) -> None:
    """A form body is the same merged mapping as a JSON one: required, then extra_body on top."""
    server = FakeServer()
    profile = make_profile(harness.rt, required_fields={"client": "sdk"})
    options = harness.rt._types.RequestOptions(extra_body={"a": "extra", "b": 2})
    harness.request(
        harness.client(server, profile=profile),
        "POST",
        "/f",
        body={"a": "mine"},
        body_encoding="form",
        options=options,
    )
    assert server.requests[0].content == b"a=extra&client=sdk&b=2"


def test_multipart_fields_and_file_values(harness: Harness, tmp_path: Path) -> None:
    """Every kind of file value becomes a file part; other fields are plain text parts."""
    not_given = harness.rt._types.NOT_GIVEN
    path = tmp_path / "speech.wav"
    path.write_bytes(b"RIFF-wav")
    named = io.BytesIO(b"named bytes")
    named.name = "/somewhere/notes.txt"
    body = {
        "model": "whisper-1",
        "file": path,
        "temperature": 0.5,
        "verbose": False,
        "include": ["logprobs", "segments"],
        "options": {"k": "v"},
        "skip": not_given,
        "none": None,
        "raw": b"\x00\x01",
        "handle": named,
        "anonymous": io.BytesIO(b"anon"),
        "pair": ("pic.png", b"PNG"),
        "typed": ("data.bin", io.BytesIO(b"xyz"), "application/x-custom"),
        "many": [b"one", ("two.txt", b"two")],
    }
    file_fields = ["file", "raw", "handle", "anonymous", "pair", "typed", "many", "skip"]
    server = FakeServer()
    harness.request(
        harness.client(server),
        "POST",
        "/audio/transcriptions",
        body=body,
        body_encoding="multipart",
        file_fields=file_fields,
    )
    assert multipart_parts(server.requests[0]) == [
        Part("model", None, None, b"whisper-1"),
        Part("file", "speech.wav", mimetypes.guess_type("speech.wav")[0], b"RIFF-wav"),
        Part("temperature", None, None, b"0.5"),
        Part("verbose", None, None, b"false"),
        Part("include", None, None, b"logprobs"),
        Part("include", None, None, b"segments"),
        Part("options", None, None, b'{"k":"v"}'),
        Part("raw", "upload", "application/octet-stream", b"\x00\x01"),
        Part("handle", "notes.txt", "text/plain", b"named bytes"),
        Part("anonymous", "upload", "application/octet-stream", b"anon"),
        Part("pair", "pic.png", "image/png", b"PNG"),
        Part("typed", "data.bin", "application/x-custom", b"xyz"),
        Part("many", "upload", "application/octet-stream", b"one"),
        Part("many", "two.txt", "text/plain", b"two"),
    ]


def test_multipart_tuple_of_files_is_many_files(harness: Harness) -> None:
    """A tuple of file values (a Sequence[FileTypes]) is repeated parts, like a list."""
    server = FakeServer()
    harness.request(
        harness.client(server),
        "POST",
        "/batch",
        body={"files": (("a.txt", b"A"), b"B"), "one": ("c.txt", b"C")},
        body_encoding="multipart",
        file_fields=("files", "one"),
    )
    assert multipart_parts(server.requests[0]) == [
        Part("files", "a.txt", "text/plain", b"A"),
        Part("files", "upload", "application/octet-stream", b"B"),
        Part("one", "c.txt", "text/plain", b"C"),
    ]


def test_multipart_without_files_is_still_multipart(harness: Harness) -> None:
    """An upload whose file was not given still goes as multipart, never url-encoded."""
    not_given = harness.rt._types.NOT_GIVEN
    server = FakeServer()
    harness.request(
        harness.client(server),
        "POST",
        "/u",
        body={"purpose": "batch", "file": not_given},
        body_encoding="multipart",
        file_fields=("file",),
    )
    assert multipart_parts(server.requests[0]) == [Part("purpose", None, None, b"batch")]


def test_multipart_extra_body_and_required_fields(harness: Harness) -> None:
    """Multipart uses the same merged fields: required fields filled in, extra_body last."""
    server = FakeServer()
    profile = make_profile(harness.rt, required_fields={"purpose": "assistants"})
    options = harness.rt._types.RequestOptions(extra_body={"expires": 3600})
    harness.request(
        harness.client(server, profile=profile),
        "POST",
        "/files",
        body={"file": b"data"},
        body_encoding="multipart",
        file_fields={"file"},
        options=options,
    )
    parts = multipart_parts(server.requests[0])
    assert [(part.name, part.filename, part.data) for part in parts] == [
        ("file", "upload", b"data"),
        ("purpose", None, b"assistants"),
        ("expires", None, b"3600"),
    ]


def test_multipart_upload_is_resent_whole_on_retry(harness: Harness, tmp_path: Path) -> None:
    """After a 503 the retry carries the same file bytes, even from a file object."""
    path = tmp_path / "doc.txt"
    path.write_bytes(b"hello file")
    server = FakeServer(httpx.Response(503, json={}), httpx.Response(200, json={"id": "f1"}))
    with path.open("rb") as handle:
        result = harness.request(
            harness.client(server),
            "POST",
            "/files",
            body={"file": handle},
            body_encoding="multipart",
            file_fields=["file"],
        )
    assert result == {"id": "f1"}
    first, second = (multipart_parts(request) for request in server.requests)
    assert first == second == [Part("file", "doc.txt", "text/plain", b"hello file")]


def test_bad_file_values_fail_before_sending(harness: Harness) -> None:
    """A str, a text-mode file or a malformed tuple is a TypeError and no request is sent."""
    server = FakeServer()
    client = harness.client(server)
    for value, message in [
        ("not/a/path.txt", "cannot upload a str"),
        (io.StringIO("text"), "binary mode"),
        (("only-name",), "a file tuple is"),
    ]:
        with pytest.raises(TypeError, match=message):
            harness.request(
                client,
                "POST",
                "/files",
                body={"file": value},
                body_encoding="multipart",
                file_fields=["file"],
            )
    assert server.calls == 0


@pytest.mark.parametrize("kind", ["bytes", "path", "file"])
def test_binary_body(harness: Harness, tmp_path: Path, kind: str) -> None:
    """binary: the content raw, as application/octet-stream; bytes, a path or a file object."""
    data = b"\x89PNG\r\n\x00raw"
    path = tmp_path / "image.png"
    path.write_bytes(data)
    content: object = {"bytes": data, "path": path, "file": io.BytesIO(data)}[kind]
    server = FakeServer()
    harness.request(
        harness.client(server), "PUT", "/blobs/1", body_encoding="binary", content=content
    )
    request = server.requests[0]
    assert request.content == data
    assert request.headers["content-type"] == "application/octet-stream"
    assert request.headers["content-length"] == str(len(data))


def test_binary_body_content_type_from_headers(harness: Harness) -> None:
    """A Content-Type header parameter (or extra header) replaces application/octet-stream."""
    server = FakeServer()
    client = harness.client(server)
    harness.request(
        client,
        "PUT",
        "/b",
        body_encoding="binary",
        content=b"x",
        headers={"Content-Type": "audio/mpeg"},
    )
    options = harness.rt._types.RequestOptions(extra_headers={"content-type": "image/webp"})
    harness.request(client, "PUT", "/b", body_encoding="binary", content=b"x", options=options)
    assert [request.headers["content-type"] for request in server.requests] == [
        "audio/mpeg",
        "image/webp",
    ]


def test_text_body(harness: Harness) -> None:
    """text: the str encoded as UTF-8, sent as text/plain; charset=utf-8."""
    server = FakeServer()
    harness.request(harness.client(server), "POST", "/t", body_encoding="text", content="héllo")
    request = server.requests[0]
    assert request.content == "héllo".encode()
    assert request.headers["content-type"] == "text/plain; charset=utf-8"


def test_binary_without_content_sends_no_body(harness: Harness) -> None:
    """No content: no body and no Content-Type."""
    server = FakeServer()
    harness.request(harness.client(server), "POST", "/b", body_encoding="binary")
    assert server.requests[0].content == b""
    assert "content-type" not in server.requests[0].headers


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"body_encoding": "json", "content": b"x"}, ValueError, "content= is for binary"),
        ({"body_encoding": "binary", "body": {"a": 1}}, ValueError, "no body fields"),
        ({"body_encoding": "text", "content": b"bytes"}, TypeError, "a text body is a str"),
        ({"body_encoding": "xml"}, ValueError, "unknown body encoding 'xml'"),
    ],
)
def test_mismatched_body_arguments_fail_before_sending(
    harness: Harness, kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    """Arguments that cannot make one body are rejected before any request."""
    server = FakeServer()
    with pytest.raises(error, match=message):
        harness.request(harness.client(server), "POST", "/b", **kwargs)
    assert server.calls == 0


def test_json_stays_the_default_encoding(harness: Harness) -> None:
    """Without body_encoding the body is JSON, as before."""
    server = FakeServer()
    harness.request(harness.client(server), "POST", "/j", body={"a": [1, True]})
    assert server.requests[0].headers["content-type"] == "application/json"
    assert json.loads(server.requests[0].content) == {"a": [1, True]}
