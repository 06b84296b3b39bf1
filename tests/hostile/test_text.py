"""Hostile text (tests/hostile/hostile_text.json, plus a 1 MB description added here): triple
quotes of both kinds, backslashes, Jinja syntax, NUL and control characters, bidi overrides, line
separators, code that would run if a string ended early. Docstrings stay inert and hold exactly the
sanitised text; no template syntax from the document is evaluated; string literals (defaults, enum
values) keep the vendor's value byte for byte.
"""

from __future__ import annotations

import ast
import io
import itertools
import json
import time
import tokenize
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from codegen.render.docs import clean_text, docstring

from ._run import HOSTILE, assert_ruff_and_mypy_clean, imported, specgen

PACKAGE = "hostile_text_pkg"
ROOT = Path(__file__).resolve().parents[2]
DOCUMENT: dict[str, Any] = json.loads((HOSTILE / "hostile_text.json").read_text(encoding="utf-8"))
ITEM = DOCUMENT["components"]["schemas"]["Item"]
EVIL = ITEM["description"]
MARKER = "injected code ran"
LONG = ("A long description line, with words and {{ braces }}. " * 20 + "\n\n") * 1000
# Characters no docstring may hold: C0/C1 controls but \n, bidi controls, line separators, the
# zero-width space.
FORBIDDEN = {chr(c) for c in [*range(0, 9), *range(11, 32), *range(0x7F, 0xA0)]} | set(
    "\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    folder = tmp_path_factory.mktemp("text")
    document = json.loads(json.dumps(DOCUMENT))
    document["components"]["schemas"]["Item"]["properties"]["long"]["description"] = LONG
    source = folder / "hostile_text.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    assert len(source.read_bytes()) > 1_000_000
    started = time.perf_counter()
    run = specgen("build", str(source), "--out", str(folder / "out"), "--package", PACKAGE)
    seconds = time.perf_counter() - started
    assert run.code == 0, run.stderr
    return folder / "out", seconds


@pytest.fixture(scope="module")
def package(built: tuple[Path, float]) -> Iterator[ModuleType]:
    with imported(built[0], PACKAGE) as module:
        yield module


def _python_files(built: tuple[Path, float]) -> list[Path]:
    return sorted((built[0] / PACKAGE).rglob("*.py"))


def _docstrings(tree: ast.Module) -> list[str]:
    """Module, class and function docstrings, and attribute docstrings (a string statement
    under a field)."""
    found: list[str] = []
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for statement in body:
            if (
                isinstance(statement, ast.Expr)
                and isinstance(statement.value, ast.Constant)
                and isinstance(statement.value.value, str)
            ):
                found.append(statement.value.value)
    return found


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_package_imports_and_no_injected_code_runs(
    package: ModuleType, built: tuple[Path, float]
) -> None:
    """Importing runs every module body: a string ended early would have raised SystemExit.
    The payloads (after three double quotes, after three single quotes) are docstring text."""
    assert "inject" in package.types.Item.model_fields
    docstrings = [
        _words(text)
        for path in _python_files(built)
        for text in _docstrings(ast.parse(path.read_text(encoding="utf-8")))
    ]
    double = _words(ITEM["properties"]["inject"]["description"])
    single = _words(ITEM["properties"]["single"]["description"])
    assert any(double in docstring for docstring in docstrings), double
    assert any(single in docstring for docstring in docstrings), single


def test_injected_text_is_only_ever_inside_string_tokens(built: tuple[Path, float]) -> None:
    for path in _python_files(built):
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        for token in tokens:
            if MARKER in token.string:
                assert token.type == tokenize.STRING, (path.name, token)


def test_no_docstring_holds_a_control_or_bidi_character(built: tuple[Path, float]) -> None:
    for path in _python_files(built):
        source = path.read_text(encoding="utf-8")
        for text in _docstrings(ast.parse(source)):
            assert not FORBIDDEN & set(text), (path.name, text[:80])


def test_docstrings_hold_the_sanitised_text_with_templates_unevaluated(
    package: ModuleType,
) -> None:
    """The model's docstring is the vendor's description as clean_text leaves it (controls and
    bidi characters out), rewrapped: same words, quotes and backslashes as written, and the
    Jinja syntax still there as text."""
    expected = clean_text(EVIL)
    assert expected is not None
    doc = package.types.Item.__doc__
    assert _words(doc) == _words(expected)
    for kept in ('"""triple"""', "'''single'''", "{{ 7*7 }}", "{% if x %}", "{# c #}", "end\\"):
        assert kept in doc, kept
    assert "49" not in doc


def test_a_field_docstring_keeps_a_megabyte_of_text(built: tuple[Path, float]) -> None:
    """The 1 MB description is the field's docstring, word for word, built in bounded time."""
    out, seconds = built
    tree = ast.parse((out / PACKAGE / "types.py").read_text(encoding="utf-8"))
    item = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Item")
    statements = item.body
    index = next(
        i
        for i, s in enumerate(statements)
        if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name) and s.target.id == "long"
    )
    docstring = statements[index + 1]
    assert isinstance(docstring, ast.Expr) and isinstance(docstring.value, ast.Constant)
    assert _words(docstring.value.value) == _words(LONG)
    assert seconds < 60, seconds


def test_string_literals_keep_the_exact_wire_values(package: ModuleType) -> None:
    """Defaults and enum values are data, not prose: every character stays, escaped in source
    (so a bidi override or a NUL cannot reorder or cut the line) and equal at run time."""
    name = package.types.Item.model_fields["name"]
    literals = {
        arg
        for member in typing.get_args(name.annotation)
        if typing.get_origin(member) is typing.Literal
        for arg in typing.get_args(member)
    }
    assert set(ITEM["properties"]["name"]["enum"]) <= literals
    assert EVIL in literals  # with its NUL, ESC, bidi overrides and line separators


def test_a_bidi_override_in_a_value_is_escaped_in_the_source(built: tuple[Path, float]) -> None:
    for path in _python_files(built):
        text = path.read_text(encoding="utf-8")
        assert "\u202e" not in text, path.name
        assert "\x00" not in text, path.name
    assert "\\u202e" in (built[0] / PACKAGE / "types.py").read_text(encoding="utf-8")


def test_a_path_in_a_template_docstring_is_escaped(built: tuple[Path, float]) -> None:
    """A path sits in the server's docstrings as text on one line: its quotes, braces and
    backslash read back as the document wrote them."""
    (path,) = [p for p in DOCUMENT["paths"] if p.startswith("/route")]
    server = (built[0] / PACKAGE / "server.py").read_text(encoding="utf-8")
    docstrings = _docstrings(ast.parse(server))
    assert any(d.startswith(f"`GET {path}`, served by") for d in docstrings), path


def test_ruff_and_mypy_strict_pass_on_the_package(
    built: tuple[Path, float], tmp_path: Path
) -> None:
    assert_ruff_and_mypy_clean(built[0] / PACKAGE, tmp_path)


def test_every_short_text_of_quotes_backslashes_and_newlines_is_a_valid_docstring() -> None:
    """All 5,460 texts of up to six characters from ``"``, ``\\``, ``a`` and a newline: each
    docstring parses and reads back as the text (up to rewrapping). Text ending in three quotes
    once ended the string early (found by tests/fuzz)."""
    alphabet = ['"', "\\", "a", "\n"]
    for length in range(1, 7):
        for letters in itertools.product(alphabet, repeat=length):
            text = "".join(letters)
            for indent in (0, 4):
                source = docstring(text, indent)
                assert _words(ast.literal_eval(source)) == _words(text), (text, source)
