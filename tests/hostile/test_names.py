"""Hostile names (tests/hostile/hostile_names.json): keywords, soft keywords, builtins, dunders,
pydantic's attributes, names equal after sanitising (``a-b``/``a_b``/``A B``) or but for case,
digits first, unicode and confusables, empty and 1,000-character names, as properties, schemas,
operation ids, parameters, enum values, tags and paths. Each gets a distinct, valid, stable
identifier, the package is ruff- and mypy-clean, and every wire name goes out and comes back exact.
"""

from __future__ import annotations

import functools
import inspect
import json
import keyword
import os
import re
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest

from codegen.render.names import MAX_IDENTIFIER

from ._run import HOSTILE, assert_ruff_and_mypy_clean, imported, specgen

DOCUMENT = json.loads((HOSTILE / "hostile_names.json").read_text(encoding="utf-8"))
SCHEMAS = DOCUMENT["components"]["schemas"]
PACKAGE = "hostile_names_pkg"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("names")
    run = specgen(
        "build", str(HOSTILE / "hostile_names.json"), "--out", str(out), "--package", PACKAGE
    )
    assert run.code == 0, run.stderr
    return out


@pytest.fixture(scope="module")
def package(built: Path) -> Iterator[ModuleType]:
    with imported(built, PACKAGE) as module:
        yield module


def _is_clean_identifier(name: str) -> bool:
    return (
        name.isascii()
        and name.isidentifier()
        and not keyword.iskeyword(name)
        and len(name) <= MAX_IDENTIFIER
    )


def test_ruff_and_mypy_strict_pass_on_the_package(built: Path, tmp_path: Path) -> None:
    assert_ruff_and_mypy_clean(built / PACKAGE, tmp_path)


def test_every_property_gets_a_distinct_clean_attribute_and_round_trips(
    package: ModuleType,
) -> None:
    model = package.types.Everything
    wire_names = list(SCHEMAS["Everything"]["properties"])
    by_wire = {
        name if field.validation_alias is None else field.validation_alias: name
        for name, field in model.model_fields.items()
    }
    assert sorted(by_wire) == sorted(wire_names), "every wire name is a field, exactly"
    attributes = list(by_wire.values())
    assert len(set(attributes)) == len(attributes)
    reserved = set(dir(pydantic.BaseModel))
    for attribute in attributes:
        assert _is_clean_identifier(attribute), attribute
        assert attribute not in reserved, attribute
        assert not attribute.startswith("_"), attribute  # pydantic treats those as private
    body = {wire: f"value {index}" for index, wire in enumerate(wire_names)}
    parsed = model.model_validate(body)
    assert parsed.model_dump(by_alias=True, exclude_none=True) == body
    assert json.loads(parsed.model_dump_json(by_alias=True, exclude_none=True)) == body
    # The attribute holds the value sent under its wire name: nothing swapped by sanitising.
    for wire, attribute in by_wire.items():
        assert getattr(parsed, attribute) == body[wire], (wire, attribute)


def test_every_schema_gets_a_class_with_a_clean_name(package: ModuleType) -> None:
    """Each hostile schema name (described ``schema <n>``) is a model class under a clean name;
    none takes a name the module imports (a schema called ``BaseModel`` or ``Field``)."""
    classes = {
        name: value
        for name, value in vars(package.types).items()
        if isinstance(value, type) and issubclass(value, pydantic.BaseModel)
    }
    for index, schema in enumerate(SCHEMAS):
        if SCHEMAS[schema].get("description") != f"schema {index}":
            continue
        owners = [name for name, cls in classes.items() if cls.__doc__ == f"schema {index}"]
        assert owners, schema
        assert all(_is_clean_identifier(owner) for owner in owners), owners
    assert "BaseModel" not in classes
    assert package.server.BaseModel is pydantic.BaseModel


def test_enum_values_stay_exact(package: ModuleType) -> None:
    """Every hostile enum value (empty, keywords, unicode, 1,000 characters) validates as
    itself and is one of the Literal's values, unchanged."""
    values = SCHEMAS["Choice"]["enum"]
    catalog = package.types.Catalog
    (wire,) = [
        name
        for name, ref in SCHEMAS["Catalog"]["properties"].items()
        if ref["$ref"].endswith("/Choice")
    ]
    for value in values:
        assert getattr(catalog.model_validate({wire: value}), wire) == value
    annotation = catalog.model_fields[wire].annotation
    literals = {
        arg
        for member in typing.get_args(annotation)
        if typing.get_origin(member) is typing.Literal
        for arg in typing.get_args(member)
    }
    assert literals == set(values)


def _operations() -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in DOCUMENT["paths"].items()
        for method, operation in item.items()
    }


