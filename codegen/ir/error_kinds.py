"""What an in-body error means, read from the document's own evidence: a stated HTTP status, or
the words of its name and description. The kind decides which status error the generated class
subclasses, so ``except AuthenticationError`` catches every vendor's authentication failure."""

from __future__ import annotations

import re
from typing import Literal

ErrorKind = Literal["authentication", "permission", "payment", "timeout", "server"]

_STATUS_KINDS: dict[int, ErrorKind] = {401: "authentication", 402: "payment", 403: "permission"}
_STATUS_KINDS.update({408: "timeout", 504: "timeout"})

# Checked in this order: "insufficient balance on the key" is about payment, not the key.
_WORD_KINDS: tuple[tuple[ErrorKind, re.Pattern[str]], ...] = (
    ("payment", re.compile(r"balance|payment|billing|quota|credit|insufficient funds|recharge")),
    ("timeout", re.compile(r"time[\s-]?out|timed out")),
    ("permission", re.compile(r"permission|forbidden|access denied|not (permitted|allowed)")),
    (
        "authentication",
        re.compile(r"auth|api[\s_-]?key|credential|unauthori[sz]ed|token (is )?(invalid|expired)"),
    ),
    ("server", re.compile(r"server|internal|exception|abnormal|unavailable|overload")),
)


def error_kind(status: object, *texts: str | None) -> ErrorKind | None:
    """The kind of an error by its documented status, else by its words; None when neither tells."""
    if isinstance(status, int) and not isinstance(status, bool):
        if status in _STATUS_KINDS:
            return _STATUS_KINDS[status]
        if status >= 500:
            return "server"
    words = " ".join(text for text in texts if text).lower()
    for kind, pattern in _WORD_KINDS:
        if pattern.search(words):
            return kind
    return None
