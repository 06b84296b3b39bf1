"""Multipart uploads and binary answers over real HTTP: the files app under uvicorn on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from ._files_app import PDF, SPEECH_PARTS
from .test_serve import REPO, free_port, wait_until_serving


@pytest.fixture(scope="module")
def base_url(rt: ModuleType) -> Iterator[str]:
    """`python -m tests.server_runtime._files_app <runtime> --port N`, stopped after the module."""
    port = free_port()
    runtime_root = Path(rt.__path__[0]).parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(runtime_root), str(REPO)])}
    command = [sys.executable, "-m", "tests.server_runtime._files_app", rt.__name__]
    process = subprocess.Popen(
        [*command, "--port", str(port), "--log-level", "warning"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_serving(process, f"{url}/files")
        yield url
    finally:
        process.terminate()
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def test_multipart_upload_then_binary_download(base_url: str) -> None:
    """A file uploaded as multipart comes back byte for byte with its declared media type."""
    with httpx.Client(base_url=base_url, timeout=10) as client:
        created = client.post(
            "/files",
            files={"file": ("report.pdf", PDF, "application/pdf")},
            data={"purpose": "assistants", "tags": ["a", "b"]},
        )
        assert created.status_code == 201, created.text
        answer = created.json()
        assert (answer["bytes"], answer["tags"]) == (len(PDF), ["a", "b"])
        downloaded = client.get(f"/files/{answer['id']}/content")
    assert downloaded.status_code == 200
    assert downloaded.headers["content-type"] == "application/pdf"
    assert downloaded.content == PDF


def test_large_multipart_file_is_read_whole(base_url: str) -> None:
    """A file bigger than Starlette keeps in memory (it spools to disk) still arrives whole."""
    content = bytes(range(256)) * 8192  # 2 MiB
    with httpx.Client(base_url=base_url, timeout=30) as client:
        created = client.post("/files", files={"file": content}, data={"purpose": "batch"})
        assert created.status_code == 201, created.text
        downloaded = client.get(f"/files/{created.json()['id']}/content")
    assert downloaded.content == content


def test_binary_request_body(base_url: str) -> None:
    content = b"\x00\xff" * 1000
    with httpx.Client(base_url=base_url, timeout=10) as client:
        replaced = client.put(
            "/files/file-1/content",
            content=content,
            headers={"content-type": "application/octet-stream"},
        )
        assert replaced.status_code == 200, replaced.text
        assert replaced.json()["bytes"] == len(content)
        assert client.get("/files/file-1/content").content == content


def test_streamed_binary_answer_is_chunked(base_url: str) -> None:
    """An async iterator of bytes goes out as a chunked audio/mpeg body."""
    with (
        httpx.Client(base_url=base_url, timeout=10) as client,
        client.stream("POST", "/audio/speech", json={"input": "hi"}) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"] == "audio/mpeg"
        assert response.headers["transfer-encoding"] == "chunked"
        body = b"".join(response.iter_bytes())
    assert body == b"".join(SPEECH_PARTS)


def test_failure_mid_binary_stream_aborts_the_body(base_url: str) -> None:
    """A bad piece after the answer started: the client sees a truncated body as an error."""
    with (
        httpx.Client(base_url=base_url, timeout=10) as client,
        client.stream("POST", "/audio/speech", json={"input": "hi", "voice": "echo"}) as response,
    ):
        assert response.status_code == 200
        with pytest.raises(httpx.RemoteProtocolError):
            response.read()


def test_not_implemented_over_the_wire(base_url: str) -> None:
    response = httpx.get(f"{base_url}/files/file-1/thumbnail", timeout=10)
    assert response.status_code == 501
    assert response.json()["error"]["code"] == "not_implemented"
