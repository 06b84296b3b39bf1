"""Rule errors-in-success-union: in-body error objects listed as alternatives of a 2xx body move to
the operation's error catalogue; ``required`` entries naming undeclared properties are dropped.
"""

from __future__ import annotations

import re
from typing import Any

from ...jsonpointer import join, parent, resolve, split
from ...openapi_walk import iter_operations
from ..context import RuleContext
from ..marks import ERROR_CATALOGUE

RULE_ID = "errors-in-success-union"

# Words that name a failure. A title or description of an alternative must say one of them.
_ERROR_WORDS = re.compile(
    r"\b(?:errors?|exceptions?|fail(?:s|ed|ure)?|invalid|insufficient|time[- ]?outs?|timed out"
    r"|denied|forbidden|unauthori[sz]ed|not (?:passed|allowed|found|permitted)|exceeded"
    r"|unavailable|abnormal(?:ly)?|refused|rejected|overloaded)\b",
    re.I,
)


def _deref(document: dict[str, Any], schema: Any) -> tuple[Any, str | None]:
    """The schema a local $ref points at (one level of chain at a time) and the last ref name."""
    name: str | None = None
    seen: set[str] = set()
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        reference = schema["$ref"]
        if not reference.startswith("#") or reference in seen:
            return None, name
        seen.add(reference)
        name = split(reference[1:])[-1] if reference != "#" else None
        try:
            schema = resolve(document, reference[1:])
        except KeyError:
            return None, name
    return schema, name


