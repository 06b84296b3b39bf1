"""The walks the rules share (schema index, example evidence) and the prose and junk-text fast
paths give the same answers as computing everything afresh, and are recomputed when they must."""

from __future__ import annotations

import copy
import dataclasses
import datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml

from codegen.errors import SpecgenError
from codegen.ingest import IngestedDocument, ingest_path, ingest_text
from codegen.ingest.source import SourceText
from codegen.jsonpointer import join
from codegen.normalize import normalize, prose
from codegen.normalize.context import RuleContext, copy_tree
from codegen.normalize.evidence import collect_evidence
from codegen.normalize.marks import UNKNOWN
from codegen.normalize.rules import (
    SHAPE_KEEPING,
    junk_text,
    null_only,
    prose_constraints,
    response_keys,
    unknown_shape,
)
from codegen.openapi_walk import SchemaIndex, iter_schemas

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted(p for p in (ROOT / "tests" / "corpus").iterdir() if p.name != "ORIGIN.md")
SEEDS = sorted((ROOT / "specs" / "sources").iterdir())
OP = join("/paths", "/chat", "post")
RES = join(OP, "responses", "200", "content", "application/json", "schema")


def ingest(document: dict[str, Any]) -> IngestedDocument:
    return ingest_text(SourceText.of("t.yaml", yaml.safe_dump(document, sort_keys=False)))


def api(response: dict[str, Any], **responses: Any) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Chat API", "version": "1"},
        "paths": {
            "/chat": {
                "post": {
                    "responses": {
                        "200": {
                            "description": "A chat answer",
                            "content": {"application/json": {"schema": response}},
                        },
                        **responses,
                    }
                }
            }
        },
    }


def fresh(document: dict[str, Any]) -> list[tuple[str, int]]:
    return [(pointer, id(schema)) for pointer, schema in iter_schemas(document)]


def shared(context: RuleContext) -> list[tuple[str, int]]:
    return [(pointer, id(schema)) for pointer, schema in context.schemas()]


# --- the index is not stale -------------------------------------------------------------------


def test_schemas_a_reshaping_rule_adds_are_seen_by_the_rules_after_it() -> None:
    """null-only-field gives ``meta`` the properties its example shows; unknown-shape, later,
    must judge the new ``tags`` array (it has no items) through the shared index."""
    schema = {
        "type": "object",
        "properties": {"meta": {"type": "null"}},
        "examples": [{"meta": {"tags": []}}],
    }
    context = RuleContext.of(ingest(api(schema)))
    context.rule = prose_constraints.RULE_ID
    before = context.schema_index()  # a rule before them walked the document
    for rule in (null_only, unknown_shape):
        context.rule = rule.RULE_ID
        rule.apply(context)
    tags = join(RES, "properties", "meta", "properties", "tags")
    assert tags not in {pointer for pointer, _ in before.entries}
    assert shared(context) == fresh(context.document)
    assert [f.pointer for f in context.findings if f.rule == unknown_shape.RULE_ID] == [tags]
    assert (
        context.document["paths"]["/chat"]["post"]["responses"]["200"]["content"][
            "application/json"
        ]["schema"]["properties"]["meta"]["properties"]["tags"][UNKNOWN]
        == "shape"
    )


def test_a_moved_response_is_walked_where_it_now_stands() -> None:
    """non-status-response-key moves ``x-200:Streaming`` under 200; the index follows."""
    stream = {
        "description": "Streamed chunks",
        "content": {"application/json": {"schema": {"type": "object", "properties": {}}}},
    }
    context = RuleContext.of(ingest(api({"type": "string"}, **{"x-200:Streaming": stream})))
    first = shared(context)
    context.rule = response_keys.RULE_ID
    response_keys.apply(context)
    assert shared(context) == fresh(context.document) != first


def test_a_shape_keeping_rule_keeps_the_index_and_its_changes_show_through() -> None:
    """prose-constraints adds bounds, never schemas: the index is reused, not rebuilt, and the
    evidence is collected again (a change of any kind may change which examples reach where)."""
    schema = {"type": "number", "description": "Between 0 and 2.", "examples": [1]}
    context = RuleContext.of(ingest(api(schema)))
    index, evidence = context.schema_index(), context.evidence()
    assert context.schema_index() is index and context.evidence() is evidence
    context.rule = prose_constraints.RULE_ID
    prose_constraints.apply(context)
    assert [f.rule for f in context.findings if f.level == "repair"] == [
        prose_constraints.RULE_ID
    ] * 2
    assert context.schema_index() is index
    assert dict(context.schemas())[RES]["maximum"] == 2
    assert context.evidence() is not evidence


