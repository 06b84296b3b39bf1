"""Rule drop-tool-noise: extensions left by API-design tools, and empty keywords that say nothing.

Also provides the tool-noise test (`design_tools`, `is_tool_key`) the security rule reuses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

from ...jsonpointer import join
from ..context import RuleContext

RULE_ID = "drop-tool-noise"

# Design and documentation tools whose extensions describe the tool's own view of the document
# (ordering, folders, "run in" links), never the API. Code generators (x-speakeasy-*,
# x-stainless-*) are deliberately absent: their extensions can describe API behaviour.
KNOWN_DESIGN_TOOLS = frozenset(
    {
        "apidog",
        "apifox",
        "stoplight",
        "postman",
        "insomnia",
        "swaggerhub",
        "readme",
        "mintlify",
        "redocly",
    }
)

# Host labels that name no one: a URL on app.example.com says nothing about "app".
_GENERIC_HOST_LABELS = frozenset(
    {
        "www",
        "app",
        "api",
        "apis",
        "web",
        "docs",
        "doc",
        "dev",
        "hub",
        "cloud",
        "com",
        "org",
        "net",
        "io",
        "ai",
        "co",
        "cn",
        "run",
    }
)

# Keywords whose empty value means exactly what their absence means.
_EMPTY_NOISE: dict[str, Any] = {
    "tags": [],
    "parameters": [],
    "callbacks": {},
    "headers": {},
    "variables": {},
    "deprecated": False,
}

# Keys whose values are data (examples, defaults, enums): never walked, never cleaned.
_DATA_KEYS = frozenset(
    {
        "example",
        "default",
        "enum",
        "const",
        "value",
        "mapping",
        "scopes",
        "dependentRequired",
        "required",
    }
)
# Keys whose values are maps from names the author chose to objects: the names are not keywords.
_NAME_MAP_KEYS = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "schemas",
        "responses",
        "requestBodies",
        "securitySchemes",
        "pathItems",
        "webhooks",
        "content",
        "encoding",
        "headers",
        "links",
        "variables",
        "callbacks",
        "examples",
        "parameters",
    }
)
# Maps of names in which OpenAPI also allows x- extensions (so those keys are examined).
_EXTENSIBLE_MAPS = frozenset({"paths", "responses", "callbacks"})

_CONTAINERS = (dict, list)  # a tuple: isinstance reads it faster than a union
_URL = re.compile(r"https?://[^\s\"'<>)]+")
_WORD_SPLIT = re.compile(r"[-_:.\s/]+")


def _tokens(name: str) -> set[str]:
    return {token.lower() for token in _WORD_SPLIT.split(name) if token}


def _urls(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield from _URL.findall(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from _urls(item)


def _host_labels(url: str) -> set[str]:
    host = urlparse(url).hostname or ""
    return {label for label in host.lower().split(".") if label} - _GENERIC_HOST_LABELS


def _extension_items(document: Any) -> Iterator[tuple[str, Any]]:
    """Every (x- key, value) anywhere in the document, without entering extension values.

    In no particular order (the tools they reveal form a set): a stack, not a generator a level.
    """
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and key.startswith("x-"):
                    yield key, value
                elif isinstance(value, _CONTAINERS) and key not in _DATA_KEYS:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(item for item in node if isinstance(item, _CONTAINERS))


def design_tools(document: dict[str, Any]) -> frozenset[str]:
    """The known design tools plus those the document itself reveals.

    A tool reveals itself when an x- key's name contains a label of a URL host its own value points
    at (``x-run-in-apidog: https://app.apidog.com/...``). Hosts of the document's own servers are
    the API, not a tool, and never count.
    """
    own_hosts: set[str] = set()
    for server in document.get("servers") or []:
        if isinstance(server, dict) and isinstance(server.get("url"), str):
            own_hosts |= _host_labels(server["url"])
    found = set(KNOWN_DESIGN_TOOLS)
    for key, value in _extension_items(document):
        for url in _urls(value):
            found |= (_tokens(key[2:]) & _host_labels(url)) - own_hosts
    return frozenset(found)


def is_tool_key(key: str, value: Any, tools: frozenset[str]) -> str | None:
    """Why ``key: value`` is design-tool noise, or None when it is not."""
    if not key.startswith("x-") or key.startswith("x-specgen-") or key == "x-source":
        return None
    named = _tokens(key[2:]) & tools
    if named:
        return f"the extension name names the design tool {sorted(named)[0]!r}"
    if isinstance(value, str):
        for url in _urls(value):
            hosts = _host_labels(url) & tools
            if hosts:
                return f"its value is a link into the design tool {sorted(hosts)[0]!r}"
    return None


def _is_empty_noise(key: str, value: Any) -> bool:
    if key not in _EMPTY_NOISE:
        return False
    expected = _EMPTY_NOISE[key]
    return type(value) is type(expected) and value == expected


def _is_response_in_waiting(value: Any) -> bool:
    return isinstance(value, dict) and ("content" in value or "description" in value)


def _clean(
    context: RuleContext,
    node: Any,
    pointer: str,
    tools: frozenset[str],
    names: bool,
    extensible: bool = False,
) -> None:
    """Walk OpenAPI structure; ``names`` marks a map whose keys the author chose (not keywords).

    Only containers are entered and a key's pointer is built only where it is used: a document
    has many more scalar values than objects and lists, and nothing to clean in them.
    """
    if isinstance(node, list):
        for position, item in enumerate(node):
            if isinstance(item, _CONTAINERS):
                _clean(context, item, join(pointer, position), tools, names=False)
        return
    if not isinstance(node, dict):
        return
    for key in list(node):
        value = node[key]
        is_extension = isinstance(key, str) and key.startswith("x-") and (not names or extensible)
        if is_extension:
            reason = is_tool_key(key, value, tools)
            if reason:
                del node[key]
                context.repair(
                    join(pointer, key),
                    f"dropped design-tool extension {key}",
                    before=value,
                    after=None,
                    evidence=reason,
                )
            elif _is_response_in_waiting(value) and extensible:
                # ``x-200:Streaming`` under responses is a response the next rules recognise.
                _clean(context, value, join(pointer, key), tools, names=False)
            continue  # other extension values are free-form: never cleaned inside
        container = isinstance(value, _CONTAINERS)
        if names:
            if container:
                _clean(context, value, join(pointer, key), tools, names=False)
            continue
        if key in _EMPTY_NOISE and _is_empty_noise(key, value):
            del node[key]
            context.repair(
                join(pointer, key),
                f"dropped empty {key!r}",
                before=value,
                after=None,
                evidence=f"an empty {key!r} means the same as no {key!r}",
            )
            continue
        if not container or key in _DATA_KEYS or (key == "examples" and isinstance(value, list)):
            continue
        here = join(pointer, key)
        if (key in _NAME_MAP_KEYS or key == "paths") and isinstance(value, dict):
            _clean(context, value, here, tools, names=True, extensible=key in _EXTENSIBLE_MAPS)
        elif key == "security" and isinstance(value, list):
            # A requirement's keys are scheme names; an x- key there is not even valid OpenAPI.
            for position, requirement in enumerate(value):
                _clean(
                    context, requirement, join(here, position), tools, names=True, extensible=True
                )
        else:
            _clean(context, value, here, tools, names=False)


def apply(context: RuleContext) -> None:
    # Learnt from the document as ingested, which this rule, run first, sees unchanged.
    tools = context.of_ingested(design_tools)
    _clean(context, context.document, "", tools, names=False)
