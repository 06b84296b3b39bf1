"""Sentinel for omitted arguments, header/query/body aliases and per-call request options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias, TypeVar

import httpx
from typing_extensions import TypeIs

__all__ = [
    "NOT_GIVEN",
    "Body",
    "Headers",
    "NotGiven",
    "Query",
    "RequestOptions",
    "Timeout",
    "is_given",
]

_T = TypeVar("_T")


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
