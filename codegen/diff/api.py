"""``diff_apis``: every change between two merged APIs, classified and in report order."""

from __future__ import annotations

from ..ir.model import API
from .change import Change, sorted_changes
from .operations import operation_changes
from .vendors import vendor_changes


def diff_apis(old: API, new: API) -> list[Change]:
    """The changes a caller of the generated client would see going from ``old`` to ``new``.

    Deterministic: the same pair of APIs gives the same list in the same order.
    """
    return sorted_changes(operation_changes(old, new) + vendor_changes(old, new))
