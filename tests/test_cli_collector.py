"""A command runs without the cyclic collector, and gives it back to an in-process caller."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from click.testing import CliRunner

from codegen import cli
from codegen.errors import SpecgenError


def _ingest_recording(monkeypatch: pytest.MonkeyPatch, seen: list[bool], fail: bool) -> None:
    import codegen.ingest

    def ingest_all(paths, **_kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        if fail:
            raise SpecgenError("unreadable", file=str(paths[0]))
        return [], []

    monkeypatch.setattr(codegen.ingest, "ingest_all", ingest_all)


@pytest.mark.parametrize("fail", [False, True])
def test_the_collector_is_off_during_a_command_and_on_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail: bool
) -> None:
    seen: list[bool] = []
    _ingest_recording(monkeypatch, seen, fail)
    source = tmp_path / "doc.yaml"
    source.write_text("openapi: 3.1.0\n", encoding="utf-8")
    assert gc.isenabled()
    result = CliRunner().invoke(cli.main, ["ingest", str(source), "--out", str(tmp_path / "o")])
    assert seen == [False]
    assert (result.exit_code != 0) is fail
    assert gc.isenabled()


def test_a_caller_that_turned_the_collector_off_keeps_it_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    _ingest_recording(monkeypatch, seen, fail=False)
    source = tmp_path / "doc.yaml"
    source.write_text("openapi: 3.1.0\n", encoding="utf-8")
    gc.disable()
    try:
        CliRunner().invoke(cli.main, ["ingest", str(source), "--out", str(tmp_path / "o")])
        assert seen == [False]
        assert not gc.isenabled()
    finally:
        gc.enable()
