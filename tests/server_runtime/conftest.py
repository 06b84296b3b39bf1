"""Fixtures: templates/runtime as a temp package (as a generated package holds it), the test app."""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

RUNTIME_DIR = Path(__file__).resolve().parents[2] / "templates" / "runtime"
# Not "rt": tests/runtime imports its own copy under that name in the same session.
PACKAGE = "rt_server"


@pytest.fixture(scope="session")
def rt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The runtime copied into a temp package `rt_server` with an empty __init__.py, all loaded."""
    root = tmp_path_factory.mktemp("server_runtime")
    package_dir = root / PACKAGE
    package_dir.mkdir()
    sources = sorted(RUNTIME_DIR.glob("*.py"))
    for source in sources:
        shutil.copyfile(source, package_dir / source.name)
    (package_dir / "__init__.py").write_text("")
    sys.path.insert(0, str(root))
    try:
        package = importlib.import_module(PACKAGE)
        for source in sources:
            importlib.import_module(f"{PACKAGE}.{source.stem}")
        yield package
    finally:
        sys.path.remove(str(root))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


@pytest.fixture
def server(rt: ModuleType) -> ModuleType:
    """The `_server` module of the runtime package."""
    module: ModuleType = rt._server
    return module


@pytest.fixture
def anyio_backend() -> str:
    """Starlette runs on anyio; asyncio is the loop generated servers run on."""
    return "asyncio"
