"""Vendor profile and the sync/async HTTP clients: auth, request assembly, retries, errors."""

from __future__ import annotations

import asyncio
import email.utils
import json
import math
import os
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx
import pydantic

from ._exceptions import (
    APIConnectionError,
    APIInBodyError,
    APIResponseValidationError,
    APIStatusError,
    APIStreamError,
    APITimeoutError,
    MissingAPIKeyError,
    status_error_class,
)
from ._response import APIResponse
from ._streaming import AsyncStream, Stream
from ._types import Body, Headers, NotGiven, Query, RequestOptions, Timeout, is_given

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "SyncAPIClient",
    "VendorProfile",
]

DEFAULT_TIMEOUT = httpx.Timeout(timeout=600.0, connect=5.0)
"""Long read timeout: a non-streamed completion can take minutes before its first byte."""

DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
"""A server's Retry-After longer than this is ignored in favour of our own backoff."""

_T = TypeVar("_T")
_HttpxClientT = TypeVar("_HttpxClientT", httpx.Client, httpx.AsyncClient)
_SyncClientT = TypeVar("_SyncClientT", bound="SyncAPIClient")
_AsyncClientT = TypeVar("_AsyncClientT", bound="AsyncAPIClient")

_NO_OPTIONS = RequestOptions()


@dataclass(frozen=True)
class VendorProfile:
    """What the client needs to know about one vendor's API."""

    name: str
    base_url: str
    """Scheme, host and path prefix, e.g. "https://api.example.com/v1"."""
    api_key_env: str | None = None
    """Environment variable read when no api_key is passed."""
    auth_header: str | None = None
    """Header carrying the key, e.g. "Authorization"; None when the API takes no key."""
    auth_scheme: str | None = None
    """Prefix of the header value, e.g. "Bearer"; None sends the raw key."""
    required_fields: Mapping[str, object] = field(default_factory=dict)
    """Body fields the vendor requires, sent with this value when the caller omitted them."""
    in_body_errors: Mapping[int | str, type[APIInBodyError]] = field(default_factory=dict)
    """Error classes by the `code` a vendor reports inside a 2xx JSON body."""


def _without_not_given(value: object) -> object:
    """Make a body JSON-ready: drop NOT_GIVEN entries at any depth and dump pydantic models."""
    if isinstance(value, pydantic.BaseModel):
        # exclude_unset keeps an explicit None (sent as null) but not defaults nobody chose.
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {
            str(key): _without_not_given(item)
            for key, item in value.items()
            if not isinstance(item, NotGiven)
        }
    if isinstance(value, list | tuple):
        return [_without_not_given(item) for item in value if not isinstance(item, NotGiven)]
    return value


def _decode_body(response: httpx.Response) -> object | None:
    """The response body as JSON when it is JSON, else as text; None when empty."""
    if not response.content:
        return None
    try:
        decoded: object = json.loads(response.content)
    except ValueError:
        return response.text
    return decoded


def _error_message(body: object | None, response: httpx.Response) -> str:
    """Find the human-readable message in the usual places vendors put it."""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])
        if isinstance(error, str) and error:
            return error
        for key in ("message", "detail"):
            if isinstance(body.get(key), str) and body[key]:
                return str(body[key])
    if isinstance(body, str) and body.strip():
        return body.strip()
    return f"HTTP {response.status_code} {response.reason_phrase}".rstrip()


def _make_status_error(response: httpx.Response) -> APIStatusError:
    body = _decode_body(response)
    error_class = status_error_class(response.status_code)
    return error_class(_error_message(body, response), response=response, body=body)


def _find_in_body_error(
    errors: Mapping[int | str, type[APIInBodyError]], code: object
) -> type[APIInBodyError] | None:
    # bool is an int subclass: `true` must not match code 1.
    if isinstance(code, bool) or not isinstance(code, int | str):
        return None
    if code in errors:
        return errors[code]
    # Vendors are loose about the code's JSON type: "701" and 701 are the same code.
    if isinstance(code, int):
        return errors.get(str(code))
    if code.strip().lstrip("-").isdigit():
        return errors.get(int(code))
    return None


