"""Golden IR and merged OpenAPI document of the five vendor documents (tests/goldens/ir/).

Refresh with ``SPECGEN_UPDATE_GOLDENS=1 python -m pytest tests/ir`` and review the diff.
"""

from __future__ import annotations

from codegen.ingest import ingest_path
from codegen.ingest.document import dump_yaml
from codegen.ir import API, merge
from codegen.ir.emit import emit_openapi
from codegen.ir.model import ModelRef
from codegen.ir.serialize import dump_json
from codegen.normalize import normalize
from tests.golden import assert_golden

from .helpers import ROOT, all_sources


def _five() -> API:
    return merge(all_sources()).api


def test_merged_ir_of_the_five_sources_matches_the_golden() -> None:
    """Request, response, chunk, error and vendor profile data, with provenance, as JSON."""
    assert_golden("ir/merged.json", dump_json(_five()))


def test_merged_openapi_of_the_five_sources_matches_the_golden() -> None:
    assert_golden("ir/merged.openapi.yaml", dump_yaml(emit_openapi(_five())))


def test_merged_ir_with_the_reference_document_matches_the_golden() -> None:
    """What the build uses by default: the five sources plus the API family's reference."""
    reference = normalize(
        ingest_path(ROOT / "specs" / "reference" / "openai-chat-completions.yaml")
    )
    api = merge(all_sources(), reference=[reference]).api
    assert_golden("ir/merged-with-reference.json", dump_json(api))


def test_golden_covers_request_response_chunk_errors_and_every_vendor() -> None:
    """The pinned API has each place the goldens are meant to pin, for all five documents."""
    api = _five()
    (operation,) = api.operations
    assert (operation.method, operation.path) == ("post", "/chat/completions")
    assert operation.request == ModelRef("CreateChatCompletionRequest")
    assert operation.response == ModelRef("ChatCompletion")
    assert operation.stream is not None
    assert operation.stream.chunk == ModelRef("ChatCompletionChunk")
    assert operation.errors and all(error.model is not None for error in operation.errors)
    assert [vendor.name for vendor in api.vendors] == [
        "deepseek",
        "oxen",
        "siliconstorm",
        "solidrust",
    ]
    assert api.vendors[0].documents == ("deepseek.docs", "deepseek.openapi")
    assert api.documents == (
        "deepseek.docs",
        "deepseek.openapi",
        "oxen",
        "siliconstorm",
        "solidrust",
    )
