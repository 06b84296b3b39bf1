"""Swagger 2.0 -> OpenAPI 3.0.3: ``upgrade_swagger2``, each move noted, the line map re-keyed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import msgspec

from ..jsonpointer import join, split
from ..openapi_walk import HTTP_METHODS
from .notes import IngestNote, NoteLevel

RULE = "swagger2-upgrade"
TARGET_VERSION = "3.0.3"
DEFAULT_MEDIA_TYPE = "application/json"
MULTIPART = "multipart/form-data"
URLENCODED = "application/x-www-form-urlencoded"
DEFAULT_SCHEME = "https"

_PARAMETER_SCHEMA_KEYS = frozenset(
    {
        "type",
        "format",
        "items",
        "enum",
        "default",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
        "multipleOf",
        "x-nullable",
    }
)
_SCHEMA_MAPS = frozenset({"properties", "patternProperties"})
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
_SCHEMA_SINGLES = frozenset({"items", "additionalProperties", "not"})
_LITERAL_KEYS = frozenset({"example", "examples", "default", "enum", "const", "x-example"})
"""Values that are data, not document structure: a ``$ref`` key inside them is not a reference."""

_REF_SECTIONS = {"definitions": "schemas", "parameters": "parameters", "responses": "responses"}
_COMPONENT_SECTIONS = {
    "definitions": "schemas",
    "parameters": "parameters",
    "responses": "responses",
    "securityDefinitions": "securitySchemes",
}
_COLLECTION_STYLES: dict[str, dict[str, tuple[str, bool]]] = {
    "query": {
        "csv": ("form", False),
        "ssv": ("spaceDelimited", False),
        "pipes": ("pipeDelimited", False),
        "multi": ("form", True),
    },
    "path": {"csv": ("simple", False)},
    "header": {"csv": ("simple", False)},
}
_COLLECTION_STYLES["formData"] = _COLLECTION_STYLES["query"]
_OAUTH2_FLOWS = {
    "implicit": "implicit",
    "password": "password",
    "application": "clientCredentials",
    "accessCode": "authorizationCode",
}
_OAUTH2_FLOW_KEYS = ("authorizationUrl", "tokenUrl", "scopes")


class _Part(msgspec.Struct, frozen=True):
    """One parameter of an operation, classified: where its content is and where it was written."""

    kind: str
    """``body``, ``body-ref`` (a ``$ref`` to a top-level body), ``formData`` or ``other``."""
    param: Any
    source: str
    """Pointer of the node holding the parameter's content (a list item, or ``/parameters/X``)."""
    written: str
    """Pointer of the list item as the vendor wrote it: where a note about it points."""
    name: str = ""
    reference: str = ""
    """The ``$ref`` as written, for a ``body-ref``."""