def _retry_after_seconds(headers: httpx.Headers, now: float) -> float | None:
    """Seconds the server asks us to wait, from retry-after-ms or Retry-After (number or date)."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds is not None:
        try:
            value = float(milliseconds) / 1000
        except ValueError:
            value = math.nan
        if math.isfinite(value):
            return value
    retry_after = headers.get("retry-after")
    if retry_after is None:
        return None
    try:
        value = float(retry_after)
    except ValueError:
        pass
    else:
        return value if math.isfinite(value) else None
    try:
        parsed = email.utils.parsedate_tz(retry_after)
        # The stdlib parser raises on some malformed dates instead of returning None.
        return None if parsed is None else email.utils.mktime_tz(parsed) - now
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _should_retry(response: httpx.Response) -> bool:
    status = response.status_code
    return status in (408, 409, 429) or status >= 500


def _is_json(response: httpx.Response) -> bool:
    content_type: str = response.headers.get("content-type", "")
    return content_type.split(";")[0].strip().lower().endswith("json")


class _BaseAPIClient(Generic[_HttpxClientT]):
    """Request assembly and response interpretation shared by the sync and async clients."""

    profile: VendorProfile
    api_key: str | None
    base_url: str
    timeout: Timeout
    max_retries: int
    _client: _HttpxClientT
    _owns_http_client: bool

    def __init__(
        self,
        *,
        profile: VendorProfile,
        api_key: str | None,
        base_url: str | None,
        timeout: Timeout,
        max_retries: int,
        default_headers: Headers | None,
    ) -> None:
        if api_key is None and profile.api_key_env is not None:
            # An empty variable is as good as unset: it would only produce a confusing 401.
            api_key = os.environ.get(profile.api_key_env) or None
        if api_key is None and profile.auth_header is not None:
            raise MissingAPIKeyError(profile.name, profile.api_key_env)
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.profile = profile
        self.api_key = api_key
        self.base_url = (base_url if base_url is not None else profile.base_url).rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self._default_headers: Headers = dict(default_headers or {})
        # Injectable so tests can pin the jitter and the clock used for Retry-After dates.
        self._random: Callable[[], float] = random.random
        self._time: Callable[[], float] = time.time

    @property
    def user_agent(self) -> str:
        """Value of the User-Agent header (override it with default_headers)."""
        return f"{self.profile.name}-python-client httpx/{httpx.__version__}"

    def _url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def _headers(self, options: RequestOptions, *, stream: bool) -> dict[str, str | None]:
        # Keyed by lower-cased name so an override replaces a default whatever its spelling.
        merged: dict[str, tuple[str, str | None]] = {}

        def put(name: str, value: str | None) -> None:
            merged[name.lower()] = (name, value)

        put("Accept", "text/event-stream" if stream else "application/json")
        put("User-Agent", self.user_agent)
        if self.profile.auth_header is not None and self.api_key is not None:
            scheme = self.profile.auth_scheme
            put(self.profile.auth_header, f"{scheme} {self.api_key}" if scheme else self.api_key)
        for source in (self._default_headers, options.extra_headers or {}):
            for name, value in source.items():
                put(name, value)
        return dict(merged.values())

    def _body(self, body: Body | None, options: RequestOptions) -> object | None:
        if body is None and options.extra_body is None:
            return None
        merged: dict[str, object] = {}
        if body is not None:
            merged = {key: value for key, value in body.items() if not isinstance(value, NotGiven)}
            for key, value in self.profile.required_fields.items():
                merged.setdefault(key, value)
        merged.update(options.extra_body or {})
        return _without_not_given(merged)

    def _params(self, query: Query | None, options: RequestOptions) -> dict[str, Any] | None:
        merged = {**(query or {}), **(options.extra_query or {})}
        params = {
            key: _without_not_given(value)
            for key, value in merged.items()
            if value is not None and not isinstance(value, NotGiven)
        }
        return params or None

    def _build_request(
        self,
        method: str,
        path: str,
        *,
        body: Body | None,
        query: Query | None,
        options: RequestOptions,
        stream: bool,
    ) -> httpx.Request:
        headers = self._headers(options, stream=stream)
        json_body = self._body(body, options)
        timeout = options.timeout if is_given(options.timeout) else self.timeout
        request = self._client.build_request(
            method,
            self._url(path),
            headers={name: value for name, value in headers.items() if value is not None},
            params=self._params(query, options),
            json=json_body,
            timeout=timeout,
        )
        # A user's http_client may add its own defaults (its User-Agent): None removes them too.
        for name, value in headers.items():
            if value is None and name in request.headers:
                del request.headers[name]
        return request

    def _max_retries(self, options: RequestOptions) -> int:
        return options.max_retries if is_given(options.max_retries) else self.max_retries

    def _retry_delay(self, retries_taken: int, headers: httpx.Headers | None) -> float:
        """Seconds to wait before retry number `retries_taken + 1`."""
        if headers is not None:
            requested = _retry_after_seconds(headers, self._time())
            if requested is not None and 0 <= requested <= MAX_RETRY_AFTER:
                return requested
        backoff = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
        # Up to 25% less, so that many clients failing together do not retry in lockstep.
        return backoff * (1 - 0.25 * self._random())

    def _in_body_error(self, response: httpx.Response, body: object) -> APIInBodyError | None:
        if not isinstance(body, dict) or "code" not in body:
            return None
        error_class = _find_in_body_error(self.profile.in_body_errors, body["code"])
        if error_class is None:
            return None
        message = body.get("message")
        if not isinstance(message, str) or not message:
            message = f"{self.profile.name} reported error code {body['code']}"
        return error_class(message, response=response, body=body)

    def _process(self, response: httpx.Response, parse: Callable[[object], _T]) -> _T:
        body = _decode_body(response)
        in_body_error = self._in_body_error(response, body)
        if in_body_error is not None:
            raise in_body_error
        try:
            return parse(body)
        except (pydantic.ValidationError, ValueError) as exc:
            raise APIResponseValidationError(response, body, str(exc)) from exc

    def _check_stream_response(self, response: httpx.Response) -> None:
        """Raise for a vendor that answers a streamed call with a plain JSON error object."""
        if not _is_json(response):
            return
        body = _decode_body(response)
        in_body_error = self._in_body_error(response, body)
        if in_body_error is not None:
            raise in_body_error
        if isinstance(body, dict) and body.get("error") is not None:
            raise APIStreamError(_error_message(body, response), response=response, body=body)


class SyncAPIClient(_BaseAPIClient[httpx.Client]):
    """Blocking client; generated resources call `request`, `request_stream`, `request_raw`."""

    def __init__(
        self,
        *,
        profile: VendorProfile,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        default_headers: Headers | None = None,
    ) -> None:
        super().__init__(
            profile=profile,
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
        )
        # Created only after the checks above, so a missing key leaks no connection pool.
        self._owns_http_client = http_client is None
        self._client = http_client if http_client is not None else httpx.Client(timeout=timeout)
        self._sleep: Callable[[float], None] = time.sleep

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Body | None = None,
        parse: Callable[[object], _T],
        options: RequestOptions = _NO_OPTIONS,
        query: Query | None = None,
    ) -> _T:
        """Send a request (with retries) and return its parsed JSON body."""
        response = self._send(method, path, body=body, query=query, options=options, stream=False)
        return self._process(response, parse)

    def request_raw(
        self,
        method: str,
        path: str,
        *,
        body: Body | None = None,
        parse: Callable[[object], _T],
        options: RequestOptions = _NO_OPTIONS,
        query: Query | None = None,
    ) -> APIResponse[_T]:
        """Send a request (with retries) and return the response with a lazy `parse()`."""
        response = self._send(method, path, body=body, query=query, options=options, stream=False)
        return APIResponse(response, lambda: self._process(response, parse))

    def request_stream(
        self,
        method: str,
        path: str,
        *,
        body: Body | None = None,
        parse: Callable[[object], _T],
        options: RequestOptions = _NO_OPTIONS,
        query: Query | None = None,
        terminator: str | None = "[DONE]",
    ) -> Stream[_T]:
        """Send a request (with retries) and iterate its server-sent events, each parsed."""
        response = self._send(method, path, body=body, query=query, options=options, stream=True)
        try:
            if _is_json(response):
                response.read()
            self._check_stream_response(response)
        except BaseException:
            response.close()
            raise
        return Stream(response, parse, terminator)

    def _send(
        self,
        method: str,
        path: str,
        *,
        body: Body | None,
        query: Query | None,
        options: RequestOptions,
        stream: bool,
    ) -> httpx.Response:
        request = self._build_request(
            method, path, body=body, query=query, options=options, stream=stream
        )
        max_retries = self._max_retries(options)
        retries_taken = 0
        while True:
            try:
                response = self._client.send(request, stream=stream)
            except httpx.TransportError as exc:
                if retries_taken < max_retries:
                    self._sleep(self._retry_delay(retries_taken, None))
                    retries_taken += 1
                    continue
                if isinstance(exc, httpx.TimeoutException):
                    raise APITimeoutError(request=request) from exc
                raise APIConnectionError(f"Connection error: {exc}", request=request) from exc
            except httpx.RequestError as exc:
                raise APIConnectionError(f"Connection error: {exc}", request=request) from exc
            if response.is_success:
                return response
            if retries_taken < max_retries and _should_retry(response):
                delay = self._retry_delay(retries_taken, response.headers)
                response.close()
                self._sleep(delay)
                retries_taken += 1
                continue
            try:
                response.read()
            finally:
                response.close()
            raise _make_status_error(response)

    def close(self) -> None:
        """Close the underlying httpx client, unless it was passed in by the caller."""
        if self._owns_http_client:
            self._client.close()

    def __enter__(self: _SyncClientT) -> _SyncClientT:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncAPIClient(_BaseAPIClient[httpx.AsyncClient]):
    """Asynchronous twin of SyncAPIClient."""

    def __init__(
        self,
        *,
        profile: VendorProfile,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Headers | None = None,
    ) -> None:
        super().__init__(
            profile=profile,
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
        )
        self._owns_http_client = http_client is None
        self._client = (
            http_client if http_client is not None else httpx.AsyncClient(timeout=timeout)
        )
        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: Body | None = None,
        parse: Callable[[object], _T],
        options: RequestOptions = _NO_OPTIONS,
        query: Query | None = None,
    ) -> _T:
        """Send a request (with retries) and return its parsed JSON body."""
        response = await self._send(
            method, path, body=body, query=query, options=options, stream=False
        )
        return self._process(response, parse)

    async def request_raw(
        self,
        method: str,
        path: str,
        *,
        body: Body | None = None,
        parse: Callable[[object], _T],
        options: RequestOptions = _NO_OPTIONS,
        query: Query | None = None,
    ) -> APIResponse[_T]:
        """Send a request (with retries) and return the response with a lazy `parse()`."""
        response = await self._send(
            method, path, body=body, query=query, options=options, stream=False
        )
        return APIResponse(response, lambda: self._process(response, parse))

    async def request_stream(
        self,
        method: str,
        path: str,
        *,
        body: Body | None = None,
        parse: Callable[[object], _T],
        options: RequestOptions = _NO_OPTIONS,
        query: Query | None = None,
        terminator: str | None = "[DONE]",
    ) -> AsyncStream[_T]:
        """Send a request (with retries) and iterate its server-sent events, each parsed."""
        response = await self._send(
            method, path, body=body, query=query, options=options, stream=True
        )
        try:
            if _is_json(response):
                await response.aread()
            self._check_stream_response(response)
        except BaseException:
            await response.aclose()
            raise
        return AsyncStream(response, parse, terminator)

    async def _send(
        self,
        method: str,
        path: str,
        *,
        body: Body | None,
        query: Query | None,
        options: RequestOptions,
        stream: bool,
    ) -> httpx.Response:
        request = self._build_request(
            method, path, body=body, query=query, options=options, stream=stream
        )
        max_retries = self._max_retries(options)
        retries_taken = 0
        while True:
            try:
                response = await self._client.send(request, stream=stream)
            except httpx.TransportError as exc:
                if retries_taken < max_retries:
                    await self._sleep(self._retry_delay(retries_taken, None))
                    retries_taken += 1
                    continue
                if isinstance(exc, httpx.TimeoutException):
                    raise APITimeoutError(request=request) from exc
                raise APIConnectionError(f"Connection error: {exc}", request=request) from exc
            except httpx.RequestError as exc:
                raise APIConnectionError(f"Connection error: {exc}", request=request) from exc
            if response.is_success:
                return response
            if retries_taken < max_retries and _should_retry(response):
                delay = self._retry_delay(retries_taken, response.headers)
                await response.aclose()
                await self._sleep(delay)
                retries_taken += 1
                continue
            try:
                await response.aread()
            finally:
                await response.aclose()
            raise _make_status_error(response)

    async def close(self) -> None:
        """Close the underlying httpx client, unless it was passed in by the caller."""
        if self._owns_http_client:
            await self._client.aclose()

    async def __aenter__(self: _AsyncClientT) -> _AsyncClientT:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
