"""Retries: which failures retry, how many times, and how long the client sleeps between them."""

from __future__ import annotations

import asyncio
import email.utils
import time
from types import ModuleType

import httpx
import pytest

from ._helpers import FakeServer, Harness, make_profile

OK = httpx.Response(200, json={"ok": True})


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried(harness: Harness, status: int) -> None:
    """408, 409, 429 and 5xx are retried, and a later success is returned."""
    server = FakeServer(httpx.Response(status, json={}), OK)
    assert harness.request(harness.client(server), "GET", "/x") == {"ok": True}
    assert server.calls == 2
    assert len(harness.sleeps) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 422])
def test_other_statuses_are_not_retried(harness: Harness, status: int) -> None:
    """Client errors other than 408/409/429 fail at once."""
    server = FakeServer(httpx.Response(status, json={}), OK)
    with pytest.raises(harness.rt._exceptions.APIStatusError):
        harness.request(harness.client(server), "GET", "/x")
    assert server.calls == 1
    assert harness.sleeps == []


@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.ReadTimeout, httpx.ReadError])
def test_transport_failures_are_retried(harness: Harness, failure: type) -> None:
    """Connection errors and timeouts are retried like retryable statuses."""
    server = FakeServer(failure, failure, OK)
    assert harness.request(harness.client(server), "GET", "/x") == {"ok": True}
    assert server.calls == 3
    assert len(harness.sleeps) == 2


def test_default_max_retries_is_two(harness: Harness) -> None:
    """By default a request is tried three times in all, then the last error is raised."""
    server = FakeServer(httpx.Response(503, json={"message": "down"}))
    with pytest.raises(harness.rt._exceptions.InternalServerError, match="down"):
        harness.request(harness.client(server), "GET", "/x")
    assert server.calls == 3
    assert len(harness.sleeps) == 2


def test_timeout_after_retries_exhausted(harness: Harness) -> None:
    """When every attempt times out the error is APITimeoutError after max_retries sleeps."""
    server = FakeServer(httpx.ReadTimeout)
    with pytest.raises(harness.rt._exceptions.APITimeoutError):
        harness.request(harness.client(server, max_retries=4), "GET", "/x")
    assert server.calls == 5
    assert len(harness.sleeps) == 4


@pytest.mark.parametrize(
    ("client_retries", "call_retries", "expected_calls"),
    [(5, None, 6), (0, None, 1), (5, 0, 1), (1, 3, 4)],
)
def test_max_retries_per_client_and_per_call(
    harness: Harness, client_retries: int, call_retries: int | None, expected_calls: int
) -> None:
    """options.max_retries overrides the client's max_retries for one call."""
    types = harness.rt._types
    options = types.RequestOptions(
        max_retries=types.NOT_GIVEN if call_retries is None else call_retries
    )
    server = FakeServer(httpx.Response(500, json={}))
    client = harness.client(server, max_retries=client_retries)
    with pytest.raises(harness.rt._exceptions.InternalServerError):
        harness.request(client, "GET", "/x", options=options)
    assert server.calls == expected_calls


def test_exponential_backoff_without_jitter(harness: Harness) -> None:
    """With zero jitter the delays double from 0.5 s and are capped at 8 s."""
    server = FakeServer(httpx.Response(500, json={}))
    client = harness.client(server, max_retries=7)
    client._random = lambda: 0.0
    with pytest.raises(harness.rt._exceptions.InternalServerError):
        harness.request(client, "GET", "/x")
    assert harness.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_full_jitter_takes_a_quarter_off(harness: Harness) -> None:
    """At maximum jitter each delay is 75% of the backoff."""
    server = FakeServer(httpx.Response(500, json={}))
    client = harness.client(server, max_retries=3)
    client._random = lambda: 1.0
    with pytest.raises(harness.rt._exceptions.InternalServerError):
        harness.request(client, "GET", "/x")
    assert harness.sleeps == [0.375, 0.75, 1.5]


