"""Cursor pagination: where a list response keeps its items and cursor, and pages over them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

__all__ = ["AsyncPage", "PageSpec", "SyncPage"]

_T = TypeVar("_T")


@dataclass(frozen=True)
class PageSpec:
    """How one list operation pages: generated per operation from its documentation."""

    items: str
    """Attribute of the parsed response holding the list of items."""
    cursor_param: str | None
    """Wire name of the query parameter that asks for the next page; None: a list that comes
    in one page (no next page is ever asked for)."""
    next_cursor: str | None = None
    """Attribute of the parsed response giving the next cursor."""
    item_cursor: str | None = None
    """Attribute of the last item giving the next cursor (e.g. "id" for `after=<last id>`)."""
    has_more: str | None = None
    """Attribute of the parsed response telling whether more pages exist."""


def _attribute(value: object, name: str) -> object:
    # A parse that keeps the JSON as is (a dict) pages as well as one returning a model.
    if isinstance(value, Mapping):
        return cast(Mapping[str, object], value).get(name)
    return getattr(value, name, None)


def _cursor_text(value: object) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    text = str(value)
    return text or None


class _BasePage(Generic[_T]):
    """One page of a list operation; the sync and async pages differ only in fetching."""

    response: object
    """The parsed response of this page's request."""
    items: list[_T]
    """The items of this page ([] when the response has none)."""

    def __init__(
        self, response: object, spec: PageSpec, request_cursor: str | None
    ) -> None:
        self.response = response
        self.spec = spec
        # The cursor this page was asked for: a server that ignores it must not loop forever.
        self._request_cursor = request_cursor
        items = _attribute(response, spec.items)
        self.items = list(cast(list[_T], items)) if items else []

    @property
    def data(self) -> list[_T]:
        """Alias of `items`."""
        return self.items

    def next_cursor(self) -> str | None:
        """The cursor that asks for the page after this one; None when there is none."""
        if self.spec.next_cursor is not None:
            return _cursor_text(_attribute(self.response, self.spec.next_cursor))
        if self.spec.item_cursor is not None and self.items:
            return _cursor_text(_attribute(self.items[-1], self.spec.item_cursor))
        return None

    def has_next_page(self) -> bool:
        """Whether a next page exists: items here, a cursor, and `has_more` when it is reported."""
        if not self.items or self.spec.cursor_param is None:
            return False
        if self.spec.has_more is not None and not _attribute(
            self.response, self.spec.has_more
        ):
            return False
        cursor = self.next_cursor()
        return cursor is not None and cursor != self._request_cursor

    def _require_next_cursor(self) -> str:
        cursor = self.next_cursor()
        if cursor is None or not self.has_next_page():
            raise RuntimeError("no next page")
        return cursor

    def __repr__(self) -> str:
        return f"<{type(self).__name__} items={len(self.items)} next={self.next_cursor()!r}>"


class SyncPage(_BasePage[_T]):
    """A page of items; iterating it yields the items of this and every later page."""

    def __init__(
        self,
        response: object,
        spec: PageSpec,
        fetch: Callable[[str], SyncPage[_T]],
        request_cursor: str | None = None,
    ) -> None:
        super().__init__(response, spec, request_cursor)
        self._fetch = fetch

    def get_next_page(self) -> SyncPage[_T]:
        """Send the same request with the next cursor; RuntimeError when there is no next page."""
        return self._fetch(self._require_next_cursor())

    def iter_pages(self) -> Iterator[SyncPage[_T]]:
        """This page, then each following page, fetched only when reached."""
        page = self
        yield page
        while page.has_next_page():
            page = page.get_next_page()
            yield page

    def __iter__(self) -> Iterator[_T]:
        for page in self.iter_pages():
            yield from page.items


class AsyncPage(_BasePage[_T]):
    """Asynchronous twin of SyncPage: `async for` yields the items of every page."""

    def __init__(
        self,
        response: object,
        spec: PageSpec,
        fetch: Callable[[str], Awaitable[AsyncPage[_T]]],
        request_cursor: str | None = None,
    ) -> None:
        super().__init__(response, spec, request_cursor)
        self._fetch = fetch

    async def get_next_page(self) -> AsyncPage[_T]:
        """Send the same request with the next cursor; RuntimeError when there is no next page."""
        return await self._fetch(self._require_next_cursor())

    async def iter_pages(self) -> AsyncIterator[AsyncPage[_T]]:
        """This page, then each following page, fetched only when reached."""
        page = self
        yield page
        while page.has_next_page():
            page = await page.get_next_page()
            yield page

    async def _iter_items(self) -> AsyncIterator[_T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item

    def __aiter__(self) -> AsyncIterator[_T]:
        return self._iter_items()
