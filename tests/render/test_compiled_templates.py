"""Compiled templates are kept between builds, like __pycache__; an edited template is compiled
afresh, and a cache that cannot be used only means compiling again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from jinja2.bccache import Bucket

from codegen.render import environment


def _render_in_new_process(folder: Path) -> str:
    """A fresh interpreter: only the on-disk cache can carry compiled code over."""
    code = (
        "import sys; from pathlib import Path; "
        "from codegen.render.environment import make_environment; "
        "print(make_environment(Path(sys.argv[1])).get_template('x.jinja').render(), end='')"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True
    ).stdout


def test_an_edited_template_is_compiled_afresh(tmp_path: Path) -> None:
    (tmp_path / "x.jinja").write_text("first {{ 1 + 1 }}")
    assert _render_in_new_process(tmp_path) == "first 2"
    assert _render_in_new_process(tmp_path) == "first 2"
    (tmp_path / "x.jinja").write_text("second {{ 2 + 2 }}")
    assert _render_in_new_process(tmp_path) == "second 4"


def test_the_environment_keeps_compiled_templates() -> None:
    cache = environment.make_environment().bytecode_cache
    assert isinstance(cache, environment._CompiledTemplates)
    assert os.path.isdir(cache.directory)


def test_an_unreadable_or_unwritable_cache_only_means_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = environment._CompiledTemplates(str(tmp_path / "missing" / "folder"))
    bucket = Bucket(environment.make_environment(), "k", "checksum")
    broken.load_bytecode(bucket)
    assert bucket.code is None
    bucket.code = compile("1", "<x>", "eval")
    broken.dump_bytecode(bucket)  # the folder does not exist: no error
    assert not (tmp_path / "missing").exists()
    (tmp_path / "y.jinja").write_text("ok")
    monkeypatch.setattr(environment, "_bytecode_cache", lambda: broken)
    assert environment.make_environment(tmp_path).get_template("y.jinja").render() == "ok"