class _Upgrader(msgspec.Struct):
    """The state of one upgrade: the input, the line maps, the notes so far."""

    source: dict[str, Any]
    lines: dict[str, int]
    new_lines: dict[str, int] = msgspec.field(default_factory=dict)
    notes: list[IngestNote] = msgspec.field(default_factory=list)
    noted: set[tuple[str, str]] = msgspec.field(default_factory=set)
    parameter_kinds: dict[str, str] = msgspec.field(default_factory=dict)

    # -- bookkeeping -----------------------------------------------------------------------------

    def place(self, old: str, new: str) -> None:
        """The node now at ``new`` was written at ``old``: it keeps the vendor's line."""
        line = self.lines.get(old)
        if line is not None:
            self.new_lines[new] = line

    def note(
        self,
        pointer: str,
        message: str,
        *,
        level: NoteLevel = "repair",
        before: Any = None,
        after: Any = None,
    ) -> None:
        """Record one move; its line is the vendor's line for the pointer as written."""
        self.notes.append(
            IngestNote(
                rule=RULE,
                pointer=pointer,
                message=message,
                level=level,
                before=before,
                after=after,
                line=self.lines.get(pointer),
            )
        )

    def note_once(
        self,
        pointer: str,
        message: str,
        *,
        level: NoteLevel = "repair",
        before: Any = None,
        after: Any = None,
    ) -> None:
        """Note a move in a subtree that may be written more than once (once per media type)."""
        if (pointer, message) in self.noted:
            return
        self.noted.add((pointer, message))
        self.note(pointer, message, level=level, before=before, after=after)

    # -- references and plain copies -------------------------------------------------------------

    def rewrite_ref(self, reference: str) -> str:
        """``#/definitions/X`` -> ``#/components/schemas/X``; other files and URLs stay."""
        if not reference.startswith("#/"):
            return reference
        section, slash, rest = reference[2:].partition("/")
        target = _REF_SECTIONS.get(section)
        if target is None or not slash or not rest:
            return reference
        if section == "parameters" and self.parameter_kinds.get(_first_token(rest)) == "body":
            target = "requestBodies"
        return f"#/components/{target}/{rest}"

    def copy(self, value: Any, old: str, new: str, *, refs: bool = True) -> Any:
        """A fresh copy of ``value`` with every line kept; ``refs`` rewrites ``$ref`` strings."""
        self.place(old, new)
        if isinstance(value, dict):
            return {
                key: self.copy_entry(key, item, old, new, refs=refs) for key, item in value.items()
            }
        if isinstance(value, list):
            return [
                self.copy(item, join(old, index), join(new, index), refs=refs)
                for index, item in enumerate(value)
            ]
        return value

    def copy_entry(self, key: str, item: Any, old: str, new: str, *, refs: bool = True) -> Any:
        """One key's value, copied; a ``$ref`` string under it is rewritten."""
        if refs and key == "$ref" and isinstance(item, str):
            self.place(join(old, key), join(new, key))
            return self.rewrite_ref(item)
        return self.copy(item, join(old, key), join(new, key), refs=refs)

    # -- schemas ---------------------------------------------------------------------------------

    def schema(self, value: Any, old: str, new: str) -> Any:
        """A 3.0 copy of a 2.0 schema: ``x-nullable``, ``type: file`` and string discriminators."""
        if not isinstance(value, dict):
            return self.copy(value, old, new)
        self.place(old, new)
        is_file = value.get("type") == "file"
        out: dict[str, Any] = {}
        for key, item in value.items():
            if is_file and key == "format":
                continue
            self.schema_entry(out, key, item, old, new)
        return out

    def schema_entry(self, out: dict[str, Any], key: str, item: Any, old: str, new: str) -> None:
        """One schema keyword: the words 3.0 says differently, and the subschemas to walk."""
        entry_old, entry_new = join(old, key), join(new, key)
        if key == "x-nullable" and isinstance(item, bool):
            self.convert_nullable(out, item, entry_old, new)
        elif key == "type" and item == "file":
            self.convert_file_type(out, entry_old, new)
        elif key == "discriminator" and isinstance(item, str):
            self.convert_discriminator(out, item, entry_old, entry_new)
        elif key == "collectionFormat":
            self.keep_collection_format(out, item, entry_old, new, "items")
        elif key in _SCHEMA_MAPS and isinstance(item, dict):
            self.place(entry_old, entry_new)
            out[key] = {
                name: self.schema(child, join(entry_old, name), join(entry_new, name))
                for name, child in item.items()
            }
        elif (key in _SCHEMA_LISTS or key in _SCHEMA_SINGLES) and isinstance(item, list):
            self.place(entry_old, entry_new)
            out[key] = [
                self.schema(child, join(entry_old, index), join(entry_new, index))
                for index, child in enumerate(item)
            ]
        elif key in _SCHEMA_SINGLES:
            out[key] = self.schema(item, entry_old, entry_new)
        else:
            out[key] = self.copy_entry(key, item, old, new, refs=key not in _LITERAL_KEYS)

    def convert_nullable(self, out: dict[str, Any], flag: bool, old: str, new: str) -> None:
        """``x-nullable: true`` is 3.0's ``nullable: true``; ``false`` is the default: it goes."""
        if flag:
            out["nullable"] = True
            self.place(old, join(new, "nullable"))
            self.note_once(
                old,
                "x-nullable became nullable",
                before={"x-nullable": True},
                after={"nullable": True},
            )
        else:
            self.note_once(old, "x-nullable: false dropped", before={"x-nullable": False})

    def convert_file_type(self, out: dict[str, Any], old: str, new: str) -> None:
        """3.0 has no ``file`` type: an uploaded or downloaded file is a binary string."""
        out["type"] = "string"
        out["format"] = "binary"
        self.place(old, join(new, "type"))
        self.place(old, join(new, "format"))
        self.note_once(
            old,
            "type: file became type: string, format: binary",
            before={"type": "file"},
            after={"type": "string", "format": "binary"},
        )

    def convert_discriminator(self, out: dict[str, Any], name: str, old: str, new: str) -> None:
        """2.0 names the discriminating property; 3.0 wraps the name in an object."""
        out["discriminator"] = {"propertyName": name}
        self.place(old, new)
        self.place(old, join(new, "propertyName"))
        self.note_once(
            old,
            "discriminator became discriminator.propertyName",
            before={"discriminator": name},
            after={"discriminator": {"propertyName": name}},
        )

    # -- parameters and headers ------------------------------------------------------------------

    def classify(self, item: Any, written: str) -> _Part:
        """What a parameter list entry is, following a ``$ref`` into top-level ``parameters``."""
        if not isinstance(item, dict):
            return _Part("other", item, written, written)
        reference = item.get("$ref")
        if isinstance(reference, str):
            return self.classify_reference(item, reference, written)
        location = item.get("in")
        kind = location if location in ("body", "formData") else "other"
        return _Part(kind, item, written, written, str(item.get("name", "")))

    def classify_reference(self, item: dict[str, Any], reference: str, written: str) -> _Part:
        """A ``$ref`` to a top-level body or formData parameter is that parameter, moved."""
        prefix = "#/parameters/"
        tokens = (
            split("/" + unquote(reference[len(prefix) :])) if reference.startswith(prefix) else []
        )
        parameters = self.source.get("parameters")
        target = (
            parameters.get(tokens[0]) if len(tokens) == 1 and isinstance(parameters, dict) else None
        )
        if not isinstance(target, dict) or target.get("in") not in ("body", "formData"):
            return _Part("other", item, written, written)
        kind = "body-ref" if target["in"] == "body" else "formData"
        source = join("/parameters", tokens[0])
        return _Part(kind, target, source, written, str(target.get("name", "")), reference)

    def parameter(self, item: Any, old: str, new: str) -> Any:
        """A non-body parameter: its type keywords move into ``schema``."""
        if isinstance(item, dict) and item.get("in") in ("query", "header", "path", "cookie"):
            return self.simple_parameter(item, old, new, str(item["in"]))
        return self.copy(item, old, new)

    def simple_parameter(self, param: dict[str, Any], old: str, new: str, location: str) -> Any:
        """A query/path/header parameter or a response header: a 3.0 object with a ``schema``.

        A parameter that already has a ``schema`` (not 2.0, but written) keeps it, and its type
        keywords stay where they are.
        """
        self.place(old, new)
        moves_types = "schema" not in param
        out: dict[str, Any] = {}
        for key, item in param.items():
            entry_old, entry_new = join(old, key), join(new, key)
            if moves_types and key in _PARAMETER_SCHEMA_KEYS:
                out.setdefault("schema", None)
            elif key == "schema":
                out[key] = self.schema(item, entry_old, entry_new)
            elif key == "collectionFormat":
                self.convert_collection_format(out, item, entry_old, new, location)
            else:
                out[key] = self.copy_entry(key, item, old, new)
        if moves_types:
            types = {key: item for key, item in param.items() if key in _PARAMETER_SCHEMA_KEYS}
            out["schema"] = self.schema(types, old, join(new, "schema"))
            if location == "query" and types.get("type") == "array":
                self.default_collection_format(out, param, old, new)
        return out

    def convert_collection_format(
        self, out: dict[str, Any], name: Any, old: str, new: str, location: str
    ) -> None:
        """``csv``/``ssv``/``pipes``/``multi`` are 3.0 ``style``/``explode`` pairs."""
        style = _COLLECTION_STYLES.get(location, {}).get(name) if isinstance(name, str) else None
        if style is None:
            self.keep_collection_format(out, name, old, new, f"{location} parameters")
            return
        out["style"], out["explode"] = style
        self.place(old, join(new, "style"))
        self.place(old, join(new, "explode"))
        self.note_once(
            old,
            f"collectionFormat {name} became style: {style[0]}, explode: {str(style[1]).lower()}",
            before={"collectionFormat": name},
            after={"style": style[0], "explode": style[1]},
        )

    def keep_collection_format(
        self, out: dict[str, Any], name: Any, old: str, new: str, where: str
    ) -> None:
        """No 3.x way to say it (``tsv``, or a format on nested items): kept as an extension."""
        out["x-collectionFormat"] = name
        self.place(old, join(new, "x-collectionFormat"))
        self.note_once(
            old,
            f"collectionFormat {name} has no OpenAPI 3 equivalent for {where};"
            " kept as x-collectionFormat",
            level="warning",
            before={"collectionFormat": name},
            after={"x-collectionFormat": name},
        )

    def default_collection_format(
        self, out: dict[str, Any], param: dict[str, Any], old: str, new: str
    ) -> None:
        """2.0 defaults an array to ``csv``; 3.0 would explode a query array, so say csv."""
        if "collectionFormat" in param or "style" in param or "explode" in param:
            return
        out["style"], out["explode"] = "form", False
        self.place(old, join(new, "style"))
        self.place(old, join(new, "explode"))
        self.note_once(
            old,
            "array query parameter without collectionFormat (csv)"
            " became style: form, explode: false",
            after={"style": "form", "explode": False},
        )

    # -- request bodies --------------------------------------------------------------------------

    def media_types(self, holder: dict[str, Any], old: str, key: str) -> list[tuple[str, str]]:
        """``consumes``/``produces`` of the operation, else of the document, else JSON."""
        for owner, owner_old in ((holder, old), (self.source, "")):
            listed = owner.get(key)
            if isinstance(listed, list) and any(isinstance(m, str) for m in listed):
                return [
                    (media, join(owner_old, key, index))
                    for index, media in enumerate(listed)
                    if isinstance(media, str)
                ]
        return [(DEFAULT_MEDIA_TYPE, old)]

    def content(
        self, schema: Any, schema_old: str, owner_old: str, new: str, media: list[tuple[str, str]]
    ) -> dict[str, Any]:
        """One media type object per media type, each with its own copy of the schema."""
        content_new = join(new, "content")
        self.place(owner_old, content_new)
        content: dict[str, Any] = {}
        for media_type, media_old in media:
            media_new = join(content_new, media_type)
            self.place(media_old, media_new)
            content[media_type] = {
                "schema": self.schema(schema, schema_old, join(media_new, "schema"))
            }
        return content

    def request_body(
        self, param: dict[str, Any], old: str, new: str, media: list[tuple[str, str]]
    ) -> dict[str, Any]:
        """A body parameter's schema, description and ``required`` as a 3.0 request body."""
        self.place(old, new)
        out: dict[str, Any] = {}
        for key, item in param.items():
            if key in ("name", "in"):
                continue
            if key == "schema":
                out["content"] = self.content(item, join(old, key), old, new, media)
            else:
                out[key] = self.copy_entry(key, item, old, new)
        if "content" not in out:
            out["content"] = self.content({}, join(old, "schema"), old, new, media)
        return out

    def form_media_type(
        self, parts: list[_Part], consumes: list[tuple[str, str]]
    ) -> tuple[str, str]:
        """Multipart when a part is a file or ``consumes`` says so, else URL-encoded."""
        for media_type, media_old in consumes:
            if media_type.split(";")[0].strip() == MULTIPART:
                return media_type, media_old
        if any(part.param.get("type") == "file" for part in parts):
            return MULTIPART, parts[0].written
        for media_type, media_old in consumes:
            if media_type.split(";")[0].strip() == URLENCODED:
                return media_type, media_old
        return URLENCODED, parts[0].written

    def form_body(self, parts: list[_Part], new: str, media: tuple[str, str]) -> dict[str, Any]:
        """formData parameters as one object schema: each a property, ``required`` collected."""
        media_type, media_old = media
        media_new = join(new, "content", media_type)
        schema_new = join(media_new, "schema")
        first = parts[0].written
        for pointer in (new, join(new, "content"), schema_new, join(schema_new, "type")):
            self.place(first, pointer)
        self.place(first, join(schema_new, "properties"))
        self.place(media_old, media_new)
        media_object = self.form_media(parts, media_new)
        body: dict[str, Any] = {"content": {media_type: media_object}}
        required = [part for part in parts if part.param.get("required") is True]
        if required:
            body["required"] = True
            self.place(join(required[0].source, "required"), join(new, "required"))
            self.place(join(required[0].source, "required"), join(schema_new, "required"))
        return body

    def form_media(self, parts: list[_Part], media_new: str) -> dict[str, Any]:
        """The media type object: an object schema of the parts, and their encodings if any."""
        schema_new = join(media_new, "schema")
        properties: dict[str, Any] = {}
        encoding: dict[str, Any] = {}
        required: list[str] = []
        for part in parts:
            prop_new = join(schema_new, "properties", part.name)
            properties[part.name] = self.form_property(part, prop_new)
            style = self.form_encoding(part, join(media_new, "encoding"))
            if style:
                encoding[part.name] = style
            if part.param.get("required") is True:
                at = join(schema_new, "required", len(required))
                self.place(join(part.source, "required"), at)
                required.append(part.name)
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        media_object: dict[str, Any] = {"schema": schema}
        if encoding:
            media_object["encoding"] = encoding
        return media_object

    def form_property(self, part: _Part, new: str) -> Any:
        """One formData parameter as a property: its type words, description and extensions."""
        param: dict[str, Any] = part.param
        kept = {
            key: item
            for key, item in param.items()
            if key in _PARAMETER_SCHEMA_KEYS or key == "description" or key.startswith("x-")
        }
        if "allowEmptyValue" in param:
            kept["x-allowEmptyValue"] = param["allowEmptyValue"]
        prop = self.schema(kept, part.source, new)
        self.place(join(part.source, "allowEmptyValue"), join(new, "x-allowEmptyValue"))
        return prop

    def form_encoding(self, part: _Part, encoding_new: str) -> dict[str, Any]:
        """A form part's collectionFormat is said as style/explode in the media type's encoding."""
        if "collectionFormat" not in part.param:
            return {}
        old = join(part.source, "collectionFormat")
        new = join(encoding_new, part.name)
        self.place(old, encoding_new)
        self.place(old, new)
        style: dict[str, Any] = {}
        self.convert_collection_format(style, part.param["collectionFormat"], old, new, "formData")
        return style

    # -- operations ------------------------------------------------------------------------------

    def body_from(
        self, part: _Part, new: str, consumes: list[tuple[str, str]], *, inherited: bool
    ) -> dict[str, Any]:
        """The request body of one body parameter, or a reference to a component request body."""
        prefix = "path-level " if inherited else ""
        media_list = [media_type for media_type, _ in consumes]
        if part.kind == "body-ref":
            if media_list == self.document_consumes():
                self.place(part.written, new)
                self.place(join(part.written, "$ref"), join(new, "$ref"))
                message = f"{prefix}body parameter reference became requestBody reference"
                self.note(part.written, message, after=media_list)
                return {"$ref": self.rewrite_ref(part.reference)}
            message = (
                f"{prefix}body parameter reference became inline requestBody (consumes differ)"
            )
        else:
            message = f"{prefix}body parameter became requestBody"
        self.note(part.written, message, after=media_list)
        return self.request_body(part.param, part.source, new, consumes)

    def document_consumes(self) -> list[str]:
        """The media types a component request body is written with."""
        return [media_type for media_type, _ in self.media_types({}, "", "consumes")]

    def operation_body(
        self, own: list[_Part], inherited: list[_Part], new: str, consumes: list[tuple[str, str]]
    ) -> dict[str, Any] | None:
        """The operation's own body or formData wins; else the path level's, as 2.0 overrides."""
        body_new = join(new, "requestBody")
        bodies = [part for part in own if part.kind in ("body", "body-ref")]
        forms = [part for part in own if part.kind == "formData"]
        if bodies:
            self.note_dropped(bodies[1:] + forms)
            return self.body_from(bodies[0], body_new, consumes, inherited=False)
        own_names = {part.name for part in forms}
        shared_forms = [p for p in inherited if p.kind == "formData" and p.name not in own_names]
        if forms or shared_forms:
            parts = shared_forms + forms
            media_type = self.form_media_type(parts, consumes)
            prefix = "" if forms else "path-level "
            message = f"{prefix}formData parameters became requestBody"
            self.note(parts[0].written, message, after=[media_type[0]])
            return self.form_body(parts, body_new, media_type)
        shared_bodies = [part for part in inherited if part.kind in ("body", "body-ref")]
        if shared_bodies:
            return self.body_from(shared_bodies[0], body_new, consumes, inherited=True)
        return None

    def note_dropped(self, parts: list[_Part]) -> None:
        """2.0 allows one body and no formData beside it: the rest has nowhere to go."""
        for part in parts:
            self.note(
                part.written,
                f"{part.kind.removesuffix('-ref')} parameter beside a body parameter"
                " cannot be converted; dropped",
                level="warning",
            )

    def parameter_list(self, parts: list[_Part], old: str, new: str) -> list[Any]:
        """The parameters that stay parameters, renumbered once bodies and forms have left.

        The list itself keeps its line only when something is left in it.
        """
        kept = [part for part in parts if part.kind == "other"]
        if kept or not parts:
            self.place(old, new)
        return [
            self.parameter(part.param, part.source, join(new, index))
            for index, part in enumerate(kept)
        ]

    def classify_list(self, listed: Any, old: str) -> list[_Part]:
        """Every entry of a parameter list, classified, with its pointer as written."""
        if not isinstance(listed, list):
            return []
        return [self.classify(item, join(old, index)) for index, item in enumerate(listed)]

    def operation(
        self, op: dict[str, Any], old: str, new: str, inherited: list[_Part]
    ) -> dict[str, Any]:
        """An operation: parameters split, request body made, responses given media types."""
        self.place(old, new)
        own = self.classify_list(op.get("parameters"), join(old, "parameters"))
        consumes = self.media_types(op, old, "consumes")
        produces = self.media_types(op, old, "produces")
        self.note_operation_media(op, old)
        body = self.operation_body(own, inherited, new, consumes)
        out: dict[str, Any] = {}
        for key, item in op.items():
            if key in ("consumes", "produces"):
                continue
            if key == "parameters" and isinstance(item, list):
                parameters = self.parameter_list(own, join(old, key), join(new, key))
                if parameters or not item:
                    out[key] = parameters
                if body is not None:
                    out["requestBody"] = body
            elif key == "responses":
                if body is not None:
                    out.setdefault("requestBody", body)
                out[key] = self.responses(item, join(old, key), join(new, key), produces)
            elif key == "schemes":
                self.operation_servers(out, item, join(old, key), new)
            else:
                out[key] = self.copy_entry(key, item, old, new)
        if body is not None:
            out.setdefault("requestBody", body)
        return out

    def note_operation_media(self, op: dict[str, Any], old: str) -> None:
        """One note per operation that declared its own consumes or produces."""
        present = [key for key in ("consumes", "produces") if key in op]
        if not present:
            return
        pointer = join(old, present[0]) if len(present) == 1 else old
        message = f"operation {' and '.join(present)} became media types"
        self.note(pointer, message, before={key: op[key] for key in present})

    def operation_servers(self, out: dict[str, Any], schemes: Any, old: str, new: str) -> None:
        """An operation's own ``schemes`` are its own servers, on the document's host."""
        host = self.source.get("host")
        if not (isinstance(host, str) and host):
            message = "operation schemes dropped: the document has no host to pair them with"
            self.note(old, message, level="warning", before={"schemes": schemes})
            return
        servers = self.server_list(schemes, old, join(new, "servers"))
        self.place(old, join(new, "servers"))
        out["servers"] = servers
        message = "operation schemes became operation servers"
        self.note(old, message, before={"schemes": schemes}, after=servers)

    # -- responses -------------------------------------------------------------------------------

    def responses(self, responses: Any, old: str, new: str, produces: list[tuple[str, str]]) -> Any:
        """A responses map; extensions in it are copied, not read as responses."""
        if not isinstance(responses, dict):
            return self.copy(responses, old, new)
        self.place(old, new)
        out: dict[str, Any] = {}
        for status, response in responses.items():
            if str(status).startswith("x-"):
                out[status] = self.copy_entry(status, response, old, new)
            else:
                out[status] = self.response(
                    response, join(old, status), join(new, status), produces
                )
        return out

    def response(self, response: Any, old: str, new: str, produces: list[tuple[str, str]]) -> Any:
        """A response: ``schema`` under each media type, headers with schemas, examples placed."""
        if not isinstance(response, dict) or "$ref" in response:
            return self.copy(response, old, new)
        self.place(old, new)
        out: dict[str, Any] = {}
        for key, item in response.items():
            if key == "schema":
                out["content"] = self.content(item, join(old, key), old, new, produces)
            elif key == "headers" and isinstance(item, dict):
                out[key] = self.headers(item, join(old, key), join(new, key))
            elif key != "examples" or not isinstance(item, dict):
                out[key] = self.copy_entry(key, item, old, new)
        examples = response.get("examples")
        if isinstance(examples, dict):
            self.response_examples(out, examples, join(old, "examples"), new)
        return out

    def headers(self, headers: dict[str, Any], old: str, new: str) -> dict[str, Any]:
        """Swagger headers are schema-like; 3.0 headers hold a schema."""
        self.place(old, new)
        return {
            name: self.simple_parameter(header, join(old, name), join(new, name), "header")
            if isinstance(header, dict)
            else self.copy(header, join(old, name), join(new, name))
            for name, header in headers.items()
        }

    def response_examples(
        self, out: dict[str, Any], examples: dict[str, Any], old: str, new: str
    ) -> None:
        """2.0 keys a response's examples by mime type: each is that media type's ``example``."""
        if not examples:
            return
        content_new = join(new, "content")
        if "content" not in out:
            self.place(old, content_new)
        content = out.setdefault("content", {})
        for media_type, example in examples.items():
            media_new = join(content_new, media_type)
            if media_type not in content:
                self.place(join(old, media_type), media_new)
            media = content.setdefault(media_type, {})
            example_old = join(old, media_type)
            media["example"] = self.copy(
                example, example_old, join(media_new, "example"), refs=False
            )

    # -- paths -----------------------------------------------------------------------------------

    def paths(self, paths: Any) -> Any:
        """The paths map, path by path."""
        if not isinstance(paths, dict):
            return self.copy(paths, "/paths", "/paths")
        self.place("/paths", "/paths")
        return {
            path: self.path_item(item, join("/paths", path), join("/paths", path))
            for path, item in paths.items()
        }

    def path_item(self, item: Any, old: str, new: str) -> Any:
        """A path: its own parameters stay, its body or formData goes to each operation under it."""
        if not isinstance(item, dict):
            return self.copy(item, old, new)
        self.place(old, new)
        shared = self.classify_list(item.get("parameters"), join(old, "parameters"))
        out: dict[str, Any] = {}
        for key, value in item.items():
            if key == "parameters" and isinstance(value, list):
                parameters = self.parameter_list(shared, join(old, key), join(new, key))
                if parameters or not value:
                    out[key] = parameters
            elif key in HTTP_METHODS and isinstance(value, dict):
                out[key] = self.operation(value, join(old, key), join(new, key), shared)
            else:
                out[key] = self.copy_entry(key, value, old, new)
        return out

    # -- components ------------------------------------------------------------------------------

    def components(self) -> dict[str, Any]:
        """``definitions``, ``parameters``, ``responses`` and ``securityDefinitions``, moved."""
        first = next(key for key in self.source if key in _COMPONENT_SECTIONS)
        self.place(join("", first), "/components")
        out: dict[str, Any] = {}
        if "definitions" in self.source:
            out["schemas"] = self.section("definitions", self.schema)
        if "responses" in self.source:
            produces = self.media_types({}, "", "produces")

            def response(item: Any, old: str, new: str) -> Any:
                """A component response takes the document's produces."""
                return self.response(item, old, new, produces)

            out["responses"] = self.section("responses", response)
        if "parameters" in self.source:
            self.component_parameters(out)
        if "securityDefinitions" in self.source:
            out["securitySchemes"] = self.section("securityDefinitions", self.security_scheme)
        return out

    def section(self, key: str, convert: Callable[[Any, str, str], Any]) -> Any:
        """One top-level 2.0 section as a components section, each entry through ``convert``."""
        value = self.source[key]
        old, new = join("", key), join("/components", _COMPONENT_SECTIONS[key])
        self.note(old, f"{key} moved to components/{_COMPONENT_SECTIONS[key]}")
        if not isinstance(value, dict):
            return self.copy(value, old, new)
        self.place(old, new)
        return {
            name: convert(item, join(old, name), join(new, name)) for name, item in value.items()
        }

    def component_parameters(self, out: dict[str, Any]) -> None:
        """Body parameters become request bodies; formData ones are inlined where they are used."""
        value = self.source["parameters"]
        self.note("/parameters", "parameters moved to components/parameters")
        if not isinstance(value, dict):
            out["parameters"] = self.copy(value, "/parameters", "/components/parameters")
            return
        parameters: dict[str, Any] = {}
        bodies: dict[str, Any] = {}
        consumes = self.media_types({}, "", "consumes")
        for name, param in value.items():
            old = join("/parameters", name)
            kind = param.get("in") if isinstance(param, dict) else None
            if kind == "body":
                self.note(old, "body parameter moved to components/requestBodies")
                new = join("/components/requestBodies", name)
                bodies[name] = self.request_body(param, old, new, consumes)
            elif kind == "formData":
                self.note(old, "formData parameter inlined into each request body that uses it")
            else:
                parameters[name] = self.parameter(param, old, join("/components/parameters", name))
        if parameters or not value:
            self.place("/parameters", "/components/parameters")
            out["parameters"] = parameters
        if bodies:
            self.place("/parameters", "/components/requestBodies")
            out["requestBodies"] = bodies

    def security_scheme(self, scheme: Any, old: str, new: str) -> Any:
        """basic and oauth2 are said differently in 3.0; apiKey and others stay."""
        if not isinstance(scheme, dict):
            return self.copy(scheme, old, new)
        if scheme.get("type") == "basic":
            return self.basic_scheme(scheme, old, new)
        if scheme.get("type") == "oauth2" and scheme.get("flow") in _OAUTH2_FLOWS:
            return self.oauth2_scheme(scheme, old, new)
        return self.copy(scheme, old, new)

    def basic_scheme(self, scheme: dict[str, Any], old: str, new: str) -> dict[str, Any]:
        """2.0 ``basic`` is 3.0 ``http`` with scheme ``basic``."""
        self.place(old, new)
        out: dict[str, Any] = {}
        for key, item in scheme.items():
            if key == "type":
                out["type"], out["scheme"] = "http", "basic"
                self.place(join(old, key), join(new, "type"))
                self.place(join(old, key), join(new, "scheme"))
            else:
                out[key] = self.copy_entry(key, item, old, new)
        self.note(
            join(old, "type"),
            "basic security scheme became http basic",
            before={"type": "basic"},
            after={"type": "http", "scheme": "basic"},
        )
        return out

    def oauth2_scheme(self, scheme: dict[str, Any], old: str, new: str) -> dict[str, Any]:
        """2.0 names one ``flow`` with its URLs beside it; 3.0 nests them under ``flows``."""
        flow = str(scheme["flow"])
        name = _OAUTH2_FLOWS[flow]
        flow_old, flow_new = join(old, "flow"), join(new, "flows", name)
        self.place(old, new)
        flow_object: dict[str, Any] = {}
        out: dict[str, Any] = {}
        for key, item in scheme.items():
            if key == "flow":
                out["flows"] = {name: flow_object}
                self.place(flow_old, join(new, "flows"))
                self.place(flow_old, flow_new)
            elif key in _OAUTH2_FLOW_KEYS:
                flow_object[key] = self.copy(item, join(old, key), join(flow_new, key))
            else:
                out[key] = self.copy_entry(key, item, old, new)
        flow_object.setdefault("scopes", {})
        self.note(
            flow_old,
            f"oauth2 flow {flow} became flows.{name}",
            before={"flow": flow},
            after={"flows": name},
        )
        return out

    # -- servers and the document ----------------------------------------------------------------

    def server_list(self, schemes: Any, schemes_old: str, new: str) -> list[dict[str, Any]]:
        """``{scheme}://{host}{basePath}`` per scheme (https by default), or ``basePath`` alone."""
        host, base_path = self.source.get("host"), self.source.get("basePath")
        base = base_path if isinstance(base_path, str) else ""
        if isinstance(host, str) and host:
            listed = schemes if isinstance(schemes, list) else []
            entries = [
                (s, join(schemes_old, i)) for i, s in enumerate(listed) if isinstance(s, str)
            ]
            urls = [
                (f"{scheme}://{host}{base}", at)
                for scheme, at in entries or [(DEFAULT_SCHEME, "/host")]
            ]
        elif base:
            urls = [(base, "/basePath")]
        else:
            return []
        for index, (_url, at) in enumerate(urls):
            self.place(at, join(new, index))
            self.place(at, join(new, index, "url"))
        return [{"url": url} for url, _at in urls]

    def servers(self) -> list[dict[str, Any]]:
        """The document's servers, with one note saying what they came from."""
        present = [key for key in ("host", "basePath", "schemes") if key in self.source]
        anchor = join("", present[0])
        before = {key: self.source[key] for key in present}
        servers = self.server_list(self.source.get("schemes"), "/schemes", "/servers")
        if servers:
            self.place(anchor, "/servers")
            self.note(anchor, f"{', '.join(present)} became servers", before=before, after=servers)
        else:
            message = f"{', '.join(present)} dropped: no host or basePath to make a server URL from"
            self.note(anchor, message, level="warning", before=before)
        return servers

    def note_document_media(self) -> None:
        """Document-level consumes/produces are spread over the operations: one note."""
        present = [key for key in ("consumes", "produces") if key in self.source]
        message = f"document {' and '.join(present)} became media types of each operation"
        self.note(join("", present[0]), message, before={key: self.source[key] for key in present})

    def document(self) -> dict[str, Any]:
        """The whole 3.0.3 document, top-level keys in the vendor's order."""
        self.place("", "")
        version = self.source.get("swagger")
        self.place("/swagger", "/openapi")
        self.note(
            "/swagger",
            f"swagger {version} became openapi {TARGET_VERSION}",
            before={"swagger": version},
            after={"openapi": TARGET_VERSION},
        )
        out: dict[str, Any] = {"openapi": TARGET_VERSION}
        done: set[str] = set()
        for key, item in self.source.items():
            group = _TOP_LEVEL_GROUPS.get(key)
            if group in done or key in ("swagger", "openapi"):
                continue
            if group is not None:
                done.add(group)
            if group == "servers":
                servers = self.servers()
                if servers:
                    out["servers"] = servers
            elif group == "media":
                self.note_document_media()
            elif group == "components":
                out["components"] = self.components()
            elif key == "paths":
                out[key] = self.paths(item)
            else:
                out[key] = self.copy_entry(key, item, "", "")
        return out


