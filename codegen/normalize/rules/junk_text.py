"""Rule junk-text: titles and descriptions copied from unrelated APIs or left as placeholders move
into ``x-specgen-junk`` so they never reach generated docs.

The judgement is by evidence, never by known strings: a placeholder phrase ("Return example"),
or prose whose content words share nothing with the document's own vocabulary (its paths,
property and component names, enum values and the schemas' own descriptions), or sample/demo
wording that is barely connected to it.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import Any

import msgspec

from ...jsonpointer import join
from ...openapi_walk import SchemaEntry, iter_operations
from ..context import RuleContext
from ..marks import JUNK

RULE_ID = "junk-text"
KEEPS_SHAPE = True  # changes only keywords that hold no schema (see rules.SHAPE_KEEPING)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS = _words("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each either else etc every few
for from further had has have having he her here hers him his how if in into is it its itself just
may me might more most must my neither no nor not now of off on once only or other our ours out
over own per same shall she should so some such than that the their theirs them then there these
they this those through to too under until up upon us very via was we were what when where which
while who whom why will with within without would yet you your yours e g eg ie i
""")
# Words any API document uses: they connect a text to no document in particular.
_GENERIC = _words("""
api apis openapi http https rest endpoint endpoints request requests response responses error
errors exception invalid missing required optional server servers client clients rate limit
exceeded key keys apikey auth authorization authentication authenticate unauthorized forbidden
timeout insufficient fail failed failure success successful succeeded ok return returns returned
result results data object objects value values field fields parameter parameters param params body
id ids identifier type types status code codes message messages string integer number boolean array
null true false default format use used uses using get gets set sets create creates created list
lists update updates delete deletes new given following follow example examples sample samples
demo test prod production env environment staging sandbox version info information details detail
specification spec specs document documentation docs schema schemas model models more see can one
""")
# A text made only of these words, with at least one marker, is a placeholder.
_PLACEHOLDER_MARKERS = _words(
    "example examples sample demo test testing placeholder todo tbd fixme lorem ipsum xxx foo bar "
    "baz description untitled"
)
_PLACEHOLDER_FILLER = _words(
    "return returns response request result here your the a an this of is text string "
    "dolor sit amet goes"
)
_PLACEHOLDER_WORDS = _PLACEHOLDER_MARKERS | _PLACEHOLDER_FILLER
_TYPE_NAMES = frozenset({"string", "integer", "number", "boolean", "object", "array", "null"})
_SAMPLE_WORDING = re.compile(
    r"\b(?:sample|demo|dummy|example|toy|fake)\s+(?:api|app|application|server|service|project|"
    r"store|shop|spec(?:ification)?)\b|\bto demonstrate\b|\bas an example\b|\bfor demonstration\b",
    re.I,
)
_CODE_SPAN = re.compile(r"`([^`]+)`")
_URL = re.compile(r"\(?https?://[^\s)]+\)?")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_SUFFIXES = (
    ("ational", "ate"),
    ("ization", "ize"),
    ("ments", ""),
    ("ment", ""),
    ("ings", ""),
    ("ing", ""),
    ("ions", ""),
    ("ion", ""),
    ("ies", "y"),
    ("ers", ""),
    ("er", ""),
    ("ed", ""),
    ("es", ""),
    ("ly", ""),
    ("s", ""),
)
_STRUCTURE = -1  # the source id of the document's names, shared by every judged text
_NOT_A_SOURCE = -2  # document-level prose: judged, but it vouches for nothing


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem, enough for ``creation`` and ``created`` to meet (asked for every word of
    every description, so remembered)."""
    word = word.lower()
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)] + replacement
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


@functools.lru_cache(maxsize=65536)
def name_stems(text: str) -> frozenset[str]:
    """Stems of an identifier-ish string: ``chat.completion.chunk``, ``maxTokens``, ``top_p``
    (a document repeats its names many times, so remembered)."""
    return frozenset(
        stem(part) for word in _WORD.findall(text) for part in _CAMEL.findall(word) if len(part) > 2
    )


@functools.lru_cache(maxsize=65536)
def _content_stem(word: str) -> str | None:
    """The stem of a word of prose, or None for a word that ties a text to no document."""
    word = word.lower()
    if len(word) > 2 and word not in _STOPWORDS and word not in _GENERIC:
        return stem(word)
    return None


def content_stems(text: str) -> set[str]:
    """Stems of the words of prose that could tie it to one document (no code spans, no URLs)."""
    # Each substitution only where it can match: most texts hold neither a link nor code.
    prose = _URL.sub(" ", text) if "://" in text else text
    if "`" in prose:
        prose = _CODE_SPAN.sub(" ", prose)
    return {found for word in _WORD.findall(prose) if (found := _content_stem(word)) is not None}


def is_placeholder(text: str) -> bool:
    """A type name alone, or only placeholder words with at least one marker among them.

    Words are read only until one settles it: most texts are prose whose first words already
    fall outside the placeholder vocabulary."""
    words = _WORD.finditer(text)
    first = next(words, None)
    if first is None:
        return False
    word = first.group(0).lower()
    second = next(words, None)
    if second is None:
        return word in _TYPE_NAMES or word in _PLACEHOLDER_MARKERS
    marker = False
    for match in itertools.chain((first, second), words):
        word = match.group(0).lower()
        if word not in _PLACEHOLDER_WORDS:
            return False
        marker = marker or word in _PLACEHOLDER_MARKERS
    return marker


# Words that any match of _SAMPLE_WORDING holds (in lower case, in ASCII text).
_SAMPLE_HINTS = ("sample", "demo", "dummy", "example", "toy", "fake")


def _sample_wording(text: str) -> re.Match[str] | None:
    if text.isascii():
        lowered = text.lower()
        if not any(hint in lowered for hint in _SAMPLE_HINTS):
            return None
    return _SAMPLE_WORDING.search(text)


class Text(msgspec.Struct):
    """One title/description that may be judged: where it is and who can vouch for it."""

    owner: dict[str, Any]
    pointer: str
    field: str
    text: str
    required: bool
    source_id: int  # schema prose vouches for other texts; document prose does not
    stems: set[str]  # content_stems(text), read twice: for the vocabulary, for the verdict

    @classmethod
    def of(
        cls,
        owner: dict[str, Any],
        pointer: str,
        field: str,
        text: str,
        required: bool,
        source: int,
        read: dict[str, set[str]] | None = None,
    ) -> Text:
        """``read``: the stems of the texts read so far. A document repeats its descriptions, and
        equal texts share one set of stems (only ever read, never changed)."""
        stems = None if read is None else read.get(text)
        if stems is None:
            stems = content_stems(text)
            if read is not None:
                read[text] = stems
        return cls(owner, pointer, field, text, required, source, stems)


def _texts(
    document: dict[str, Any], schemas: Sequence[SchemaEntry]
) -> Iterator[tuple[dict[str, Any], str, str, bool, bool]]:
    """(owner, pointer, field, required, is_schema) for every title/description to judge."""
    info = document.get("info")
    if isinstance(info, dict):
        yield info, "/info", "title", True, False
        yield info, "/info", "summary", False, False
        yield info, "/info", "description", False, False
    for position, tag in enumerate(document.get("tags") or []):
        if isinstance(tag, dict):
            yield tag, join("/tags", position), "description", False, False
    yield from _servers(document, "")
    components = document.get("components") or {}
    for name, scheme in (components.get("securitySchemes") or {}).items():
        if isinstance(scheme, dict):
            yield scheme, join("/components/securitySchemes", name), "description", False, False
    for section, required in (("parameters", False), ("requestBodies", False), ("responses", True)):
        for name, member in (components.get(section) or {}).items():
            if isinstance(member, dict):
                yield member, join("/components", section, name), "description", required, False
    for path, item in (document.get("paths") or {}).items():
        if isinstance(item, dict):
            item_pointer = join("/paths", path)
            yield item, item_pointer, "summary", False, False
            yield item, item_pointer, "description", False, False
            yield from _servers(item, item_pointer)
    for pointer, _path, _method, operation in iter_operations(document):
        yield operation, pointer, "summary", False, False
        yield operation, pointer, "description", False, False
        yield from _servers(operation, pointer)
        for position, parameter in enumerate(operation.get("parameters") or []):
            if isinstance(parameter, dict):
                yield parameter, join(pointer, "parameters", position), "description", False, False
        body = operation.get("requestBody")
        if isinstance(body, dict):
            yield body, join(pointer, "requestBody"), "description", False, False
        for status, response in (operation.get("responses") or {}).items():
            if isinstance(response, dict):
                yield response, join(pointer, "responses", status), "description", True, False
    for pointer, schema in schemas:
        yield schema, pointer, "title", False, True
        yield schema, pointer, "description", False, True


def _servers(
    owner: dict[str, Any], pointer: str
) -> Iterator[tuple[dict[str, Any], str, str, bool, bool]]:
    for position, server in enumerate(owner.get("servers") or []):
        if isinstance(server, dict):
            yield server, join(pointer, "servers", position), "description", False, False


def _add_identifier_strings(value: Any, names: set[str]) -> None:
    """Add the names in data: object keys, and strings without spaces (``deepseek-chat``, enum
    values).

    Into a set, in no particular order (they only build a vocabulary): a stack, not a generator
    a level, since every example and enum of the document passes here."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if node and " " not in node.strip():
                names.add(node)
        elif isinstance(node, dict):
            names.update(map(str, node))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _declared_names(document: dict[str, Any]) -> Iterator[str]:
    """The names the document declares: paths, components, security, tags, servers, operations."""
    yield from (document.get("paths") or {})
    components = document.get("components") or {}
    for section in components.values():
        if isinstance(section, dict):
            yield from section
    for scheme in (components.get("securitySchemes") or {}).values():
        if isinstance(scheme, dict):
            yield from (str(scheme.get(k, "")) for k in ("type", "scheme", "name", "in"))
    for tag in document.get("tags") or []:
        if isinstance(tag, dict) and isinstance(tag.get("name"), str):
            yield tag["name"]
    for server in document.get("servers") or []:
        if isinstance(server, dict) and isinstance(server.get("url"), str):
            yield server["url"]
    for _pointer, _path, _method, operation in iter_operations(document):
        yield str(operation.get("operationId", ""))
        yield from (t for t in operation.get("tags") or [] if isinstance(t, str))
        for parameter in operation.get("parameters") or []:
            if isinstance(parameter, dict):
                yield str(parameter.get("name", ""))


