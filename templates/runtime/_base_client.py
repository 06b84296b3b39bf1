"""Vendor profile and the sync/async HTTP clients: auth, request assembly, retries, errors."""

from __future__ import annotations

import base64
import email.utils
import enum
import json
import math
import os
import random
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Collection, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Generic, Self, TypeVar, Unpack

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
    UnsupportedOperationError,
    status_error_class,
)
from ._files import file_part, read_file_content
from ._pagination import AsyncPage, PageSpec, SyncPage
from ._response import APIResponse, AsyncBinaryResponse, BinaryResponse
from ._streaming import AsyncStream, Stream
from ._types import (
    Headers,
    NotGiven,
    RequestArgs,
    RequestOptions,
    ResponseDecoding,
    Timeout,
    _Call,
    is_given,
)

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

_NO_OPTIONS = RequestOptions()

_ACCEPT_JSON = "application/json"
_ACCEPT_EVENT_STREAM = "text/event-stream"
_ACCEPT_ANY = "*/*"
"""Default Accept of a binary download: the vendor picks the format unless the call names one."""

_BODY_ENCODINGS = ("json", "form", "multipart", "binary", "text")
_DEFAULT_CONTENT_TYPES = {
    "form": "application/x-www-form-urlencoded",
    "binary": "application/octet-stream",
    "text": "text/plain; charset=utf-8",
}
# The delimiter of each non-exploded style, as sent: values are escaped, delimiters are not.
_QUERY_DELIMITERS = {"form_csv": ",", "space": "%20", "pipe": "|"}
_QUERY_STYLES = frozenset({"form", "deep_object", *_QUERY_DELIMITERS})


@dataclass(frozen=True)
class VendorProfile:
    """What the client needs to know about one vendor's API."""

    name: str
    base_url: str
    """Scheme, host and path prefix, e.g. "https://api.example.com/v1"."""
    api_key_env: str | None = None
    """Environment variable read when no api_key is passed."""
    auth_header: str | None = None
    """Header carrying the key, e.g. "Authorization". None (and no auth_query) when the document
    declares no scheme: no key is needed, and one passed anyway goes as `Authorization: Bearer`."""
    auth_scheme: str | None = None
    """Prefix of the header value, e.g. "Bearer"; None sends the raw key."""
    auth_query: str | None = None
    """Query parameter carrying the key, for an API that takes it there instead of a header."""
    required_fields: Mapping[str, object] = field(default_factory=dict)
    """Body fields the vendor requires, sent with this value when the caller omitted them."""
    in_body_errors: Mapping[int | str, type[APIInBodyError]] = field(
        default_factory=dict
    )
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
        return [
            _without_not_given(item) for item in value if not isinstance(item, NotGiven)
        ]
    return value


def _is_absent(value: object) -> bool:
    return value is None or isinstance(value, NotGiven)


