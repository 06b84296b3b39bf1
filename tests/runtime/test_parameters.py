"""Query styles, header parameters, Accept and response decoding, checked on the wire."""

from __future__ import annotations

import enum

import httpx
import pydantic
import pytest

from ._helpers import API_KEY, FakeServer, Harness


def sent_query(server: FakeServer, index: int = 0) -> str:
    """The query string exactly as it went on the wire."""
    return server.requests[index].url.query.decode("ascii")


@pytest.mark.parametrize(
    ("style", "value", "expected"),
    [
        (None, ["a", "b"], "ids=a&ids=b"),
        ("form", ["a", "b"], "ids=a&ids=b"),
        ("form_csv", ["a", "b", "c"], "ids=a,b,c"),
        ("space", ["a", "b"], "ids=a%20b"),
        ("pipe", ["a", "b"], "ids=a|b"),
        ("form_csv", ("a", "b"), "ids=a,b"),
        (None, {"R": 100, "G": 200}, "R=100&G=200"),
        ("form_csv", {"R": 100, "G": 200}, "ids=R,100,G,200"),
        ("deep_object", {"R": 100, "G": 200}, "ids[R]=100&ids[G]=200"),
        ("deep_object", {"a": {"b": "v"}, "c": [1, 2]}, "ids[a][b]=v&ids[c][0]=1&ids[c][1]=2"),
        ("form_csv", "scalar", "ids=scalar"),
        ("deep_object", 7, "ids=7"),
    ],
)
def test_query_styles(harness: Harness, style: str | None, value: object, expected: str) -> None:
    """Each style encodes lists and objects as OpenAPI spells them; form is the default."""
    server = FakeServer()
    styles = None if style is None else {"ids": style}
    harness.request(
        harness.client(server), "GET", "/items", query={"ids": value}, query_styles=styles
    )
    assert sent_query(server) == expected


def test_query_values_are_escaped_but_delimiters_are_not(harness: Harness) -> None:
    """A delimiter inside a value is percent-encoded, so it cannot split the value."""
    server = FakeServer()
    query = {"csv": ["a,b", "c d"], "pipe": ["x|y", "z"], "deep": {"k[1]": "v&w"}, "q": "a b/c"}
    styles = {"csv": "form_csv", "pipe": "pipe", "deep": "deep_object"}
    harness.request(harness.client(server), "GET", "/s", query=query, query_styles=styles)
    assert sent_query(server) == ("csv=a%2Cb,c%20d&pipe=x%7Cy|z&deep[k%5B1%5D]=v%26w&q=a%20b%2Fc")


def test_query_scalar_spellings(harness: Harness) -> None:
    """Booleans are true/false, numbers their text, enums their value, nested lists JSON."""

    class Order(enum.Enum):
        ASC = "asc"

    server = FakeServer()
    query = {"a": True, "b": False, "n": 3, "f": 0.5, "o": Order.ASC, "flags": [True, False]}
    harness.request(harness.client(server), "GET", "/s", query=query)
    assert sent_query(server) == "a=true&b=false&n=3&f=0.5&o=asc&flags=true&flags=false"


def test_query_drops_what_was_not_written(harness: Harness) -> None:
    """NOT_GIVEN and None values, None list items and empty lists send nothing at all."""
    not_given = harness.rt._types.NOT_GIVEN
    server = FakeServer()
    query = {
        "a": not_given,
        "b": None,
        "c": [],
        "d": ["x", None],
        "e": {"k": None, "j": 1},
        "f": [],
    }
    styles = {"c": "form_csv", "e": "deep_object"}
    harness.request(harness.client(server), "GET", "/s", query=query, query_styles=styles)
    assert sent_query(server) == "d=x&e[j]=1"
    harness.request(harness.client(server), "GET", "/s", query={"a": not_given})
    assert server.requests[1].url.query == b""
    assert str(server.requests[1].url) == "https://api.acme.test/v1/s"


def test_extra_query_overrides_typed_query_and_keeps_its_style(harness: Harness) -> None:
    """extra_query replaces a typed parameter (styled the same), adds others, None removes."""
    server = FakeServer()
    options = harness.rt._types.RequestOptions(
        extra_query={"ids": ["x", "y"], "beta": True, "limit": None}
    )
    harness.request(
        harness.client(server),
        "GET",
        "/s",
        query={"ids": ["a"], "limit": 10, "order": "asc"},
        query_styles={"ids": "form_csv"},
        options=options,
    )
    assert sent_query(server) == "ids=x,y&order=asc&beta=true"


def test_query_appended_to_a_path_with_its_own_query(harness: Harness) -> None:
    """A path that already has a query string keeps it; parameters are added after."""
    server = FakeServer()
    harness.request(harness.client(server), "GET", "/s?api-version=2", query={"ids": ["a"]})
    assert sent_query(server) == "api-version=2&ids=a"


def test_unknown_query_style_fails_before_sending(harness: Harness) -> None:
    """A style the runtime does not know is a ValueError, and nothing is sent."""
    server = FakeServer()
    with pytest.raises(ValueError, match="unknown query style 'matrix' for parameter 'ids'"):
        harness.request(
            harness.client(server), "GET", "/s", query={"ids": [1]}, query_styles={"ids": "matrix"}
        )
    assert server.calls == 0


