"""What every test process shares: the suite runs in several at once (pytest-xdist), so nothing
a test writes may land in the repository's tree."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

if os.environ.get("CI"):
    # CI's own hypothesis profile keeps no example database; its caches (the constants of the
    # modules under test, unicode tables) go to a folder of this process, not to .hypothesis/.
    _HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="specgen-hypothesis-")
    atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)
    set_hypothesis_home_dir(_HYPOTHESIS_HOME)


@pytest.fixture(autouse=True, scope="session")
def _build_cache_of_this_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """specgen keeps its build cache beside pyproject.toml: a build run from the repository's
    root would write .specgen-cache/ into the tree, for every process at once."""
    folder = tmp_path_factory.mktemp("specgen-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPECGEN_CACHE_DIR", str(folder))
        yield folder
