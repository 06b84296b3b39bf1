"""The package root exports its public surface through `__all__`, and every public module has one."""

from __future__ import annotations

import importlib
import inspect
from types import ModuleType

import pydantic
import pytest

from ._documents import GENERATED, PACKAGE

CLIENTS = ["Client", "AsyncClient"]
STREAMS = ["Stream", "AsyncStream"]
RESULTS = ["ChatCompletion", "ChatCompletionChunk", "APIResponse"]
STATUS_ERRORS = {
    "BadRequestError": 400,
    "AuthenticationError": 401,
    "PermissionDeniedError": 403,
    "NotFoundError": 404,
    "ConflictError": 409,
    "UnprocessableEntityError": 422,
    "RateLimitError": 429,
    "InternalServerError": 500,
}
OTHER_ERRORS = [
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "APIStatusError",
    "APIInBodyError",
    "APIStreamError",
    "APIResponseValidationError",
    "MissingAPIKeyError",
]
# SiliconStorm's documented in-body error codes, one class each.
IN_BODY_ERRORS = {
    "InsufficientBalanceError": 701,
    "AuthorizationNotPassedError": 702,
    "ApikeyError": 801,
    "RequestTimeoutError": 802,
    "ModelResponseExceptionError": 9999,
}
REQUEST_MODELS = [
    "CreateChatCompletionRequest",
    "SystemMessage",
    "UserMessage",
    "AssistantMessage",
    "ToolMessage",
    "TextContent",
    "ImageUrlContent",
    "Tool",
    "ResponseFormat",
    "StreamOptions",
]
ALIASES = ["Message"]
VENDOR_NAMES = ["VENDORS", "VendorName", "VendorProfile"]

EXPECTED = [
    *CLIENTS,
    *STREAMS,
    *RESULTS,
    *STATUS_ERRORS,
    *OTHER_ERRORS,
    *IN_BODY_ERRORS,
    *REQUEST_MODELS,
    *ALIASES,
    *VENDOR_NAMES,
]


@pytest.mark.parametrize("name", EXPECTED)
def test_root_exports_name(api: ModuleType, name: str) -> None:
    """Each public name is importable from the root and listed in its `__all__`."""
    assert name in api.__all__
    assert getattr(api, name) is not None


def test_all_is_unique_public_and_star_importable(api: ModuleType) -> None:
    """`__all__` holds no duplicate, no name the module lacks, and no private name."""
    assert len(set(api.__all__)) == len(api.__all__)
    for name in api.__all__:
        assert hasattr(api, name), name
        assert not name.startswith("_"), name
    namespace: dict[str, object] = {}
    # `from chat_api import *` is how a user sees `__all__`: run exactly that.
    exec(f"from {PACKAGE} import *", namespace)
    assert set(api.__all__) <= set(namespace)


def test_every_public_module_declares_all(api: ModuleType) -> None:
    """Each module of the package (private ones and the FastAPI server too) lists its exports
    in `__all__`."""
    package_dir = GENERATED / PACKAGE
    for path in sorted(package_dir.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        relative = path.relative_to(package_dir).with_suffix("")
        parts = [part for part in relative.parts if part != "__init__"]
        module = importlib.import_module(".".join([PACKAGE, *parts]))
        assert isinstance(getattr(module, "__all__", None), list), module.__name__


def test_exported_classes_have_the_documented_kinds(api: ModuleType) -> None:
    """Errors derive from APIError (status and in-body ones from APIStatusError), models are
    pydantic models, clients carry the `chat.completions` resource."""
    for name in [*STATUS_ERRORS, *OTHER_ERRORS, *IN_BODY_ERRORS]:
        assert issubclass(getattr(api, name), api.APIError), name
    for name in STATUS_ERRORS:
        assert issubclass(getattr(api, name), api.APIStatusError), name
    for name, code in IN_BODY_ERRORS.items():
        error_class = getattr(api, name)
        assert issubclass(error_class, api.APIInBodyError), name
        assert error_class.code == code, name
    assert issubclass(api.APITimeoutError, api.APIConnectionError)
    for name in [*REQUEST_MODELS, "ChatCompletion", "ChatCompletionChunk"]:
        assert issubclass(getattr(api, name), pydantic.BaseModel), name
    for name in CLIENTS:
        assert inspect.isclass(getattr(api, name))
        assert "chat" in dir(getattr(api, name))
    assert set(api.VENDORS) == {"deepseek", "oxen", "siliconstorm", "solidrust"}