def test_header_parameters(harness: Harness) -> None:
    """Header values: bool true/false, lists comma-joined, numbers as text; absent ones unsent."""
    not_given = harness.rt._types.NOT_GIVEN
    server = FakeServer()
    headers = {
        "X-Dry-Run": True,
        "X-Tags": ["a", "b", None],
        "X-Count": 3,
        "X-Skip": not_given,
        "X-None": None,
    }
    harness.request(harness.client(server), "GET", "/s", headers=headers)
    sent = server.requests[0].headers
    assert (sent["x-dry-run"], sent["x-tags"], sent["x-count"]) == ("true", "a,b", "3")
    assert "x-skip" not in sent
    assert "x-none" not in sent


def test_header_parameter_precedence(harness: Harness) -> None:
    """Header parameters beat defaults and auth; extra_headers beat them, None there removes."""
    server = FakeServer()
    client = harness.client(server, default_headers={"X-Team": "default", "X-Region": "eu"})
    options = harness.rt._types.RequestOptions(
        extra_headers={"x-request-id": "from-extra", "X-Region": None}
    )
    harness.request(
        client,
        "GET",
        "/s",
        headers={
            "X-Team": "param",
            "X-Request-Id": "param",
            "X-Region": "us",
            "Authorization": None,
        },
        options=options,
    )
    sent = server.requests[0].headers
    assert sent["x-team"] == "param"
    assert sent["x-request-id"] == "from-extra"
    assert "x-region" not in sent
    # A None header parameter is "not given": it leaves the auth header alone.
    assert sent["authorization"] == f"Bearer {API_KEY}"


def test_accept_argument(harness: Harness) -> None:
    """accept= replaces the Accept header; without it JSON calls ask for application/json."""
    server = FakeServer()
    client = harness.client(server)
    harness.request(client, "GET", "/s", accept="application/x-ndjson")
    harness.request(client, "GET", "/s")
    options = harness.rt._types.RequestOptions(extra_headers={"Accept": "text/csv"})
    harness.request(client, "GET", "/s", accept="application/x-ndjson", options=options)
    accepts = [request.headers["accept"] for request in server.requests]
    assert accepts == ["application/x-ndjson", "application/json", "text/csv"]


def test_decode_text_and_binary(harness: Harness) -> None:
    """decode="text" hands parse the body text, "binary" its bytes; JSON-looking or not."""
    server = FakeServer(httpx.Response(200, content=b'{"a": 1}\n\xff'))
    client = harness.client(server)
    assert harness.request(client, "GET", "/s", decode="binary") == b'{"a": 1}\n\xff'
    server.replies = [httpx.Response(200, text='{"a": 1}', headers={"content-type": "text/plain"})]
    assert harness.request(client, "GET", "/s", decode="text") == '{"a": 1}'
    assert harness.request(client, "GET", "/s") == {"a": 1}


def test_decode_on_raw_response(harness: Harness) -> None:
    """request_raw takes decode too: its parse() receives the text."""
    server = FakeServer(httpx.Response(200, text="id,name\n1,a\n"))
    raw = harness.call(
        harness.client(server), "request_raw", "GET", "/s", parse=str.splitlines, decode="text"
    )
    assert raw.parse() == ["id,name", "1,a"]


def test_text_decode_parse_failure_is_validation_error(harness: Harness) -> None:
    """A parse failing on the text is an APIResponseValidationError carrying that text."""

    class Reply(pydantic.BaseModel):
        n: int

    server = FakeServer(httpx.Response(200, text="not json"))
    with pytest.raises(harness.rt._exceptions.APIResponseValidationError) as caught:
        harness.request(
            harness.client(server), "GET", "/s", parse=Reply.model_validate_json, decode="text"
        )
    assert caught.value.body == "not json"


def test_empty_json_body_decodes_to_none(harness: Harness) -> None:
    """A 204 (no body) gives parse None."""
    server = FakeServer(httpx.Response(204))
    assert harness.request(harness.client(server), "DELETE", "/s/1") is None


@pytest.mark.parametrize(
    ("vendor_fields", "expected"),
    [
        (None, {"input": "x", "stream": False, "n": 1}),
        (("stream",), {"input": "x", "stream": False}),
        ((), {"input": "x"}),
    ],
)
def test_a_vendors_required_fields_go_only_into_bodies_that_have_them(
    harness: Harness, vendor_fields: tuple[str, ...] | None, expected: dict[str, object]
) -> None:
    """A profile's required fields belong to some operations; the others' bodies stay as given."""
    import json

    from ._helpers import make_profile

    server = FakeServer()
    profile = make_profile(harness.rt, required_fields={"stream": False, "n": 1})
    harness.request(
        harness.client(server, profile=profile),
        "POST",
        "/embeddings",
        body={"input": "x"},
        vendor_fields=vendor_fields,
    )
    assert json.loads(server.requests[0].content) == expected
