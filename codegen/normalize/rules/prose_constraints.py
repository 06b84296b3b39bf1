"""Rule prose-constraints: bounds, counts, defaults and enums stated only in a description.

Prose only adds what the markup leaves out. Where it repeats the markup nothing fires; where it
contradicts an inclusive bound, a default or an enum it is reported and the markup kept; an
exclusive bound the prose states inclusively at the same number is a rendering slip, settled by
the prose.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from ...jsonpointer import join
from ..context import RuleContext
from ..evidence import schema_types
from ..prose import Claim, parse_number, read_claims

RULE_ID = "prose-constraints"
KEEPS_SHAPE = True  # changes only keywords that hold no schema (see rules.SHAPE_KEEPING)

Side = Literal["lower", "upper"]

_NUMERIC_KEYWORDS: dict[Side, tuple[str, str]] = {
    "lower": ("minimum", "exclusiveMinimum"),
    "upper": ("maximum", "exclusiveMaximum"),
}
_COUNT_KEYWORDS: dict[str, dict[Side, str]] = {
    "array": {"lower": "minItems", "upper": "maxItems"},
    "string": {"lower": "minLength", "upper": "maxLength"},
}
_COMPARATORS: dict[str, tuple[Side, bool]] = {
    ">=": ("lower", True),
    ">": ("lower", False),
    "<=": ("upper", True),
    "<": ("upper", False),
}


class _Bound(msgspec.Struct, frozen=True):
    side: Side
    value: int | float
    inclusive: bool
    claim: Claim


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(value: Any) -> int | float:
    """A claim's number; the pattern table only puts numbers where this is called."""
    if not _is_number(value):
        raise TypeError(f"not a number: {value!r}")
    return value  # type: ignore[no-any-return]


def _said(claim: Claim) -> str:
    return f'the description says "{claim.text}"'


def _bounds(claims: list[Claim], *, ranges: bool) -> list[_Bound]:
    found: list[_Bound] = []
    for claim in claims:
        if claim.kind == "range" and ranges:
            low, high = _number(claim.values[0]), _number(claim.values[1])
            found += [_Bound("lower", low, True, claim), _Bound("upper", high, True, claim)]
        elif claim.kind == "bound":
            for position in range(0, len(claim.values), 2):
                side, inclusive = _COMPARATORS[str(claim.values[position])]
                found.append(_Bound(side, _number(claim.values[position + 1]), inclusive, claim))
    return found


