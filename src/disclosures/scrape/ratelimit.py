"""A per-host request rate limit shared by the crawl's worker threads."""

from __future__ import annotations

import threading
import time


class HostRateLimiter:
    """Spaces requests to one host at least `interval` seconds apart.

    Each caller reserves the next free slot under the lock and sleeps outside
    it, so waiting for one slow host never blocks requests to another."""

    def __init__(self, requests_per_second: float, *, clock=time.monotonic, sleep=time.sleep) -> None:
        self.interval = 1.0 / requests_per_second if requests_per_second > 0 else 0.0
        self._last: dict[str, float] = {}  # the slot given to each host's latest request
        self._extra: dict[str, float] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def slow_down(self, host: str, interval: float) -> None:
        """Raise one host's spacing, e.g. to its robots.txt Crawl-delay."""
        with self._lock:
            self._extra[host] = max(self._extra.get(host, 0.0), interval)

    def wait(self, host: str, until: float | None = None) -> bool:
        """Sleep until this host's next free slot and take it; False, without
        sleeping or taking it, when that slot is later than `until` (the
        crawl's deadline: a long Crawl-delay must not outlast it)."""
        with self._lock:
            interval = max(self.interval, self._extra.get(host, 0.0))
            if interval <= 0:
                return True
            now = self._clock()
            last = self._last.get(host)
            slot = now if last is None else max(now, last + interval)
            if until is not None and slot > until:
                return False
            self._last[host] = slot
        if slot > now:
            self._sleep(slot - now)
        return True