def test_a_rule_run_without_its_id_makes_every_change_reshape() -> None:
    context = RuleContext.of(ingest(api({"type": "string"})))
    index = context.schema_index()
    context.warn(RES, "a finding of a rule the context does not know")
    assert context.schema_index() is not index
    assert "" not in SHAPE_KEEPING and prose_constraints.RULE_ID in SHAPE_KEEPING


@pytest.mark.parametrize("path", [*CORPUS, *SEEDS], ids=lambda p: p.name)
def test_shared_walks_equal_fresh_walks_at_every_use(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whole corpus and seeds: whenever a rule reads the index or the evidence, they equal what a
    fresh walk of the document as it stands gives, and the output is that of fresh walks."""
    uses: list[str] = []
    index_of, evidence_of = RuleContext.schema_index, RuleContext.evidence

    def checked_index(self: RuleContext) -> SchemaIndex:
        index = index_of(self)
        fresh_index = SchemaIndex.of(self.document)
        assert [(p, id(s)) for p, s in index.entries] == [
            (p, id(s)) for p, s in fresh_index.entries
        ], self.rule
        assert index.root_starts == fresh_index.root_starts, self.rule
        uses.append(self.rule)
        return index

    def checked_evidence(self: RuleContext) -> Any:
        found = evidence_of(self)
        assert found == collect_evidence(self.document), self.rule
        return found

    try:
        source = ingest_path(path)
    except SpecgenError as refused:
        pytest.skip(f"ingest refuses it: {refused}")
    monkeypatch.setattr(RuleContext, "schema_index", checked_index)
    monkeypatch.setattr(RuleContext, "evidence", checked_evidence)
    checked = normalize(source)
    monkeypatch.setattr(RuleContext, "schema_index", lambda self: SchemaIndex.of(self.document))
    monkeypatch.setattr(RuleContext, "evidence", lambda self: collect_evidence(self.document))
    walked_afresh = normalize(source)
    assert uses
    assert checked.openapi == walked_afresh.openapi
    assert checked.findings == walked_afresh.findings


def test_a_broken_document_still_gets_its_findings() -> None:
    """Mistyped containers, a dangling $ref and a non-object schema: the shared walks skip what is
    not a schema, as the fresh walks do, and the findings are the same."""
    document = api(
        {"$ref": "#/components/schemas/Missing"},
        **{"400": {"description": "Bad", "content": {"application/json": {"schema": "x"}}}},
    )
    document["components"] = {"schemas": {"Empty": {}, "Odd": 3, "List": {"type": "array"}}}
    source = ingest(document)
    result = normalize(source)
    pointers = [f.pointer for f in result.findings if f.rule == unknown_shape.RULE_ID]
    assert "/components/schemas/List" in pointers and "/components/schemas/Empty" in pointers


# --- prose: a regex runs only on text that can match it ---------------------------------------


def _unhinted_claims(text: str, monkeypatch: pytest.MonkeyPatch) -> list[prose.Claim]:
    with monkeypatch.context() as patch:
        patch.setattr(
            prose, "PATTERNS", tuple(msgspec.structs.replace(p, hints=()) for p in prose.PATTERNS)
        )
        return prose.read_claims(text)


PROSE = [
    "Between 0 and 2.",
    "BETWEEN -2.0 AND 2.0, DEFAULTS TO `auto`",
    "Sampling (0-2). Default: 1",
    "Possible values: >= -2 and <= 2",
    "Required range: `0 < x <= 1`",
    "higher values increase creativity [0,1]",
    'Default is `["text"]`',
    "ENUM: `system`, `user`",
    "Allowed Values: 'a', 'b'",
    "Possible values: [stop, length]",
    "`system`, `user`, or `assistant`",
    "Either 'user' or 'assistant'",
    "One of `a`, `b` or `c`",
    "which is Always chat.completion.",
    "Up to 8 sequences",
    "This will be stop if the model stopped, length if it ran out",
    "The reason, alwayſ `chat.completion`",  # a long s: only Unicode case folding reads "always"
    "Up to 8 itemſ, between 1 and 3 — défault: 2",
    "Nothing here to read.",
]


@pytest.mark.parametrize("text", PROSE)
def test_prose_hints_never_hide_a_claim(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert prose.read_claims(text) == _unhinted_claims(text, monkeypatch)


def test_every_hint_is_in_every_match_of_its_pattern() -> None:
    """A hint must be held by any match in ASCII text: checked on matches of the test texts."""
    for text in PROSE:
        if not text.isascii():
            continue
        for pattern in prose.PATTERNS:
            for match in pattern.regex.finditer(text):
                lowered = match.group(0).lower()
                assert not pattern.hints or any(h in lowered for h in pattern.hints), (
                    pattern.name,
                    text,
                )


def _descriptions(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["description"]] if isinstance(node.get("description"), str) else []
        return own + [text for value in node.values() for text in _descriptions(value)]
    if isinstance(node, list):
        return [text for value in node for text in _descriptions(value)]
    return []


@pytest.mark.parametrize(
    "path",
    [*SEEDS, ROOT / "tests" / "corpus" / "openai_openapi.yaml"],
    ids=lambda p: p.name,
)
def test_prose_hints_on_every_description_of_a_document(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = list(dict.fromkeys(_descriptions(ingest_path(path).openapi)))
    assert texts
    for text in texts:
        assert prose.read_claims(text) == _unhinted_claims(text, monkeypatch), text


# --- junk-text: stems computed once, the same stems ------------------------------------------


def _content_stems_as_written(text: str) -> set[str]:
    """The formula the fast path must agree with: links and code out, then every word."""
    words = junk_text._WORD.findall(junk_text._CODE_SPAN.sub(" ", junk_text._URL.sub(" ", text)))
    return {
        junk_text.stem(w.lower())
        for w in words
        if len(w) > 2
        and w.lower() not in junk_text._STOPWORDS
        and w.lower() not in junk_text._GENERIC
    }


@pytest.mark.parametrize(
    "text",
    [
        "Creates a model response for the given chat conversation.",
        "See https://example.com/docs/`not code` and `maxTokens` for details",
        "`a` b `c` (http://x.io/y) Created creations",
        "Sample API for a demo pet store",
        "",
    ],
)
def test_content_stems_match_the_formula(text: str) -> None:
    assert junk_text.content_stems(text) == _content_stems_as_written(text)


def test_a_change_said_to_keep_the_shape_keeps_the_index() -> None:
    """A warning that only changed a mark (null-only-field's) keeps the index; a change said
    without it makes the index stale."""
    context = RuleContext.of(ingest(api({"type": "string"})))
    index, evidence = context.schema_index(), context.evidence()
    context.warn(RES, "only a keyword that holds no schema changed", keeps_shape=True)
    assert context.schema_index() is index and context.evidence() is not evidence
    context.changed()
    assert context.schema_index() is not index


# --- the document copy ------------------------------------------------------------------------


def test_copy_tree_copies_as_deepcopy_does() -> None:
    """Equal, nothing shared with the original, an alias stays one node, a cycle stays a cycle,
    other types are deep-copied with the same memo."""
    alias: dict[str, Any] = {"type": "string"}
    odd = dataclasses.make_dataclass("Odd", [("items", list)])([alias])
    document = {
        "a": alias,
        "b": [alias, 1, 2.5, True, None],
        3: {"when": datetime.date(2024, 1, 2)},
        "o": odd,
    }
    copied = copy_tree(document)
    assert copied == copy.deepcopy(document) == document
    assert list(copied) == list(document)
    assert copied["a"] is copied["b"][0] is copied["o"].items[0] and copied["a"] is not alias
    assert copied["o"] is not odd and copied[3] is not document[3]
    loop: list[Any] = []
    loop.append({"self": loop})
    looped = copy_tree(loop)
    assert looped[0]["self"] is looped and looped is not loop


# --- fast verdicts agree with every test in turn ----------------------------------------------

SCHEMAS: list[dict[str, Any]] = [
    {"type": "string"},
    {"type": "null"},
    {"type": "integer", "oneOf": [{}, {}]},
    {"type": "string", "anyOf": [{"type": "object"}]},
    {"type": ["string", "null"]},
    {"type": ["array", "null"]},
    {"type": "array"},
    {"type": "object"},
    {"type": "object", "properties": {}},
    {"type": {"not": "a type"}},
    {"type": 3},
    {},
    {"description": "only prose"},
    {"oneOf": [{}, {"type": "object"}]},
    {"anyOf": [{"type": "null"}, {}]},
]


@pytest.mark.parametrize("schema", SCHEMAS, ids=repr)
@pytest.mark.parametrize("position", ["", "items", "properties", "additionalProperties", "oneOf"])
def test_unknown_shape_fast_verdict_is_the_full_verdict(
    schema: dict[str, Any], position: str
) -> None:
    assert unknown_shape._verdict(schema, position) == unknown_shape._judged(schema, position)


def _placeholder_as_written(text: str) -> bool:
    words = [w.lower() for w in junk_text._WORD.findall(text)]
    if not words:
        return False
    if len(words) == 1 and words[0] in junk_text._TYPE_NAMES:
        return True
    allowed = junk_text._PLACEHOLDER_MARKERS | junk_text._PLACEHOLDER_FILLER
    return all(w in allowed for w in words) and any(
        w in junk_text._PLACEHOLDER_MARKERS for w in words
    )


JUNK_TEXTS = [
    "Return example",
    "string",
    "Integer",
    "the example text here",
    "Example: the model to use",
    "lorem ipsum dolor sit amet",
    "A sample API for a demo pet store",
    "This is a fake server to demonstrate things",
    "Creates a model response",
    "",
    "!!!",
    "example string",
    "the the",
    "TODO",
    "todo later",
    "Description",
    "placeholder: foo, bar",
]


@pytest.mark.parametrize("text", JUNK_TEXTS)
def test_placeholder_first_word_check_is_the_full_check(text: str) -> None:
    assert junk_text.is_placeholder(text) is _placeholder_as_written(text)


def _verdict_as_written(text: Any, vocabulary: dict[str, set[int]]) -> str | None:
    """junk-text's verdict as first written: every word counted, the sample regex always run."""
    if _placeholder_as_written(text.text):
        return "a placeholder phrase, not a description"
    words = text.stems
    shared = {w for w in words if vocabulary.get(w, set()) - {text.source_id}}
    sample = junk_text._SAMPLE_WORDING.search(text.text)
    if sample and len(shared) * 4 <= len(words):
        return (
            f"sample/demo wording ({sample.group(0)!r}) and it shares "
            f"{len(shared)} of {len(words)} content words with the document"
        )
    if len(words) >= 2 and not shared:
        return (
            f"none of its content words ({', '.join(sorted(words))}) occur in the "
            "document's names, values or schema descriptions"
        )
    return None


@pytest.mark.parametrize("text", [*JUNK_TEXTS, "Ferrets eat sample pellets", "A démo of toys"])
@pytest.mark.parametrize("own", [0, 1, junk_text._NOT_A_SOURCE])
def test_junk_verdict_counting_only_what_it_needs_is_the_full_verdict(text: str, own: int) -> None:
    """Vocabularies where the text's words are vouched for by none, by itself, by others."""
    judged = junk_text.Text.of({}, "/x", "description", text, False, own)
    for vouchers in (
        {},
        {"model": {own}},
        {"model": {own, 2}, "pet": {3}, "store": {junk_text._STRUCTURE}},
    ):
        for vocabulary in (
            vouchers,
            {w: {own} for w in judged.stems},
            {w: {5} for w in judged.stems},
        ):
            assert junk_text._verdict(judged, vocabulary) == _verdict_as_written(judged, vocabulary)


@pytest.mark.parametrize("pointer", ["", "/a/b", "/a~1b/c~0d", "/~01", "/", "//x", "/a/"])
def test_split_without_escapes_is_the_general_split(pointer: str) -> None:
    from codegen.jsonpointer import split, unescape

    general = [unescape(token) for token in pointer[1:].split("/")] if pointer else []
    assert split(pointer) == general


@pytest.mark.parametrize(
    "marked",
    [set(), {"/a"}, {"/a/b"}, {"/a/b/c"}, {"/a~1b"}, {"/x", "/a/b/c/d"}, {""}],
    ids=lambda marked: repr(sorted(marked)),  # a set's order differs between processes
)
@pytest.mark.parametrize("pointer", ["/a/b/c", "/a", "/a~1b/c", "/a/b/c/d"])
def test_unknown_shape_ancestor_probe_is_the_prefixes_probe(marked: set[str], pointer: str) -> None:
    from codegen.jsonpointer import prefixes

    expected = any(prefix in marked for prefix in list(prefixes(pointer))[1:])
    assert unknown_shape._under_any(pointer, marked) is expected
