"""Round trip (IR -> valid OpenAPI 3.1 -> ingest -> merge gives an equal IR) and determinism."""

from __future__ import annotations

import itertools
import os
import random
import subprocess
import sys
from typing import Any

import pytest

from codegen.ingest import ingest_path, ingest_text
from codegen.ingest.document import dump_yaml
from codegen.ingest.source import SourceText
from codegen.ingest.validate import validation_errors
from codegen.ir import API, merge
from codegen.ir.emit import emit_openapi
from codegen.ir.serialize import dump_json
from codegen.ir.shapes import DOCUMENTS
from codegen.normalize import normalize

from .helpers import (
    ROOT,
    SOURCE_FILES,
    all_sources,
    chat_document,
    merged,
    reingest,
    source,
)
from .test_merge_rules import TAGGED_MESSAGES, UNTAGGED_MESSAGES
from .test_operations_and_profiles import (
    CHAT_SUFFIX,
    REFERENCE_REQUEST,
    TOOL_ID_DOCUMENT,
    VENDOR_REQUEST,
)

REFERENCE = ROOT / "specs" / "reference" / "openai-chat-completions.yaml"


def assert_round_trip(api: API) -> None:
    document = emit_openapi(api)
    assert validation_errors(document) == []
    again = reingest(api)
    # Compare piecewise first so a failure names the part that changed.
    assert again.vendors == api.vendors
    assert again.operations == api.operations
    assert again.aliases == api.aliases
    assert again.models == api.models
    assert again == api


@pytest.mark.parametrize(
    "names",
    [SOURCE_FILES, *[(name,) for name in SOURCE_FILES]],
    ids=["all-five", *SOURCE_FILES],
)
def test_sources_round_trip_through_the_emitted_openapi_document(names: tuple[str, ...]) -> None:
    assert_round_trip(merge([source(name) for name in names]).api)


def test_sources_with_the_reference_document_round_trip() -> None:
    reference = normalize(ingest_path(REFERENCE))
    assert_round_trip(merge(all_sources(), reference=[reference]).api)


SMALL_CASES = {
    "tagged-variants": (
        ("vendora.yaml", chat_document(request=TAGGED_MESSAGES)),
        ("vendorb.yaml", chat_document(request=UNTAGGED_MESSAGES)),
    ),
    "enums-bounds-defaults-nullable": (
        (
            "vendora.yaml",
            chat_document(
                request="""
                type: object
                required: [model, n]
                properties:
                  model: {type: string, enum: [alpha-1, alpha-2]}
                  effort: {type: string, enum: [low, high]}
                  n: {type: integer, minimum: 1, maximum: 8, default: 1}
                  stop: {type: string}
                """,
                response="""
                type: object
                required: [id, fingerprint]
                properties:
                  id: {type: string}
                  fingerprint: {type: [string, 'null']}
                  finish_reason: {type: string, enum: [stop, length]}
                """,
                path="/v1/chat/completions",
                server="https://a.test",
            ),
        ),
        (
            "vendorb.yaml",
            chat_document(
                request="""
                type: object
                required: [model]
                properties:
                  model: {type: string, enum: [beta]}
                  effort: {type: string}
                  n: {type: number, exclusiveMinimum: 0, maximum: 4}
                  stop: {type: object, properties: {sequence: {type: string}}}
                """,
                response="""
                type: object
                required: [id]
                properties:
                  id: {type: string}
                  finish_reason: {type: string, enum: [stop, tool_calls]}
                """,
                path="/api/chat/completions",
                server="https://b.test",
            ),
        ),
    ),
    "tool-generated-ids-stream-errors": (("vendora.yaml", TOOL_ID_DOCUMENT),),
}


@pytest.mark.parametrize("case", sorted(SMALL_CASES))
def test_small_documents_round_trip(case: str) -> None:
    assert_round_trip(merged(*SMALL_CASES[case]).api)


def test_small_documents_with_a_reference_round_trip() -> None:
    result = merged(
        ("vendora.yaml", chat_document(request=VENDOR_REQUEST)),
        reference=(("family.yaml", chat_document(path=CHAT_SUFFIX, request=REFERENCE_REQUEST)),),
    )
    assert_round_trip(result.api)


def test_round_trip_needs_the_provenance_extensions() -> None:
    """The check has teeth: without ``x-specgen-documents`` the re-merged API differs."""
    api = merge(all_sources()).api

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k != DOCUMENTS}
        if isinstance(node, list):
            return [strip(item) for item in node]
        return node

    text = dump_yaml(strip(emit_openapi(api)))
    again = merge([normalize(ingest_text(SourceText.of("merged.yaml", text)))]).api
    assert again.vendors == api.vendors
    assert again != api


# --- determinism ----------------------------------------------------------------------------------


def _outputs(api: API) -> tuple[str, str]:
    return dump_json(api), dump_yaml(emit_openapi(api))


def test_sources_in_any_order_give_byte_identical_ir_and_openapi() -> None:
    documents = all_sources()
    expected = _outputs(merge(documents).api)
    orders = [list(reversed(documents))]
    orders += [documents[i:] + documents[:i] for i in range(1, len(documents))]
    orders += [list(p) for p in random.Random(4).sample(list(itertools.permutations(documents)), 4)]
    for order in orders:
        assert _outputs(merge(list(order)).api) == expected, [d.name for d in order]


_PRINT_OUTPUTS = """
import sys
from pathlib import Path
from codegen.ingest.document import dump_yaml
from codegen.ingest.source import SourceText
from codegen.ir.emit import emit_openapi
from codegen.ir.serialize import dump_json
from codegen.ir.shapes import DOCUMENTS
from codegen.pipeline import load, merge_loaded
api = merge_loaded(load([Path(p) for p in sys.argv[1:]])).api
sys.stdout.write(dump_json(api) + dump_yaml(emit_openapi(api)))
"""


def test_outputs_do_not_depend_on_the_hash_seed() -> None:
    """Two fresh interpreters with different PYTHONHASHSEEDs (and file orders) agree byte for byte."""
    paths = [str(ROOT / "specs" / "sources" / name) for name in SOURCE_FILES]
    outputs = []
    for seed, order in (("1", paths), ("2", paths[::-1])):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", _PRINT_OUTPUTS, *order],
            capture_output=True,
            text=True,
            env=environment,
            cwd=ROOT,
            check=True,
        )
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0] == "".join(_outputs(merge(all_sources()).api))
