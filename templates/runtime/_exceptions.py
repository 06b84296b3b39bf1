"""Exception hierarchy raised by the client: transport, HTTP status, in-body and stream errors."""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIInBodyError",
    "APIResponseValidationError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MissingAPIKeyError",
    "NotFoundError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerTimeoutError",
    "UnprocessableEntityError",
    "UnsupportedOperationError",
    "status_error_class",
]


class APIError(Exception):
    """Base of every error the client raises."""

    message: str
    request: httpx.Request | None
    body: object | None
    """The decoded JSON body (or text) of the response that caused the error, when there was one."""

    def __init__(
        self,
        message: str,
        request: httpx.Request | None = None,
        *,
        body: object | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIConnectionError(APIError):
    """The request never got an HTTP response (DNS, refused connection, reset, protocol error)."""

    def __init__(
        self, message: str = "Connection error.", *, request: httpx.Request
    ) -> None:
        super().__init__(message, request)


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool timeout)."""

    def __init__(
        self, message: str = "Request timed out.", *, request: httpx.Request
    ) -> None:
        super().__init__(message, request=request)


class APIResponseValidationError(APIError):
    """The response arrived but its body does not match the expected type."""

    response: httpx.Response
    status_code: int

    def __init__(
        self,
        response: httpx.Response,
        body: object | None,
        message: str = "Data returned by the API is not valid for the expected schema.",
    ) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code


class APIStatusError(APIError):
    """The API answered with an error: a non-2xx status, or (subclasses) an error in a 2xx body.

    An error a vendor reports inside a 2xx body subclasses the status error of its meaning too,
    so `except AuthenticationError` catches a 401 and an in-body "invalid API key" alike.
    """

    response: httpx.Response
    status_code: int
    retryable: ClassVar[bool] = False
    """Whether the same request may succeed when sent again (the client retries these statuses)."""

    def __init__(
        self, message: str, *, response: httpx.Response, body: object | None
    ) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code

    def __str__(self) -> str:
        return f"Error code {self.status_code}: {self.message}"


class BadRequestError(APIStatusError):
    """HTTP 400."""


class AuthenticationError(APIStatusError):
    """HTTP 401."""


class PaymentRequiredError(APIStatusError):
    """HTTP 402: the account's balance or quota does not cover the request."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403."""


class NotFoundError(APIStatusError):
    """HTTP 404."""


class ServerTimeoutError(APIStatusError):
    """HTTP 408: the server gave up waiting (unlike APITimeoutError, where the client did)."""

    retryable = True


class ConflictError(APIStatusError):
    """HTTP 409."""

    retryable = True


class UnprocessableEntityError(APIStatusError):
    """HTTP 422."""


class RateLimitError(APIStatusError):
    """HTTP 429."""

    retryable = True


class InternalServerError(APIStatusError):
    """HTTP 500 and above."""

    retryable = True


class APIInBodyError(APIStatusError):
    """A vendor error reported with a 2xx status and an error `code` in the JSON body.

    Generated code subclasses it once per documented code, with the status error its documented
    meaning maps to as a second base, e.g.
    `class InsufficientBalanceError(APIInBodyError, PaymentRequiredError): code = 701`.
    `status_code` is the HTTP status actually received (2xx).
    """

    code: ClassVar[int | str]

    def __str__(self) -> str:
        return f"Error code {self.code}: {self.message}"


class APIStreamError(APIError):
    """An error object arrived inside a server-sent event stream after a 2xx response."""

    response: httpx.Response

    def __init__(
        self, message: str, *, response: httpx.Response, body: object | None
    ) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response


class MissingAPIKeyError(APIError):
    """No API key was passed and none is set in the vendor's environment variable."""

    def __init__(
        self, vendor: str, env_var: str | None, argument: str = "api_key"
    ) -> None:
        hint = f"pass {argument}=..."
        if env_var is not None:
            hint += f" or set {env_var}"
        super().__init__(f"no API key for {vendor}: {hint}")
        self.vendor = vendor
        self.env_var = env_var


class UnsupportedOperationError(APIError):
    """The operation is documented only for other vendors than the client's.

    Raised before anything is sent: the vendor would at best answer 404, at worst something else.
    """

    operation: str
    vendor: str
    vendors: tuple[str, ...]

    def __init__(self, operation: str, vendor: str, vendors: Collection[str]) -> None:
        documented = tuple(vendors)
        super().__init__(
            f"{operation} is not served by {vendor}; documented by: {', '.join(documented)}"
        )
        self.operation = operation
        self.vendor = vendor
        self.vendors = documented


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    408: ServerTimeoutError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status: int) -> type[APIStatusError]:
    """The exception class for an HTTP error status (APIStatusError when none is specific)."""
    if status >= 500:
        return InternalServerError
    return _STATUS_ERRORS.get(status, APIStatusError)
