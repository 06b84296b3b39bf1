"""Mutations of the corpus documents for ``test_corpus_fuzz.py``: each parsed once, mutated at a
node hypothesis chooses (structural), or as raw bytes (text-level), then written back out.

A ``Mutation`` is plain data, so a failing hypothesis example prints as a recipe a person can
replay with ``mutate(corpus_document(name), [Mutation(...)])``.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

# yaml.safe_load / yaml.safe_dump, through libyaml when PyYAML has it (several times faster).
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

Pointer = tuple[str | int, ...]
"""The keys and indexes from the document root to a node."""

STRUCTURAL = (
    "delete_key",
    "change_type",
    "break_ref",
    "ref_self_cycle",
    "ref_two_cycle",
    "required",
    "empty_combinator",
    "bad_type",
)
TEXT = ("truncate", "tab_indent", "bom", "duplicate_key_line")
KINDS = STRUCTURAL + TEXT

REPLACEMENTS: tuple[Any, ...] = ("x", "", 0, -1, 1.5, True, False, None, [], ["x"], {}, {"x": 1})
"""Values of every JSON type a node's value can be changed to."""

BROKEN_REFS = (
    "{prefix}DoesNotExist",
    "http://example.invalid/x.yaml#/A",
    "other.yaml#/missing",
    "{prefix}",
    "{prefix}{own}",
    "#/paths/~1no~1such~1path",
    "#",
    "",
    "#/components/schemas/A~2B",
    "#components/schemas/X",
)
"""Where a broken ``$ref`` may point; ``{own}`` is the component schema the ref sits in (a cycle
when the ref is the schema itself), or ``Self`` outside one."""

BAD_TYPES: tuple[Any, ...] = ("String", "strnig", 5, ["strnig"], ["string", "string"], [], None)
REQUIRED_CHANGES = ("duplicate", "empty", "missing_property", "not_a_list")
COMBINATORS = ("oneOf", "anyOf", "allOf")
SCHEMA_KEYS = frozenset(
    {"type", "properties", "items", "$ref", "allOf", "anyOf", "oneOf", "enum", "required"}
)

_JSON_KEY_LINE = re.compile(
    rb'^\s*"(?:[^"\\]|\\.)*"\s*:\s*(?:"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)\s*,?\s*$'
)
_YAML_KEY_LINE = re.compile(rb"^\s*[^\s#\-{}\[\]'\"][^:#]*:(?:\s+\S.*)?$")


@dataclass(frozen=True)
class Mutation:
    """One change: ``kind`` (one of KINDS), the node it applies to, and the kind's argument."""

    kind: str
    pointer: Pointer = ()
    arg: Any = None


@dataclass(frozen=True)
class CorpusDocument:
    """A corpus file: its bytes, its parsed data, and the nodes each mutation kind can target."""

    name: str
    raw: bytes
    data: Any
    is_json: bool
    nodes: tuple[Pointer, ...]
    keys: tuple[Pointer, ...]
    refs: tuple[Pointer, ...]
    required: tuple[Pointer, ...]
    schemas: tuple[Pointer, ...]
    components: tuple[str, ...]
    prefix: str
    """``#/components/schemas/`` (OpenAPI 3) or ``#/definitions/`` (Swagger 2)."""

    @property
    def components_pointer(self) -> Pointer:
        """Where the schemas named by ``prefix`` live."""
        return ("definitions",) if self.prefix == "#/definitions/" else ("components", "schemas")


