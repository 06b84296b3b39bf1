"""Every OpenAPI and Swagger document of the corpus, built alone: the package imports, and it is
ruff-clean and `mypy --strict`-clean (one run of each tool over all the packages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests._packages import assert_imports_with_routes, assert_mypy_strict_clean, assert_ruff_clean

from .conftest import OPENAPI_DOCUMENTS


@pytest.mark.parametrize("document", OPENAPI_DOCUMENTS)
def test_the_package_and_its_server_import(document: str, corpus_packages: dict[str, Path]) -> None:
    assert_imports_with_routes(corpus_packages[document])


def test_every_package_is_ruff_clean(corpus_packages: dict[str, Path]) -> None:
    assert_ruff_clean(corpus_packages.values())


def test_every_package_is_mypy_strict_clean(
    corpus_packages: dict[str, Path], tmp_path: Path
) -> None:
    assert_mypy_strict_clean(corpus_packages.values(), tmp_path)
