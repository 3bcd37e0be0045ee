"""One HTTP GET done carefully: only allowed hosts and public addresses,
robots.txt obeyed, a per-host rate limit, retries with exponential backoff,
redirects followed by hand (so each hop is checked), conditional requests,
a size cap enforced while streaming, a deadline per response, and the
crawl's budget of time and requests (deadline.py)."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import httpx
import tenacity

from disclosures.scrape.deadline import CrawlBudget, CrawlStopped, DeadlinePassed, deadline_client, response_deadline
from disclosures.scrape.ratelimit import HostRateLimiter
from disclosures.scrape.registry import Source
from disclosures.scrape.robots import RobotsRules
from disclosures.scrape.urls import host_allowed, host_key, non_public_address, resolve

_REDIRECTS = {301, 302, 303, 307, 308}


class FetchProblem(Exception):
    """A URL that could not be fetched, with a stable `kind` for the events
    table: http-error, timeout, connection-error, off-host, off-host-redirect,
    private-address, bad-scheme, robots-disallowed, too-large, not-a-pdf,
    truncated, response-deadline, too-many-redirects, bad-response."""

    def __init__(self, kind: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status
        # Validators of a response refused for its body (too large, not a
        # PDF), so the next run can ask "changed since?" instead of re-reading.
        self.etag: str | None = None
        self.last_modified: str | None = None


class _Transient(FetchProblem):
    """Worth another try: 5xx, 429, timeouts, dropped connections."""

    def __init__(self, kind: str, message: str, status: int | None = None, retry_after: float = 0.0):
        super().__init__(kind, message, status)
        self.retry_after = retry_after


@dataclass
class Fetched:
    url: str  # after redirects
    status: int  # 200 (or another 2xx) or 304
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    body: bytes | None = None  # pages
    file: Path | None = None  # attachments: a temp file in the store, to be moved by hash
    sha256: str | None = None
    size: int = 0


@dataclass
class _Redirect:
    location: str


class Counters:
    """What the crawl cost; read by tests to compare a first and a second run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.bytes = 0
        self.pdf_bytes = 0

    def add(self, *, requests: int = 0, nbytes: int = 0, pdf: bool = False) -> None:
        with self._lock:
            self.requests += requests
            self.bytes += nbytes
            if pdf:
                self.pdf_bytes += nbytes


