"""Hypothesis strategies for whole vendor documents: random OpenAPI 3.x documents (schemas with
hostile names, ``$ref``s that resolve, dangle or loop, unions, enums, parameters) and random
markdown reference pages built from the readers' syntaxes (tables, curl, JSON examples, bullets).
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from hypothesis import strategies as st

# Names a document may give anything: keywords, builtins, pydantic's attributes, names equal
# after sanitising or but for case, digits first, unicode, confusables, empty, long.
HOSTILE_NAMES = (
    "class", "def", "None", "match", "type", "_", "list", "str", "id", "__init__", "__class__",
    "model_config", "model_dump", "schema", "json", "copy", "validate", "Field", "BaseModel",
    "a-b", "a_b", "A B", "name", "Name", "NAME", "1st", "9", "café", "ｆｕｌｌ", "а", "a", "",
    " ", "-", "x" * 300, "self", "extra_headers", "timeout", "data", "object", "stream",
)  # fmt: skip
NAMES = st.sampled_from(HOSTILE_NAMES) | st.text(max_size=10)
TEXT = st.text(max_size=40) | st.sampled_from(['"""', "\\", "{{ x }}", "{% if %}", "\x00\u202e"])
SCALAR_TYPES = ("string", "integer", "number", "boolean", "null")
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NAMES, inner, max_size=3),
    max_leaves=5,
)


