"""Constraints stated in prose: a small table of wording patterns and the claims they yield.

Each pattern is general wording ("between A and B", "Default: X", "either 'a' or 'b'"), never a
field's name; what a claim means for a given schema (bounds, item counts, lengths) is the rule's
business, since the same words bound a number and count an array's items.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Literal

import msgspec

__all__ = [
    "PATTERNS",
    "Claim",
    "ClaimKind",
    "Pattern",
    "decimals_in",
    "parse_number",
    "read_claims",
]

ClaimKind = Literal["range", "bound", "default", "enum", "max_count", "value_list"]
Value = str | int | float | bool | None

# A number as prose writes it; the written form (a decimal point or not) is itself evidence.
NUMBER = r"[-−]?\d+(?:\.\d+)?"
# A value in quotes or backticks.
QUOTED = r"(?:`[^`\n]+`|'[^'\n]+'|\"[^\"\n]+\")"
# A bare token that cannot be an English word: it holds a dot, underscore, hyphen or digit.
IDENTIFIER = r"(?=[A-Za-z_][A-Za-z0-9]*[._\d-][A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_.-]*[A-Za-z0-9_]"
QUOTED_LIST = rf"{QUOTED}(?:\s*,\s*{QUOTED})*(?:\s*,?\s*(?:or|and)\s+{QUOTED})"
COMPARATOR = r">=|<=|>|<|≥|≤"


class Claim(msgspec.Struct, frozen=True):
    """What one pattern read in a text. ``values`` by kind:

    - range: (low, high), inclusive; bound: (comparator, number) with comparator >=, >, <=, <;
    - default: (raw text, quoted); enum and value_list: the named values; max_count: (n,).
    """

    kind: ClaimKind
    pattern: str
    text: str
    values: tuple[Value, ...]


class Pattern(msgspec.Struct, frozen=True, dict=True):
    """One wording: its name, the kind of claim it makes, its regex, and how a match reads.

    ``hints``: strings one of which any match holds (in lower case), so that the regex runs only
    on a text that holds one; empty when no such string exists."""

    name: str
    kind: ClaimKind
    expression: str
    read: Callable[[re.Match[str]], tuple[Value, ...] | None]
    hints: tuple[str, ...] = ()
    flags: re.RegexFlag = re.NOFLAG

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        """Compiled when first needed: many documents never hold some wordings' hints, and
        compiling the whole table cost every import a few milliseconds."""
        return re.compile(self.expression, self.flags)

    def may_match(self, lowered: str | None) -> bool:
        """Whether the regex can match a text whose lower case is ``lowered`` (None: a text
        that is not ASCII, where Unicode case folding can match what lower case does not)."""
        if lowered is None or not self.hints:
            return True
        # A loop, not any(): this is asked of every pattern for every text.
        for hint in self.hints:  # noqa: SIM110
            if hint in lowered:
                return True
        return False


def parse_number(text: str) -> int | float:
    """``"2"`` -> 2, ``"2.0"`` -> 2.0: an int unless the prose wrote a decimal point."""
    text = text.replace("−", "-")
    return float(text) if "." in text else int(text)


def _unquote(token: str) -> str:
    """`x`, 'x', "x", and code around a quoted string (`"message"`) all name the value x."""
    for _ in range(2):
        if len(token) >= 2 and token[:1] in "`'\"" and token[-1:] == token[:1]:
            token = token[1:-1]
    return token


def _quoted_values(text: str) -> tuple[str, ...]:
    return tuple(_unquote(token) for token in re.findall(QUOTED, text))


def _read_range(match: re.Match[str]) -> tuple[Value, ...] | None:
    low, high = parse_number(match.group(1)), parse_number(match.group(2))
    return (low, high) if low <= high else None


def _read_bounds(match: re.Match[str]) -> tuple[Value, ...] | None:
    values: list[Value] = []
    for comparator, number in ((match.group(1), match.group(2)), (match.group(3), match.group(4))):
        if comparator:
            values += [comparator.replace("≥", ">=").replace("≤", "<="), parse_number(number)]
    return tuple(values)


def _read_comparison_range(match: re.Match[str]) -> tuple[Value, ...] | None:
    """``A < x <= B`` read as x > A and x <= B."""
    flipped = {"<": ">", "<=": ">=", "≤": ">="}
    upper = match.group(3).replace("≤", "<=")
    return (
        flipped[match.group(2)],
        parse_number(match.group(1)),
        upper,
        parse_number(match.group(4)),
    )


def _read_default(match: re.Match[str]) -> tuple[Value, ...] | None:
    """A default in quotes is a string; one in code marks is a literal as written (`true` is
    the boolean, `5m` a string either way), unless quotes sit inside the marks."""
    token = match.group(1)
    quoted = token[:1] in "'\"" or (token[:1] == "`" and token[1:2] in "'\"")
    return (_unquote(token), quoted and token[-1:] == token[:1])


def _read_quoted(match: re.Match[str]) -> tuple[Value, ...] | None:
    values = _quoted_values(match.group(0))
    return values if len(values) >= 2 else None


def _read_bracket_list(match: re.Match[str]) -> tuple[Value, ...] | None:
    values = tuple(_unquote(v.strip()) for v in match.group(1).split(",") if v.strip())
    return values or None


def _read_single(match: re.Match[str]) -> tuple[Value, ...] | None:
    return (_unquote(match.group(1)),)


def _read_count(match: re.Match[str]) -> tuple[Value, ...] | None:
    return (int(match.group(1)),)


_I = re.IGNORECASE
_UNCONDITIONAL = r"(?!,?\s+(?:when|if|unless|only|for|with)\b)"
"""A default with a condition after it ("Defaults to 'medium' when used with X") holds only
then, so it is not the field's default."""

