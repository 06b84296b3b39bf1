"""Errors a server handler raises, the OpenAI-style error body, and vendors' in-body error mode."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import pydantic

__all__ = [
    "AuthenticationFailed",
    "BadRequest",
    "ErrorObject",
    "ErrorResponse",
    "HTTPError",
    "InBodyErrors",
    "InternalServerFailure",
    "NotFound",
    "NotImplementedFailure",
    "PermissionDenied",
    "RateLimited",
    "UnprocessableEntity",
]

# The `type` strings the OpenAI API puts in its error bodies, so OpenAI-style clients that branch
# on them keep working against this server.
_ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    409: "conflict_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
}


def _default_error_type(status: int) -> str:
    """The OpenAI-style error `type` for an HTTP status."""
    if status >= 500:
        return "server_error"
    return _ERROR_TYPES.get(status, "invalid_request_error")


class ErrorObject(pydantic.BaseModel):
    """The `error` member of an error response."""

    message: str
    """What went wrong, for a human reader."""
    type: str
    """Error category, e.g. "invalid_request_error", "rate_limit_error", "server_error"."""
    param: str | None = None
    """The request parameter the error is about, e.g. "messages[0].role", when there is one."""
    code: str | int | None = None
    """A machine-readable error code, when there is one."""


class ErrorResponse(pydantic.BaseModel):
    """The body of every error the server answers in the OpenAI style."""

    error: ErrorObject


class HTTPError(Exception):
    """Raise from a handler to answer with an HTTP error status and an OpenAI-style error body.

    `HTTPError(402, "Insufficient balance", code=701)` answers 402 with
    `{"error": {"message": "Insufficient balance", "type": "invalid_request_error", "param": null,
    "code": 701}}`; `headers` (e.g. Retry-After) are sent with the error response.
    """

    status_code: int
    message: str
    type: str
    param: str | None
    code: str | int | None
    headers: dict[str, str]

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str | None = None,
        param: str | None = None,
        code: str | int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        if not 400 <= status <= 599:
            raise ValueError(f"an HTTP error status is 400 to 599, not {status}")
        super().__init__(message)
        self.status_code = status
        self.message = message
        self.type = type if type is not None else _default_error_type(status)
        self.param = param
        self.code = code
        self.headers = dict(headers or {})

    def to_response(self) -> ErrorResponse:
        """The OpenAI-style error body."""
        return ErrorResponse(
            error=ErrorObject(
                message=self.message, type=self.type, param=self.param, code=self.code
            )
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.status_code}, {self.message!r})"


class _FixedStatusError(HTTPError):
    """An HTTPError whose status is given by the class, so callers pass only the message."""

    status: ClassVar[int]

    def __init__(
        self,
        message: str,
        *,
        type: str | None = None,
        param: str | None = None,
        code: str | int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            self.status, message, type=type, param=param, code=code, headers=headers
        )


class BadRequest(_FixedStatusError):
    """HTTP 400: the request is invalid."""

    status = 400


class AuthenticationFailed(_FixedStatusError):
    """HTTP 401: missing or invalid credentials."""

    status = 401


class PermissionDenied(_FixedStatusError):
    """HTTP 403: the credentials do not allow this request."""

    status = 403


class NotFound(_FixedStatusError):
    """HTTP 404: the model or resource does not exist."""

    status = 404


class UnprocessableEntity(_FixedStatusError):
    """HTTP 422: the request is well-formed but cannot be processed."""

    status = 422


class RateLimited(_FixedStatusError):
    """HTTP 429: too many requests or tokens; add a Retry-After header when you know the wait."""

    status = 429


class InternalServerFailure(_FixedStatusError):
    """HTTP 500: the server failed; the message is sent to the caller as given."""

    status = 500


class NotImplementedFailure(_FixedStatusError):
    """HTTP 501: this server does not implement the operation.

    Answered for an operation mounted without a handler and for a handler that raises
    NotImplementedError, so a partial server says which operations it lacks instead of failing.
    """

    status = 501

    def __init__(
        self,
        message: str,
        *,
        type: str | None = "not_implemented",
        param: str | None = None,
        code: str | int | None = "not_implemented",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message, type=type, param=param, code=code, headers=headers)


def _code_key(code: object) -> str | None:
    # Vendors are loose about the JSON type of their codes: 701 and "701" are the same code.
    # bool is an int subclass and `true` is no error code.
    if isinstance(code, bool) or not isinstance(code, int | str):
        return None
    return str(code).strip()


@dataclass(frozen=True)
class InBodyErrors:
    """A vendor's catalogue of error codes it reports with HTTP 200 and `{"code", "message"}`.

    Given to the `Mount` of that vendor's prefix, it makes an error whose `code` is in the
    catalogue (or whose status `status_codes` maps to one) answer the way that vendor does, so
    the vendor's own clients see the error they expect; other errors keep the OpenAI style.
    """

    codes: Collection[int | str]
    """The documented in-body error codes, e.g. (701, 702, 801)."""
    status_codes: Mapping[int, int | str] = field(default_factory=dict)
    """In-body code for an HTTP status, for errors raised without a catalogue code."""

    def __post_init__(self) -> None:
        unknown = [
            code
            for code in self.status_codes.values()
            if self._catalogue_code(code) is None
        ]
        if unknown:
            raise ValueError(
                f"status_codes maps to codes not in the catalogue: {unknown}"
            )

    def body_for(self, error: HTTPError) -> dict[str, object] | None:
        """The in-body answer for `error`, or None when it is to be answered with its status."""
        code = self._catalogue_code(error.code)
        if code is None and error.status_code in self.status_codes:
            code = self._catalogue_code(self.status_codes[error.status_code])
        if code is None:
            return None
        return {"code": code, "message": error.message}

    def _catalogue_code(self, code: object) -> int | str | None:
        key = _code_key(code)
        if key is None:
            return None
        for known in self.codes:
            if _code_key(known) == key:
                # The catalogue's spelling wins: clients compare against the documented type.
                return known
        return None
