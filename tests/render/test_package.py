"""The package as a whole: files, headers, exports, lint, types, determinism, safe writing."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import msgspec
import pytest

from codegen.errors import SpecgenError
from codegen.render import HEADER_MARKER, fingerprint, write_package
from tests._packages import mypy_cache, ruff_problems

from .conftest import PACKAGE, REPORT_JSON, REPORT_TEXT, render_sample
from .sample_api import SAMPLE_API

REPO = Path(__file__).resolve().parents[2]


def test_package_layout(sample_files: dict[str, str]) -> None:
    """Private core modules, public types, resources mirroring the paths, marker files."""
    expected = {
        "__init__.py",
        "_client.py",
        "_vendors.py",
        "_errors.py",
        "types.py",
        "py.typed",
        "resources/__init__.py",
        "resources/chat.py",
        "resources/models.py",
        "REPAIRS.md",
        "REPAIRS.json",
        "_models.py",
        "_types.py",
        "_exceptions.py",
        "_streaming.py",
        "_response.py",
        "_base_client.py",
    }
    assert expected <= set(sample_files)
    assert list(sample_files) == sorted(sample_files)


def test_every_text_file_starts_with_the_same_header(sample_files: dict[str, str]) -> None:
    """One header line naming the version and the API's hash; JSON and py.typed stay bare."""
    header = f"{HEADER_MARKER} 0.1.0 from inputs {fingerprint(SAMPLE_API)}; do not edit;"
    for path, text in sample_files.items():
        if path in {"REPAIRS.json", "py.typed"}:
            continue
        first = text.split("\n", 1)[0]
        assert header in first, path
        assert "regenerate with `specgen build`" in first, path
        if path.endswith(".py"):
            assert len(first) <= 100, path


def test_header_hash_follows_the_api() -> None:
    """A different API gives a different hash; the same API, the same one."""
    changed = msgspec.structs.replace(SAMPLE_API, version="2.0.0")
    assert fingerprint(changed) != fingerprint(SAMPLE_API)
    assert fingerprint(msgspec.structs.replace(SAMPLE_API)) == fingerprint(SAMPLE_API)


def test_reports_and_extra_files(sample_files: dict[str, str]) -> None:
    """REPAIRS.md/json carry the reports; an extra YAML file gets the header as a comment."""
    assert sample_files["REPAIRS.md"].endswith(REPORT_TEXT)
    assert sample_files["REPAIRS.json"] == REPORT_JSON
    files = render_sample(extra_files={"openapi.yaml": "openapi: 3.1.0\n"})
    assert files["openapi.yaml"].startswith(f"# {HEADER_MARKER}")
    assert files["openapi.yaml"].endswith("openapi: 3.1.0\n")


def test_root_exports_the_public_names(api: ModuleType) -> None:
    """Clients, results, streams, errors, messages and the request model are at the root."""
    for name in (
        "Client",
        "AsyncClient",
        "ChatCompletion",
        "ChatCompletionChunk",
        "Stream",
        "AsyncStream",
        "APIError",
        "APIStatusError",
        "RateLimitError",
        "InsufficientBalanceError",
        "ServerBusyError",
        "UserMessage",
        "SystemMessage",
        "AssistantMessage",
        "ToolMessage",
        "ChatMessage",
        "ChatCompletionRequest",
        "NOT_GIVEN",
        "VENDORS",
    ):
        assert name in api.__all__, name
        assert hasattr(api, name), name
    assert api.ServerBusyError.code == 9999
    assert api.VENDORS["bolt"].in_body_errors[701] is api.InsufficientBalanceError


def test_generated_code_uses_relative_imports_only(sample_files: dict[str, str]) -> None:
    """No absolute import of the package itself, and nothing of specgen."""
    for path, text in sample_files.items():
        if not path.endswith(".py"):
            continue
        for node in ast.walk(ast.parse(text)):
            modules: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module or ""]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            for module in modules:
                assert module.split(".")[0] not in {PACKAGE, "codegen", "tests"}, path


def test_imports_with_only_its_folder_on_the_path(package_dir: Path) -> None:
    """A fresh interpreter imports the package from its folder and loads nothing of specgen."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        f"import {PACKAGE}; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('codegen', 'tests')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", script, str(package_dir)],
        cwd=package_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_check_and_format_pass(package_dir: Path) -> None:
    """Every module, rendered or copied, passes ruff check and ruff format --check under ruff's
    defaults and the project's rules."""
    assert ruff_problems([package_dir / PACKAGE]) == []


