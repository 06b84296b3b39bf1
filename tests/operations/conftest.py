"""Packages built from the corpus's OpenAPI and Swagger documents, once per session.

Each document is built alone, as a new user would (`specgen build FILE --out DIR --package P`),
from an empty working directory so that this repository's own configuration (its reference
document) does not join in.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from codegen.cli import main

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
OPENAPI_DOCUMENTS = tuple(
    sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".json", ".yaml", ".yml"))
)


def package_name(document: str) -> str:
    return "corpus_" + document.split("_", 1)[0].split(".", 1)[0]


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def build(sources: list[Path], out: Path, package: str) -> Path:
    """`specgen build` in process; the package's folder."""
    out.mkdir(parents=True, exist_ok=True)
    with working_directory(out):
        result = CliRunner().invoke(
            main, ["build", *map(str, sources), "--out", str(out), "--package", package]
        )
    assert result.exit_code == 0, result.output
    return out / package


@pytest.fixture(scope="session")
def corpus_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Document name -> the folder of its package (built into a folder of its own)."""
    root = tmp_path_factory.mktemp("corpus-packages")
    return {
        document: build([CORPUS / document], root / package_name(document), package_name(document))
        for document in OPENAPI_DOCUMENTS
    }


def load_package(folder: Path) -> tuple[ModuleType, ModuleType]:
    """Import a built package and its server from its folder (a fresh import each session)."""
    name = folder.name
    sys.path.insert(0, str(folder.parent))
    try:
        for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
            del sys.modules[module]
        return importlib.import_module(name), importlib.import_module(f"{name}.server")
    finally:
        sys.path.remove(str(folder.parent))
