"""Sentinel for omitted arguments, request aliases, per-call options and request arguments."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import IO, Literal, TypeAlias, TypedDict, TypeVar, final

import httpx
from typing_extensions import TypeIs

__all__ = [
    "NOT_GIVEN",
    "Body",
    "BodyEncoding",
    "FileContent",
    "FileTypes",
    "Headers",
    "JSONBody",
    "NotGiven",
    "Query",
    "RequestArgs",
    "RequestOptions",
    "ResponseDecoding",
    "Timeout",
    "is_given",
]

_T = TypeVar("_T")


@final
class NotGiven:
    """Type of `NOT_GIVEN`, the default of every optional argument.

    `None` is a real value for nullable fields (sent as JSON null), so "the caller did not pass
    this argument" needs its own marker that the client strips before sending.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        # One instance only, so `is NOT_GIVEN` works even after copy or pickling round trips.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

Headers: TypeAlias = Mapping[str, str | None]
"""Request headers; a value of None removes a header the client would otherwise send."""

Query: TypeAlias = Mapping[str, object]
"""Query-string parameters."""

Body: TypeAlias = Mapping[str, object]
"""A JSON request body."""

Timeout: TypeAlias = float | httpx.Timeout | None
"""Seconds, a detailed httpx timeout, or None for no timeout at all."""


def is_given(value: _T | NotGiven) -> TypeIs[_T]:
    """Tell whether an optional argument was passed (anything but `NOT_GIVEN`)."""
    return not isinstance(value, NotGiven)


@dataclass(frozen=True)
class RequestOptions:
    """Per-call escape hatches and overrides of the client's defaults."""

    extra_headers: Headers | None = None
    extra_query: Query | None = None
    extra_body: Body | None = None
    timeout: Timeout | NotGiven = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN


BodyEncoding: TypeAlias = Literal["json", "form", "multipart", "binary", "text"]
"""How a request body goes on the wire: JSON, url-encoded form, multipart, raw bytes, plain text."""

ResponseDecoding: TypeAlias = Literal["json", "text", "binary"]
"""What `parse` receives: the decoded JSON body, the body text, or the body bytes."""

FileContent: TypeAlias = bytes | os.PathLike[str] | IO[bytes]
"""An upload's bytes: the bytes themselves, a path to read, or a file opened in binary mode."""

JSONBody: TypeAlias = list[object] | tuple[object, ...]
"""A JSON request body that is an array, sent as it is."""

FileTypes: TypeAlias = (
    FileContent | tuple[str, FileContent] | tuple[str, FileContent, str | None]
)
"""A multipart file: its content, or (filename, content) or (filename, content, mime type)."""


class RequestArgs(TypedDict, total=False):
    """Keyword arguments common to every request method of the clients; all optional."""

    body: Body | JSONBody | None
    """Body fields (NOT_GIVEN values are not sent), encoded per `body_encoding`; a JSON body
    that is not an object (a list) is sent whole."""
    query: Query | None
    """Query parameters by wire name; NOT_GIVEN and None values are not sent."""
    query_styles: Mapping[str, str] | None
    """Wire name -> "form" (the default), "form_csv", "space", "pipe" or "deep_object"."""
    headers: Mapping[str, object] | None
    """Header parameters of the operation; NOT_GIVEN and None values are not sent."""
    body_encoding: BodyEncoding
    """Defaults to "json"; the operation's documented request media type decides otherwise."""
    file_fields: Collection[str]
    """The body fields of a multipart body whose values are files."""
    vendor_fields: Collection[str] | None
    """Which of the profile's `required_fields` this operation's body has (None: all of them);
    the others belong to other operations and are not filled in here."""
    authenticate: bool
    """False for an operation its document says takes no credentials: the key is not sent."""
    content: object | None
    """The whole body of a "binary" (a FileContent) or "text" (a str) request."""
    accept: str | None
    """The Accept header, when the operation answers with something other than JSON."""
    vendors: Collection[str] | None
    """Vendors documenting the operation; any other vendor fails before a request is sent."""
    operation: str | None
    """The operation's name, for the error raised when the vendor does not serve it."""
    options: RequestOptions
    """The caller's extra headers, query, body, timeout and retries."""


@dataclass(frozen=True)
class _Call:
    """One call's arguments with defaults filled in, kept so a page can repeat its request."""

    method: str
    path: str
    accept: str
    query: Query | None = None
    query_styles: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, object] = field(default_factory=dict)
    body: Body | JSONBody | None = None
    body_encoding: BodyEncoding = "json"
    file_fields: Collection[str] = ()
    vendor_fields: Collection[str] | None = None
    authenticate: bool = True
    content: object | None = None
    options: RequestOptions = RequestOptions()
