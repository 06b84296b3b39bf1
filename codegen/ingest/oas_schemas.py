"""The OpenAPI 3.1 JSON schemas that openapi-spec-validator and openapi-schema-validator ship,
read from their package folders without importing either package.

Importing openapi-spec-validator costs a quarter of a second (it pulls in pydantic-settings,
jsonschema-path, requests...), openapi-schema-validator alone a sixth; a document with nothing to
repair needs only their schema files, which jsonschema-rs compiles.
"""

from __future__ import annotations

import importlib.util
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

OAS31_DIALECT_ID = "https://spec.openapis.org/oas/3.1/dialect/base"
_BACKEND_SETTING = "OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND"
_RUST_BACKENDS = frozenset(("auto", "jsonschema-rs"))


def _package_folder(package: str) -> Path | None:
    """Where ``package`` is installed, found without running its ``__init__``."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    return Path(folders[0]) if folders else None


@cache
def document_schema() -> dict[str, Any] | None:
    """openapi-spec-validator's JSON schema of an OpenAPI 3.1 document, or None if not found."""
    folder = _package_folder("openapi_spec_validator")
    if folder is None:
        return None
    try:
        schema = json.loads((folder / "resources" / "schemas" / "v3.1" / "schema.json").read_text())
    except (OSError, ValueError):
        return None
    return schema if isinstance(schema, dict) else None


@cache
def dialect_resources() -> tuple[tuple[str, Any], ...] | None:
    """(URI, contents) of openapi-schema-validator's OAS 3.1 dialect files (its meta-schema and
    the vocabulary it names), or None if not found."""
    folder = _package_folder("openapi_schema_validator")
    if folder is None:
        return None
    resources: dict[str, Any] = {}
    try:
        for path in sorted((folder / "schemas" / "oas3.1").rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                contents = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(contents, dict) and isinstance(contents.get("$id"), str):
                    resources[contents["$id"]] = contents
    except (OSError, ValueError):
        return None
    if OAS31_DIALECT_ID not in resources:
        return None
    return tuple(sorted(resources.items()))


def rust_backend_chosen() -> bool:
    """The validator's structure check runs on jsonschema-rs (its default) unless told not to."""
    for name, value in os.environ.items():
        if name.upper() == _BACKEND_SETTING:
            return value.strip().lower() in _RUST_BACKENDS
    return True


@cache
def structure_validator() -> Any:
    """What openapi-spec-validator compiles for its structure check (jsonschema-rs, from the same
    file), or None if the file is not found."""
    import jsonschema_rs

    schema = document_schema()
    if schema is None:
        return None
    return jsonschema_rs.validator_cls_for(schema)(schema)
