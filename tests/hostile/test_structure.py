"""Hostile structure: every document gets bounded time and memory and ends in a one-line error
naming its place (exit 2) or a finding; none hangs, crashes the interpreter or leaves a traceback.

Documents under tests/hostile/ (see README.md there); the big ones are made here, in a temp folder.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen.errors import SpecgenError
from codegen.ingest.source import MAX_SOURCE_BYTES
from codegen.ingest.yaml_limits import ALIAS_ALLOWANCE, MAX_DEPTH, check_yaml_limits

from ._run import HOSTILE, refused, specgen

HEAD = """openapi: 3.1.0
info: {title: nested, version: "1"}
paths:
  /x:
    get:
      operationId: getX
      responses:
        "200": {description: ok}
"""

HANG_LIMIT = 30.0
"""Seconds within which every hostile case must end: a guard against hangs (before the limits
these cases ran past 60 s or never ended), not a speed test, so a busy machine cannot fail it."""


def _nested_schema(levels: int) -> str:
    """A schema ``levels`` objects deep, written in flow style on one line."""
    opening = "{type: object, properties: {a: " * levels
    return "X: " + opening + "{type: string}" + "}}" * levels


def test_alias_bomb_is_refused_at_its_line_in_well_under_a_second() -> None:
    run = specgen("lint", str(HOSTILE / "alias_bomb.yaml"))
    line = refused(run)
    # x-a..x-e expand to 10 + 91 + 820 + 7,381 + 66,430 nodes; x-f (line 15) would add
    # 597,871: the first level past the budget of 200,000 plus the text's length.
    assert "alias_bomb.yaml:15:" in line, line
    assert "aliases expand to more than" in line
    assert run.seconds < HANG_LIMIT, run.seconds


def test_an_alias_inside_the_node_it_names_is_refused() -> None:
    line = refused(specgen("lint", str(HOSTILE / "self_alias.yaml")))
    assert "self_alias.yaml:10: alias *paths refers to a node that contains it" in line, line


def test_aliases_a_document_really_uses_stay_allowed() -> None:
    """Anchors reused many times (a shared error response) expand within the budget."""
    text = HEAD + "x-shared: &shared {type: object, properties: {code: {type: integer}}}\n"
    text += "x-uses: [" + ", ".join(["*shared"] * 500) + "]\n"
    check_yaml_limits(text, file="uses.yaml")  # no error


def test_the_alias_budget_is_the_texts_length_plus_the_allowance() -> None:
    """Each alias of a nine-item list adds ten nodes for four characters (``*a, ``): 1,000 of
    them stay within the budget; ALLOWANCE / 5 of them add 2 * ALLOWANCE nodes for 0.8 *
    ALLOWANCE characters, past ``len(text) + ALLOWANCE``."""
    anchor = "x-a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\n"
    for count, allowed in ((1000, True), (ALIAS_ALLOWANCE // 5, False)):
        text = anchor + "x-b: [" + ", ".join(["*a"] * count) + "]\n"
        if allowed:
            check_yaml_limits(text, file="a.yaml")
        else:
            with pytest.raises(SpecgenError, match="aliases expand") as error:
                check_yaml_limits(text, file="a.yaml")
            assert error.value.line == 2


@pytest.mark.parametrize("style", ["yaml", "json"])
def test_ten_thousand_levels_are_refused_fast_naming_pointer_and_line(
    tmp_path: Path, style: str
) -> None:
    levels = 10_000
    # json.dumps of the nested dict below recurses per level; the limit is restored afterwards
    # (left raised, it let later tests recurse into gigabytes before a RecursionError).
    limit = sys.getrecursionlimit()
    if style == "yaml":
        text = HEAD + "components:\n  schemas:\n    " + _nested_schema(levels) + "\n"
    else:
        inner: object = {"type": "string"}
        for _ in range(levels):
            inner = {"type": "object", "properties": {"a": inner}}
        head = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
        sys.setrecursionlimit(max(limit, 3 * levels))
        try:
            text = json.dumps({**head, "components": {"schemas": {"X": inner}}})
        finally:
            sys.setrecursionlimit(limit)
    path = tmp_path / f"deep.{style}"
    path.write_text(text, encoding="utf-8")
    run = specgen("build", str(path), "--out", str(tmp_path / "out"))
    line = refused(run)
    assert f"nested more than {MAX_DEPTH} levels deep" in line, line
    # The pointer names the place where the limit was passed: as deep as the limit allows.
    pointer = line.split(" at ", 1)[1].split(":", 1)[0]
    assert pointer.startswith("/components/schemas/X/properties/a/properties/a/"), pointer
    assert len(pointer.split("/")) - 1 == MAX_DEPTH, pointer
    assert run.seconds < HANG_LIMIT, run.seconds
    assert not (tmp_path / "out").exists()


def test_a_million_open_brackets_do_not_crash_the_interpreter(tmp_path: Path) -> None:
    """libyaml's composer recursed once per level and died (SIGSEGV) near 100,000 levels."""
    path = tmp_path / "brackets.yaml"
    path.write_text(HEAD + "x-deep: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n")
    line = refused(specgen("lint", str(path)))
    # Refused at the line that opens them: by specgen's depth limit (with the pointer), or by
    # libyaml's own nesting limit first where the installed PyYAML has one (6.0.4 does).
    assert "brackets.yaml:9" in line, line
    assert "at /x-deep/0/0/0" in line or "exceeded maximum nesting depth" in line, line


