"""Round trip of the vendors' own examples (issue 6, test 1): every request and response example
and every default of the five documents validates against the generated models and dumps back to
the same JSON, directly and through the client."""

from __future__ import annotations

from collections import Counter
from types import ModuleType
from typing import Any

import httpx
import pytest

from ._documents import (
    Example,
    all_examples,
    documents,
    example_keys,
    examples_of,
    sse_chunks,
    stream_example_text,
)
from .conftest import FakeVendor, same_json, sync_client

# What the five documents hold today; a vendor update changing this shows up here first.
EXPECTED_COUNTS = {
    "request": 4,  # DeepSeek's two request examples, SolidRust's two curl bodies
    "response": 2,  # DeepSeek's and SolidRust's non-streamed responses
    "stream": 1,  # DeepSeek's SSE example (11 chunks before [DONE])
    "request-field": 9,  # DeepSeek docs defaults (4), Oxen model (1), SiliconStorm (2), SolidRust (2)
    "in-body-error": 5,  # SiliconStorm's error codes: see test_errors.py
}
STREAM_CHUNKS = 11

REQUESTS = examples_of("request")
RESPONSES = examples_of("response")
FIELDS = examples_of("request-field")
CHUNKS = [
    pytest.param(index, chunk, id=f"chunk {index}")
    for index, chunk in enumerate(sse_chunks(stream_example_text()))
]
# The smallest valid request, for trying one field's documented value in a whole body.
BASE_REQUEST: dict[str, Any] = {"model": "m", "messages": [{"role": "user", "content": "Hi"}]}


def _ids(examples: list[Example]) -> list[str]:
    return [example.id for example in examples]


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def test_the_documents_hold_the_expected_examples() -> None:
    """The five documents give 4 request, 2 response, 1 stream (11 chunks), 9 field and 5
    in-body-error examples: 31 round-trip cases in all."""
    counts = Counter(example.kind for example in all_examples())
    assert dict(counts) == EXPECTED_COUNTS
    assert len(CHUNKS) == STREAM_CHUNKS
    assert {example.vendor for example in all_examples()} == {
        "deepseek",
        "oxen",
        "siliconstorm",
        "solidrust",
    }


def test_every_example_in_the_documents_is_covered() -> None:
    """Each example/examples/default key anywhere in the five ingested documents is one this
    module (or test_errors.py) tests: no example is left out silently."""
    pointers = [example.pointer for example in all_examples()]
    assert len(pointers) == len(set(pointers))
    for document in documents():
        mine = [e.pointer for e in all_examples() if e.document is document]
        for key in example_keys(document.openapi):
            assert any(p == key or p.startswith(key + "/") for p in mine), (
                f"{document.name}: example at {key} is not tested"
            )


@pytest.mark.parametrize("example", REQUESTS, ids=_ids(REQUESTS))
def test_request_example_round_trips_through_the_model(api: ModuleType, example: Example) -> None:
    """A vendor's request example validates as CreateChatCompletionRequest and dumps back equal."""
    request = api.CreateChatCompletionRequest.model_validate(example.value)
    same_json(example.value, _dump(request))
    # Messages become the role's own class: the example's roles select the right variants.
    for message, given in zip(request.messages, example.value["messages"], strict=True):
        assert message.role == given["role"]
        assert type(message).__name__ == f"{given['role'].capitalize()}Message"


@pytest.mark.parametrize("example", REQUESTS, ids=_ids(REQUESTS))
def test_request_example_is_sent_unchanged_by_the_client(api: ModuleType, example: Example) -> None:
    """Passing a request example's fields to `create` sends exactly that body to its vendor
    (plus only the fields the vendor requires and the example leaves out)."""
    body = example.value
    if body.get("stream"):
        reply = httpx.Response(
            200,
            headers={"content-type": "text/event-stream"},
            content=stream_example_text().encode(),
        )
    else:
        reply = httpx.Response(200, json=RESPONSES[0].value)
    server = FakeVendor(reply)
    client = sync_client(api, example.vendor, server)
    result = client.chat.completions.create(**body)
    if body.get("stream"):
        assert len(list(result)) == STREAM_CHUNKS
    required = dict(api.VENDORS[example.vendor].required_fields)
    same_json({**required, **body}, server.bodies[0])


@pytest.mark.parametrize("example", RESPONSES, ids=_ids(RESPONSES))
def test_response_example_round_trips_through_the_model(api: ModuleType, example: Example) -> None:
    """A vendor's response example validates as ChatCompletion and dumps back equal."""
    completion = api.ChatCompletion.model_validate(example.value)
    same_json(example.value, _dump(completion))
    assert (
        completion.choices[0].message.content == example.value["choices"][0]["message"]["content"]
    )


@pytest.mark.parametrize("example", RESPONSES, ids=_ids(RESPONSES))
def test_response_example_is_returned_by_the_client(api: ModuleType, example: Example) -> None:
    """Served by a vendor, the example comes back from `create` (and from the raw-response
    variant's `parse()`) as a ChatCompletion equal to it."""
    server = FakeVendor(httpx.Response(200, json=example.value))
    client = sync_client(api, example.vendor, server)
    completion = client.chat.completions.create(**BASE_REQUEST)
    assert isinstance(completion, api.ChatCompletion)
    same_json(example.value, _dump(completion))
    raw = client.with_raw_response.chat.completions.create(**BASE_REQUEST)
    same_json(example.value, raw.json())
    same_json(example.value, _dump(raw.parse()))


@pytest.mark.parametrize(("index", "chunk"), CHUNKS)
def test_stream_example_chunk_round_trips_through_the_model(
    api: ModuleType, index: int, chunk: Any
) -> None:
    """Each chunk of DeepSeek's SSE example validates as ChatCompletionChunk and dumps back."""
    model = api.ChatCompletionChunk.model_validate(chunk)
    same_json(chunk, _dump(model))
    assert model.choices[0].delta.content == chunk["choices"][0]["delta"]["content"]


def test_stream_example_text_is_the_documents_own() -> None:
    """The stream is read from the document: CRLF-separated `data:` events ending in [DONE]."""
    text = stream_example_text()
    assert text.startswith("data: {")
    assert "\r\n\r\n" in text
    assert text.rstrip().endswith("data: [DONE]")
    contents = [chunk["choices"][0]["delta"]["content"] for chunk in sse_chunks(text)]
    assert "".join(contents) == "Hello! How can I assist you today?"


@pytest.mark.parametrize("example", FIELDS, ids=_ids(FIELDS))
def test_field_example_round_trips_in_a_request(api: ModuleType, example: Example) -> None:
    """A documented default or example of a request field is a valid value of that field in the
    generated request model, and dumps back equal."""
    assert example.field is not None
    body = {**BASE_REQUEST, example.field: example.value}
    request = api.CreateChatCompletionRequest.model_validate(body)
    dumped = _dump(request)
    same_json(body, dumped)
    assert example.field in request.model_fields_set


def test_same_json_tells_booleans_nulls_and_missing_keys_apart() -> None:
    """The comparison used above is strict where JSON is: true is not 1, null is not absent."""
    same_json({"a": 1, "b": [1.0]}, {"a": 1.0, "b": [1]})
    for left, right in [
        ({"a": True}, {"a": 1}),
        ({"a": None}, {}),
        ({"a": [1, 2]}, {"a": [2, 1]}),
        ({"a": "1"}, {"a": 1}),
    ]:
        with pytest.raises(AssertionError):
            same_json(left, right)
