"""Fixtures importing templates/runtime as a generated package holds it, plus client harnesses."""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from ._helpers import Harness

RUNTIME_DIR = Path(__file__).resolve().parents[2] / "templates" / "runtime"
PACKAGE = "rt"


@pytest.fixture(scope="session")
def rt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The runtime copied into a temp package `rt` with an empty __init__.py, all modules loaded."""
    root = tmp_path_factory.mktemp("runtime")
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
def anyio_backend() -> str:
    """The runtime sleeps with asyncio, so async tests run on asyncio only."""
    return "asyncio"


@pytest.fixture(params=["sync", "async"])
def harness(request: pytest.FixtureRequest, rt: ModuleType) -> Harness:
    """Parametrises a test over the sync and the async client."""
    return Harness(rt, request.param)
