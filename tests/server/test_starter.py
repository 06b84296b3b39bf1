"""The starter handler module: written once by `specgen build`, never overwritten, never stale,
served over the wire, and checked by mypy against a protocol a rebuild changed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml
from click.testing import CliRunner

from codegen.cli import main
from codegen.render import HEADER_MARKER
from tests._packages import mypy_cache

from .conftest import REPO, free_port
from .test_over_the_wire import stop, wait_until_serving


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's specs and config in a temp folder, as the working directory."""
    shutil.copytree(REPO / "specs", tmp_path / "specs")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_build_writes_the_starter_once_and_keeps_the_users_edits(project: Path) -> None:
    """The first build writes generated/server_impl.py; the next keeps it byte for byte."""
    code, out, err = run("build")
    assert code == 0, err
    starter = project / "generated" / "server_impl.py"
    assert "wrote generated/server_impl.py: a starter server handler" in out
    assert "never overwrite" in out
    text = starter.read_text()
    assert HEADER_MARKER not in text, "the starter is the user's file, not generated output"
    assert "class ChatCompletions(ChatCompletionsHandler):" in text
    edited = text.replace("is not implemented yet", "is mine now")
    starter.write_text(edited)
    code, out, err = run("build")
    assert code == 0, err
    assert "kept generated/server_impl.py" in out and "never overwrite" in out
    assert starter.read_text() == edited


def test_check_does_not_count_the_starter_as_stale(project: Path) -> None:
    """An edited (or deleted) starter leaves `specgen check` clean."""
    assert run("build")[0] == 0
    starter = project / "generated" / "server_impl.py"
    starter.write_text(starter.read_text() + "\n# my own code\n")
    code, out, err = run("check")
    assert code == 0, err
    assert "up to date" in out
    starter.unlink()
    assert run("check")[0] == 0


def test_server_impl_flag_puts_the_starter_elsewhere(project: Path) -> None:
    """--server-impl PATH writes the starter there instead of beside the package."""
    code, out, err = run("build", "--server-impl", "app/handlers.py")
    assert code == 0, err
    assert (project / "app" / "handlers.py").is_file()
    assert not (project / "generated" / "server_impl.py").exists()
    assert "python handlers.py --port" in (project / "app" / "handlers.py").read_text()
    assert "wrote app/handlers.py" in out


def test_server_impl_config_key_is_relative_to_pyproject(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`server_impl` in [tool.specgen] places the starter relative to pyproject.toml."""
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(
            "[tool.specgen]\n", '[tool.specgen]\nserver_impl = "srv/impl.py"\n', 1
        )
    )
    (project / "elsewhere").mkdir()
    monkeypatch.chdir(project / "elsewhere")
    code, _out, err = run("build")
    assert code == 0, err
    assert (project / "srv" / "impl.py").is_file()


def test_starter_inside_the_package_is_refused_and_nothing_written(project: Path) -> None:
    """A starter path inside the package folder (replaced on every build) is an error."""
    code, _out, err = run("build", "--server-impl", "generated/chat_api/impl.py")
    assert code == 1
    assert "outside the generated package" in err
    assert not (project / "generated").exists()


def test_starter_served_over_the_wire_answers_not_implemented(project: Path) -> None:
    """`python server_impl.py --port N` serves the starter: its methods answer 501 until done."""
    assert run("build")[0] == 0
    out = project / "generated"
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "server_impl.py", "--port", str(port), "--log-level", "warning"],
        cwd=out,
        env={**os.environ, "PYTHONPATH": ""},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_serving(process, f"http://127.0.0.1:{port}/openapi.json")
        answer = httpx.post(
            f"http://127.0.0.1:{port}/v1/chat/completions",
            json={"model": "m", "messages": [{"role": "user", "content": "hi"}]},
            timeout=10,
        )
    finally:
        output = stop(process)
    assert answer.status_code == 501, output
    assert answer.json()["error"]["message"] == "ChatCompletions.create is not implemented yet"


# --- a rebuild that changes the protocol ------------------------------------------------------

REQUEST = {
    "type": "object",
    "required": ["model"],
    "properties": {"model": {"type": "string"}, "stream": {"type": "boolean"}},
}
ANSWER = {
    "type": "object",
    "required": ["id", "text"],
    "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
}
CHUNK = {
    "type": "object",
    "required": ["id", "delta"],
    "properties": {"id": {"type": "string"}, "delta": {"type": "string"}},
}


def operation(operation_id: str, *, stream: bool) -> dict[str, object]:
    content: dict[str, object] = {
        "application/json": {"schema": {"$ref": "#/components/schemas/Answer"}}
    }
    if stream:
        content["text/event-stream"] = {"schema": {"$ref": "#/components/schemas/Chunk"}}
    return {
        "operationId": operation_id,
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Request"}}},
        },
        "responses": {"200": {"description": "ok", "content": content}},
    }


def document(*, stream: bool = True, update: bool = False) -> str:
    """A one-vendor API: POST /chat/completions (streaming or not), optionally PATCH too."""
    item = {"post": operation("createChatCompletion", stream=stream)}
    if update:
        item["patch"] = operation("updateChatCompletion", stream=False)
    return yaml.safe_dump(
        {
            "openapi": "3.1.0",
            "info": {"title": "Tiny", "version": "1"},
            "servers": [{"url": "https://api.acme.test/v1"}],
            "paths": {"/chat/completions": item},
            "components": {"schemas": {"Request": REQUEST, "Answer": ANSWER, "Chunk": CHUNK}},
        },
        sort_keys=False,
    )


CHANGES = {
    "same": document(),
    "added": document(update=True),
    "dropped": document(stream=False),
}
"""The second document of each scenario: unchanged, a new operation, streaming removed."""


def test_mypy_on_the_starter_points_at_what_a_rebuild_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Build, rebuild from a changed API: the build keeps the starter, mypy names the mismatch."""
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "acme.yaml"
    out = tmp_path / "out"
    for name, changed in CHANGES.items():
        options = ["--out", str(out), "--package", f"{name}_api"]
        options += ["--server-impl", str(out / f"{name}_impl.py")]
        spec.write_text(document())
        code, _out, err = run("build", str(spec), *options)
        assert code == 0, err
        spec.write_text(changed)
        code, stdout, err = run("build", str(spec), *options)
        assert code == 0, err
        assert f"kept out/{name}_impl.py" in stdout
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            f"--cache-dir={mypy_cache(tmp_path)}",
            *(f"{name}_impl.py" for name in CHANGES),
        ],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    errors: dict[str, list[str]] = {name: [] for name in CHANGES}
    for line in result.stdout.splitlines():
        match = re.match(r"(\w+)_impl\.py:\d+: error: (.*)", line)
        if match:
            errors[match.group(1)].append(match.group(2))
    assert errors["same"] == [], result.stdout
    assert any('abstract attribute "update"' in e for e in errors["added"]), result.stdout
    assert any(
        "Return type" in e and '"create"' in e and "incompatible" in e for e in errors["dropped"]
    ), result.stdout
    assert result.returncode == 1
