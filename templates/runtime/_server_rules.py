"""A vendor's own demands on a request body beyond the merged model, checked when serving as it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pydantic

from ._server_errors import HTTPError

__all__ = ["VendorRules"]

_SYMBOLS = {
    "ge": ">=",
    "gt": ">",
    "le": "<=",
    "lt": "<",
    "min_length": "length >=",
    "max_length": "length <=",
}


@dataclass(frozen=True)
class VendorRules:
    """Top-level body fields the vendor requires, and its bounds on fields (pydantic's keywords:
    ge, gt, le, lt, and min_length/max_length on a string's or list's length).

    The merged model accepts what any vendor accepts; a server standing in for one vendor
    answers as that vendor would, with a 4xx error instead of a handler call.
    """

    required: tuple[str, ...] = ()
    bounds: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def check(self, body: object, status: int) -> None:
        """Raise HTTPError(status) for the first rule `body` (a validated model) breaks."""
        if not isinstance(body, pydantic.BaseModel):
            return
        sent = body.model_dump(by_alias=True, exclude_unset=True)
        known = {info.alias or name for name, info in type(body).model_fields.items()}
        for name in self.required:
            if name in known and name not in sent:
                raise HTTPError(
                    status,
                    f"Invalid request body: '{name}': this server requires the field",
                    param=name,
                )
        for name, limits in self.bounds.items():
            value = sent.get(name)
            if value is None:
                continue
            for keyword, limit in limits.items():
                if not _within(value, keyword, limit):
                    raise HTTPError(
                        status,
                        f"Invalid request body: '{name}': must be {_SYMBOLS[keyword]} {limit} "
                        "on this server",
                        param=name,
                    )


def _within(value: object, keyword: str, limit: float) -> bool:
    if keyword in ("min_length", "max_length"):
        if not isinstance(value, str | list | tuple | dict):
            return True
        size = len(value)
        return size >= limit if keyword == "min_length" else size <= limit
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    if keyword == "ge":
        return value >= limit
    if keyword == "gt":
        return value > limit
    if keyword == "le":
        return value <= limit
    return value < limit