class Fetcher:
    """Raises CrawlStopped, rather than fetching, once the budget is spent."""

    def __init__(self, source: Source, tmp_dir: Path, *, sleep=time.sleep, budget: CrawlBudget | None = None) -> None:
        self.source = source
        self.limits = source.limits
        self.tmp_dir = Path(tmp_dir)
        self.counters = Counters()
        self.budget = budget or CrawlBudget(self.limits.crawl_deadline, self.limits.max_requests)
        self._sleep = sleep
        self.limiter = HostRateLimiter(self.limits.rate_limit, sleep=sleep)
        self.robots = RobotsRules(self._fetch_robots, self.limits.user_agent)
        self._slowed: set[str] = set()
        self.client = deadline_client(
            timeout=self.limits.timeout,
            max_connections=self.limits.concurrency + 1,
            headers={"User-Agent": self.limits.user_agent},
        )

    def close(self) -> None:
        self.client.close()

    # -- public ------------------------------------------------------------

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            to_file: bool = False, expect_pdf: bool = False) -> Fetched:
        """GET the URL, or raise FetchProblem. With `to_file` the body goes to
        a temp file and is hashed on the way; else it is returned in memory."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for hop in range(self.limits.max_redirects + 1):
            self.check_target(current, redirected=hop > 0)
            if not self.robots.allowed(current):
                raise FetchProblem("robots-disallowed", self.robots.explain(current))
            self._apply_crawl_delay(current)
            outcome = self._with_retries(current, headers, to_file, expect_pdf)
            if isinstance(outcome, _Redirect):
                current = outcome.location
                continue
            return outcome
        raise FetchProblem("too-many-redirects", f"more than {self.limits.max_redirects} redirects")

    def check_target(self, url: str, *, redirected: bool = False) -> None:
        """Refuse, without any network traffic, what this source may not touch."""
        parts = httpx.URL(url) if url.startswith(("http://", "https://")) else None
        if parts is None:
            raise FetchProblem("bad-scheme", f"only http(s) is fetched, not {url.split(':', 1)[0]}:")
        if not host_allowed(url, self.source.allowed_hosts):
            kind = "off-host-redirect" if redirected else "off-host"
            netloc = urlsplit(url).netloc
            raise FetchProblem(kind, f"{netloc} is not on allowed_hosts {list(self.source.allowed_hosts)}")
        if not self.source.allow_private:
            address = non_public_address(parts.host)
            if address is not None:
                raise FetchProblem("private-address", f"{parts.host} is {address}, not a public address (allow_private is off)")

    # -- internals ---------------------------------------------------------

    def _apply_crawl_delay(self, url: str) -> None:
        key = host_key(url)
        if key not in self._slowed:
            self._slowed.add(key)
            delay = self.robots.crawl_delay(url)
            if delay:
                self.limiter.slow_down(key, float(delay))

    def _fetch_robots(self, robots_url: str) -> tuple[int, str]:
        current = robots_url
        try:
            for hop in range(self.limits.max_redirects + 1):
                self.check_target(current, redirected=hop > 0)
                outcome = self._with_retries(current, {}, False, False)
                if isinstance(outcome, _Redirect):
                    current = outcome.location
                    continue
                return outcome.status, (outcome.body or b"").decode("utf-8", errors="replace")
        except _Transient:
            return 0, ""
        except FetchProblem as exc:
            if exc.kind == "response-deadline":
                return 0, ""  # as good as no answer
            # 4xx, or a robots.txt we may not follow (off-host): no rules.
            return (exc.status or 404), ""
        return 404, ""

    def _with_retries(self, url, headers, to_file, expect_pdf):
        exponential = tenacity.wait_exponential(multiplier=self.limits.backoff, max=self.limits.backoff_max)

        def wait(state: tenacity.RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome else None
            retry_after = min(getattr(exc, "retry_after", 0.0), self.limits.backoff_max)
            return max(exponential(state), retry_after)

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.limits.attempts),
            wait=wait,
            retry=tenacity.retry_if_exception_type(_Transient),
            reraise=True,
            # never sleeps past the crawl's deadline; the next attempt then stops
            sleep=lambda seconds: self._sleep(min(seconds, self.budget.seconds_left())),
        )
        try:
            return retrying(self._attempt, url, headers, to_file, expect_pdf)
        except _Transient as exc:
            if self.limits.attempts > 1:
                exc.message = f"{exc.message} (gave up after {self.limits.attempts} attempts)"
            raise

    def _attempt(self, url, headers, to_file, expect_pdf):
        self.budget.check()
        if not self.limiter.wait(host_key(url), until=self.budget.deadline):
            raise CrawlStopped("crawl-deadline")  # the host's next slot is after it
        self.budget.take_request()
        self.counters.add(requests=1)
        response_at = time.monotonic() + self.limits.response_deadline
        try:
            with response_deadline(min(response_at, self.budget.deadline)), \
                    self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in _REDIRECTS:
                    location = response.headers.get("location")
                    target = resolve(location, url) if location else None
                    if target is None:
                        raise FetchProblem("bad-response", f"HTTP {status} redirect without a usable Location", status)
                    return _Redirect(target)
                if status == 429 or status >= 500:
                    raise _Transient("http-error", f"HTTP {status}", status, _retry_after(response))
                if status >= 400:
                    raise FetchProblem("http-error", f"HTTP {status}", status)
                fetched = Fetched(
                    url=url, status=status,
                    etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"),
                    content_type=response.headers.get("content-type"),
                )
                if status == 304:
                    return fetched
                try:
                    self._read_body(response, fetched, to_file, expect_pdf)
                except FetchProblem as problem:
                    problem.etag, problem.last_modified = fetched.etag, fetched.last_modified
                    raise
                return fetched
        except DeadlinePassed:
            if self.budget.deadline < response_at:
                raise CrawlStopped("crawl-deadline") from None
            raise FetchProblem("response-deadline", f"no complete response within {self.limits.response_deadline:g} s "
                               "([limits] response_deadline); the transfer was dropped") from None
        except httpx.TimeoutException as exc:
            raise _Transient("timeout", f"no answer within {self.limits.timeout:g} s ({type(exc).__name__})") from None
        except httpx.DecodingError as exc:
            raise FetchProblem("bad-response", f"undecodable body: {exc}") from None
        except httpx.TransportError as exc:
            raise _Transient("connection-error", f"{type(exc).__name__}: {exc}") from None
        except httpx.InvalidURL as exc:
            raise FetchProblem("bad-scheme", f"invalid URL: {exc}") from None

    def _read_body(self, response: httpx.Response, fetched: Fetched, to_file: bool, expect_pdf: bool) -> None:
        cap = self.limits.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchProblem("too-large", f"Content-Length {int(declared):,} bytes is over the {cap:,}-byte cap; not downloaded")
        hasher = hashlib.sha256()
        if to_file:
            fd, name = tempfile.mkstemp(dir=self.tmp_dir, suffix=".part")
            sink = os.fdopen(fd, "wb")
        else:
            name, sink = None, io.BytesIO()
        size, head = 0, b""
        try:
            for chunk in _body_chunks(response, declared):
                size += len(chunk)
                self.counters.add(nbytes=len(chunk), pdf=to_file)
                if size > cap:
                    raise FetchProblem("too-large", f"over the {cap:,}-byte cap; stopped after {size:,} bytes")
                if expect_pdf and len(head) < 5:
                    head += chunk[: 5 - len(head)]
                    if len(head) == 5 and not head.startswith(b"%PDF"):
                        raise FetchProblem("not-a-pdf", f"starts with {head!r}, not %PDF ({fetched.content_type or 'no content type'})")
                hasher.update(chunk)
                sink.write(chunk)
            if expect_pdf and not head.startswith(b"%PDF"):
                raise FetchProblem("not-a-pdf", f"{size} bytes, not starting with %PDF")
            if declared.isdigit() and response.num_bytes_downloaded != int(declared):
                raise _Transient("truncated", f"{response.num_bytes_downloaded:,} of the {int(declared):,} bytes "
                                 "its Content-Length declared")
        except BaseException:
            sink.close()
            if name:
                os.unlink(name)
            raise
        if to_file:
            sink.close()
            fetched.file = Path(name)
        else:
            fetched.body = sink.getvalue()
        fetched.sha256 = hasher.hexdigest()
        fetched.size = size


def _body_chunks(response: httpx.Response, declared: str) -> Iterator[bytes]:
    """The body; a connection cut before the declared length is a truncated
    download (worth another try), named as such rather than a protocol error."""
    try:
        yield from response.iter_bytes()
    except httpx.RemoteProtocolError as exc:
        if not declared.isdigit():
            raise
        raise _Transient("truncated", f"connection cut after {response.num_bytes_downloaded:,} of the "
                         f"{int(declared):,} bytes its Content-Length declared ({type(exc).__name__})") from None


def _retry_after(response: httpx.Response) -> float:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else 0.0