def _template(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^{}]+\})", path)
    return re.compile(
        # A path parameter's segment is a value the test passed: ``v-<argument>``.
        "".join("v-[^/]+" if part.startswith("{") else re.escape(part) for part in parts) + "$"
    )


def _client_methods(client: Any) -> list[tuple[str, Any]]:
    """(dotted name, bound method) of every operation method of the client's resources."""
    found: list[tuple[str, Any]] = []
    pending = [
        (name, getattr(client, name))
        for name, member in vars(type(client)).items()
        if isinstance(member, functools.cached_property) and name != "with_raw_response"
    ]
    while pending:
        name, resource = pending.pop()
        for attribute, member in vars(type(resource)).items():
            if attribute.startswith("_"):
                continue
            if isinstance(member, functools.cached_property):
                pending.append((f"{name}.{attribute}", getattr(resource, attribute)))
            elif inspect.isfunction(member):
                found.append((f"{name}.{attribute}", getattr(resource, attribute)))
    return found


def test_every_operation_sends_its_exact_wire_names(package: ModuleType) -> None:
    """Each client method, called with every argument, sends the document's path, query and
    header names byte for byte, whatever its Python spelling."""
    sent: list[httpx.Request] = []
    everything = {wire: "x" for wire in SCHEMAS["Everything"]["properties"]}

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=everything)

    client = package.Client(
        vendor="hostile_names",
        api_key="key",
        base_url="http://test.invalid",
        http_client=httpx.Client(transport=httpx.MockTransport(answer)),
    )
    methods = _client_methods(client)
    operations = _operations()
    assert len(methods) == len(operations)
    matched: set[tuple[str, str]] = set()
    for dotted, method in methods:
        arguments: dict[str, Any] = {}
        positional: list[str] = []
        for name, parameter in inspect.signature(method).parameters.items():
            if name in {"extra_headers", "extra_query", "extra_body", "timeout", "max_retries"}:
                continue  # the client's own options: a parameter of that name is spelt apart
            assert _is_clean_identifier(name), (dotted, name)
            value = f"v-{name}"
            if parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
                positional.append(value)
            elif name == "body" or "Body" in str(parameter.annotation):
                arguments[name] = {}
            else:
                arguments[name] = value
        sent.clear()
        try:
            method(*positional, **arguments)
        except pydantic.ValidationError:
            method(*positional, **{k: v for k, v in arguments.items() if v != {}})
        request = sent[-1]
        path = httpx.URL(str(request.url)).path
        (key,) = [
            key for key in operations if key[0] == request.method and _template(key[1]).match(path)
        ]
        matched.add(key)
        declared = operations[key].get("parameters", [])
        query_names = {p["name"] for p in declared if p["in"] == "query"}
        assert set(request.url.params.keys()) == query_names, dotted
        for parameter in declared:
            if parameter["in"] == "header":
                assert parameter["name"].lower() in request.headers, (dotted, parameter["name"])
    assert matched == set(operations)


def test_names_are_stable_across_builds_and_hash_seeds(built: Path, tmp_path: Path) -> None:
    """A second build in another process, under another PYTHONHASHSEED, writes the same bytes."""
    out = tmp_path / "again"
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    process = subprocess.run(
        [sys.executable, "-m", "codegen.cli", "build", str(HOSTILE / "hostile_names.json"),
         "--out", str(out), "--package", PACKAGE],
        capture_output=True, text=True, check=False, env=environment, cwd=ROOT,
    )  # fmt: skip
    assert process.returncode == 0, process.stderr

    def files(root: Path) -> dict[str, bytes]:
        return {
            str(path.relative_to(root)): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts
        }

    assert files(out / PACKAGE) == files(built / PACKAGE)


@pytest.mark.parametrize("name", ["a b", "class", "1st", "", "café-api"])
def test_a_package_name_that_is_not_an_identifier_is_refused(name: str, tmp_path: Path) -> None:
    """The package's own name is the one the user chose: refused, not changed behind their back."""
    run = specgen(
        "build", str(HOSTILE / "ref_cycles.yaml"), "--out", str(tmp_path), "--package", name
    )
    assert run.code == 1, run.stderr
    assert run.errors == [f"error: --package: package name {name!r} is not a Python identifier"]
    assert list(tmp_path.iterdir()) == []


def test_long_names_that_share_their_start_stay_distinct_and_bounded() -> None:
    """Cut at MAX_IDENTIFIER characters, a name ends in a hash of all of it: two 1,000-character
    names that differ only at the end give two names, the same ones every time."""
    from codegen.render.names import class_name, field_name, snake_case

    first, second = "x" * 999 + "a", "x" * 999 + "b"
    for make in (class_name, field_name, snake_case):
        names = {make(first), make(second), make("1" + first)}
        assert len(names) == 3, make
        assert all(len(name) <= MAX_IDENTIFIER and _is_clean_identifier(name) for name in names)
        assert make(first) == make(first)