def test_nesting_at_the_limit_is_read_and_one_level_more_is_not() -> None:
    def sequence(levels: int) -> str:
        return "[" * levels + "]" * levels

    check_yaml_limits(sequence(MAX_DEPTH), file="edge.yaml")
    with pytest.raises(SpecgenError, match="levels deep"):
        check_yaml_limits(sequence(MAX_DEPTH + 1), file="edge.yaml")


def test_aliases_count_toward_depth() -> None:
    """An alias of a deep node nests it again where the alias stands."""
    half = MAX_DEPTH // 2 + 1
    text = "x-a: &a " + "[" * half + "]" * half + "\nx-b: " + "[" * half + "*a" + "]" * half
    with pytest.raises(SpecgenError, match="levels deep") as error:
        check_yaml_limits(text, file="aliased.yaml")
    assert error.value.line == 2


def test_a_document_nested_close_to_the_limit_builds_and_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit leaves room for every stage: 29 nested objects (62 YAML levels) build."""
    text = HEAD.replace('"200": {description: ok}', "")
    text += (
        '        "200":\n          description: ok\n          content:\n'
        "            application/json:\n              schema: {$ref: '#/components/schemas/X'}\n"
    )
    text += "components:\n  schemas:\n    " + _nested_schema(29) + "\n"
    path = tmp_path / "deep29.yaml"
    path.write_text(text, encoding="utf-8")
    run = specgen("build", str(path), "--out", str(tmp_path / "out"), "--package", "deep29")
    assert run.code == 0, run.stderr
    monkeypatch.syspath_prepend(str(tmp_path / "out"))
    types = importlib.import_module("deep29.types")
    value: dict[str, object] = {"a": "leaf"}
    for _ in range(28):
        value = {"a": value}
    assert types.X.model_validate(value).model_dump(exclude_none=True) == value


@pytest.mark.parametrize("length", range(1, 9))
def test_reference_cycles_of_every_length_are_recursive_models(length: int, tmp_path: Path) -> None:
    """S0 -> S1 -> ... -> S0 through properties: each schema (each its own ``s<i>`` field) is a
    model whose field refers to the next, and nothing recurses without end. Schemas alike but
    for their names describe one type: a ring of them is one model referring to itself, as
    two equal components are one model."""

    def ring(own_field: bool) -> dict[str, Any]:
        schemas = {
            f"S{i}": {
                "type": "object",
                "properties": {
                    "next": {"$ref": f"#/components/schemas/S{(i + 1) % length}"},
                    **({f"s{i}": {"type": "string"}} if own_field else {}),
                },
            }
            for i in range(length)
        }
        response = {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}
        document = {
            "openapi": "3.1.0",
            "info": {"title": "ring", "version": "1"},
            "paths": {
                "/x": {"get": {"responses": {"200": {"description": "ok", "content": response}}}}
            },
            "components": {"schemas": schemas},
        }
        path = tmp_path / "ring.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        run = specgen("ir", str(path))
        assert run.code == 0, run.stderr
        return {model["name"]: model for model in json.loads(run.stdout)["models"]}

    models = ring(own_field=True)
    assert set(models) == {f"S{i}" for i in range(length)}
    for i in range(length):
        next_field = next(f for f in models[f"S{i}"]["fields"] if f["name"] == "next")
        assert next_field["type"] == {"node": "ModelRef", "name": f"S{(i + 1) % length}"}
    alike = ring(own_field=False)
    assert list(alike) == ["S0"]
    (field,) = alike["S0"]["fields"]
    assert field["type"] == {"node": "ModelRef", "name": "S0"}


def test_reference_cycles_build_and_a_loop_of_bare_references_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lint = specgen("lint", str(HOSTILE / "ref_cycles.yaml"), "--format", "json")
    assert lint.code == 0, lint.stderr
    loops = [
        finding
        for finding in json.loads(lint.stdout)["findings"]
        if "only refers back to itself" in finding["message"]
    ]
    assert {finding["pointer"] for finding in loops} == {
        "/components/schemas/E/$ref",
        "/components/schemas/F/$ref",
    }
    assert all(finding["level"] == "warning" and finding["line"] for finding in loops)
    out = tmp_path / "out"
    build = specgen("build", str(HOSTILE / "ref_cycles.yaml"), "--out", str(out), "--package", "rc")
    assert build.code == 0, build.stderr
    monkeypatch.syspath_prepend(str(out))
    types = importlib.import_module("rc.types")
    tree = {"name": "root", "child": {"name": "leaf", "child": {"name": "deeper"}}}
    assert types.A.model_validate(tree).model_dump(exclude_none=True) == tree
    ring = {"c": {"d": {"label": "x", "b": {"c": {"d": {"label": "y"}}}}}}
    assert types.B.model_validate(ring).model_dump(exclude_none=True) == ring


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A 50 MB file: its size alone refuses it (a sparse file, so the test writes nothing)."""
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    run = specgen("lint", str(path))
    line = refused(run)
    assert line == (
        f"error: {path}: 52,428,800 bytes, more than the {MAX_SOURCE_BYTES:,} a document may "
        "have; refused"
    )
    assert run.seconds < HANG_LIMIT, run.seconds