def _walk(data: Any) -> list[tuple[Pointer, Any]]:
    found: list[tuple[Pointer, Any]] = []
    stack: list[tuple[Pointer, Any]] = [((), data)]
    while stack:
        pointer, node = stack.pop()
        found.append((pointer, node))
        if isinstance(node, dict):
            stack.extend(((*pointer, key), value) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend(((*pointer, index), value) for index, value in enumerate(node))
    found.sort(key=lambda item: (len(item[0]), [str(part) for part in item[0]]))
    return found


@functools.cache
def corpus_document(name: str) -> CorpusDocument:
    """Read and parse a corpus file once per session, with its candidate nodes."""
    raw = (CORPUS / name).read_bytes()
    is_json = name.endswith(".json")
    data = json.loads(raw) if is_json else yaml.load(raw, Loader=_LOADER)
    nodes = _walk(data)
    swagger = isinstance(data, dict) and "swagger" in data
    if swagger:
        components = data.get("definitions") or {}
    else:
        components = (data.get("components") or {}).get("schemas") or {}
    return CorpusDocument(
        name=name,
        raw=raw,
        data=data,
        is_json=is_json,
        nodes=tuple(pointer for pointer, _ in nodes),
        keys=tuple(pointer for pointer, _ in nodes if pointer and isinstance(pointer[-1], str)),
        refs=tuple(
            pointer
            for pointer, node in nodes
            if pointer and pointer[-1] == "$ref" and isinstance(node, str)
        ),
        required=tuple(
            pointer
            for pointer, node in nodes
            if pointer and pointer[-1] == "required" and isinstance(node, list)
        ),
        schemas=tuple(
            pointer
            for pointer, node in nodes
            if pointer and isinstance(node, dict) and SCHEMA_KEYS & set(node)
        ),
        components=tuple(str(key) for key in components),
        prefix="#/definitions/" if swagger else "#/components/schemas/",
    )


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def _get(data: Any, pointer: Pointer) -> Any:
    for part in pointer:
        data = data[part]
    return data


def _resolves(data: Any, pointer: Pointer) -> bool:
    try:
        _get(data, pointer)
    except (KeyError, IndexError, TypeError):
        return False
    return True


def _set(data: Any, pointer: Pointer, value: Any) -> Any:
    """``data`` with the node at ``pointer`` replaced (the root itself when ``pointer`` is ())."""
    if not pointer:
        return value
    if _resolves(data, pointer[:-1]):
        parent = _get(data, pointer[:-1])
        if isinstance(parent, dict) or (
            isinstance(parent, list) and isinstance(pointer[-1], int) and pointer[-1] < len(parent)
        ):
            parent[pointer[-1]] = value
    return data


def _own_component(document: CorpusDocument, pointer: Pointer) -> str:
    head = document.components_pointer
    if pointer[: len(head)] == head and len(pointer) > len(head):
        return str(pointer[len(head)])
    return "Self"


def _structural(document: CorpusDocument, data: Any, mutation: Mutation) -> Any:
    kind, pointer, arg = mutation.kind, mutation.pointer, mutation.arg
    if kind == "ref_self_cycle":
        return _set(data, (*pointer, arg), {"$ref": document.prefix + arg})
    if kind == "ref_two_cycle":
        first, second = arg
        data = _set(data, (*pointer, first), {"$ref": document.prefix + second})
        return _set(data, (*pointer, second), {"$ref": document.prefix + first})
    if not _resolves(data, pointer):
        return data  # an earlier mutation removed the node
    node = _get(data, pointer)
    if kind == "delete_key":
        parent = _get(data, pointer[:-1])
        if isinstance(parent, dict):
            parent.pop(pointer[-1], None)
        return data
    if kind == "change_type":
        return _set(data, pointer, copy.deepcopy(arg))
    if kind == "break_ref":
        target = arg.format(prefix=document.prefix, own=_own_component(document, pointer[:-1]))
        return _set(data, pointer, target)
    if kind == "required" and isinstance(node, list):
        changed = {
            "duplicate": node + node if node else ["x", "x"],
            "empty": [],
            "missing_property": [*node, "no_such_property"],
            "not_a_list": ", ".join(map(str, node)) or "x",
        }[arg]
        return _set(data, pointer, changed)
    if kind == "empty_combinator" and isinstance(node, dict):
        node[arg] = []
        return data
    if kind == "bad_type" and isinstance(node, dict):
        node["type"] = copy.deepcopy(arg)
        return data
    return data


def _text(document: CorpusDocument, raw: bytes, mutation: Mutation) -> bytes:
    kind, arg = mutation.kind, mutation.arg
    if kind == "truncate":
        return raw[: min(arg, len(raw))]
    if kind == "bom":
        return b"\xef\xbb\xbf" + raw
    lines = raw.split(b"\n")
    if kind == "tab_indent":
        index = arg % len(lines)
        lines[index] = b"\t" + lines[index]
        return b"\n".join(lines)
    if kind == "duplicate_key_line":
        pattern = _JSON_KEY_LINE if document.is_json else _YAML_KEY_LINE
        candidates = [index for index, line in enumerate(lines) if pattern.match(line)]
        if not candidates:
            return raw
        index = candidates[arg % len(candidates)]
        line = lines[index]
        copied = line.rstrip().rstrip(b",") + b"," if document.is_json else line
        lines.insert(index, copied)
        return b"\n".join(lines)
    raise ValueError(f"unknown text mutation {kind!r}")


def dump(document: CorpusDocument, data: Any) -> bytes:
    """Parsed data back to the corpus file's own format."""
    if document.is_json:
        return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True).encode("utf-8")


