"""A YAML value its tag cannot make (``!!int abc``), a value JSON cannot hold (``!!binary``,
``!!timestamp``, ``!!set``) and a key that is not a scalar: one located error on both reading
paths and from every YAML reader of ingest, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.errors import SpecgenError
from codegen.ingest import ingest_text, yaml_lines
from codegen.ingest.source import SourceText
from tests.ingest.test_yaml_values import _general_path_only

HEAD = "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\n  x-value: "
"""The value under test starts on line 5, column 12 of the document (line 7 once read from line 3)."""

REFUSED = {
    "!!int abc": "'abc' is not a valid !!int",
    "!!float x": "'x' is not a valid !!float",
    "!!bool maybe": "'maybe' is not a valid !!bool",
    "!!timestamp nope": "!!timestamp makes a date, which a JSON document cannot hold;"
    " write it as a string",
    "!!timestamp 2024-01-01": "!!timestamp makes a date, which a JSON document cannot hold;"
    " write it as a string",
    "!!binary '@@@'": "!!binary makes bytes, which a JSON document cannot hold;"
    " write the base64 text as a string",
    "!!binary aGk=": "!!binary makes bytes, which a JSON document cannot hold;"
    " write the base64 text as a string",
    "!!set {a, b}": "!!set makes a set, which a JSON document cannot hold; write it as a sequence",
    "1" + "0" * 5000: f"'{'1' + '0' * 39}…' is not a valid !!int (more than"
    f" {sys.get_int_max_str_digits()} digits)",
    "!!int " + "7" * 5000: f"'{'7' * 40}…' is not a valid !!int (more than"
    f" {sys.get_int_max_str_digits()} digits)",
    "0x" + "f" * 4000: f"'0x{'f' * 38}…' is not a valid !!int (more than"
    f" {sys.get_int_max_str_digits()} digits)",  # made by int(), too long for str()
    "!!map x": "'x' is not a valid !!map",
    "{[a, b]: 1}": "a mapping key must be a scalar, not a sequence",
    "{{a: 1}: 1}": "a mapping key must be a scalar, not a mapping",
}


def _error(text: str) -> SpecgenError:
    with pytest.raises(SpecgenError) as caught:
        yaml_lines.parse_with_lines(text, file="doc.yaml", first_line=3)
    return caught.value


@pytest.mark.parametrize("value", sorted(REFUSED), ids=lambda value: value[:20])
def test_a_value_yaml_cannot_make_is_one_located_error_on_both_paths(value: str) -> None:
    text = HEAD + value + "\npaths: {}\n"
    fast = _error(text)
    with _general_path_only():
        slow = _error(text)
    column = 13 if value.startswith("{") else 12  # a flow mapping's key starts after its brace
    assert str(fast) == str(slow) == f"doc.yaml:7:{column}: {REFUSED[value]}"
    assert (fast.line, fast.column) == (7, column)


def test_the_error_names_the_first_bad_value_in_document_order_under_an_alias() -> None:
    """A bad value reached twice (through an alias) is reported once, where it is written."""
    text = "a: &x {b: !!bool maybe}\nc: [*x, *x]\n"
    for paths in (lambda: _error(text), lambda: _general(text)):
        error = paths()
        assert (error.line, error.column, error.message) == (3, 11, "'maybe' is not a valid !!bool")


def _general(text: str) -> SpecgenError:
    with _general_path_only():
        return _error(text)


def test_values_json_holds_still_read() -> None:
    """The guard refuses nothing the JSON schema tags make, explicit tags included."""
    text = "a: !!int '7'\nb: !!float '1.5'\nc: !!bool 'yes'\nd: !!null ''\ne: !!str 12\n"
    data = yaml_lines.parse_with_lines(text, file="doc.yaml").data
    assert data == {"a": 7, "b": 1.5, "c": True, "d": None, "e": "12"}


FENCED_PAGE = """# Create a completion

POST /v1/completions

```yaml
- name: model
  type: !!int abc
  description: The model.
```
"""

FRONT_MATTER_PAGE = """---
title: !!int abc
---
# Create a completion

POST /v1/completions

| name | type | description |
| --- | --- | --- |
| model | string | The model. |
"""


def test_front_matter_that_cannot_be_made_is_read_as_none() -> None:
    """A docs page's front matter is optional evidence: one that cannot be made is skipped like
    one with a syntax error, and the page's table still gives its operation."""
    document = ingest_text(SourceText.of("page.md", FRONT_MATTER_PAGE))
    assert list(document.openapi["paths"]) == ["/v1/completions"]
    assert document.openapi["info"]["title"] != "abc"


def test_a_parameter_fence_that_cannot_be_made_is_skipped() -> None:
    """A YAML parameter fence that cannot be made is no fence of parameters: the page then has
    none, which is its one-line refusal (not a ValueError)."""
    with pytest.raises(SpecgenError, match="no request parameters for any operation"):
        ingest_text(SourceText.of("page.md", FENCED_PAGE))
    readable = FENCED_PAGE.replace("!!int abc", "string")
    document = ingest_text(SourceText.of("page.md", readable))
    assert list(document.openapi["paths"]) == ["/v1/completions"]


def _document(value: str) -> str:
    return (
        "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n"
        f"          x-value: {value}\n"
    )


@pytest.mark.parametrize("value", ["!!int abc", "!!binary aGk=", "{[a]: 1}"])
def test_the_cli_refuses_it_in_one_line_and_writes_nothing(value: str, tmp_path: Path) -> None:
    """The installed program end to end (its own process ending included): exit 2, one line."""
    (tmp_path / "vendor.yaml").write_text(_document(value), encoding="utf-8")
    env = {**os.environ, "SPECGEN_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("SPECGEN_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-c", "from codegen.cli import run; run()", "build", "vendor.yaml",
         "--out", "gen"],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    column = 21 if value.startswith("{") else 20
    assert errors == [f"error: vendor.yaml:11:{column}: {_message(value)}"], done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert done.stdout == ""
    assert not (tmp_path / "gen").exists()


def _message(value: str) -> str:
    messages = {
        "!!int abc": REFUSED["!!int abc"],
        "!!binary aGk=": REFUSED["!!binary aGk="],
        "{[a]: 1}": "a mapping key must be a scalar, not a sequence",
    }
    return messages[value]
