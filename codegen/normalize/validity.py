"""Local validity checks for a node a rule is about to restore, without validating the document.

A rule that puts a repaired node back must know it is now valid; running the whole validator again
for that would make normalize cost grow with the number of defects. These check one node: against
an OpenAPI 3.1 definition, or a value against one schema of the document.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _definition_validator(definition: str) -> Any:
    from openapi_schema_validator import OAS31Validator
    from openapi_spec_validator.schemas import schema_v31

    # Only the definitions: the root's own keywords describe a whole document.
    root = {"$id": schema_v31["$id"], "$defs": schema_v31["$defs"]}
    return OAS31Validator({**root, "$ref": f"#/$defs/{definition}"})


def is_valid_as(definition: str, value: Any) -> bool:
    """``value`` is a valid OpenAPI 3.1 ``definition`` (``security-scheme``, ``schema``…)."""
    return bool(_definition_validator(definition).is_valid(value))


def fits_schema(document: dict[str, Any], schema_pointer: str, value: Any) -> bool:
    """``value`` is valid against the schema at ``schema_pointer`` (local ``$ref``s followed)."""
    from openapi_schema_validator import OAS31Validator

    root = {**document, "$ref": "#" + schema_pointer}
    try:
        return bool(OAS31Validator(root).is_valid(value))
    except Exception:  # an unresolvable reference: not provably valid
        return False
