"""robots.txt, fetched once per host per crawl and obeyed (RFC 9309)."""

from __future__ import annotations

import threading
from typing import Callable

from protego import Protego

from disclosures.scrape.urls import host_key


class RobotsRules:
    """Answers "may this URL be fetched?" per host.

    `fetch_robots(url)` returns (status, text) for a robots.txt URL, status 0
    when it could not be reached at all. As the RFC says: a 4xx means no rules
    (everything allowed); a 5xx or no answer means assume everything is
    disallowed, since the site may be struggling and the rules unknown."""

    def __init__(self, fetch_robots: Callable[[str], tuple[int, str]], user_agent: str) -> None:
        self._fetch = fetch_robots
        self._agent = user_agent
        self._rules: dict[str, Protego | None | bool] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def allowed(self, url: str) -> bool:
        rules = self._rules_for(host_key(url))
        if rules is True:
            return True
        if rules is False:
            return False
        return rules.can_fetch(url, self._agent)

    def explain(self, url: str) -> str:
        if self._rules_for(host_key(url)) is False:
            return "robots.txt could not be fetched (5xx or no answer); RFC 9309 says assume all disallowed"
        return "disallowed by robots.txt"

    def crawl_delay(self, url: str) -> float | None:
        rules = self._rules_for(host_key(url))
        if isinstance(rules, Protego):
            return rules.crawl_delay(self._agent)
        return None

    def _rules_for(self, key: str):
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # one fetch per host even when workers ask at once
            if key not in self._rules:
                scheme, rest = key.split("://", 1)
                host, port = rest.rsplit(":", 1)
                default = {"http": "80", "https": "443"}.get(scheme)
                host = f"[{host}]" if ":" in host else host
                netloc = host if port == default else f"{host}:{port}"
                status, text = self._fetch(f"{scheme}://{netloc}/robots.txt")
                if 200 <= status < 300:
                    self._rules[key] = Protego.parse(text)
                elif 400 <= status < 500:
                    self._rules[key] = True
                else:
                    self._rules[key] = False
            return self._rules[key]