def _operation_examples(document: dict[str, Any]) -> Iterator[Any]:
    """The example values of every operation's request and response media."""
    for _pointer, _path, _method, operation in iter_operations(document):
        for media_parent in (
            operation.get("requestBody"),
            *(operation.get("responses") or {}).values(),
        ):
            if isinstance(media_parent, dict):
                for media in (media_parent.get("content") or {}).values():
                    if isinstance(media, dict):
                        yield media.get("example")
                        for example in (media.get("examples") or {}).values():
                            if isinstance(example, dict):
                                yield example.get("value")


_DATA_KEYWORDS = ("enum", "const", "default", "examples")


def _structure_names(document: dict[str, Any], schemas: Sequence[SchemaEntry]) -> set[str]:
    """The document's own names: paths, components, properties, parameters, enums, examples."""
    names = set(_declared_names(document))
    for value in _operation_examples(document):
        _add_identifier_strings(value, names)
    for _pointer, schema in schemas:
        names.update(schema.get("properties") or ())
        for key in _DATA_KEYWORDS:
            value = schema.get(key)
            if value is not None:  # most schemas hold none of them
                _add_identifier_strings(value, names)
    return names


def _vocabulary(
    document: dict[str, Any], schemas: Sequence[SchemaEntry], texts: list[Text]
) -> dict[str, set[int]]:
    # A document repeats its names (every schema's properties, every example's keys): each
    # distinct name counts once.
    names = _structure_names(document, schemas)
    names.update(
        span for text in texts if "`" in text.text for span in _CODE_SPAN.findall(text.text)
    )
    structure = set().union(*map(name_stems, names))
    vocabulary: dict[str, set[int]] = {found: {_STRUCTURE} for found in structure}
    for text in texts:
        if text.source_id != _NOT_A_SOURCE:
            for found in text.stems:
                vocabulary.setdefault(found, set()).add(text.source_id)
    return vocabulary