def mutate(document: CorpusDocument, mutations: Sequence[Mutation]) -> bytes:
    """The document's bytes after every mutation: structural ones first, in order, on a copy of
    the parsed data (the original bytes when there are none), then the text-level ones."""
    structural = [m for m in mutations if m.kind in STRUCTURAL]
    raw = document.raw
    if structural:
        data = copy.deepcopy(document.data)
        for mutation in structural:
            data = _structural(document, data, mutation)
        raw = dump(document, data)
    for mutation in mutations:
        if mutation.kind in TEXT:
            raw = _text(document, raw, mutation)
    return raw


def _other_kinds(value: Any) -> list[Any]:
    return [r for r in REPLACEMENTS if _kind_of(r) != _kind_of(value)]


@st.composite
def _change_type(draw: st.DrawFn, document: CorpusDocument) -> Mutation:
    pointer = draw(st.sampled_from(document.nodes))
    value = draw(st.sampled_from(_other_kinds(_get(document.data, pointer))))
    return Mutation("change_type", pointer, value)


def mutations(
    document: CorpusDocument, kinds: Sequence[str] = KINDS
) -> st.SearchStrategy[Mutation]:
    """Any one mutation of ``document`` of one of ``kinds``, at a node hypothesis chooses."""

    def at(kind: str, nodes: Sequence[Pointer], args: st.SearchStrategy[Any]) -> Any:
        return st.builds(Mutation, st.just(kind), st.sampled_from(nodes), args)

    head = st.just(document.components_pointer)
    names = st.sampled_from(document.components or ("",))
    pairs = st.lists(names, min_size=2, max_size=2, unique=True).map(tuple)
    choices: dict[str, tuple[bool, st.SearchStrategy[Mutation]]] = {
        "delete_key": (True, at("delete_key", document.keys, st.none())),
        "change_type": (True, _change_type(document)),
        "break_ref": (
            bool(document.refs),
            at("break_ref", document.refs, st.sampled_from(BROKEN_REFS)),
        ),
        "ref_self_cycle": (
            bool(document.components),
            st.builds(Mutation, st.just("ref_self_cycle"), head, names),
        ),
        "ref_two_cycle": (
            len(document.components) > 1,
            st.builds(Mutation, st.just("ref_two_cycle"), head, pairs),
        ),
        "required": (
            bool(document.required),
            at("required", document.required, st.sampled_from(REQUIRED_CHANGES)),
        ),
        "empty_combinator": (
            True,
            at("empty_combinator", document.schemas, st.sampled_from(COMBINATORS)),
        ),
        "bad_type": (True, at("bad_type", document.schemas, st.sampled_from(BAD_TYPES))),
        "truncate": (
            True,
            st.builds(
                Mutation, st.just("truncate"), st.just(()), st.integers(0, len(document.raw))
            ),
        ),
        "tab_indent": (
            True,
            st.builds(Mutation, st.just("tab_indent"), st.just(()), st.integers(0, 10**6)),
        ),
        "bom": (True, st.just(Mutation("bom"))),
        "duplicate_key_line": (
            True,
            st.builds(Mutation, st.just("duplicate_key_line"), st.just(()), st.integers(0, 10**6)),
        ),
    }
    assert set(choices) == set(KINDS)
    return st.one_of(
        [strategy for kind, (usable, strategy) in choices.items() if usable and kind in kinds]
    )


def example_of(kind: str, document: CorpusDocument) -> Mutation:
    """A fixed mutation of each kind, for checking that every kind really changes the bytes."""

    def first(nodes: Sequence[Pointer]) -> Pointer:
        return nodes[len(nodes) // 2]

    head = document.components_pointer
    return {
        "delete_key": lambda: Mutation(kind, first(document.keys)),
        "change_type": lambda: Mutation(kind, ("info",), "x"),
        "break_ref": lambda: Mutation(kind, first(document.refs), BROKEN_REFS[0]),
        "ref_self_cycle": lambda: Mutation(kind, head, document.components[0]),
        "ref_two_cycle": lambda: Mutation(kind, head, tuple(document.components[:2])),
        "required": lambda: Mutation(kind, first(document.required), "duplicate"),
        "empty_combinator": lambda: Mutation(kind, first(document.schemas), "oneOf"),
        "bad_type": lambda: Mutation(kind, first(document.schemas), "strnig"),
        "truncate": lambda: Mutation(kind, (), len(document.raw) // 2),
        "tab_indent": lambda: Mutation(kind, (), 7),
        "bom": lambda: Mutation(kind),
        "duplicate_key_line": lambda: Mutation(kind, (), 3),
    }[kind]()
