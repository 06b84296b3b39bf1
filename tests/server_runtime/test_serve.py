"""The command line `main` and `serve`: argument handling, and a real uvicorn on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ._app import Chunk, Completion

REPO = Path(__file__).resolve().parents[2]


def record_serve(server: ModuleType, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake_serve(app: FastAPI, **kwargs: Any) -> None:
        calls.append({"app": app, **kwargs})

    monkeypatch.setattr(server, "serve", fake_serve)
    return calls


def test_main_passes_host_port_and_log_level(
    server: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """main builds the app with the factory and serves it on the parsed host and port."""
    calls = record_serve(server, monkeypatch)
    app = FastAPI()
    argv = ["--host", "0.0.0.0", "--port", "9123", "--log-level", "warning"]
    assert server.main(argv, app_factory=lambda: app) == 0
    assert calls == [{"app": app, "host": "0.0.0.0", "port": 9123, "log_level": "warning"}]


def test_main_defaults_to_localhost(server: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without options the server binds 127.0.0.1 on DEFAULT_PORT."""
    calls = record_serve(server, monkeypatch)
    server.main([], app_factory=FastAPI)
    assert (calls[0]["host"], calls[0]["port"]) == ("127.0.0.1", server.DEFAULT_PORT)


@pytest.mark.parametrize(
    ("port", "message"),
    [("http", "not a port number: 'http'"), ("70000", "port out of range 0-65535: 70000")],
)
def test_main_rejects_bad_port(
    server: ModuleType,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    port: str,
    message: str,
) -> None:
    """A bad --port is a usage error (exit 2) and nothing is served."""
    calls = record_serve(server, monkeypatch)
    with pytest.raises(SystemExit) as caught:
        server.main(["--port", port], app_factory=FastAPI, prog="chat_api.server")
    assert caught.value.code == 2
    assert message in capsys.readouterr().err
    assert calls == []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_serving(process: subprocess.Popen[str], url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early:\n{process.communicate()[0]}")
        try:
            httpx.get(url, timeout=1)
        except httpx.TransportError:
            time.sleep(0.1)
        else:
            return
    raise AssertionError("server did not start within 30 seconds")


def test_uvicorn_serves_the_app_on_localhost(rt: ModuleType) -> None:
    """`python -m <app> --port N` serves over real HTTP until terminated, for both call kinds."""
    port = free_port()
    runtime_root = Path(rt.__path__[0]).parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(runtime_root), str(REPO)])}
    command = [sys.executable, "-m", "tests.server_runtime._app", rt.__name__, "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--log-level", "warning"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_serving(process, f"http://127.0.0.1:{port}/openapi.json")
        profile = rt._base_client.VendorProfile(
            name="local", base_url=f"http://127.0.0.1:{port}/v1"
        )
        body = {"model": "m", "messages": [{"role": "user", "content": "over the wire"}]}
        with rt._base_client.SyncAPIClient(profile=profile, max_retries=0) as client:
            answer = client.request(
                "POST", "/chat/completions", body=body, parse=Completion.model_validate
            )
            stream = client.request_stream(
                "POST",
                "/chat/completions",
                body={**body, "stream": True},
                parse=Chunk.model_validate,
            )
            chunks = [item.choices[0].delta.content for item in stream]
        assert answer.choices[0].message.content == "over the wire"
        assert chunks == ["over", "the", "wire", ""]
    finally:
        process.terminate()
        try:
            output = process.communicate(timeout=15)[0]
        except subprocess.TimeoutExpired:
            process.kill()
            output = process.communicate()[0]
    # Recent uvicorn re-raises the signal after its graceful shutdown; older ones exit 0.
    assert process.returncode in (0, -signal.SIGTERM), output
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
