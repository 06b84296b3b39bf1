"""The server runtime as vendored code: allowed imports, docstrings, __all__, one import point."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from types import ModuleType

import pytest

RUNTIME_DIR = Path(__file__).resolve().parents[2] / "templates" / "runtime"
SOURCES = sorted(RUNTIME_DIR.glob("_server*.py"))
ALLOWED_AT_IMPORT = {"fastapi", "pydantic"}
ALLOWED_LAZILY = ALLOWED_AT_IMPORT | {"uvicorn"}
"""uvicorn is needed only to run a server, so it is imported inside `serve`."""


def import_roots(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name.split(".")[0] for alias in node.names]
    if isinstance(node, ast.ImportFrom) and not node.level:
        return [(node.module or "").split(".")[0]]
    return []


def test_server_modules_present() -> None:
    """The server runtime is _server.py plus its errors, request-limits and vendor-rules
    modules."""
    assert [path.name for path in SOURCES] == [
        "_server.py",
        "_server_errors.py",
        "_server_limits.py",
        "_server_rules.py",
    ]


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_imports_stdlib_fastapi_pydantic_and_siblings(path: Path) -> None:
    """Module-level imports are stdlib, FastAPI, pydantic or siblings; uvicorn only lazily."""
    tree = ast.parse(path.read_text())
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            assert node.level == 1 and (RUNTIME_DIR / f"{node.module}.py").exists(), node.module
        allowed = ALLOWED_AT_IMPORT if id(node) in top_level else ALLOWED_LAZILY
        for root in import_roots(node):
            assert root in sys.stdlib_module_names or root in allowed, (path.name, root)


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_module_docstring_is_one_line_and_all_is_complete(rt: ModuleType, path: Path) -> None:
    """Each module opens with a one-line docstring and lists its public classes in __all__."""
    module = getattr(rt, path.stem)
    assert module.__doc__ and "\n" not in module.__doc__.strip()
    for name in module.__all__:
        assert hasattr(module, name), name
    public = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and getattr(value, "__module__", None) == module.__name__
        and isinstance(value, type)
    }
    assert public <= set(module.__all__)


def test_server_reexports_the_error_classes(server: ModuleType, rt: ModuleType) -> None:
    """Generated code imports everything from `_server`, the error classes included."""
    for name in rt._server_errors.__all__:
        assert name in server.__all__
        assert getattr(server, name) is getattr(rt._server_errors, name)