class _Lift:
    """The claims of one schema's description, applied to that schema."""

    def __init__(self, context: RuleContext, pointer: str, schema: dict[str, Any]) -> None:
        self.context = context
        self.pointer = pointer
        self.schema = schema
        self.types = schema_types(schema)

    def _one_per_side(self, bounds: list[_Bound], side: Side, what: str) -> _Bound | None:
        chosen = [b for b in bounds if b.side == side]
        distinct = {(float(b.value), b.inclusive) for b in chosen}
        if len(distinct) > 1:
            texts = "; ".join(dict.fromkeys(f'"{b.claim.text}"' for b in chosen))
            self.context.warn(
                self.pointer,
                f"the description states different {side} {what}s; none lifted",
                evidence=f"the description says {texts}",
            )
            return None
        return chosen[0] if chosen else None

    def numeric_bounds(self, claims: list[Claim]) -> None:
        bounds = _bounds(claims, ranges=True)
        for side in ("lower", "upper"):
            bound = self._one_per_side(bounds, side, "bound")
            if bound is not None:
                self._numeric_bound(bound)

    def _numeric_bound(self, bound: _Bound) -> None:
        inclusive_key, exclusive_key = _NUMERIC_KEYWORDS[bound.side]
        wanted, other = (
            (inclusive_key, exclusive_key) if bound.inclusive else (exclusive_key, inclusive_key)
        )
        present: Any = self.schema.get(wanted)
        opposite: Any = self.schema.get(other)
        if _is_number(present):
            if float(present) != float(bound.value):
                self._contradiction(wanted, present, bound.claim)
        elif _is_number(opposite):
            if bound.inclusive and float(opposite) == float(bound.value):
                # A rendered ">" next to "between 1 and N": the markup lost the "=", the prose
                # states the range the vendor means.
                del self.schema[other]
                self.schema[wanted] = bound.value
                self.context.repair(
                    join(self.pointer, other),
                    f"{other} {opposite} replaced by {wanted} {bound.value}: the prose states "
                    "the bound inclusively",
                    before={other: opposite},
                    after={wanted: bound.value},
                    evidence=_said(bound.claim),
                )
            else:
                self._contradiction(other, opposite, bound.claim)
        else:
            self._add(wanted, bound.value, bound.claim)

    def count_bounds(self, claims: list[Claim], kind: str) -> None:
        keywords = _COUNT_KEYWORDS[kind]
        bounds = _bounds(claims, ranges=False)
        if kind == "array":
            bounds += [
                _Bound("upper", _number(c.values[0]), True, c)
                for c in claims
                if c.kind == "max_count"
            ]
        for side in ("lower", "upper"):
            bound = self._one_per_side(bounds, side, "count")
            if bound is None or float(bound.value) != int(bound.value):
                continue
            count = int(bound.value)
            if not bound.inclusive:
                count = count + 1 if side == "lower" else count - 1
            if count >= 0:
                self._count(keywords[side], count, bound.claim)

    def max_count_on_union(self, claims: list[Claim]) -> None:
        """ "Up to 8 sequences" on an untyped union: maxItems binds only its array instances."""
        bounds = [
            _Bound("upper", _number(c.values[0]), True, c) for c in claims if c.kind == "max_count"
        ]
        bound = self._one_per_side(bounds, "upper", "count")
        if bound is not None:
            self._count("maxItems", int(bound.value), bound.claim)

    def _count(self, keyword: str, count: int, claim: Claim) -> None:
        present = self.schema.get(keyword)
        if _is_number(present):
            if present != count:
                self._contradiction(keyword, present, claim)
        else:
            self._add(keyword, count, claim)

    def default(self, claims: list[Claim]) -> None:
        values: list[tuple[Any, Claim]] = []
        for claim in claims:
            if claim.kind == "default":
                typed = self._typed_default(str(claim.values[0]), bool(claim.values[1]))
                if typed is not _UNREADABLE:
                    values.append((typed, claim))
        if not values:
            return
        if len({repr(v) for v, _ in values}) > 1:
            texts = "; ".join(f'"{c.text}"' for _, c in values)
            self.context.warn(
                self.pointer,
                "the description states different defaults; none lifted",
                evidence=f"the description says {texts}",
            )
            return
        value, claim = values[0]
        enum = self.schema.get("enum")
        if "default" in self.schema:
            present = self.schema["default"]
            if not _same_value(present, value):
                self._contradiction("default", present, claim)
        elif isinstance(enum, list) and not any(_same_value(v, value) for v in enum):
            self.context.warn(
                join(self.pointer, "enum"),
                f"the description's default {value!r} is not one of the enum's values; not lifted",
                evidence=_said(claim),
            )
        else:
            self._add("default", value, claim)

    def _typed_default(self, raw: str, quoted: bool) -> Any:
        types = self.types
        if not quoted:
            if raw.lower() in ("true", "false") and "boolean" in types:
                return raw.lower() == "true"
            if raw.lower() == "null" and "null" in types:
                return None
            try:
                number = parse_number(raw)
            except ValueError:
                number = None
            if number is not None and ("number" in types or "integer" in types):
                return number
        if "string" in types:
            return raw
        return _UNREADABLE

    def enum(self, claims: list[Claim]) -> None:
        listed_claims = [c for c in claims if c.kind == "value_list"]
        enum_claims = [c for c in claims if c.kind == "enum"]
        prose_sets = {frozenset(map(str, c.values)) for c in enum_claims}
        if len(prose_sets) > 1:
            texts = "; ".join(f'"{c.text}"' for c in enum_claims)
            self.context.warn(
                self.pointer,
                "the description names different sets of values; no enum lifted",
                evidence=f"the description says {texts}",
            )
            enum_claims = []
        named = [str(v) for v in enum_claims[0].values] if enum_claims else []
        listed = [
            str(v)
            for c in listed_claims
            for v in c.values
            if str(v).lower() not in ("null", "none")
        ]
        existing = self.schema.get("enum")
        if existing is None:
            if not named or "const" in self.schema:
                return  # a const already says more than prose can
            values = named + [
                v for v in listed if len(set(listed) & set(named)) >= 2 and v not in named
            ]
            after = [*values, None] if "null" in self.types else values
            self._add("enum", after, enum_claims[0])
            return
        if not isinstance(existing, list) or not all(isinstance(v, str | None) for v in existing):
            return
        known = [v for v in existing if v is not None]
        # Values named in the same wording as two or more of the enum's own values ("stop if ...,
        # length if ...") are values of that enum the markup left out.
        confirmed = listed if len(set(listed) & set(known)) >= 2 else []
        additions = [v for v in dict.fromkeys(confirmed) if v not in known]
        if additions:
            after = known + additions + ([None] if None in existing else [])
            self.schema["enum"] = after
            self.context.repair(
                join(self.pointer, "enum"),
                f"enum value(s) {', '.join(additions)} named in the description added",
                before=existing,
                after=after,
                evidence=f"the description names {', '.join(confirmed)} in the same wording "
                f'("{listed_claims[0].text}"), and {", ".join(v for v in confirmed if v in known)} '
                "are already in the enum",
            )
        if named:
            full = set(known) | set(additions)
            if not set(named) <= full or not full <= set(named) | set(confirmed):
                self._contradiction("enum", existing, enum_claims[0])

    def _add(self, keyword: str, value: Any, claim: Claim) -> None:
        self.schema[keyword] = value
        self.context.repair(
            join(self.pointer, keyword),
            f"{keyword} {value!r} lifted from the description",
            before=None,
            after=value,
            evidence=_said(claim),
        )

    def _contradiction(self, keyword: str, present: Any, claim: Claim) -> None:
        self.context.warn(
            join(self.pointer, keyword),
            f"the description contradicts {keyword} {present!r}; the markup is kept",
            evidence=_said(claim),
        )


_UNREADABLE = object()


def _same_value(left: Any, right: Any) -> bool:
    if _is_number(left) and _is_number(right):
        return float(left) == float(right)
    return type(left) is type(right) and bool(left == right)


def apply(context: RuleContext) -> None:
    # A document repeats its descriptions (half the schemas of a large one share their text):
    # the claims are a function of the text alone, and no lift changes them, so read once each.
    claims_of: dict[str, list[Claim]] = {}
    for pointer, schema in context.schemas():
        text = schema.get("description")
        if not isinstance(text, str):
            continue
        claims = claims_of.get(text)
        if claims is None:
            claims = claims_of[text] = read_claims(text)
        if not claims:
            continue
        lift = _Lift(context, pointer, schema)
        types = lift.types
        if "integer" in types or "number" in types:
            lift.numeric_bounds(claims)
        elif "array" in types:
            lift.count_bounds(claims, "array")
        elif "string" in types:
            lift.count_bounds(claims, "string")
        elif not types:
            lift.max_count_on_union(claims)
        lift.default(claims)
        if "string" in types:
            lift.enum(claims)