def _pointer_token(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


@functools.lru_cache(maxsize=64)
def _ref(names: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    """A reference to a component, to a missing one, remote, to a file, or malformed."""
    local = [f"#/components/schemas/{_pointer_token(n)}" for n in names]
    odd = ["#/components/schemas/Missing", "https://example.com/s.json#/X", "other.yaml#/X",
           "#/", "#", "not a ref", "../../../etc/passwd#/x"]  # fmt: skip
    return st.builds(lambda target: {"$ref": target}, st.sampled_from(local + odd) if local else
                     st.sampled_from(odd))  # fmt: skip


@st.composite
def _scalar(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(SCALAR_TYPES) | st.sampled_from(["strin", "int", "object"]))
    schema: dict[str, Any] = {"type": kind}
    if draw(st.booleans()):
        schema["type"] = [kind, "null"] if draw(st.booleans()) else kind
    if draw(st.integers(0, 3)) == 0:
        schema["enum"] = draw(st.lists(NAMES | st.integers() | st.none(), max_size=5))
    if draw(st.integers(0, 3)) == 0:
        schema["default"] = draw(JSON_VALUES)
    if draw(st.integers(0, 3)) == 0:
        schema["description"] = draw(TEXT)
    if draw(st.integers(0, 5)) == 0:
        schema["format"] = draw(st.sampled_from(["int64", "date-time", "binary", "float", "uuid"]))
    if draw(st.integers(0, 5)) == 0:
        schema["minimum"] = draw(st.integers(-5, 5) | st.floats(allow_nan=False))
    if draw(st.integers(0, 6)) == 0:
        schema["nullable"] = True  # a 3.0 keyword in a 3.1 document
    return schema


@functools.lru_cache(maxsize=64)
def schemas(names: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """A schema: scalars and references at the leaves; objects, arrays, unions above.

    Built once per tuple of component names (strategies are immutable): hypothesis validates a
    new strategy before its first draw, and a recursive one rebuilt for every schema of every
    document made that validation most of the fuzz tests' time."""
    leaves = _scalar() | _ref(names) | st.just({}) | st.just(True)

    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        properties = st.dictionaries(NAMES, children, max_size=4)
        obj = st.builds(
            lambda props, required, extra: {
                "type": "object",
                "properties": props,
                **({"required": required} if required else {}),
                **({"additionalProperties": extra} if extra is not None else {}),
            },
            properties,
            st.lists(NAMES, max_size=3),
            st.none() | st.booleans() | children,
        )
        array = st.builds(lambda items: {"type": "array", "items": items}, children)
        union = st.builds(
            lambda key, variants: {key: variants},
            st.sampled_from(["oneOf", "anyOf", "allOf"]),
            st.lists(children, max_size=3),
        )
        tagged = st.builds(
            lambda variants, tag: {
                "oneOf": variants,
                "discriminator": {"propertyName": tag},
            },
            st.lists(_ref(names), min_size=1, max_size=3),
            NAMES,
        )
        return obj | array | union | tagged

    return st.recursive(leaves, extend, max_leaves=8)


_METHODS = ("get", "post", "put", "patch", "delete")


@st.composite
def _path(draw: st.DrawFn) -> str:
    segments = draw(st.lists(NAMES | st.builds("{{{}}}".format, NAMES), min_size=0, max_size=3))
    return "/" + "/".join(segments)


@st.composite
def _operation(draw: st.DrawFn, path: str, method: str, names: tuple[str, ...]) -> dict[str, Any]:
    operation: dict[str, Any] = {}
    if draw(st.booleans()):
        operation["operationId"] = draw(NAMES)
    if draw(st.booleans()):
        operation["tags"] = draw(st.lists(NAMES, max_size=2))
    if draw(st.integers(0, 2)) == 0:
        operation["summary"] = draw(TEXT)
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": draw(schemas(names))}
        for name in re.findall(r"\{([^{}]*)\}", path)
    ]
    parameters += draw(
        st.lists(
            st.builds(
                lambda name, where, required, schema: {
                    "name": name, "in": where, "required": required, "schema": schema,
                },
                NAMES,
                st.sampled_from(["query", "header", "cookie"]),
                st.booleans(),
                schemas(names),
            ),
            max_size=3,
        )
    )  # fmt: skip
    if parameters:
        operation["parameters"] = parameters
    if method in ("post", "put", "patch") and draw(st.booleans()):
        media = draw(st.sampled_from(["application/json", "multipart/form-data", "text/plain"]))
        operation["requestBody"] = {
            "required": draw(st.booleans()),
            "content": {media: {"schema": draw(schemas(names))}},
        }
    responses: dict[str, Any] = {}
    for status in draw(st.lists(st.sampled_from(["200", "201", "204", "400", "4XX", "default"]),
                                min_size=1, max_size=3, unique=True)):  # fmt: skip
        response: dict[str, Any] = {"description": draw(TEXT)}
        if status != "204" and draw(st.booleans()):
            media = draw(st.sampled_from(["application/json", "text/event-stream"]))
            response["content"] = {media: {"schema": draw(schemas(names))}}
        responses[status] = response
    operation["responses"] = responses
    return operation


@st.composite
def openapi_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A whole document: a few components referring to each other (cycles included) and a few
    operations using them."""
    names = tuple(draw(st.lists(NAMES, min_size=0, max_size=5, unique=True)))
    components = {name: draw(schemas(names)) for name in names}
    paths: dict[str, Any] = {}
    for path in draw(st.lists(_path(), min_size=1, max_size=3, unique=True)):
        methods = draw(st.lists(st.sampled_from(_METHODS), min_size=1, max_size=2, unique=True))
        paths[path] = {method: draw(_operation(path, method, names)) for method in methods}
    document: dict[str, Any] = {
        "openapi": draw(st.sampled_from(["3.1.0", "3.0.3"])),
        "info": {"title": draw(TEXT), "version": draw(st.sampled_from(["1", "2024-01-01"]))},
        "paths": paths,
    }
    if components:
        document["components"] = {"schemas": components}
    if draw(st.booleans()):
        document["servers"] = [{"url": draw(st.sampled_from(["https://api.example.com/v1", "/",
                                                               "{{x}}"]))}]  # fmt: skip
    return document


# --- markdown pages ---------------------------------------------------------------------


_TYPES_WRITTEN = st.sampled_from(
    ["string", "integer", "number", "boolean", "object", "array", "string[]", "object[]",
     "string | null", "enum<string>", "float", "", "map[string]int"]
)  # fmt: skip
_CELL = st.text(alphabet=st.characters(blacklist_characters="|\n\r"), max_size=20)
_CELL_NAMES = NAMES.filter(lambda name: not set(name) & set("|\n\r`"))


@st.composite
def _table(draw: st.DrawFn) -> str:
    header = draw(st.sampled_from([
        "| Name | Type | Required | Description |",
        "| Parameter | Type | Description |",
        "| Field | Type | Default | Description |",
        "| Code | Description |",
    ]))  # fmt: skip
    columns = header.count("|") - 1
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        cells = [f"`{draw(_CELL_NAMES)}`"]
        cells += [draw(_TYPES_WRITTEN | _CELL) for _ in range(columns - 1)]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join([header, "|" + "---|" * columns, *rows])


@st.composite
def _curl(draw: st.DrawFn) -> str:
    method = draw(st.sampled_from(["POST", "GET", "DELETE"]))
    path = draw(st.sampled_from(["/v1/chat/completions", "/v1/models", "/api/generate", "/"]))
    body = json.dumps(draw(st.dictionaries(NAMES, JSON_VALUES, max_size=4)), default=str)
    return (
        "```bash\n"
        f"curl -X {method} https://api.example.com{path} \\\n"
        '  -H "Authorization: Bearer $KEY" \\\n'
        '  -H "Content-Type: application/json" \\\n'
        f"  -d '{body}'\n```"
    )


@st.composite
def _json_example(draw: st.DrawFn) -> str:
    value = draw(st.dictionaries(NAMES, JSON_VALUES, max_size=5))
    text = json.dumps(value, indent=2, default=str)
    if draw(st.integers(0, 4)) == 0:
        text = text[: draw(st.integers(0, len(text)))]  # a truncated example
    return f"```json\n{text}\n```"


@st.composite
def _bullets(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        name = draw(_CELL_NAMES)
        kind = draw(_TYPES_WRITTEN)
        required = draw(st.sampled_from(["required", "optional", ""]))
        lines.append(f"- `{name}` ({kind}{', ' + required if required else ''}): {draw(_CELL)}")
    return "\n".join(lines)


@st.composite
def markdown_pages(draw: st.DrawFn) -> str:
    """A reference page: a title, an endpoint line, a parameter table (what the markdown reader
    looks for), then sections in any order."""
    title = draw(_CELL)
    method = draw(st.sampled_from(["POST", "GET", "PUT", "DELETE"]))
    path = draw(st.sampled_from(["/v1/chat/completions", "/v1/embeddings", "/api/chat", "/x/{id}"]))
    endpoint = draw(st.sampled_from([f"`{method} {path}`", f"{method} {path}",
                                     f"```\n{method} https://api.example.com{path}\n```"]))  # fmt: skip
    parts = [f"# {title}", endpoint, "## Request body", draw(_table())]
    sections = st.sampled_from(
        ["Request body", "Query parameters", "Response", "Errors", "Example"]
    )
    for _ in range(draw(st.integers(0, 4))):
        parts.append(f"## {draw(sections)}")
        parts.append(draw(_table() | _curl() | _json_example() | _bullets() | _CELL))
    return "\n\n".join(parts) + "\n"


_FLAT_TYPES = st.sampled_from(
    ["string", "integer", "number", "boolean", "object", "array", "object[]", "string[]",
     "string<date-time>", "nul", ""]
)  # fmt: skip
_FLAT_FLAGS = st.sampled_from(["", "required", "nullable", "requirednullable", "deprecated"])
_FLAT_NAMES = st.from_regex(r"[A-Za-z_$][\w$-]{0,8}(\.[\w$-]{1,4})?", fullmatch=True) | NAMES


@st.composite
def _flat_fields(draw: st.DrawFn) -> list[str]:
    """Field lines as a flattened docs page has them: glued (``name stringrequired``) or one
    word a line, with bullets, possible values, defaults and prose between."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 5))):
        name, kind, flags = draw(_FLAT_NAMES), draw(_FLAT_TYPES), draw(_FLAT_FLAGS)
        if draw(st.booleans()):
            lines.append(f"    {name} {kind}{flags}")
        else:
            lines += [f"    {name}", f"    {kind}"] + ([f"    {flags}"] if flags else [])
        extra = st.sampled_from(["  • Array [", "  • ]", "  • oneOf", "Possible values: [a, b]",
                                 "Possible values: >= 1", "Default value: 0", ""])  # fmt: skip
        for _ in range(draw(st.integers(0, 2))):
            lines.append(draw(extra | _CELL))
    return lines


@st.composite
def flat_text_pages(draw: st.DrawFn) -> str:
    """A docs page flattened to text (what the flat-text reader reads): title, method and path
    lines, a Request section with a body, Responses by status."""
    method = draw(st.sampled_from(["POST", "GET", "DELETE", "PATCH"]))
    path = draw(st.sampled_from(["/chat/completions", "/models/{id}", "/", "/a/b"]))
    lines = ["Skip to main content", draw(_CELL)]
    lines += [f"{method} {path}"] if draw(st.booleans()) else [f"{method} ", path]
    lines += [draw(_CELL), "Request"]
    if draw(st.booleans()):
        lines += [
            draw(st.sampled_from(["Path Parameters", "Query Parameters", "Header Parameters"]))
        ]
        lines += draw(_flat_fields())
    lines += ["Body", *(["required"] if draw(st.booleans()) else []), *draw(_flat_fields())]
    lines.append("Responses")
    for status in draw(st.lists(st.sampled_from(["200", "400", "4XX", "default"]), min_size=1,
                                max_size=2, unique=True)):  # fmt: skip
        lines += [status, draw(_CELL), "application/json", "Schema", *draw(_flat_fields())]
    return "\n\n".join(lines) + "\n"