_TOP_LEVEL_GROUPS = {
    "host": "servers",
    "basePath": "servers",
    "schemes": "servers",
    "consumes": "media",
    "produces": "media",
    **dict.fromkeys(_COMPONENT_SECTIONS, "components"),
}


def _first_token(rest: str) -> str:
    """The component name a fragment's remainder starts with (percent- and ~-escapes undone)."""
    return split("/" + unquote(rest))[0]


def _parameter_kinds(document: dict[str, Any]) -> dict[str, str]:
    """Top-level parameter name -> ``in``: a ``$ref`` to a body one is a request body."""
    parameters = document.get("parameters")
    if not isinstance(parameters, dict):
        return {}
    return {
        name: str(param.get("in")) for name, param in parameters.items() if isinstance(param, dict)
    }


def upgrade_swagger2(
    document: dict[str, Any], lines: dict[str, int]
) -> tuple[dict[str, Any], dict[str, int], list[IngestNote]]:
    """Return an OpenAPI 3.0.3 copy of a Swagger 2.0 document, its line map and one note per move.

    ``document`` is not changed. Every node of the copy that came from the vendor's text keeps
    its line under its new pointer; each note points into the document as the vendor wrote it.
    """
    upgrader = _Upgrader(source=document, lines=lines, parameter_kinds=_parameter_kinds(document))
    upgraded = upgrader.document()
    return upgraded, upgrader.new_lines, upgrader.notes
