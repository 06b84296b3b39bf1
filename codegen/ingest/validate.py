"""Validation with openapi-spec-validator, and quarantine for what 3.1 cannot hold as written.

Ingest must write a valid document without correcting the vendor. A node the validator rejects
(001's ``type: bearer`` security scheme, an extension object inside a security requirement) is
moved verbatim into the root ``x-specgen-quarantine`` list with the validator's reason; normalize
decides whether it can be repaired. Nothing is dropped, nothing is guessed.
"""

from __future__ import annotations

import copy
from typing import Any

from ..errors import SpecgenError
from ..jsonpointer import join, parent, resolve, split
from .document import QUARANTINE_EXTENSION

_MAX_ROUNDS = 20


def validation_errors(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(pointer, message) for every error openapi-spec-validator reports on a 3.1 document."""
    # Imported here: it costs ~0.4 s, which every command would otherwise pay at start-up.
    from openapi_spec_validator import OpenAPIV31SpecValidator

    validator = OpenAPIV31SpecValidator(document)
    found: list[tuple[str, str]] = []
    for error in validator.iter_errors():
        pointer = join("", *error.absolute_path)
        message = str(error.message).splitlines()[0]
        found.append((pointer, message[:200]))
    return found


def _remove(document: dict[str, Any], pointer: str) -> None:
    container = resolve(document, parent(pointer))
    token = split(pointer)[-1]
    if isinstance(container, list):
        container.pop(int(token))
    else:
        del container[token]


def quarantine_invalid(document: dict[str, Any], *, file: str) -> dict[str, Any]:
    """Return a copy that passes validation, with rejected nodes kept under x-specgen-quarantine."""
    original = copy.deepcopy(document)
    working = copy.deepcopy(document)
    reasons: dict[str, str] = {}
    for _ in range(_MAX_ROUNDS):
        errors = validation_errors(working)
        if not errors:
            break
        for pointer, message in sorted(
            errors, key=lambda item: (len(item[0]), item[0]), reverse=True
        ):
            if not pointer:
                raise SpecgenError(f"not a valid OpenAPI document: {message}", file=file)
            try:
                _remove(working, pointer)
            except (KeyError, IndexError, ValueError):
                continue  # already removed with an ancestor this round
            reasons.setdefault(pointer, message)
    else:
        raise SpecgenError("cannot make the document valid OpenAPI 3.1", file=file)
    if not reasons:
        return working
    kept = sorted(reasons)
    outermost = [p for p in kept if not any(p.startswith(q + "/") for q in kept if q != p)]
    working[QUARANTINE_EXTENSION] = [
        {
            "pointer": pointer,
            "value": resolve(original, pointer),
            "reason": "; ".join(
                reasons[p] for p in kept if p == pointer or p.startswith(pointer + "/")
            ),
        }
        for pointer in outermost
    ]
    return working