def test_random_jitter_within_bounds(harness: Harness) -> None:
    """With real randomness every delay lies between 75% and 100% of its backoff."""
    server = FakeServer(httpx.Response(500, json={}))
    client = harness.client(server, max_retries=6)
    with pytest.raises(harness.rt._exceptions.InternalServerError):
        harness.request(client, "GET", "/x")
    bases = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert len(harness.sleeps) == len(bases)
    for delay, base in zip(harness.sleeps, bases, strict=True):
        assert 0.75 * base <= delay <= base


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "1200", "retry-after": "9"}, 1.2),
        ({"retry-after": "60"}, 60.0),
    ],
)
def test_retry_after_seconds_used_as_sleep(
    harness: Harness, headers: dict[str, str], expected: float
) -> None:
    """Retry-After in seconds and retry-after-ms (preferred) give the exact sleep."""
    server = FakeServer(httpx.Response(429, headers=headers, json={}), OK)
    harness.request(harness.client(server), "GET", "/x")
    assert harness.sleeps == [expected]


def test_retry_after_http_date_used_as_sleep(harness: Harness) -> None:
    """A Retry-After HTTP date 30 s ahead gives a sleep of about 30 s."""
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    server = FakeServer(httpx.Response(503, headers={"retry-after": when}, json={}), OK)
    harness.request(harness.client(server), "GET", "/x")
    assert len(harness.sleeps) == 1
    assert 28.0 <= harness.sleeps[0] <= 30.0


def test_retry_after_http_date_with_pinned_clock(harness: Harness) -> None:
    """The HTTP date is measured against the client's clock."""
    server = FakeServer(
        httpx.Response(503, headers={"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"}, json={}), OK
    )
    client = harness.client(server)
    client._time = lambda: 1445412480.0  # 2015-10-21 07:28:00 UTC
    harness.request(client, "GET", "/x")
    assert harness.sleeps == [10.0]


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "120"},
        {"retry-after-ms": "90000"},
        {"retry-after": "-5"},
        {"retry-after": "soon"},
        {"retry-after": "nan"},
        {"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"},
    ],
    ids=["too-long", "too-long-ms", "negative", "garbage", "nan", "past-date"],
)
def test_unreasonable_retry_after_falls_back_to_backoff(
    harness: Harness, headers: dict[str, str]
) -> None:
    """A Retry-After over 60 s, in the past or unreadable is ignored for our own backoff."""
    server = FakeServer(httpx.Response(429, headers=headers, json={}), OK)
    client = harness.client(server)
    client._random = lambda: 0.0
    harness.request(client, "GET", "/x")
    assert harness.sleeps == [0.5]


def test_stream_request_is_retried(harness: Harness) -> None:
    """A streamed call retried after a 503 yields the chunks of the successful attempt."""
    stream_ok = httpx.Response(
        200,
        headers={"content-type": "text/event-stream"},
        content=b'data: {"n": 1}\n\ndata: [DONE]\n\n',
    )
    server = FakeServer(httpx.Response(503, json={}), stream_ok)
    assert harness.stream(harness.client(server), "POST", "/chat", body={}) == [{"n": 1}]
    assert server.calls == 2


def test_retried_request_sends_the_same_body(harness: Harness) -> None:
    """Every attempt carries the same method, URL, headers and body."""
    server = FakeServer(httpx.ConnectError, httpx.Response(500, json={}), OK)
    harness.request(harness.client(server), "POST", "/chat", body={"model": "m"})
    first = server.requests[0]
    for request in server.requests[1:]:
        assert (request.method, request.url, request.content) == (
            first.method,
            first.url,
            first.content,
        )
        assert request.headers["authorization"] == first.headers["authorization"]


def test_sleep_is_patchable_on_real_clients(rt: ModuleType) -> None:
    """Both clients expose _sleep (time.sleep / asyncio.sleep by default) for tests to replace."""
    profile = make_profile(rt)
    with rt._base_client.SyncAPIClient(profile=profile, api_key="k") as client:
        assert client._sleep is time.sleep
    async_client = rt._base_client.AsyncAPIClient(profile=profile, api_key="k")
    assert async_client._sleep is asyncio.sleep
    asyncio.run(async_client.close())
