"""The generated package stands alone: no specgen, no FastAPI for the client, any folder, any
name; and it passes ruff and mypy --strict as committed."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests._packages import mypy_cache, ruff_problems

from ._documents import GENERATED, PACKAGE, REPO

# Run in a fresh interpreter in isolated mode (-I: no PYTHONPATH, no current folder on sys.path):
# site-packages only, plus the one folder given. FastAPI and specgen itself are made unimportable
# before the package is imported, so an import of either anywhere in the client fails loudly.
IMPORT_SCRIPT = """
import json, sys
sys.modules["fastapi"] = None
sys.modules["codegen"] = None
root, name, repo = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path[:] = [p for p in sys.path if p.rstrip("/") != repo.rstrip("/")]
sys.path.insert(0, root)

import importlib
import httpx

package = importlib.import_module(name)
seen = []
def handler(request):
    seen.append(str(request.url))
    return httpx.Response(200, json={"id": "cmpl-1", "object": "chat.completion", "choices": []})
client = package.Client(
    vendor="oxen", http_client=httpx.Client(transport=httpx.MockTransport(handler))
)
completion = client.chat.completions.create(
    model="m", messages=[{"role": "user", "content": "hi"}]
)
print(json.dumps({
    "file": package.__file__,
    "id": completion.id,
    "type": type(completion).__module__ + "." + type(completion).__name__,
    "urls": seen,
    "loaded": sorted({m.split(".")[0] for m, v in sys.modules.items() if v is not None}),
}))
"""


def _import_in_fresh_interpreter(root: Path, name: str, cwd: Path) -> dict[str, object]:
    process = subprocess.run(
        [sys.executable, "-I", "-c", IMPORT_SCRIPT, str(root), name, str(REPO)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert process.returncode == 0, process.stderr
    result: dict[str, object] = json.loads(process.stdout)
    return result


def _check_loaded(result: dict[str, object]) -> None:
    loaded = result["loaded"]
    assert isinstance(loaded, list)
    for forbidden in ("fastapi", "starlette", "uvicorn", "codegen"):
        assert forbidden not in loaded


def test_imports_with_only_generated_on_the_path_and_fastapi_blocked(tmp_path: Path) -> None:
    """`import chat_api` and one client call work from generated/ alone, without FastAPI or
    specgen importable."""
    result = _import_in_fresh_interpreter(GENERATED, PACKAGE, cwd=tmp_path)
    assert result["file"] == str(GENERATED / PACKAGE / "__init__.py")
    assert result["id"] == "cmpl-1"
    assert result["type"] == f"{PACKAGE}.types.ChatCompletion"
    assert result["urls"] == ["https://dev.hub.oxen.ai/api/ai/chat/completions"]
    _check_loaded(result)


def test_package_is_relocatable_under_another_folder_and_name(tmp_path: Path) -> None:
    """A copy of generated/chat_api in another folder, renamed, imports and works (relative
    imports only, no path baked in)."""
    root = tmp_path / "elsewhere"
    shutil.copytree(
        GENERATED / PACKAGE, root / "vendored_chat", ignore=shutil.ignore_patterns("__pycache__")
    )
    result = _import_in_fresh_interpreter(root, "vendored_chat", cwd=tmp_path)
    assert result["file"] == str(root / "vendored_chat" / "__init__.py")
    assert result["type"] == "vendored_chat.types.ChatCompletion"
    assert result["id"] == "cmpl-1"
    _check_loaded(result)


def _python_files() -> list[Path]:
    files = sorted((GENERATED / PACKAGE).rglob("*.py"))
    assert len(files) >= 10
    return files


def test_no_file_imports_specgen_or_names_the_package_absolutely() -> None:
    """No module imports `codegen`, and none imports its own package by name (which would break
    relocation)."""
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = [node.module.split(".")[0]]
            else:
                continue
            assert "codegen" not in roots, f"{path.name}:{node.lineno}"
            assert PACKAGE not in roots, f"{path.name}:{node.lineno}"


def test_no_file_holds_a_path_of_the_machine_that_built_it() -> None:
    """No absolute path of the build machine in any generated file (deterministic, portable)."""
    for path in sorted((GENERATED / PACKAGE).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            assert str(REPO) not in path.read_text(encoding="utf-8"), path.name


def test_ruff_check_and_format_pass_on_generated() -> None:
    """`ruff check` and `ruff format --check` accept generated/, under ruff's defaults and under
    the project's rules."""
    assert ruff_problems([GENERATED]) == []


def test_mypy_strict_passes_on_generated(tmp_path: Path) -> None:
    """`mypy --strict` type-checks the whole generated package without an error."""
    process = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(mypy_cache(tmp_path)),
            str(GENERATED / PACKAGE),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert process.returncode == 0, process.stdout + process.stderr


# Imports the package, records what was loaded, then uses a model and an async client: the
# validator is built on first use (defer_build) and asyncio arrives with the first async client.
LEAN_IMPORT_SCRIPT = """
import importlib, json, sys
sys.path.insert(0, sys.argv[1])
package = importlib.import_module(sys.argv[2])
after_import = "asyncio" in sys.modules
types = importlib.import_module(sys.argv[2] + ".types")
built_before_use = types.ChatCompletion.__pydantic_complete__
completion = types.ChatCompletion.model_validate(
    {"id": "c1", "object": "chat.completion", "choices": [], "unknown": 1}
)
sync_client = package.Client(vendor="oxen", api_key="k")
after_sync_client = "asyncio" in sys.modules
async_client = package.AsyncClient(vendor="oxen", api_key="k")
print(json.dumps({
    "asyncio_after_import": after_import,
    "asyncio_after_sync_client": after_sync_client,
    "asyncio_after_async_client": "asyncio" in sys.modules,
    "built_before_use": built_before_use,
    "built_after_use": types.ChatCompletion.__pydantic_complete__,
    "dumped": completion.model_dump(mode="json", exclude_unset=True),
    "sleep": async_client._sleep.__module__,
}))
"""


def test_import_is_lean_and_deferred_models_still_validate(tmp_path: Path) -> None:
    """Importing the package loads no asyncio and builds no validator; a sync client still needs
    no asyncio, the first use of a model builds and validates it, and an async client gets
    asyncio's sleep."""
    process = subprocess.run(
        [sys.executable, "-I", "-c", LEAN_IMPORT_SCRIPT, str(GENERATED), PACKAGE],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert process.returncode == 0, process.stderr
    result = json.loads(process.stdout)
    assert result["asyncio_after_import"] is False
    assert result["asyncio_after_sync_client"] is False
    assert result["asyncio_after_async_client"] is True
    assert result["built_before_use"] is False
    assert result["built_after_use"] is True
    assert result["dumped"]["id"] == "c1"
    assert result["dumped"]["choices"] == []
    assert result["sleep"].startswith("asyncio")