def test_a_file_just_under_the_limit_is_read(tmp_path: Path) -> None:
    """The limit refuses only what passes it: a 1 MB description is read as any other."""
    path = tmp_path / "long.yaml"
    path.write_text(HEAD + "x-note: " + "a" * (1024 * 1024) + "\n", encoding="utf-8")
    assert specgen("lint", str(path)).code == 0


def test_non_utf8_text_is_refused_with_its_line() -> None:
    line = refused(specgen("lint", str(HOSTILE / "not_utf8.yaml")))
    assert line.endswith("not_utf8.yaml:2: not UTF-8 text (binary file?)"), line


def test_a_symbolic_link_loop_among_sources_is_refused_without_hanging(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    run = specgen("build", str(tmp_path / "a.yaml"), "--out", str(tmp_path / "out"))
    assert refused(run) == f"error: {tmp_path / 'a.yaml'}: symbolic link loop, not a document"
    assert run.seconds < HANG_LIMIT, run.seconds


def test_a_reference_through_a_symbolic_link_loop_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    finding, _seconds = _unresolved_reference_to(tmp_path, "a.yaml#/X")
    assert finding["level"] == "warning"
    assert "names no file that can be opened" in finding["message"]


def _unresolved_reference_to(folder: Path, reference: str) -> tuple[dict[str, Any], float]:
    """Lint a document in ``folder`` whose one response refers to ``reference``: the one
    unresolved-reference finding, and the seconds lint took."""
    document = HEAD.replace(
        '"200": {description: ok}',
        f"\"200\": {{description: ok, content: {{application/json: {{schema: {{$ref: '{reference}'}}}}}}}}",
    )
    (folder / "api.yaml").write_text(document, encoding="utf-8")
    run = specgen("lint", str(folder / "api.yaml"), "--format", "json")
    assert run.code == 0, run.stderr
    (finding,) = [
        f for f in json.loads(run.stdout)["findings"] if f["rule"] == "unresolved-reference"
    ]
    return finding, run.seconds


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_instead_of_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    run = specgen("lint", str(tmp_path / "pipe.yaml"))
    assert "not a regular file" in refused(run)


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file ingest opens from now on (the bundler reads through read_source)."""
    from codegen.ingest import source

    opened: list[Path] = []
    original = source.read_source

    def spy(path: Path, display: str | None = None) -> source.SourceText:
        opened.append(Path(path).resolve())
        return original(path, display)

    monkeypatch.setattr(source, "read_source", spy)
    return opened


@pytest.mark.parametrize("cwd", ["project", "/"])
def test_a_reference_that_escapes_the_project_is_a_warning_and_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cwd: str
) -> None:
    """From the project or from ``/`` (where the working directory is the whole disk), a
    ``$ref`` up and out of the document's folder opens nothing."""
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "secret.yaml").write_text("X: {type: string, description: SECRET}\n")
    document = (HOSTILE / "ref_escape.yaml").read_text(encoding="utf-8")
    document = document.replace("{$ref: '/etc/passwd#/x'}", "{$ref: '../secret.yaml#/X'}")
    (project / "api.yaml").write_text(document, encoding="utf-8")
    monkeypatch.chdir(project if cwd == "project" else "/")
    opened = _reads(monkeypatch)
    run = specgen("lint", str(project / "api.yaml"), "--format", "json")
    assert run.code == 0, run.stderr
    findings = json.loads(run.stdout)["findings"]
    escaped = {
        f["pointer"].rsplit("/", 2)[-2] for f in findings if f["rule"] == "unresolved-reference"
    }
    assert escaped == {"up", "absolute", "url"}
    assert all(f["level"] == "warning" for f in findings if f["rule"] == "unresolved-reference")
    assert "SECRET" not in run.stdout
    assert opened == [], opened


