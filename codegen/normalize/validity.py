"""Local validity checks for a node a rule is about to restore, without validating the document.

A rule that puts a repaired node back must know it is now valid; running the whole validator again
for that would make normalize cost grow with the number of defects. These check one node: against
an OpenAPI 3.1 definition, or a value against one schema of the document.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..ingest.prescreen import ValueJudge
from ..jsonpointer import split


@cache
def _definition_validator(definition: str) -> Any:
    """A validator of one ``$defs`` entry of the OpenAPI 3.1 meta-schema.

    jsonschema-rs reads the meta-schema file that openapi-spec-validator ships, without importing
    openapi-spec-validator (a third of a second, most of a small build's normalize). Without the
    file, or for a definition that needs the schema dialect's resources, openapi-schema-validator
    decides."""
    import jsonschema_rs

    from ..ingest.oas_schemas import document_schema

    schema = document_schema()
    try:
        if schema is None:
            raise KeyError("schema.json")
        root = {"$id": schema["$id"], "$defs": schema["$defs"]}
        return jsonschema_rs.validator_for({**root, "$ref": f"#/$defs/{definition}"})
    except (ValueError, KeyError, jsonschema_rs.ReferencingError):
        from openapi_schema_validator import OAS31Validator
        from openapi_spec_validator.schemas import schema_v31

        root = {"$id": schema_v31["$id"], "$defs": schema_v31["$defs"]}
        return OAS31Validator({**root, "$ref": f"#/$defs/{definition}"})


def is_valid_as(definition: str, value: Any) -> bool:
    """``value`` is a valid OpenAPI 3.1 ``definition`` (``security-scheme``, ``schema``…)."""
    return bool(_definition_validator(definition).is_valid(value))


class SchemaFit:
    """Checks values against schemas of one document, which is read once (a validator per check
    over the whole document would make a rule's cost grow with document size times defects)."""

    _URI = "urn:specgen:document"

    def __init__(self, document: dict[str, Any]) -> None:
        self._document = document
        self._registry: Any = None
        """Made at the first check jsonschema-rs cannot answer: ``referencing``'s import alone
        is 15 ms, python-jsonschema's 50 more."""
        self._judge = ValueJudge(document)

    def changed(self) -> None:
        """A schema's constraints changed: what jsonschema-rs read of the document is stale."""
        self._judge.forget()

    def _document_registry(self) -> Any:
        if self._registry is None:
            from referencing import Registry
            from referencing.jsonschema import DRAFT202012

            resource = DRAFT202012.create_resource(self._document)
            self._registry = Registry().with_resource(self._URI, resource)
        return self._registry

    def fits(self, schema_pointer: str, value: Any) -> bool:
        """``value`` is valid against the schema at ``schema_pointer`` (local ``$ref``s followed)."""
        from ..ingest.oas31_values import value_validator

        judged = self._judge.is_valid(tuple(split(schema_pointer)), value, check_formats=False)
        if judged is not None:
            return judged
        schema = {"$ref": f"{self._URI}#{schema_pointer}"}
        try:
            validator = value_validator(
                schema, check_formats=False, registry=self._document_registry()
            )
            return bool(validator.is_valid(value))
        except Exception:  # an unresolvable reference: not provably valid
            return False
