"""The classification table: every kind of API change, whether it breaks a caller, and why."""

from __future__ import annotations

import msgspec


class Rule(msgspec.Struct, frozen=True):
    """One row of the table: the words a report uses for a kind of change, and its verdict."""

    breaking: bool
    what: str
    reason: str


B, OK = True, False

RULES: dict[str, Rule] = {
    # operations
    "operation-added": Rule(OK, "operation added", "existing calls are untouched"),
    "operation-removed": Rule(B, "operation removed", "calls to it fail"),
    "vendor-operation-added": Rule(OK, "vendor now serves it", "existing calls are untouched"),
    "vendor-operation-removed": Rule(
        B, "vendor no longer serves it", "calls to it through this vendor fail"
    ),
    "request-body-added-required": Rule(
        B, "required request body added", "calls without a body are refused"
    ),
    "request-body-added-optional": Rule(
        OK, "optional request body added", "calls without a body still work"
    ),
    "request-body-removed": Rule(B, "request body removed", "calls that send a body may fail"),
    "request-body-now-required": Rule(
        B, "request body now required", "calls without a body are refused"
    ),
    "request-body-now-optional": Rule(
        OK, "request body now optional", "calls with a body still work"
    ),
    "response-body-added": Rule(OK, "response body added", "callers get more than before"),
    "response-body-removed": Rule(
        B, "response body removed", "callers reading the response get nothing"
    ),
    "streaming-added": Rule(OK, "streaming added", "non-streaming calls are untouched"),
    "streaming-removed": Rule(B, "streaming removed", "streaming calls fail"),
    "stream-flag-changed": Rule(
        B, "stream flag renamed", "the old flag no longer turns streaming on"
    ),
    "stream-terminator-changed": Rule(
        B, "stream end marker changed", "an old client does not recognise the new end marker"
    ),
    "stream-media-type-changed": Rule(
        B, "stream media type changed", "an old client cannot read the new stream"
    ),
    "error-status-added": Rule(
        OK, "error status added", "every status already raises a typed APIStatusError"
    ),
    "error-status-removed": Rule(
        OK, "error status removed", "one failure fewer; status error classes stay in the client"
    ),
    # fields
    "request-field-added-required": Rule(
        B, "required request field added", "existing calls do not send it and are refused"
    ),
    "request-field-added-optional": Rule(
        OK, "optional request field added", "existing calls need not send it"
    ),
    "request-field-removed": Rule(
        B, "request field removed", "request models refuse unknown keys: calls sending it fail"
    ),
    "response-field-added": Rule(
        OK, "response field added", "callers ignore what they do not read"
    ),
    "response-field-removed-required": Rule(
        B, "guaranteed response field removed", "callers relying on it find it missing"
    ),
    "response-field-removed-optional": Rule(
        OK, "optional response field removed", "it was never guaranteed to be present"
    ),
    "request-field-now-required": Rule(
        B, "request field now required", "calls that leave it out are refused"
    ),
    "request-field-now-optional": Rule(
        OK, "request field now optional", "calls that send it still work"
    ),
    "response-field-now-required": Rule(
        OK, "response field now guaranteed", "callers already handle it being present"
    ),
    "response-field-now-optional": Rule(
        B, "response field no longer guaranteed", "callers relying on it may find it missing"
    ),
    "request-nullable-added": Rule(OK, "request value may now be null", "non-null values pass"),
    "request-nullable-removed": Rule(
        B, "request value may no longer be null", "calls sending null are refused"
    ),
    "response-nullable-added": Rule(
        B, "response value may now be null", "callers not expecting null break on it"
    ),
    "response-nullable-removed": Rule(
        OK, "response value no longer null", "callers handling null still work"
    ),
    # types
    "request-type-widened": Rule(OK, "request type widened", "every value sent before is accepted"),
    "request-type-narrowed": Rule(
        B, "request type narrowed", "some values sent before are refused"
    ),
    "request-type-changed": Rule(B, "request type changed", "values sent before are refused"),
    "response-type-widened": Rule(
        B, "response type widened", "callers may receive values of a type they do not handle"
    ),
    "response-type-narrowed": Rule(
        OK, "response type narrowed", "callers already handle every value it can take"
    ),
    "response-type-changed": Rule(
        B, "response type changed", "callers receive values of a type they do not handle"
    ),
    "request-variant-added": Rule(
        OK, "request variant added", "every value sent before is accepted"
    ),
    "request-variant-removed": Rule(
        B, "request variant removed", "values of that variant are refused"
    ),
    "response-variant-added": Rule(
        B, "response variant added", "callers may receive a shape they do not handle"
    ),
    "response-variant-removed": Rule(
        OK, "response variant removed", "callers already handle the remaining shapes"
    ),
    # enums
    "request-enum-value-added": Rule(
        OK, "request enum value added", "every value sent before is accepted"
    ),
    "request-enum-value-removed-closed": Rule(
        B, "request enum value removed", "the closed enum refuses calls sending it"
    ),
    "request-enum-value-removed-open": Rule(
        OK, "known request value removed", "the enum is open: the value still passes"
    ),
    "response-enum-value-added-open": Rule(
        OK, "response enum value added", "the enum is open: callers already accept other values"
    ),
    "response-enum-value-added-closed": Rule(
        B, "response enum value added", "the closed enum of an old client refuses it"
    ),
    "response-enum-value-removed": Rule(
        OK, "response enum value removed", "callers already handle the remaining values"
    ),
    "request-enum-opened": Rule(OK, "request enum opened", "every value sent before is accepted"),
    "request-enum-closed": Rule(
        B, "request enum closed", "values outside the known ones are refused"
    ),
    "response-enum-opened": Rule(
        B, "response enum opened", "callers may receive values they do not handle"
    ),
    "response-enum-closed": Rule(
        OK, "response enum closed", "callers already handle the known values"
    ),
    "request-enum-added-closed": Rule(
        B, "request enum added", "values outside the enum are now refused"
    ),
    "request-enum-added-open": Rule(
        OK, "known request values added", "the enum is open: every value still passes"
    ),
    "request-enum-removed": Rule(OK, "request enum removed", "every value sent before is accepted"),
    "response-enum-added": Rule(
        OK, "response enum added", "callers already handle every value of the type"
    ),
    "response-enum-removed-closed": Rule(
        B, "response enum removed", "callers may receive values outside the old enum"
    ),
    "response-enum-removed-open": Rule(
        OK, "known response values removed", "the enum was open: callers accept any value"
    ),
    # bounds and defaults
    "request-bound-tightened": Rule(
        B, "request bound tightened", "values the old bound allowed are refused"
    ),
    "request-bound-loosened": Rule(
        OK, "request bound loosened", "every value sent before is accepted"
    ),
    "response-bound-tightened": Rule(
        OK, "response bound tightened", "callers already handle every value it allows"
    ),
    "response-bound-loosened": Rule(
        B, "response bound loosened", "the old client validates responses and may refuse them"
    ),
    "request-default-changed": Rule(
        B, "request default changed", "calls that leave the field out behave differently"
    ),
    "request-default-added": Rule(
        OK, "request default documented", "calls behave as before; only documentation changed"
    ),
    "request-default-removed": Rule(
        OK, "request default no longer documented", "calls that send it are untouched"
    ),
    "response-default-changed": Rule(
        OK, "response default changed", "a response default is documentation only"
    ),
    "response-default-added": Rule(
        OK, "response default documented", "a response default is documentation only"
    ),
    "response-default-removed": Rule(
        OK, "response default no longer documented", "a response default is documentation only"
    ),
    # vendors
    "vendor-added": Rule(OK, "vendor added", "callers of the other vendors are untouched"),
    "vendor-removed": Rule(B, "vendor removed", "Client(vendor=...) for it fails"),
    "base-url-changed": Rule(B, "base URL changed", "an old client calls the old address"),
    "path-prefix-changed": Rule(B, "path prefix changed", "an old client calls the old paths"),
    "auth-changed": Rule(B, "auth scheme changed", "an old client authenticates the old way"),
    "auth-header-changed": Rule(B, "auth header changed", "an old client sends the old header"),
    "api-key-env-changed": Rule(
        B, "API key variable changed", "the key is no longer found in the environment"
    ),
    "in-body-error-added": Rule(
        OK, "in-body error code added", "a failure that passed as success now raises"
    ),
    "in-body-error-removed": Rule(
        B, "in-body error code removed", "its error class may vanish; code catching it breaks"
    ),
    "in-body-error-renamed": Rule(
        B, "in-body error code renamed", "its error class is renamed; code catching it breaks"
    ),
    "vendor-required-field-added": Rule(
        B,
        "vendor requires a field",
        "calls through this vendor that leave it out may be refused",
    ),
    "vendor-required-field-removed": Rule(
        OK, "vendor no longer requires a field", "calls that send it still work"
    ),
    "vendor-bound-tightened": Rule(
        B, "vendor bound tightened", "values the old bound allowed are refused by this vendor"
    ),
    "vendor-bound-loosened": Rule(
        OK, "vendor bound loosened", "every value sent before is accepted"
    ),
    "vendor-known-value-added": Rule(
        OK, "vendor documents a value", "known values are documentation; any value still passes"
    ),
    "vendor-known-value-removed": Rule(
        OK, "vendor no longer documents a value", "known values are documentation only"
    ),
    "vendor-feature-added": Rule(OK, "vendor feature added", "existing calls are untouched"),
    "vendor-feature-removed": Rule(
        B, "vendor feature removed", "calls using it through this vendor may fail"
    ),
}
"""Kind -> rule. Kinds of request and response changes differ where the verdicts differ.

"Breaking" is judged for a caller of the generated client: code written against the old client
must change, or the old client no longer works against the new API.
"""


def rule(kind: str) -> Rule:
    """The table's row for a kind; an unknown kind is a bug in the comparison, said loudly."""
    return RULES[kind]
