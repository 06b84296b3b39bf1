"""Reader of "resolved" pseudo-spec fences: a YAML fence that states one operation the way some
docs sites export it, not as OpenAPI (``paths: {path, method, servers, request, response}``,
``request.body.<media>.schemaArray``, ``requiredProperties``, ``refIdentifier``), followed by an
ordinary ``components.schemas`` section.

It is recognised by that shape, never by the site, and rewritten into the OpenAPI 3.0 document it
means: the operation under its path and method, each ``schemaArray`` a schema (a union when it has
several), ``requiredProperties`` the ``required`` list, and a top-level schema that names its
``refIdentifier`` a component. What the schemas themselves get wrong is left for ingest's
validation and the normalize rules, as for any OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from ...errors import SpecgenError
from ...jsonpointer import join
from ..markdown import Fence, MarkdownPage
from ..yaml_lines import load_with_lines

SYNTAX = "pseudo-spec"

OPENAPI_VERSION = "3.0.3"
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_PLACES = ("path", "query", "header", "cookie")
_COMPONENT_PREFIX = "#/components/schemas/"


def _operation_block(data: Any) -> dict[str, Any] | None:
    paths = data.get("paths") if isinstance(data, dict) else None
    if not isinstance(paths, dict):
        return None
    path, method = paths.get("path"), paths.get("method")
    if isinstance(path, str) and path.startswith("/") and str(method).lower() in _METHODS:
        return paths
    return None


def find(page: MarkdownPage, file: str) -> list[tuple[Fence, dict[str, Any], dict[str, int]]]:
    """The page's pseudo-spec fences, each loaded with its lines."""
    found: list[tuple[Fence, dict[str, Any], dict[str, int]]] = []
    for fence in page.fences():
        if "schemaArray" not in fence.content and "method:" not in fence.content:
            continue
        try:
            data, lines = load_with_lines(fence.content, file=file, first_line=fence.first_line)
        except SpecgenError:
            continue
        if _operation_block(data) is not None:
            found.append((fence, data, lines))
    return found


