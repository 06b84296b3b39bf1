"""request_page and SyncPage/AsyncPage: cursors on the wire, when paging stops, typed items."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pydantic
import pytest

from ._helpers import FakeServer, Harness


class Model(pydantic.BaseModel):
    id: str


class ModelList(pydantic.BaseModel):
    data: list[Model]
    has_more: bool = False
    next_page: str | None = None


def cursor_server(pages: dict[str | None, dict[str, Any]], param: str = "after") -> FakeServer:
    """Answers each request with the page keyed by its cursor parameter (None: no cursor).

    More requests than pages fail the test instead of letting a paging bug loop forever.
    """
    server: FakeServer

    def reply(request: httpx.Request) -> httpx.Response:
        assert server.calls <= len(pages), "more page requests than pages"
        return httpx.Response(200, json=pages[request.url.params.get(param)])

    server = FakeServer(reply)
    return server


def items(*ids: str) -> list[dict[str, str]]:
    return [{"id": item_id} for item_id in ids]


TWO_PAGES = {
    None: {"data": items("a", "b"), "has_more": True, "next_page": "c1"},
    "c1": {"data": items("c"), "has_more": False, "next_page": None},
}
NEXT_CURSOR = {"items": "data", "cursor_param": "after", "next_cursor": "next_page"}


def spec(harness: Harness, **fields: Any) -> Any:
    return harness.rt._pagination.PageSpec(**{**NEXT_CURSOR, **fields})


def test_two_pages_yield_all_items_and_send_the_cursor(harness: Harness) -> None:
    """Iterating the first page yields both pages' items; page 2 asks with page 1's cursor."""
    server = cursor_server(TWO_PAGES)
    result = harness.page_items(
        harness.client(server),
        "GET",
        "/models",
        parse=ModelList.model_validate,
        item=Model,
        page=spec(harness),
        query={"limit": 2, "order": "asc"},
    )
    assert result == [Model(id="a"), Model(id="b"), Model(id="c")]
    assert [request.url.query for request in server.requests] == [
        b"limit=2&order=asc",
        b"limit=2&order=asc&after=c1",
    ]
    assert {request.method for request in server.requests} == {"GET"}
    assert {request.url.path for request in server.requests} == {"/v1/models"}


def test_iter_pages_and_page_attributes(harness: Harness) -> None:
    """Each page exposes the parsed response, its items (and data), and the next cursor."""
    pages = harness.pages(
        harness.client(cursor_server(TWO_PAGES)),
        "GET",
        "/models",
        parse=ModelList.model_validate,
        item=Model,
        page=spec(harness),
    )
    assert [[item.id for item in page.items] for page in pages] == [["a", "b"], ["c"]]
    first, second = pages
    assert isinstance(first.response, ModelList)
    assert first.data is first.items
    assert (first.next_cursor(), first.has_next_page()) == ("c1", True)
    assert (second.next_cursor(), second.has_next_page()) == (None, False)


def test_has_more_false_stops_even_with_a_cursor(harness: Harness) -> None:
    """has_more=false ends paging although the response still carries a cursor."""
    pages = {None: {"data": items("a"), "has_more": False, "next_page": "c1"}}
    server = cursor_server(pages)
    result = harness.pages(
        harness.client(server), "GET", "/m", page=spec(harness, has_more="has_more")
    )
    assert len(result) == 1
    assert not result[0].has_next_page()
    assert server.calls == 1


def test_has_more_true_pages_on(harness: Harness) -> None:
    """With has_more reported, true plus a cursor fetches the next page."""
    server = cursor_server(TWO_PAGES)
    result = harness.page_items(
        harness.client(server), "GET", "/m", page=spec(harness, has_more="has_more")
    )
    assert [item["id"] for item in result] == ["a", "b", "c"]
    assert server.calls == 2


@pytest.mark.parametrize("cursor", [None, ""], ids=["null", "empty"])
def test_empty_cursor_stops(harness: Harness, cursor: str | None) -> None:
    """A missing, null or empty next cursor means this is the last page."""
    server = cursor_server({None: {"data": items("a", "b"), "next_page": cursor}})
    assert [
        item["id"]
        for item in harness.page_items(harness.client(server), "GET", "/m", page=spec(harness))
    ] == [
        "a",
        "b",
    ]
    assert server.calls == 1


def test_empty_page_stops_even_when_has_more(harness: Harness) -> None:
    """A page without items never asks for another, whatever has_more says."""
    server = cursor_server({None: {"data": [], "has_more": True, "next_page": "c1"}})
    result = harness.pages(
        harness.client(server), "GET", "/m", page=spec(harness, has_more="has_more")
    )
    assert result[0].items == []
    assert not result[0].has_next_page()
    assert server.calls == 1


def test_item_cursor_takes_the_last_item(harness: Harness) -> None:
    """item_cursor pages with an attribute of the last item (OpenAI's after=<last id>)."""
    pages = {
        None: {"data": items("a", "b"), "has_more": True},
        "b": {"data": items("c"), "has_more": False},
    }
    server = cursor_server(pages)
    page = harness.rt._pagination.PageSpec(
        items="data", cursor_param="after", item_cursor="id", has_more="has_more"
    )
    result = harness.page_items(
        harness.client(server), "GET", "/m", parse=ModelList.model_validate, item=Model, page=page
    )
    assert [item.id for item in result] == ["a", "b", "c"]
    assert server.requests[1].url.params["after"] == "b"


def first_and_next(harness: Harness, client: Any, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
    """request_page, then get_next_page on the page it returns (one loop when async)."""
    kwargs.setdefault("parse", lambda body: body)
    kwargs.setdefault("item", object)
    if harness.is_async:

        async def scenario() -> tuple[Any, Any]:
            first = await client.request_page(*args, **kwargs)
            return first, await first.get_next_page()

        return asyncio.run(scenario())
    first = client.request_page(*args, **kwargs)
    return first, first.get_next_page()


def test_get_next_page_without_next_raises(harness: Harness) -> None:
    """get_next_page on the last page is RuntimeError("no next page") and sends nothing."""
    server = cursor_server({None: {"data": items("a"), "next_page": None}})
    with pytest.raises(RuntimeError, match=r"^no next page$"):
        first_and_next(harness, harness.client(server), "GET", "/m", page=spec(harness))
    assert server.calls == 1


def test_get_next_page_repeats_the_request_with_the_cursor(harness: Harness) -> None:
    """The next page is the same request (method, headers, body, query) but the cursor."""
    server = cursor_server({**TWO_PAGES, "start": TWO_PAGES[None]})
    first, second = first_and_next(
        harness,
        harness.client(server),
        "POST",
        "/search",
        page=spec(harness),
        query={"after": "start", "ids": ["x", "y"]},
        query_styles={"ids": "form_csv"},
        headers={"X-Project": "p1"},
        body={"filter": "all"},
    )
    assert [item["id"] for item in first.items] == ["a", "b"]
    assert [item["id"] for item in second.items] == ["c"]
    first_request, second_request = server.requests
    assert first_request.url.query == b"after=start&ids=x,y"
    assert second_request.url.query == b"after=c1&ids=x,y"
    for request in server.requests:
        assert request.method == "POST"
        assert request.headers["x-project"] == "p1"
        assert request.content == b'{"filter":"all"}'


def test_extra_query_cursor_only_pins_the_first_page(harness: Harness) -> None:
    """A cursor given in extra_query starts paging there; later pages use the server's cursor."""
    pages = {**TWO_PAGES, "start": TWO_PAGES[None]}
    server = cursor_server(pages)
    options = harness.rt._types.RequestOptions(extra_query={"after": "start", "beta": "1"})
    result = harness.page_items(
        harness.client(server), "GET", "/m", page=spec(harness), options=options
    )
    assert [item["id"] for item in result] == ["a", "b", "c"]
    assert [request.url.query for request in server.requests] == [
        b"after=start&beta=1",
        b"after=c1&beta=1",
    ]


def test_a_server_repeating_the_cursor_does_not_loop(harness: Harness) -> None:
    """A next cursor equal to the one just sent (a server ignoring it) ends paging."""
    server = cursor_server(
        {
            None: {"data": items("a"), "next_page": "c1"},
            "c1": {"data": items("a"), "next_page": "c1"},
        }
    )
    result = harness.pages(harness.client(server), "GET", "/m", page=spec(harness))
    assert len(result) == 2
    assert server.calls == 2


def test_page_errors_are_raised_from_the_page_fetch(harness: Harness) -> None:
    """A status error on page 2 surfaces while iterating, as the usual status class."""
    server = FakeServer(
        httpx.Response(200, json=TWO_PAGES[None]),
        httpx.Response(404, json={"error": {"message": "cursor expired"}}),
    )
    with pytest.raises(harness.rt._exceptions.NotFoundError, match="cursor expired"):
        harness.page_items(harness.client(server), "GET", "/m", page=spec(harness))
    assert server.calls == 2


def test_page_spec_is_frozen_with_optional_fields(rt: Any) -> None:
    """PageSpec needs items and cursor_param; the cursor sources default to None."""
    page = rt._pagination.PageSpec(items="data", cursor_param="after")
    assert (page.next_cursor, page.item_cursor, page.has_more) == (None, None, None)
    with pytest.raises(AttributeError):
        page.items = "other"
