"""The runtime as vendored code: allowed imports, module conventions, sentinel and option types."""

from __future__ import annotations

import ast
import copy
import dataclasses
import pickle
import sys
from pathlib import Path
from types import ModuleType

import httpx
import pytest

RUNTIME_DIR = Path(__file__).resolve().parents[2] / "templates" / "runtime"
# The server modules (_server*.py) also import FastAPI; tests/server_runtime checks them.
SOURCES = sorted(p for p in RUNTIME_DIR.glob("*.py") if not p.name.startswith("_server"))
ALLOWED_THIRD_PARTY = {"httpx", "pydantic", "typing_extensions"}


def test_runtime_modules_present() -> None:
    """The client runtime modules the generated code imports exist."""
    assert {path.name for path in SOURCES} == {
        "_base_client.py",
        "_exceptions.py",
        "_files.py",
        "_pagination.py",
        "_response.py",
        "_streaming.py",
        "_types.py",
    }


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_imports_only_stdlib_allowed_packages_and_siblings(path: Path) -> None:
    """A runtime module imports the stdlib, httpx, pydantic, typing_extensions or a sibling."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots = [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                assert node.level == 1 and (RUNTIME_DIR / f"{node.module}.py").exists(), node.module
                continue
            roots = [(node.module or "").split(".")[0]]
        else:
            continue
        for root in roots:
            assert root in sys.stdlib_module_names or root in ALLOWED_THIRD_PARTY, root


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_module_docstring_is_one_line_and_all_is_complete(rt: ModuleType, path: Path) -> None:
    """Each module opens with a one-line docstring and lists existing public names in __all__."""
    module = getattr(rt, path.stem)
    assert module.__doc__ and "\n" not in module.__doc__.strip()
    for name in module.__all__:
        assert hasattr(module, name), name
    public = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and getattr(value, "__module__", None) == module.__name__
        and isinstance(value, type)
    }
    assert public <= set(module.__all__)


def test_not_given_is_falsy_singleton_with_repr(rt: ModuleType) -> None:
    """NOT_GIVEN is falsy, prints as NOT_GIVEN, differs from None and survives copy/pickle."""
    types = rt._types
    assert not types.NOT_GIVEN
    assert repr(types.NOT_GIVEN) == "NOT_GIVEN"
    assert types.NOT_GIVEN is not None
    assert types.NotGiven() is types.NOT_GIVEN
    assert copy.deepcopy(types.NOT_GIVEN) is types.NOT_GIVEN
    assert pickle.loads(pickle.dumps(types.NOT_GIVEN)) is types.NOT_GIVEN


def test_is_given(rt: ModuleType) -> None:
    """is_given is False only for NOT_GIVEN; None and falsy values count as given."""
    types = rt._types
    assert not types.is_given(types.NOT_GIVEN)
    for value in (None, 0, "", False, []):
        assert types.is_given(value)


def test_request_options_defaults_and_frozen(rt: ModuleType) -> None:
    """RequestOptions defaults to no extras and NOT_GIVEN overrides, and cannot be mutated."""
    options = rt._types.RequestOptions()
    assert (options.extra_headers, options.extra_query, options.extra_body) == (None, None, None)
    assert options.timeout is rt._types.NOT_GIVEN
    assert options.max_retries is rt._types.NOT_GIVEN
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.timeout = 1.0


def test_vendor_profile_frozen_with_empty_defaults(rt: ModuleType) -> None:
    """VendorProfile is frozen; optional parts default to no auth and no extras."""
    profile = rt._base_client.VendorProfile(name="v", base_url="https://v.test")
    assert (profile.api_key_env, profile.auth_header, profile.auth_scheme) == (None, None, None)
    assert dict(profile.required_fields) == {}
    assert dict(profile.in_body_errors) == {}
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.name = "w"


def test_api_response_repr_and_text(rt: ModuleType) -> None:
    """APIResponse exposes the text, bytes and request of the underlying response."""
    request = httpx.Request("GET", "https://v.test/x")
    response = httpx.Response(200, text="hi", request=request)
    raw = rt._response.APIResponse(response, lambda: "parsed")
    assert (raw.text, raw.content, raw.request) == ("hi", b"hi", request)
    assert repr(raw) == "<APIResponse [200] GET https://v.test/x>"


def test_missing_key_error_attributes(rt: ModuleType) -> None:
    """MissingAPIKeyError keeps the vendor and variable and has no request."""
    error = rt._exceptions.MissingAPIKeyError("acme", "ACME_API_KEY")
    assert (error.vendor, error.env_var, error.request) == ("acme", "ACME_API_KEY", None)
