"""Per-operation security: the schemes an operation accepts, read from its requirement list."""

from __future__ import annotations

from typing import Any

from .model import SecurityScheme


def _scheme(scheme: Any) -> SecurityScheme | None:
    if not isinstance(scheme, dict):
        return None
    kind = scheme.get("type")
    if kind == "http":
        name = str(scheme.get("scheme", "")).lower()
        if name == "bearer":
            return SecurityScheme("bearer")
        if name == "basic":
            return SecurityScheme("basic")
        return None
    if kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
        location = scheme["in"]
        return SecurityScheme(f"api-key-{location}", str(scheme.get("name")))  # type: ignore[arg-type]
    if kind in ("oauth2", "openIdConnect"):
        # Both end in a bearer token on the wire.
        return SecurityScheme("bearer")
    return None


def operation_security(
    document: dict[str, Any], operation: dict[str, Any]
) -> tuple[SecurityScheme, ...]:
    """Schemes any one of which the operation accepts; ``none`` when it says it needs none."""
    requirements = operation.get("security", document.get("security"))
    if not isinstance(requirements, list):
        return ()
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    found: list[SecurityScheme] = []
    for requirement in requirements:
        if not isinstance(requirement, dict):
            continue
        if not requirement:
            found.append(SecurityScheme("none"))
            continue
        for name in requirement:
            scheme = _scheme(schemes.get(name))
            if scheme is not None:
                found.append(scheme)
    return tuple(dict.fromkeys(found))