def _types(schema: dict[str, Any]) -> set[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return {kind}
    return {k for k in kind if isinstance(k, str)} if isinstance(kind, list) else set()


def _constant(schema: dict[str, Any]) -> Any:
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and len(schema["enum"]) == 1:
        return schema["enum"][0]
    return schema.get("default")


def _error_entry(document: dict[str, Any], variant: Any) -> tuple[dict[str, Any], str] | None:
    """The catalogue entry for an alternative that is an in-body error, and the evidence."""
    schema, ref_name = _deref(document, variant)
    if not isinstance(schema, dict):
        return None
    properties = schema.get("properties")
    if not isinstance(properties, dict) or not properties:
        return None
    codes: list[tuple[str, int]] = []
    others: list[str] = []
    for name, child in properties.items():
        child, _ = _deref(document, child)
        if not isinstance(child, dict):
            return None
        constant = _constant(child)
        if (
            "integer" in _types(child)
            and isinstance(constant, int)
            and not isinstance(constant, bool)
        ):
            codes.append((name, constant))
        elif _types(child) <= {"string", "null"} and _types(child):
            others.append(name)
        else:
            return None  # a field an error object would not carry: this is a real body
    if len(codes) != 1:
        return None
    title, description = schema.get("title"), schema.get("description")
    naming = [t for t in (title, description, ref_name) if isinstance(t, str)]
    said = next((m for m in (_ERROR_WORDS.search(t) for t in naming) if m), None)
    if said is None:
        return None
    code_field, code = codes[0]
    entry: dict[str, Any] = {
        "code": code,
        "name": title if isinstance(title, str) else (ref_name or f"error {code}"),
        "meaning": description if isinstance(description, str) else None,
        "has_message": bool(others),
    }
    evidence = (
        f"{entry['name']!r} says {said.group(0)!r}; integer {code_field!r} is fixed at "
        f"{code}; its other fields are text"
    )
    return entry, evidence


def _union_site(
    document: dict[str, Any], schema: Any, pointer: str
) -> tuple[dict[str, Any], str, str] | None:
    """(schema holding the union, its pointer, "oneOf"|"anyOf"), through one local $ref."""
    target, target_pointer = schema, pointer
    if (
        isinstance(schema, dict)
        and isinstance(schema.get("$ref"), str)
        and schema["$ref"][:2] == "#/"
    ):
        target_pointer = schema["$ref"][1:]
        target, _ = _deref(document, schema)
    if not isinstance(target, dict):
        return None
    for key in ("oneOf", "anyOf"):
        if isinstance(target.get(key), list):
            return target, target_pointer, key
    return None


def _collapse(site: dict[str, Any], key: str) -> None:
    """A union left with one variant becomes that variant."""
    (only,) = site.pop(key)
    for name, value in only.items() if isinstance(only, dict) else ():
        site.setdefault(name, value)


def _catalogue_unions(context: RuleContext) -> None:
    document = context.document
    for op_pointer, _path, _method, operation in iter_operations(document):
        for status, response in (operation.get("responses") or {}).items():
            if not str(status).startswith("2") or not isinstance(response, dict):
                continue
            for media_type, media in (response.get("content") or {}).items():
                if not isinstance(media, dict):
                    continue
                schema_pointer = join(
                    op_pointer, "responses", status, "content", media_type, "schema"
                )
                found = _union_site(document, media.get("schema"), schema_pointer)
                if found is None:
                    continue
                site, site_pointer, key = found
                variants = site[key]
                judged = [(variant, _error_entry(document, variant)) for variant in variants]
                errors = [result for _, result in judged if result is not None]
                kept = [variant for variant, result in judged if result is None]
                if not errors:
                    continue
                if not kept:
                    context.warn(
                        join(site_pointer, key),
                        "every alternative of this 2xx body looks like an error; left as it is",
                        evidence=errors[0][1],
                    )
                    continue
                before = {key: list(variants)}
                site[key] = kept
                if len(kept) == 1:
                    _collapse(site, key)
                catalogue = operation.setdefault(ERROR_CATALOGUE, [])
                known = {entry.get("code") for entry in catalogue if isinstance(entry, dict)}
                catalogue.extend(e for e, _ in errors if e["code"] not in known)
                codes = ", ".join(str(e["code"]) for e, _ in errors)
                context.repair(
                    join(site_pointer, key),
                    f"{len(errors)} error alternatives of the {status} body moved to the "
                    f"operation's error catalogue (codes {codes})",
                    before=before,
                    after={"schema": site, ERROR_CATALOGUE: [e for e, _ in errors]},
                    evidence="; ".join(why for _, why in errors),
                )


def _declared_by_siblings(document: dict[str, Any], pointer: str) -> set[str]:
    """Property names declared by the other members of an enclosing ``allOf``."""
    tokens = split(pointer)
    if len(tokens) < 2 or tokens[-2] != "allOf":
        return set()
    try:
        members = resolve(document, parent(pointer))
    except KeyError:
        return set()
    names: set[str] = set()
    for member in members if isinstance(members, list) else []:
        resolved, _ = _deref(document, member)
        if isinstance(resolved, dict) and isinstance(resolved.get("properties"), dict):
            names |= set(resolved["properties"])
    return names


def _drop_undeclared_required(context: RuleContext) -> None:
    document = context.document
    for pointer, schema in context.schemas():
        required, properties = schema.get("required"), schema.get("properties")
        if not isinstance(required, list) or not isinstance(properties, dict) or not properties:
            continue
        if any(
            k in schema
            for k in (
                "allOf",
                "anyOf",
                "oneOf",
                "$ref",
                "patternProperties",
                "dependentSchemas",
                "if",
            )
        ):
            continue  # the property may be declared by a schema this one combines with
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            continue  # required names additional properties the schema does allow
        declared = set(properties) | _declared_by_siblings(document, pointer)
        undeclared = [name for name in required if name not in declared]
        if not undeclared:
            continue
        after = [name for name in required if name in declared]
        if after:
            schema["required"] = after
        else:
            del schema["required"]
        context.repair(
            join(pointer, "required"),
            f"dropped required {', '.join(map(str, undeclared))}: not a declared property",
            before=required,
            after=after or None,
            evidence=f"the schema declares only {', '.join(properties)}",
            keeps_shape=True,
        )


def apply(context: RuleContext) -> None:
    _catalogue_unions(context)
    _drop_undeclared_required(context)