PATTERNS: tuple[Pattern, ...] = (
    # "between 0 and 2", "between -2.0 and 2.0"
    Pattern(
        "between",
        "range",
        rf"\bbetween\s+({NUMBER})\s+and\s+({NUMBER})\b",
        _read_range,
        ("between",),
        flags=_I,
    ),
    # "(0-2)", "(0 – 1)"
    Pattern(
        "parenthesised-range",
        "range",
        rf"\(\s*({NUMBER})\s*[-–]\s*({NUMBER})\s*\)",
        _read_range,
        ("(",),
    ),
    # "Possible values: >= -2 and <= 2", "Possible values: > 1" (rendered docs pages)
    Pattern(
        "possible-values-bounds",
        "bound",
        rf"\bPossible values:\s*({COMPARATOR})\s*({NUMBER})"
        rf"(?:\s+and\s+({COMPARATOR})\s*({NUMBER}))?",
        _read_bounds,
        ("possible values:",),
        flags=_I,
    ),
    # "Default: 1", "Default value: 0", "Defaults to `auto`"
    Pattern(
        "default",
        "default",
        rf"\bDefault(?:s\s+to\s+|\s+value\s*:\s*|\s*:\s*)"
        rf"({QUOTED}|{NUMBER}(?!\w|\.\d)|(?:true|false|null)\b|"
        rf"[A-Za-z_][\w.-]*?(?=[,;)]|\.(?:\s|$)|\s*$)){_UNCONDITIONAL}",
        _read_default,
        ("default",),
        flags=_I,
    ),
    # "Required range: `0 < x <= 1`": the value between two comparisons
    Pattern(
        "comparison-range",
        "bound",
        rf"({NUMBER})\s*(<=|<|≤)\s*[a-z]\s*(<=|<|≤)\s*({NUMBER})(?![\w.])",
        _read_comparison_range,
        ("<", "≤"),
    ),
    # "higher values increase creativity [0,1]": an interval in brackets
    Pattern(
        "bracket-range",
        "range",
        rf"(?<![\w`\[])\[\s*({NUMBER})\s*,\s*({NUMBER})\s*\](?![\w`(])",
        _read_range,
        ("[",),
    ),
    # "Default `false`", "Default is `["text"]`": a quoted default without a colon
    Pattern(
        "default-quoted",
        "default",
        rf"\bDefault\s+(?:is\s+)?({QUOTED}){_UNCONDITIONAL}",
        _read_default,
        ("default",),
        flags=_I,
    ),
    # "Enum: `system`, `user`", "Available options: `stop`, `length`": a labelled list
    Pattern(
        "labelled-values",
        "enum",
        rf"\b(?:Enum|Available options|Allowed values)\s*:\s*{QUOTED}(?:\s*,\s*{QUOTED})*",
        _read_quoted,
        ("enum", "available options", "allowed values"),
        flags=_I,
    ),
    # "Possible values: [stop, length]"
    Pattern(
        "possible-values-list",
        "enum",
        r"\bPossible values:\s*\[([^\]\n]*)\]",
        _read_bracket_list,
        ("possible values:",),
        flags=_I,
    ),
    # the whole text is a list: "`system`, `user`, or `assistant`"
    Pattern(
        "listed-values",
        "enum",
        rf"^\s*(?:one of\s+)?{QUOTED_LIST}\s*\.?\s*$",
        _read_quoted,
        ("`", "'", '"'),
        flags=_I,
    ),
    # "either 'user' or 'assistant'", "either `system`, `user`, or `tool`"
    Pattern(
        "either-or",
        "enum",
        rf"\beither\s+(?:{QUOTED_LIST}|{QUOTED}\s+or\s+{QUOTED})",
        _read_quoted,
        ("either",),
        flags=_I,
    ),
    # "one of `a`, `b` or `c`"
    Pattern(
        "one-of",
        "enum",
        rf"\bone of(?: the following)?:?\s+{QUOTED_LIST}",
        _read_quoted,
        ("one of",),
        flags=_I,
    ),
    # "always 'chat.completion.chunk'", "which is always chat.completion."
    Pattern(
        "always",
        "enum",
        rf"\balways\s+(?:be\s+)?({QUOTED}|{IDENTIFIER}(?=[,;]|\.?\s*$|\.\s))",
        _read_single,
        ("always",),
        flags=_I,
    ),
    # "Up to 8 sequences": a count of items
    Pattern(
        "up-to-count",
        "max_count",
        r"\bup to\s+(\d+)\s+[A-Za-z]+s\b",
        _read_count,
        ("up to",),
        flags=_I,
    ),
    # "This will be stop if ..., length if ...": one value per match
    Pattern(
        "value-if-clauses",
        "value_list",
        rf"(?:\bbe|,|;)\s+(?:or\s+|and\s+)?({QUOTED}|[A-Za-z_][\w.-]*)\s+if\b",
        _read_single,
        ("if",),
        flags=_I,
    ),
)


