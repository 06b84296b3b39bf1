"""Path, query, header and cookie parameters of one operation, merged across its documents.

Each parameter's schema goes through the same Shape and merge rules as a body field: types widen,
a parameter is required only where every document describing the operation requires it, and a
path parameter is always required (the URL cannot be built without it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import msgspec

from .build import BuildContext, build_type
from .model import Parameter, ParameterLocation
from .naming import pascal
from .shapes import DOCUMENTS, Shape, add_schema

LOCATIONS: tuple[ParameterLocation, ...] = ("path", "query", "header", "cookie")

IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
"""OpenAPI says header parameters by these names are ignored: the media types and security
schemes state them."""

_PATH_PARAM = re.compile(r"\{([^{}]+)\}")


def path_parameter_names(path: str) -> list[str]:
    return _PATH_PARAM.findall(path)


def declared_parameters(item: Any, operation: dict[str, Any]) -> list[dict[str, Any]]:
    """The path item's parameters, then the operation's, which replace any of the same place."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    shared = item.get("parameters") if isinstance(item, dict) else None
    for source in (shared, operation.get("parameters")):
        for parameter in source if isinstance(source, list) else []:
            if not isinstance(parameter, dict):
                continue
            name, location = parameter.get("name"), parameter.get("in")
            if isinstance(name, str) and location in LOCATIONS:
                found[(location, name)] = parameter
    return list(found.values())


def _schema_of(parameter: dict[str, Any]) -> Any:
    schema = parameter.get("schema")
    if isinstance(schema, dict):
        return schema
    content = parameter.get("content")
    if isinstance(content, dict):
        for media in content.values():
            if isinstance(media, dict) and isinstance(media.get("schema"), dict):
                return media["schema"]
    return {"type": "string"} if parameter.get("in") == "path" else {}


class _Facts(msgspec.Struct):
    location: ParameterLocation
    name: str
    shape: Shape = msgspec.field(default_factory=Shape)
    documents: set[str] = msgspec.field(default_factory=set)
    required: set[str] = msgspec.field(default_factory=set)
    descriptions: dict[str, str] = msgspec.field(default_factory=dict)
    styles: dict[str, str] = msgspec.field(default_factory=dict)
    explodes: dict[str, bool] = msgspec.field(default_factory=dict)
    deprecated: set[str] = msgspec.field(default_factory=set)


def merge_parameters(
    sources: Iterable[tuple[str, str, list[dict[str, Any]]]],
    operation_documents: set[str],
    context: Callable[[], BuildContext],
    root: str,
    skip_headers: frozenset[str] = frozenset(),
) -> tuple[Parameter, ...]:
    """One Parameter per (location, name); ``sources`` are (document, path, parameters)."""
    facts: dict[tuple[str, str], _Facts] = {}
    path_order: list[str] = []
    for document, path, parameters in sources:
        for name in path_parameter_names(path):
            if name not in path_order:
                path_order.append(name)
        for parameter in parameters:
            location, name = parameter["in"], str(parameter["name"])
            if location == "header" and name.lower() in IGNORED_HEADERS | skip_headers:
                continue
            if location == "path" and name not in path_parameter_names(path):
                continue
            entry = facts.setdefault((location, name), _Facts(location, name))
            # specgen's own merged document says which documents stand behind each parameter.
            declared = parameter.get(DOCUMENTS)
            behind = (
                {str(d) for d in declared}
                if isinstance(declared, list) and declared
                else {document}
            )
            entry.documents |= behind
            if location == "path" or parameter.get("required") is True:
                entry.required |= behind
            text = parameter.get("description")
            if isinstance(text, str) and text.strip():
                entry.descriptions[document] = text.strip()
            if isinstance(parameter.get("style"), str):
                entry.styles[document] = parameter["style"]
            if isinstance(parameter.get("explode"), bool):
                entry.explodes[document] = parameter["explode"]
            if parameter.get("deprecated") is True:
                entry.deprecated.add(document)
            examples = [parameter["example"]] if "example" in parameter else []
            add_schema(entry.shape, _schema_of(parameter), document, examples)
        for name in path_parameter_names(path):
            # A URL placeholder nobody declares is still a string the caller must give.
            if ("path", name) not in facts:
                entry = facts.setdefault(("path", name), _Facts("path", name))
                entry.documents.add(document)
                entry.required.add(document)
                add_schema(entry.shape, {"type": "string"}, document, [])
    ordered = [facts[("path", name)] for name in path_order if ("path", name) in facts]
    ordered += [entry for key, entry in facts.items() if key[0] != "path"]
    result = []
    for entry in ordered:
        build = context()
        node = build_type(
            entry.shape,
            build,
            path=f"/{root}/{entry.location}/{entry.name}",
            candidates=[f"{root}{pascal(entry.name)}", f"{pascal(entry.name)}Parameter"],
        )
        describing = operation_documents - build.reference or operation_documents
        present = entry.documents & describing or entry.documents
        result.append(
            Parameter(
                name=entry.name,
                location=entry.location,
                required=entry.location == "path" or describing <= entry.required,
                type=node,
                nullable=bool(entry.shape.nullable & present),
                style=_agreed(entry.styles),
                explode=_agreed(entry.explodes),
                description=_longest(entry.descriptions),
                deprecated=bool(entry.deprecated) and entry.deprecated >= present,
                documents=tuple(sorted(present)),
            )
        )
    return tuple(result)


def _agreed(values: dict[str, Any]) -> Any:
    distinct = {repr(v): v for v in values.values()}
    return next(iter(distinct.values())) if len(distinct) == 1 else None


def _longest(texts: dict[str, str]) -> str | None:
    if not texts:
        return None
    return sorted(texts.items(), key=lambda item: (-len(item[1]), item[0]))[0][1]
