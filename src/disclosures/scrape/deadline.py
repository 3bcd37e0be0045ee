"""Deadlines a server cannot stretch: one per response and one per crawl.

httpx's timeout bounds each socket operation, not a response: a server that
sends one byte a second answers every read in time and holds the worker for as
long as it likes (headers included: each dripped header byte is a read). So
the sockets are wrapped: before each connect, read and write the time left
until the current thread's deadline is computed, the operation may take no
longer, and at zero the transfer is dropped with `DeadlinePassed`.

    budget = CrawlBudget(deadline_s=3600, max_requests=10_000)
    client = deadline_client(timeout=30, max_connections=3)
    with response_deadline(min(time.monotonic() + 600, budget.deadline)):
        with client.stream("GET", url) as response: ...
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Iterator

import httpcore
import httpx

_current = threading.local()  # .at: the deadline of the request this thread is making


class DeadlinePassed(Exception):
    """The thread's deadline passed mid-request; the connection is dropped."""


class CrawlStopped(Exception):
    """The crawl has spent its time or its requests; `reason` is the event
    kind reported: crawl-deadline or request-cap."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CrawlBudget:
    """What one crawl may spend: wall time and HTTP requests (retries and
    robots.txt included). Shared by the worker threads."""

    def __init__(self, deadline_s: float, max_requests: int, *, clock=time.monotonic) -> None:
        self.clock = clock
        self.deadline = clock() + deadline_s
        self.max_requests = max_requests
        self._requests = 0
        self._lock = threading.Lock()

    def seconds_left(self) -> float:
        return max(0.0, self.deadline - self.clock())

    def check(self) -> None:
        """Raise CrawlStopped if nothing more may be asked for."""
        if self.clock() >= self.deadline:
            raise CrawlStopped("crawl-deadline")
        with self._lock:
            if self._requests >= self.max_requests:
                raise CrawlStopped("request-cap")

    def take_request(self) -> None:
        self.check()
        with self._lock:
            if self._requests >= self.max_requests:  # another thread took the last one
                raise CrawlStopped("request-cap")
            self._requests += 1


@contextlib.contextmanager
def response_deadline(at: float) -> Iterator[None]:
    """Every socket operation of this thread inside the block ends by `at`
    (time.monotonic())."""
    _current.at = at
    try:
        yield
    finally:
        _current.at = None


def deadline_client(*, timeout: float, max_connections: int, headers: dict | None = None) -> httpx.Client:
    """An httpx client whose sockets obey response_deadline()."""
    transport = httpx.HTTPTransport()
    # httpx 0.28 takes no network backend, so its pool is rebuilt with one;
    # the drip tests in tests/test_scrape_hostile.py fail if this stops taking.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=max_connections,
        max_keepalive_connections=max_connections,
        keepalive_expiry=5.0,  # httpx's default
        network_backend=_DeadlineBackend(),
    )
    return httpx.Client(timeout=httpx.Timeout(timeout), headers=headers, follow_redirects=False, transport=transport)


def _time_left(timeout: float | None) -> float | None:
    at = getattr(_current, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise DeadlinePassed()
    return left if timeout is None else min(timeout, left)


def _bounded(operation, timeout: float | None, timeout_error: type[Exception]):
    """Run operation(limit) with the limit cut to the deadline; a timeout
    caused by that cut is the deadline passing, not a slow read."""
    limit = _time_left(timeout)
    try:
        return operation(limit)
    except timeout_error:
        at = getattr(_current, "at", None)
        if at is not None and time.monotonic() >= at:
            raise DeadlinePassed() from None
        raise


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return _bounded(lambda t: self._stream.read(max_bytes, t), timeout, httpcore.ReadTimeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        return _bounded(lambda t: self._stream.write(buffer, t), timeout, httpcore.WriteTimeout)

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        return _DeadlineStream(_bounded(
            lambda t: self._stream.start_tls(ssl_context, server_hostname, t), timeout, httpcore.ConnectTimeout))

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.SyncBackend):
    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        stream = _bounded(
            lambda t: super(_DeadlineBackend, self).connect_tcp(host, port, t, local_address, socket_options),
            timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(stream)