def _verdict(text: Text, vocabulary: dict[str, set[int]]) -> str | None:
    """Why a text is junk, or None when it belongs to this document."""
    if is_placeholder(text.text):
        return "a placeholder phrase, not a description"
    words = text.stems
    # Its words that another source vouches for, counted only as far as the verdict needs:
    # past a quarter of its words the text belongs to the document (most texts do).
    shared = 0
    for word in words:
        sources = vocabulary.get(word)
        if sources and (len(sources) > 1 or text.source_id not in sources):
            shared += 1
            if shared * 4 > len(words):
                return None
    sample = _sample_wording(text.text)
    if sample:
        return (
            f"sample/demo wording ({sample.group(0)!r}) and it shares "
            f"{shared} of {len(words)} content words with the document"
        )
    if len(words) >= 2 and not shared:
        return (
            f"none of its content words ({', '.join(sorted(words))}) occur in the "
            "document's names, values or schema descriptions"
        )
    return None


def apply(context: RuleContext) -> None:
    texts: list[Text] = []
    read: dict[str, set[str]] = {}
    schemas = context.schemas()
    for owner, pointer, field_name, required, is_schema in _texts(context.document, schemas):
        value = owner.get(field_name)
        if isinstance(value, str) and value.strip():
            source_id = len(texts) if is_schema else _NOT_A_SOURCE
            texts.append(Text.of(owner, pointer, field_name, value, required, source_id, read))
    vocabulary = _vocabulary(context.document, schemas, texts)
    for text in texts:
        why = _verdict(text, vocabulary)
        if why is None:
            continue
        # Required fields (info.title, a response's description) stay, empty: the document
        # must remain valid OpenAPI.
        if text.required:
            text.owner[text.field] = ""
        else:
            del text.owner[text.field]
        text.owner.setdefault(JUNK, {})[text.field] = text.text
        context.repair(
            join(text.pointer, text.field),
            f"{text.field} judged copied or placeholder text; moved to {JUNK}",
            before=text.text,
            after="" if text.required else None,
            evidence=why,
        )