def test_limits_hold_for_the_bundled_files_of_a_document_too(tmp_path: Path) -> None:
    """A referenced local file is parsed with the same limits: its alias bomb is a warning on
    the $ref (the file cannot be read), not a hang."""
    (tmp_path / "bomb.yaml").write_text(
        (HOSTILE / "alias_bomb.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    finding, seconds = _unresolved_reference_to(tmp_path, "bomb.yaml#/x-i")
    assert "aliases expand to more than" in finding["message"]
    assert seconds < HANG_LIMIT, seconds


def test_a_path_template_with_a_brace_never_closed_is_quarantined(tmp_path: Path) -> None:
    """The validator's own template parser raised ValueError on it: an internal error, exit 70.
    The path item moves to quarantine with a warning at its line; the rest builds."""
    source = tmp_path / "brace.yaml"
    source.write_text(
        HEAD
        + "  /items/{id:\n    get:\n      responses:\n        '200': {description: ok}\n"
        + "  /ok:\n    get:\n      responses:\n        '200': {description: ok}\n",
        encoding="utf-8",
    )
    run = specgen("build", str(source), "--out", str(tmp_path / "out"), "--package", "p")
    assert run.code == 0, run.stderr
    repairs = (tmp_path / "out" / "p" / "REPAIRS.md").read_text(encoding="utf-8")
    warning = next(line for line in repairs.splitlines() if "quarantined-node" in line)
    assert "/paths/~1items~1{id (" in warning and warning.split(")")[0].endswith("brace.yaml:9")
    served = (tmp_path / "out" / "p" / "openapi.yaml").read_text(encoding="utf-8")
    assert "  /ok:" in served and "{id" not in served


def test_a_document_whose_every_operation_is_quarantined_is_refused_in_one_line(
    tmp_path: Path,
) -> None:
    """It said "the API has no vendor" with exit 1; it is unreadable input, said as such."""
    source = tmp_path / "brace_only.yaml"
    source.write_text(
        'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths:\n'
        "  /items/{id:\n    get:\n      responses:\n        '200': {description: ok}\n",
        encoding="utf-8",
    )
    line = refused(specgen("build", str(source), "--out", str(tmp_path / "out")))
    assert "brace_only.yaml:3" in line
    assert "no operations (its paths are empty once quarantined nodes are left out)" in line
    assert not (tmp_path / "out").exists()