def test_mypy_strict_passes(package_dir: Path, tmp_path: Path) -> None:
    """mypy --strict finds nothing in the generated package."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            f"--cache-dir={mypy_cache(tmp_path)}",
            str(package_dir / PACKAGE),
        ],
        cwd=package_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_checks_calls_against_the_overloads(package_dir: Path, tmp_path: Path) -> None:
    """stream=True is (Async)Stream[chunk], left out is ChatCompletion; wrong arguments fail."""
    usage = tmp_path / "usage.py"
    usage.write_text(
        f"from {PACKAGE} import Client, ChatCompletion, ChatCompletionChunk, Stream\n"
        "client = Client(vendor='acme', api_key='k')\n"
        "messages = [{'role': 'user', 'content': 'hi'}]\n"
        "done: ChatCompletion = client.chat.completions.create(model='m', messages=messages)\n"
        "chunks: Stream[ChatCompletionChunk] = client.chat.completions.create(\n"
        "    model='m', messages=messages, stream=True)\n"
        "raw = client.with_raw_response.chat.completions.create(model='m', messages=messages)\n"
        "parsed: ChatCompletion = raw.parse()\n"
        "client.chat.completions.create(model='m', messages=messages, temperature='hot')\n"
        "client.chat.completions.create(model='m', messages=messages, frequency_penalty=None)\n"
        "Client(vendor='unknown-vendor')\n"
        f"from {PACKAGE} import AsyncClient, AsyncStream\n"
        "async def main() -> None:\n"
        "    aclient = AsyncClient(vendor='bolt')\n"
        "    achunks: AsyncStream[ChatCompletionChunk] = await aclient.chat.completions.create(\n"
        "        model='m', messages=messages, stream=True)\n"
        "    adone: ChatCompletion = await aclient.chat.completions.create(\n"
        "        model='m', messages=messages)\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            f"--cache-dir={mypy_cache(tmp_path)}",
            str(usage),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MYPYPATH": str(package_dir)},
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert [line.split(":")[1] for line in errors] == ["9", "10", "11"], result.stdout


def test_rendering_is_deterministic_across_hash_seeds() -> None:
    """Two interpreters with different PYTHONHASHSEEDs render byte-identical packages."""
    script = (
        "import hashlib, json, sys; sys.path.insert(0, sys.argv[1]); "
        "from tests.render.conftest import render_sample; "
        "files = render_sample(); "
        "print(hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", script, str(REPO)],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        digests.add(result.stdout.strip())
    expected = hashlib.sha256(json.dumps(render_sample(), sort_keys=True).encode()).hexdigest()
    assert digests == {expected}


def test_write_package_replaces_its_own_output(tmp_path: Path) -> None:
    """A second write replaces the first completely (stale files disappear)."""
    write_package({"__init__.py": f"# {HEADER_MARKER}\n", "old.py": "x = 1\n"}, tmp_path, "pkg")
    write_package({"__init__.py": f"# {HEADER_MARKER} v2\n"}, tmp_path, "pkg")
    assert sorted(p.name for p in (tmp_path / "pkg").iterdir()) == ["__init__.py"]
    assert "v2" in (tmp_path / "pkg" / "__init__.py").read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]


def test_write_package_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    """A hand-written package is left untouched, with an error naming it."""
    target = tmp_path / "pkg"
    target.mkdir()
    (target / "__init__.py").write_text("# my own code\n")
    with pytest.raises(SpecgenError, match="not written by specgen"):
        write_package({"__init__.py": f"# {HEADER_MARKER}\n"}, tmp_path, "pkg")
    assert (target / "__init__.py").read_text() == "# my own code\n"


def test_write_package_accepts_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    write_package({"__init__.py": f"# {HEADER_MARKER}\n"}, tmp_path, "pkg")
    assert (tmp_path / "pkg" / "__init__.py").is_file()


def test_failed_write_leaves_the_previous_package_whole(tmp_path: Path) -> None:
    """A write that fails midway keeps the old package and leaves no temp folder behind."""
    write_package({"__init__.py": f"# {HEADER_MARKER} old\n"}, tmp_path, "pkg")
    with pytest.raises(ValueError, match="inside the package"):
        write_package(
            {"__init__.py": f"# {HEADER_MARKER} new\n", "../escape.py": "x = 1\n"}, tmp_path, "pkg"
        )
    assert "old" in (tmp_path / "pkg" / "__init__.py").read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["pkg"]