def _text(value: object) -> str:
    """A query, header or form value as text: booleans as JSON spells them, objects as JSON."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def _quote(text: str) -> str:
    # Everything but the unreserved characters, so a comma or bracket in a value stays data.
    return urllib.parse.quote(text, safe="")


def _deep_object_pairs(key: str, value: object) -> Iterator[tuple[str, str]]:
    """`name[a][b]=v` pairs; list items are indexed (`name[0]=v`), as deepObject servers read."""
    if isinstance(value, Mapping):
        for name, item in value.items():
            if item is not None:
                yield from _deep_object_pairs(f"{key}[{_quote(str(name))}]", item)
    elif isinstance(value, list):
        present = [item for item in value if item is not None]
        for index, item in enumerate(present):
            yield from _deep_object_pairs(f"{key}[{index}]", item)
    else:
        yield key, _quote(_text(value))


def _query_pairs(key: str, value: object, style: str) -> Iterator[tuple[str, str]]:
    """The encoded (key, value) pairs of one query parameter; an empty list or object sends none."""
    if style == "deep_object":
        yield from _deep_object_pairs(key, value)
        return
    if isinstance(value, Mapping):
        entries = [
            (str(name), item) for name, item in value.items() if item is not None
        ]
        if style == "form":
            # Exploded object: each property is a parameter of its own.
            for name, item in entries:
                yield _quote(name), _quote(_text(item))
            return
        texts = [text for name, item in entries for text in (name, _text(item))]
    elif isinstance(value, list):
        texts = [_text(item) for item in value if item is not None]
        if style == "form":
            for text in texts:
                yield key, _quote(text)
            return
    else:
        yield key, _quote(_text(value))
        return
    if texts:
        yield key, _QUERY_DELIMITERS[style].join(_quote(text) for text in texts)


def _query_string(query: Mapping[str, object], styles: Mapping[str, str]) -> str:
    """Encode query parameters in the OpenAPI style of each (form, exploded, by default)."""
    pairs: list[str] = []
    for name, value in query.items():
        if _is_absent(value):
            continue
        style = styles.get(name, "form")
        if style not in _QUERY_STYLES:
            raise ValueError(f"unknown query style {style!r} for parameter {name!r}")
        for key, text in _query_pairs(_quote(name), _without_not_given(value), style):
            pairs.append(f"{key}={text}")
    return "&".join(pairs)


def _header_text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ",".join(_header_text(item) for item in value if not _is_absent(item))
    return _text(value)


def _field_pairs(name: str, value: object) -> Iterator[tuple[str, str]]:
    """The text fields of one form or multipart body field: a list repeats the name."""
    for item in value if isinstance(value, list) else [value]:
        if item is not None:
            yield name, _text(item)


_Part = tuple[str, tuple[str | None, bytes, str | None]]


def _file_values(value: object) -> list[object]:
    """The files of one file field: a list, or a tuple not starting with a filename, is many."""
    if isinstance(value, list):
        return value
    if isinstance(value, tuple) and not (value and isinstance(value[0], str)):
        return list(value)
    return [value]


def _multipart_parts(
    fields: Mapping[str, object], file_fields: Collection[str]
) -> list[_Part]:
    """The parts of a multipart body in field order: files from `file_fields`, text otherwise."""
    parts: list[_Part] = []
    for name, value in fields.items():
        if _is_absent(value):
            continue
        if name in file_fields:
            for item in _file_values(value):
                if not _is_absent(item):
                    parts.append((name, file_part(item)))
        else:
            for key, text in _field_pairs(name, _without_not_given(value)):
                # No filename: a plain form field, sent without a Content-Type of its own.
                parts.append((key, (None, text.encode("utf-8"), None)))
    return parts


def _with_cursor(call: _Call, name: str | None, cursor: str) -> _Call:
    """The same call asking for the page at `cursor` (an extra_query cursor would pin page 1)."""
    if name is None:
        raise RuntimeError("no next page")
    options = call.options
    if options.extra_query is not None and name in options.extra_query:
        extra = {
            key: value for key, value in options.extra_query.items() if key != name
        }
        options = replace(options, extra_query=extra)
    return replace(call, query={**(call.query or {}), name: cursor}, options=options)


def _request_cursor(call: _Call, name: str | None) -> str | None:
    if name is None:
        return None
    value = {**(call.query or {}), **(call.options.extra_query or {})}.get(name)
    return None if _is_absent(value) else _text(value)


def _decode_body(response: httpx.Response) -> object | None:
    """The response body as JSON when it is JSON, else as text; None when empty."""
    if not response.content:
        return None
    try:
        decoded: object = json.loads(response.content)
    except ValueError:
        return response.text
    return decoded


def _is_json_text(content: bytes) -> bool:
    try:
        json.loads(content)
    except ValueError:
        return False
    return True


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


def _is_html(response: httpx.Response) -> bool:
    content_type: str = response.headers.get("content-type", "")
    return content_type.split(";")[0].strip().lower() in (
        "text/html",
        "application/xhtml+xml",
    )


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
        if api_key is None and (
            profile.auth_header is not None or profile.auth_query is not None
        ):
            raise MissingAPIKeyError(profile.name, profile.api_key_env)
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.profile = profile
        self.api_key = api_key
        self.base_url = (base_url if base_url is not None else profile.base_url).rstrip(
            "/"
        )
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

    def _call(self, method: str, path: str, args: RequestArgs, *, accept: str) -> _Call:
        """Check the arguments and that the vendor serves the operation, before any request."""
        vendors = args.get("vendors")
        if vendors is not None:
            # A str is a Collection[str] too: "acme" must not mean the vendors "a", "c", "m", "e".
            documented = (
                (vendors,)
                if isinstance(vendors, str)
                else tuple(
                    sorted(vendors) if isinstance(vendors, AbstractSet) else vendors
                )
            )
            if self.profile.name not in documented:
                operation = args.get("operation") or f"{method.upper()} {path}"
                raise UnsupportedOperationError(
                    operation, self.profile.name, documented
                )
        encoding = args.get("body_encoding", "json")
        if encoding not in _BODY_ENCODINGS:
            raise ValueError(f"unknown body encoding {encoding!r}")
        options = args.get("options", _NO_OPTIONS)
        content = args.get("content")
        if encoding in ("binary", "text"):
            if args.get("body") is not None or options.extra_body is not None:
                raise ValueError(
                    f"a {encoding} request sends content=, it has no body fields"
                )
            if (
                encoding == "text"
                and content is not None
                and not isinstance(content, str)
            ):
                raise TypeError(f"a text body is a str, not a {type(content).__name__}")
        elif content is not None:
            raise ValueError(f"content= is for binary and text bodies, not {encoding}")
        file_fields = args.get("file_fields", ())
        requested_accept = args.get("accept")
        return _Call(
            method=method,
            path=path,
            accept=requested_accept if requested_accept is not None else accept,
            query=args.get("query"),
            query_styles=args.get("query_styles") or {},
            headers=args.get("headers") or {},
            body=args.get("body"),
            body_encoding=encoding,
            file_fields=frozenset(
                (file_fields,) if isinstance(file_fields, str) else file_fields
            ),
            vendor_fields=args.get("vendor_fields"),
            authenticate=args.get("authenticate", True),
            content=content,
            options=options,
        )

    def _url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def _headers(self, call: _Call, content_type: str | None) -> dict[str, str | None]:
        # Keyed by lower-cased name so an override replaces a default whatever its spelling.
        merged: dict[str, tuple[str, str | None]] = {}

        def put(name: str, value: str | None) -> None:
            merged[name.lower()] = (name, value)

        put("Accept", call.accept)
        if content_type is not None:
            put("Content-Type", content_type)
        put("User-Agent", self.user_agent)
        if call.authenticate and self.api_key is not None:
            header, scheme = self.profile.auth_header, self.profile.auth_scheme
            if header is None and self.profile.auth_query is None:
                # A document that declares no scheme is documented without auth; a key the
                # caller gave is still sent, as this API family's servers expect it.
                header, scheme = "Authorization", "Bearer"
            key = self.api_key
            if scheme is not None and scheme.lower() == "basic":
                # The key is "user:password"; basic credentials carry it base64-encoded.
                key = base64.b64encode(key.encode("utf-8")).decode("ascii")
            if header is not None:
                put(header, f"{scheme} {key}" if scheme else key)
        for name, value in self._default_headers.items():
            put(name, value)
        # Header parameters: a value the caller left out is not sent (and removes nothing).
        for name, parameter in call.headers.items():
            if not _is_absent(parameter):
                put(name, _header_text(parameter))
        for name, value in (call.options.extra_headers or {}).items():
            put(name, value)
        return dict(merged.values())

    def _body_fields(self, call: _Call) -> dict[str, object] | None:
        """The caller's fields, then the vendor's required fields, then extra_body on top."""
        body, extra = call.body, call.options.extra_body
        if body is None and extra is None:
            return None
        merged: dict[str, object] = {}
        if isinstance(body, list | tuple):
            raise TypeError(
                f"a {call.body_encoding} body is an object of fields; this body is an array"
            )
        if body is not None:
            merged = {
                key: value
                for key, value in body.items()
                if not isinstance(value, NotGiven)
            }
            for key, value in self.profile.required_fields.items():
                if call.vendor_fields is None or key in call.vendor_fields:
                    merged.setdefault(key, value)
        merged.update(extra or {})
        return merged

    def _encode_body(
        self, call: _Call
    ) -> tuple[str | None, object | None, bytes | None, list[_Part] | None]:
        """(default Content-Type, JSON, raw content, multipart parts) of the request body."""
        encoding = call.body_encoding
        if encoding in ("binary", "text"):
            if call.content is None:
                return None, None, None, None
            if isinstance(call.content, str):
                data = call.content.encode("utf-8")
            else:
                data, _ = read_file_content(call.content)
            return _DEFAULT_CONTENT_TYPES[encoding], None, data, None
        if encoding == "json" and isinstance(call.body, list | tuple):
            if call.options.extra_body is not None:
                raise ValueError(
                    "extra_body adds fields to an object body; this body is an array"
                )
            return None, _without_not_given(call.body), None, None
        fields = self._body_fields(call)
        if fields is None:
            return None, None, None, None
        if encoding == "json":
            return None, _without_not_given(fields), None, None
        if encoding == "form":
            pairs = [
                pair
                for name, value in fields.items()
                for pair in _field_pairs(name, _without_not_given(value))
            ]
            data = urllib.parse.urlencode(pairs).encode("ascii")
            return _DEFAULT_CONTENT_TYPES["form"], None, data, None
        # httpx writes the multipart Content-Type itself: it carries the boundary.
        return None, None, None, _multipart_parts(fields, call.file_fields)

    def _build_request(self, call: _Call) -> httpx.Request:
        content_type, json_body, content, files = self._encode_body(call)
        headers = self._headers(call, content_type)
        url = self._url(call.path)
        credentials: dict[str, object] = {}
        if (
            call.authenticate
            and self.profile.auth_query is not None
            and self.api_key is not None
        ):
            credentials[self.profile.auth_query] = self.api_key
        query = _query_string(
            {**(call.query or {}), **credentials, **(call.options.extra_query or {})},
            call.query_styles,
        )
        if query:
            # Encoded here, not by httpx: httpx would escape the delimiters of csv, pipe and
            # deepObject styles, which servers then read as part of a value.
            url = f"{url}{'&' if '?' in url else '?'}{query}"
        timeout = (
            call.options.timeout if is_given(call.options.timeout) else self.timeout
        )
        request = self._client.build_request(
            call.method,
            url,
            headers={
                name: value for name, value in headers.items() if value is not None
            },
            json=json_body,
            content=content,
            files=files,
            timeout=timeout,
        )
        # A user's http_client may add its own defaults (its User-Agent): None removes them too.
        for name, value in headers.items():
            if value is None and name in request.headers:
                del request.headers[name]
        return request

    def _max_retries(self, options: RequestOptions) -> int:
        return (
            options.max_retries if is_given(options.max_retries) else self.max_retries
        )

    def _retry_delay(self, retries_taken: int, headers: httpx.Headers | None) -> float:
        """Seconds to wait before retry number `retries_taken + 1`."""
        if headers is not None:
            requested = _retry_after_seconds(headers, self._time())
            if requested is not None and 0 <= requested <= MAX_RETRY_AFTER:
                return requested
        backoff = min(INITIAL_RETRY_DELAY * 2.0**retries_taken, MAX_RETRY_DELAY)
        # Up to 25% less, so that many clients failing together do not retry in lockstep.
        return backoff * (1 - 0.25 * self._random())

    def _may_carry_in_body_error(self, response: httpx.Response) -> bool:
        """A 2xx JSON answer from a vendor whose documents list in-body error codes."""
        return bool(self.profile.in_body_errors) and _is_json(response)

    def _retryable_in_body_error(self, response: httpx.Response) -> bool:
        """The (read) answer is an in-body error whose meaning is retryable: a timeout or a
        server failure, retried like the HTTP statuses of the same meaning."""
        error = self._in_body_error(response, _decode_body(response))
        return error is not None and error.retryable

    def _in_body_error(
        self, response: httpx.Response, body: object
    ) -> APIInBodyError | None:
        if not isinstance(body, dict) or "code" not in body:
            return None
        error_class = _find_in_body_error(self.profile.in_body_errors, body["code"])
        if error_class is None:
            return None
        message = body.get("message")
        if not isinstance(message, str) or not message:
            message = f"{self.profile.name} reported error code {body['code']}"
        return error_class(message, response=response, body=body)

    def _process(
        self,
        response: httpx.Response,
        parse: Callable[[object], _T],
        decode: ResponseDecoding = "json",
    ) -> _T:
        payload: object
        if decode == "json":
            payload = _decode_body(response)
            if isinstance(payload, str) and not _is_json_text(response.content):
                # Cut off mid-body, or a proxy's HTML page with a 2xx status: never half-parsed.
                raise APIResponseValidationError(
                    response,
                    payload,
                    f"the response body is not valid JSON: {payload[:200]!r}",
                )
            in_body_error = self._in_body_error(response, payload)
            if in_body_error is not None:
                raise in_body_error
        elif decode == "text":
            payload = response.text
        elif decode == "binary":
            payload = response.content
        else:
            raise ValueError(f"unknown response decoding {decode!r}")
        try:
            return parse(payload)
        except (pydantic.ValidationError, ValueError) as exc:
            raise APIResponseValidationError(response, payload, str(exc)) from exc

    def _check_stream_response(self, response: httpx.Response) -> None:
        """Raise for a vendor that answers a streamed call with a plain JSON error object, and for
        an HTML page (a proxy's or a captive portal's) where the event stream should be."""
        if _is_html(response):
            raise APIResponseValidationError(
                response, response.text, "expected an event stream, got an HTML page"
            )
        if not _is_json(response):
            return
        body = _decode_body(response)
        in_body_error = self._in_body_error(response, body)
        if in_body_error is not None:
            raise in_body_error
        if isinstance(body, dict) and body.get("error") is not None:
            raise APIStreamError(
                _error_message(body, response), response=response, body=body
            )


class SyncAPIClient(_BaseAPIClient[httpx.Client]):
    """Blocking client; generated resources call its `request*` methods.

    Every `request*` method takes the keyword arguments of RequestArgs (body, query, headers,
    body encoding, vendors, options, ...), all optional.
    """

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
        self._client = (
            http_client if http_client is not None else httpx.Client(timeout=timeout)
        )
        self._sleep: Callable[[float], None] = time.sleep

    def request(
        self,
        method: str,
        path: str,
        *,
        parse: Callable[[object], _T],
        decode: ResponseDecoding = "json",
        **kwargs: Unpack[RequestArgs],
    ) -> _T:
        """Send a request (with retries) and return what `parse` makes of its decoded body."""
        call = self._call(method, path, kwargs, accept=_ACCEPT_JSON)
        return self._process(self._send(call, stream=False), parse, decode)

    def request_raw(
        self,
        method: str,
        path: str,
        *,
        parse: Callable[[object], _T],
        decode: ResponseDecoding = "json",
        **kwargs: Unpack[RequestArgs],
    ) -> APIResponse[_T]:
        """Send a request (with retries) and return the response with a lazy `parse()`."""
        call = self._call(method, path, kwargs, accept=_ACCEPT_JSON)
        response = self._send(call, stream=False)
        return APIResponse(response, lambda: self._process(response, parse, decode))

    def request_stream(
        self,
        method: str,
        path: str,
        *,
        parse: Callable[[object], _T],
        terminator: str | None = "[DONE]",
        **kwargs: Unpack[RequestArgs],
    ) -> Stream[_T]:
        """Send a request (with retries) and iterate its server-sent events, each parsed."""
        call = self._call(method, path, kwargs, accept=_ACCEPT_EVENT_STREAM)
        response = self._send(call, stream=True)
        try:
            if _is_json(response) or _is_html(response):
                response.read()
            self._check_stream_response(response)
        except BaseException:
            response.close()
            raise
        return Stream(response, parse, terminator)

    def request_binary(
        self, method: str, path: str, **kwargs: Unpack[RequestArgs]
    ) -> BinaryResponse:
        """Send a request (with retries) and return the response, its body not yet read."""
        call = self._call(method, path, kwargs, accept=_ACCEPT_ANY)
        return BinaryResponse(self._send(call, stream=True))

    def request_page(
        self,
        method: str,
        path: str,
        *,
        parse: Callable[[object], object],
        page: PageSpec,
        item: type[_T],
        **kwargs: Unpack[RequestArgs],
    ) -> SyncPage[_T]:
        """Send a list request (with retries) and return its first page; later pages on demand.

        `item` only types the page: `parse` (the response model's validation) makes the items.
        """
        call = self._call(method, path, kwargs, accept=_ACCEPT_JSON)
        return self._fetch_page(call, parse, page, item)

    def _fetch_page(
        self,
        call: _Call,
        parse: Callable[[object], object],
        spec: PageSpec,
        item: type[_T],
    ) -> SyncPage[_T]:
        response = self._process(self._send(call, stream=False), parse)

        def fetch(cursor: str) -> SyncPage[_T]:
            return self._fetch_page(
                _with_cursor(call, spec.cursor_param, cursor), parse, spec, item
            )

        return SyncPage(response, spec, fetch, _request_cursor(call, spec.cursor_param))

    def _send(self, call: _Call, *, stream: bool) -> httpx.Response:
        request = self._build_request(call)
        max_retries = self._max_retries(call.options)
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
                raise APIConnectionError(
                    f"Connection error: {exc}", request=request
                ) from exc
            except httpx.RequestError as exc:
                raise APIConnectionError(
                    f"Connection error: {exc}", request=request
                ) from exc
            if response.is_success:
                if retries_taken < max_retries and self._may_carry_in_body_error(
                    response
                ):
                    response.read()
                    if self._retryable_in_body_error(response):
                        delay = self._retry_delay(retries_taken, response.headers)
                        response.close()
                        self._sleep(delay)
                        retries_taken += 1
                        continue
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

    def __enter__(self) -> Self:
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
            http_client
            if http_client is not None
            else httpx.AsyncClient(timeout=timeout)
        )
        # asyncio is imported by the first async client, not by the package: a sync-only user
        # does not pay for it at import time (it is a third of the package's own import cost).
        import asyncio

        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def request(
        self,
        method: str,
        path: str,
        *,
        parse: Callable[[object], _T],
        decode: ResponseDecoding = "json",
        **kwargs: Unpack[RequestArgs],
    ) -> _T:
        """Send a request (with retries) and return what `parse` makes of its decoded body."""
        call = self._call(method, path, kwargs, accept=_ACCEPT_JSON)
        return self._process(await self._send(call, stream=False), parse, decode)

    async def request_raw(
        self,
        method: str,
        path: str,
        *,
        parse: Callable[[object], _T],
        decode: ResponseDecoding = "json",
        **kwargs: Unpack[RequestArgs],
    ) -> APIResponse[_T]:
        """Send a request (with retries) and return the response with a lazy `parse()`."""
        call = self._call(method, path, kwargs, accept=_ACCEPT_JSON)
        response = await self._send(call, stream=False)
        return APIResponse(response, lambda: self._process(response, parse, decode))

    async def request_stream(
        self,
        method: str,
        path: str,
        *,
        parse: Callable[[object], _T],
        terminator: str | None = "[DONE]",
        **kwargs: Unpack[RequestArgs],
    ) -> AsyncStream[_T]:
        """Send a request (with retries) and iterate its server-sent events, each parsed."""
        call = self._call(method, path, kwargs, accept=_ACCEPT_EVENT_STREAM)
        response = await self._send(call, stream=True)
        try:
            if _is_json(response) or _is_html(response):
                await response.aread()
            self._check_stream_response(response)
        except BaseException:
            await response.aclose()
            raise
        return AsyncStream(response, parse, terminator)

    async def request_binary(
        self, method: str, path: str, **kwargs: Unpack[RequestArgs]
    ) -> AsyncBinaryResponse:
        """Send a request (with retries) and return the response, its body not yet read."""
        call = self._call(method, path, kwargs, accept=_ACCEPT_ANY)
        return AsyncBinaryResponse(await self._send(call, stream=True))

    async def request_page(
        self,
        method: str,
        path: str,
        *,
        parse: Callable[[object], object],
        page: PageSpec,
        item: type[_T],
        **kwargs: Unpack[RequestArgs],
    ) -> AsyncPage[_T]:
        """Send a list request (with retries) and return its first page; later pages on demand.

        `item` only types the page: `parse` (the response model's validation) makes the items.
        """
        call = self._call(method, path, kwargs, accept=_ACCEPT_JSON)
        return await self._fetch_page(call, parse, page, item)

    async def _fetch_page(
        self,
        call: _Call,
        parse: Callable[[object], object],
        spec: PageSpec,
        item: type[_T],
    ) -> AsyncPage[_T]:
        response = self._process(await self._send(call, stream=False), parse)

        async def fetch(cursor: str) -> AsyncPage[_T]:
            next_call = _with_cursor(call, spec.cursor_param, cursor)
            return await self._fetch_page(next_call, parse, spec, item)

        return AsyncPage(
            response, spec, fetch, _request_cursor(call, spec.cursor_param)
        )

    async def _send(self, call: _Call, *, stream: bool) -> httpx.Response:
        request = self._build_request(call)
        max_retries = self._max_retries(call.options)
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
                raise APIConnectionError(
                    f"Connection error: {exc}", request=request
                ) from exc
            except httpx.RequestError as exc:
                raise APIConnectionError(
                    f"Connection error: {exc}", request=request
                ) from exc
            if response.is_success:
                if retries_taken < max_retries and self._may_carry_in_body_error(
                    response
                ):
                    await response.aread()
                    if self._retryable_in_body_error(response):
                        delay = self._retry_delay(retries_taken, response.headers)
                        await response.aclose()
                        await self._sleep(delay)
                        retries_taken += 1
                        continue
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

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