class _Converter:
    def __init__(self, lines: dict[str, int], fence: Fence) -> None:
        self.source_lines = lines
        self.lines: dict[str, int] = {}
        self.fence = fence
        self.components: dict[str, Any] = {}

    def _map(self, source: str, target: str) -> None:
        """Every line recorded under ``source`` is recorded under ``target`` instead."""
        for pointer, line in self.source_lines.items():
            if pointer == source or pointer.startswith(source + "/"):
                self.lines[target + pointer[len(source) :]] = line

    def schema(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self.schema(item) for item in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in {"refIdentifier", "requiredProperties"}:
                continue
            if key == "required" and isinstance(value, bool):
                continue  # the pseudo-spec's own flag; the list comes from requiredProperties
            if key in {"properties", "patternProperties", "$defs", "definitions"} and isinstance(
                value, dict
            ):
                out[key] = {name: self.schema(sub) for name, sub in value.items()}
            else:
                out[key] = self.schema(value)
        listed = node.get("requiredProperties")
        if isinstance(listed, list):
            out["required"] = list(listed)
        return out

    def schema_array(self, node: Any, source: str, target: str) -> Any:
        """A ``schemaArray``: one schema, or a union of several; a named one becomes a component."""
        items = node if isinstance(node, list) else [node]
        schemas = []
        for index, item in enumerate(items):
            converted = self.schema(item)
            name = item.get("refIdentifier") if isinstance(item, dict) else None
            if isinstance(name, str) and name.startswith(_COMPONENT_PREFIX):
                component = name[len(_COMPONENT_PREFIX) :]
                self.components.setdefault(component, converted)
                self._map(join(source, index), join("", "components", "schemas", component))
                schemas.append({"$ref": name})
            else:
                self._map(
                    join(source, index), target if len(items) == 1 else join(target, "oneOf", index)
                )
                schemas.append(converted)
        return schemas[0] if len(schemas) == 1 else {"oneOf": schemas}

    def media(self, block: Any, source: str, target: str) -> dict[str, Any]:
        content: dict[str, Any] = {}
        if not isinstance(block, dict):
            return content
        for media_type, entry in block.items():
            if not isinstance(entry, dict):
                continue
            here, there = join(source, media_type), join(target, media_type)
            media: dict[str, Any] = {}
            if "schemaArray" in entry:
                media["schema"] = self.schema_array(
                    entry["schemaArray"], join(here, "schemaArray"), join(there, "schema")
                )
            if isinstance(entry.get("examples"), dict):
                media["examples"] = entry["examples"]
                self._map(join(here, "examples"), join(there, "examples"))
            self.lines[there] = self.source_lines.get(here, self.fence.first_line)
            content[media_type] = media
        return content

    def parameters(self, block: Any, source: str, target: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        if not isinstance(block, dict):
            return out
        for place in _PLACES:
            entries = block.get(place)
            if not isinstance(entries, dict):
                continue
            for name, entry in entries.items():
                entry = entry if isinstance(entry, dict) else {}
                here = join(source, place, name)
                there = join(target, len(out))
                parameter: dict[str, Any] = {"name": name, "in": place}
                if isinstance(entry.get("required"), bool):
                    parameter["required"] = entry["required"]
                if isinstance(entry.get("description"), str):
                    parameter["description"] = entry["description"]
                if "schemaArray" in entry:
                    parameter["schema"] = self.schema_array(
                        entry["schemaArray"], join(here, "schemaArray"), join(there, "schema")
                    )
                else:
                    parameter["schema"] = self.schema(
                        {k: v for k, v in entry.items() if k not in {"required", "description"}}
                    )
                self.lines[there] = self.source_lines.get(here, self.fence.first_line)
                out.append(parameter)
        return out

    def security(self, block: Any) -> tuple[list[dict[str, list[str]]], dict[str, Any]]:
        requirements: list[dict[str, list[str]]] = []
        schemes: dict[str, Any] = {}
        for entry in block if isinstance(block, list) else []:
            if not isinstance(entry, dict) or not isinstance(entry.get("title"), str):
                continue
            requirement: dict[str, list[str]] = {}
            given = entry.get("parameters")
            places: dict[str, Any] = given if isinstance(given, dict) else {}
            for place, named in places.items():
                for name, scheme in (named or {}).items() if isinstance(named, dict) else []:
                    if not isinstance(scheme, dict) or "type" not in scheme:
                        continue
                    key = entry["title"] if len(requirement) == 0 else f"{entry['title']}{name}"
                    stated = dict(scheme)
                    if stated.get("type") == "apiKey":
                        stated.setdefault("in", place)
                        stated.setdefault("name", name)
                    schemes[key] = stated
                    requirement[key] = []
            if requirement:
                requirements.append(requirement)
        return requirements, schemes


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def to_openapi(
    found: list[tuple[Fence, dict[str, Any], dict[str, int]]], title: str
) -> tuple[dict[str, Any], dict[str, int]]:
    """One OpenAPI 3.0 document for every pseudo-spec fence of a page, with its lines."""
    document: dict[str, Any] = {"openapi": OPENAPI_VERSION, "info": {"title": title, "version": ""}}
    lines: dict[str, int] = {"": found[0][0].opening_line}
    paths: dict[str, Any] = {}
    servers: list[dict[str, Any]] = []
    security: list[dict[str, list[str]]] = []
    components: dict[str, Any] = {}
    for fence, data, source_lines in found:
        block = _operation_block(data)
        assert block is not None
        converter = _Converter(source_lines, fence)
        path, method = block["path"], str(block["method"]).lower()
        op_pointer = join("", "paths", path, method)
        operation: dict[str, Any] = {}
        request = _mapping(block.get("request"))
        parameters = converter.parameters(
            request.get("parameters"), "/paths/request/parameters", join(op_pointer, "parameters")
        )
        if parameters:
            operation["parameters"] = parameters
        body = converter.media(
            request.get("body"), "/paths/request/body", join(op_pointer, "requestBody", "content")
        )
        if body:
            operation["requestBody"] = {"content": body}
        responses: dict[str, Any] = {}
        for code, entry in _mapping(block.get("response")).items():
            descriptions = [
                e.get("description") for e in _mapping(entry).values() if isinstance(e, dict)
            ]
            target = join(op_pointer, "responses", str(code))
            responses[str(code)] = {
                "description": next((d for d in descriptions if isinstance(d, str)), ""),
                "content": converter.media(
                    entry, join("/paths/response", str(code)), join(target, "content")
                ),
            }
            lines[target] = source_lines.get(join("/paths/response", str(code)), fence.first_line)
        operation["responses"] = responses or {"default": {"description": ""}}
        if isinstance(block.get("deprecated"), bool) and block["deprecated"]:
            operation["deprecated"] = True
        requirements, schemes = converter.security(request.get("security"))
        security.extend(r for r in requirements if r not in security)
        paths.setdefault(path, {})[method] = operation
        lines[op_pointer] = lines[join("", "paths", path)] = fence.opening_line
        servers_given = block.get("servers")
        for server in servers_given if isinstance(servers_given, list) else []:
            if isinstance(server, dict) and server not in servers:
                servers.append(server)
        schemas = (
            data.get("components", {}).get("schemas")
            if isinstance(data.get("components"), dict)
            else None
        )
        merged = {**(schemas if isinstance(schemas, dict) else {}), **converter.components}
        components.setdefault("schemas", {}).update(
            {name: converter.schema(schema) for name, schema in merged.items()}
        )
        if schemes:
            components.setdefault("securitySchemes", {}).update(schemes)
        for pointer, line in source_lines.items():
            if pointer.startswith("/components/"):
                lines.setdefault(pointer, line)
        lines.update(converter.lines)
    if servers:
        document["servers"] = servers
    if security:
        document["security"] = security
    document["paths"] = paths
    if components:
        document["components"] = components
    return document, lines