def _matches(text: str) -> Iterator[Claim]:
    # In ASCII text a case-insensitive match holds its hint in lower case; other text may match
    # through Unicode case folding (the Kelvin sign is a "k"), so every regex runs on it.
    lowered = text.lower() if text.isascii() else None
    for pattern in PATTERNS:
        if not pattern.may_match(lowered):
            continue
        if pattern.kind == "value_list":
            tokens = [v for m in pattern.regex.finditer(text) for v in pattern.read(m) or ()]
            if tokens:
                spans = "; ".join(m.group(0).strip() for m in pattern.regex.finditer(text))
                yield Claim("value_list", pattern.name, spans, tuple(dict.fromkeys(tokens)))
            continue
        for match in pattern.regex.finditer(text):
            values = pattern.read(match)
            if values is not None:
                yield Claim(pattern.kind, pattern.name, match.group(0).strip(), values)


def read_claims(text: str) -> list[Claim]:
    """Every claim the pattern table reads in ``text``, in table order."""
    return list(_matches(text))


_DECIMAL = re.compile(r"(?<![\w./-])(-?\d+\.\d+)(?!\w|\.\d)")


def decimals_in(text: str) -> list[str]:
    """Numbers the prose writes with a decimal point ("0.8", "-9999.0"); not versions or dates."""
    return [m.group(1) for m in _DECIMAL.finditer(text)]
