"""Fixtures: the sample API rendered once, written to a temp folder and imported from there."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from codegen.ir.model import API
from codegen.render import render_package, write_package

from .sample_api import SAMPLE_API

PACKAGE = "sample_chat_api"
REPORT_TEXT = "# Repairs\n\n- example repair\n"
REPORT_JSON = '{"findings": []}\n'


def render_sample(
    api: API = SAMPLE_API,
    *,
    template_dir: Path | None = None,
    extra_files: dict[str, str] | None = None,
) -> dict[str, str]:
    return render_package(
        api,
        package=PACKAGE,
        report_text=REPORT_TEXT,
        report_json=REPORT_JSON,
        extra_files=extra_files or {},
        template_dir=template_dir,
    )


@pytest.fixture(scope="session")
def sample_files() -> dict[str, str]:
    """The sample API's package files (rendered once per session: ruff runs are not free)."""
    return render_sample()


@pytest.fixture(scope="session")
def package_dir(sample_files: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample package written to a fresh folder; returns the folder holding the package."""
    root = tmp_path_factory.mktemp("generated")
    write_package(sample_files, root, PACKAGE)
    return root


@pytest.fixture(scope="session")
def api(package_dir: Path) -> Iterator[ModuleType]:
    """The generated package, imported from its folder (removed from sys.modules afterwards)."""
    sys.path.insert(0, str(package_dir))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(package_dir))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]
