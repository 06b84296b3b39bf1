"""Vendor profiles as a document extension, so a merged document carries them through a round trip."""

from __future__ import annotations

from typing import Any

from .model import VendorProfile
from .serialize import from_data, to_data

VENDORS_EXTENSION = "x-specgen-vendors"


def vendor_extension(profiles: tuple[VendorProfile, ...]) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = to_data(profiles)
    return data


def read_vendor_extension(document: dict[str, Any]) -> tuple[VendorProfile, ...] | None:
    raw = document.get(VENDORS_EXTENSION)
    if not isinstance(raw, list):
        return None
    return tuple(from_data(item, VendorProfile) for item in raw)
