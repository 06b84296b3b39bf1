"""One API change (a frozen record carrying its verdict and reason) and its deterministic order."""

from __future__ import annotations

from dataclasses import dataclass

from .rules import rule

_METHOD_ORDER = ("get", "post", "put", "patch", "delete", "head", "options", "trace")


@dataclass(frozen=True)
class Change:
    """What changed where, before and after, and whether it breaks a caller (with why).

    ``operation`` ("POST /chat/completions") and ``vendor`` say which group the change belongs
    to; ``place`` is where inside it ("request.messages[].content", "base_url"), empty when the
    change is of the operation or vendor as a whole.
    """

    kind: str
    breaking: bool
    operation: str | None
    vendor: str | None
    place: str
    what: str
    before: str | None
    after: str | None
    reason: str

    @property
    def group(self) -> str:
        """The heading a report files this change under: its operation, else its vendor."""
        if self.operation is not None:
            return self.operation
        if self.vendor is not None:
            return f"vendor {self.vendor}"
        return "API"

    @property
    def location(self) -> str:
        """The operation (if any) and the place, as one string."""
        return " ".join(part for part in (self.operation, self.place) if part)


def make_change(
    kind: str,
    place: str,
    *,
    operation: str | None = None,
    vendor: str | None = None,
    before: str | None = None,
    after: str | None = None,
) -> Change:
    """A change of a kind in the rules table, its verdict and reason taken from the table."""
    row = rule(kind)
    return Change(
        kind=kind,
        breaking=row.breaking,
        operation=operation,
        vendor=vendor,
        place=place,
        what=row.what,
        before=before,
        after=after,
        reason=row.reason,
    )


def operation_label(method: str, path: str) -> str:
    """How a change names its operation: ``POST /chat/completions``."""
    return f"{method.upper()} {path}"


def _group_key(change: Change) -> tuple[int, str, int, str]:
    if change.operation is not None:
        method, _, path = change.operation.partition(" ")
        lowered = method.lower()
        rank = _METHOD_ORDER.index(lowered) if lowered in _METHOD_ORDER else len(_METHOD_ORDER)
        return (0, path, rank, method)
    return (1, change.vendor or "", 0, "")


def sort_key(change: Change) -> tuple[object, ...]:
    """Operations by path then method, then vendors by name; inside a group by vendor and place."""
    return (
        _group_key(change),
        change.vendor or "",
        change.place,
        change.kind,
        change.before or "",
        change.after or "",
    )


def sorted_changes(changes: list[Change]) -> list[Change]:
    """The changes in report order, without duplicates."""
    return sorted(set(changes), key=sort_key)
