"""The source registry: one small TOML file per portal or bureau under sources/.

An entry says where to start, how to page through a list, which links are
announcements and which are disclosure attachments, which hosts may be
touched, and how politely.  Everything is validated on load so a typo in an
entry fails loudly with the file and key named, instead of crawling the wrong
thing on a schedule at 3 a.m.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from disclosures.scrape.urls import host_allowed

REPORT_KINDS = ("auto", "final", "budget", "unknown")

# Office formats and archives that portals attach next to (or instead of) the
# PDF; they are recorded as skipped rather than silently ignored.
DEFAULT_SKIP_EXTENSIONS = (
    ".doc", ".docx", ".xls", ".xlsx", ".et", ".wps", ".zip", ".rar", ".7z", ".ofd",
)

# Department name before the year ("上海市财政局2024年度部门决算") or after it
# ("2021年湛江市人民政府行政服务中心部门决算").
DEFAULT_DEPARTMENT_PATTERNS = (
    r"^(?P<department>[^\d\s]{2,40}?)\s*(?:20\d{2})\s*年",
    r"^(?:20\d{2})\s*年度?\s*(?P<department>[^\d\s]{2,40}?)(?:部门|单位)?(?:预算|决算)",
)


class SourceError(ValueError):
    """A registry entry that cannot be used, with every problem found in it."""


@dataclass(frozen=True)
class Pagination:
    next_link_text: str | None = "下一页|下页"  # regex on a link's text
    next_link_href: str | None = None  # regex on a link's resolved URL
    # "{page}" is replaced by 2, 3, …; for CMSs whose pager is drawn by script.
    url_pattern: str | None = None
    first_generated_page: int = 2
    # regex whose group 1 is the page count printed in the page, e.g. TRS's
    # createPageHTML(12, 0, "index", "html"); bounds url_pattern paging.
    page_count_regex: str | None = None
    max_pages: int = 20


@dataclass(frozen=True)
class Announcements:
    title_pattern: str = "决算|预算"  # regex on the list link's text
    url_pattern: str | None = None  # regex on the resolved URL; None = any


@dataclass(frozen=True)
class Attachments:
    url_pattern: str = r"(?i)\.pdf(?:$|\?)"  # regex on the resolved URL
    text_pattern: str | None = r"(?i)\.pdf$"  # regex on the link text
    skip_extensions: tuple[str, ...] = DEFAULT_SKIP_EXTENSIONS


@dataclass(frozen=True)
class Hints:
    region: str | None = None
    department: str | None = None  # a fixed department, for one-bureau entries
    department_patterns: tuple[str, ...] = DEFAULT_DEPARTMENT_PATTERNS
    report_kind: str = "auto"  # auto: from 决算/预算 in the title


@dataclass(frozen=True)
class Limits:
    rate_limit: float = 1.0  # requests per second per host; 0 = unlimited
    concurrency: int = 2
    max_bytes: int = 50 * 1024 * 1024
    timeout: float = 30.0  # seconds, connect and each read
    # A whole response, headers to last byte: the 50 MiB cap at ~90 kB/s. A
    # server dripping bytes answers each read in time; this drops it.
    response_deadline: float = 600.0
    # A whole crawl, and the requests it may send (retries, robots.txt
    # included): 10,000 requests at the polite 1/s take 2.8 h. A crawl that
    # stops at either says so; the next run goes on from its catalog.
    crawl_deadline: float = 3 * 3600.0
    max_requests: int = 10_000
    attempts: int = 3  # attempts in all, for 5xx, 429, timeouts, broken connections
    backoff: float = 1.0  # first wait; doubles each attempt
    backoff_max: float = 30.0
    max_redirects: int = 5
    user_agent: str = "disclosures-bot/0.1 (+open fiscal data; respects robots.txt)"


@dataclass(frozen=True)
class Source:
    name: str
    start_urls: tuple[str, ...]
    allowed_hosts: tuple[str, ...]
    description: str = ""
    schedule: str = "0 3 * * 1"  # cron, for the lead's Dagster schedule
    enabled: bool = True
    allow_private: bool = False
    pagination: Pagination = field(default_factory=Pagination)
    announcements: Announcements = field(default_factory=Announcements)
    attachments: Attachments = field(default_factory=Attachments)
    hints: Hints = field(default_factory=Hints)
    limits: Limits = field(default_factory=Limits)
    path: Path | None = None  # the file it was loaded from

    def replace(self, **changes: Any) -> "Source":
        """A copy with some fields changed; nested sections accept dicts."""
        for key, value in list(changes.items()):
            current = getattr(self, key)
            if dataclasses.is_dataclass(current) and isinstance(value, dict):
                changes[key] = dataclasses.replace(current, **value)
        return dataclasses.replace(self, **changes)


# --- loading ---------------------------------------------------------------

_SECTIONS = {
    "pagination": Pagination,
    "announcements": Announcements,
    "attachments": Attachments,
    "hints": Hints,
    "limits": Limits,
}
_TOP_KEYS = {"name", "description", "start_urls", "allowed_hosts", "schedule", "enabled", "allow_private"}


def load_sources(directory: str | Path) -> list[Source]:
    """Every *.toml entry in `directory`, sorted by name; raises SourceError
    naming every malformed entry (all of them, not just the first)."""
    sources, errors = read_sources(directory)
    if errors:
        raise SourceError("\n".join(errors.values()))
    return sources


def read_sources(directory: str | Path) -> tuple[list[Source], dict[str, str]]:
    """The entries that load, and each malformed one's error by file stem:
    for the Dagster code location, where one bad file should disable its own
    source rather than every scrape asset."""
    directory = Path(directory)
    if not directory.is_dir():
        raise SourceError(f"{directory}: no such source directory")
    sources, errors = [], {}
    for path in sorted(directory.glob("*.toml")):
        try:
            sources.append(load_source(path))
        except SourceError as exc:
            errors[path.stem] = str(exc)
    return sources, errors


def load_source(path: str | Path) -> Source:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: not valid TOML: {exc}") from None
    return parse_source(data, name=path.stem, path=path)


def parse_source(data: dict, *, name: str, path: Path | None = None) -> Source:
    problems: list[str] = []
    where = str(path) if path else name

    for key in data:
        if key not in _TOP_KEYS and key not in _SECTIONS:
            problems.append(f"unknown key {key!r}")
    declared = data.get("name", name)
    if declared != name:
        problems.append(f"name {declared!r} differs from the file name {name!r}")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
        problems.append(f"name {name!r}: use lowercase letters, digits, '-' and '_'")

    start_urls = _str_list(data, "start_urls", problems, required=True)
    for url in start_urls:
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            problems.append(f"start_urls: {url!r} is not an http(s) URL")
    allowed = _str_list(data, "allowed_hosts", problems, required=False)
    if not allowed:
        allowed = _hosts_of(start_urls)
    for url in start_urls:
        if urlsplit(url).hostname and not host_allowed(url, allowed):
            problems.append(f"start_urls: {url!r} is not on allowed_hosts {list(allowed)}")

    schedule = data.get("schedule", Source.schedule)
    if not isinstance(schedule, str) or len(schedule.split()) != 5:
        problems.append(f"schedule: {schedule!r} is not a 5-field cron expression")
    for key in ("enabled", "allow_private"):
        if key in data and not isinstance(data[key], bool):
            problems.append(f"{key}: must be true or false, got {data[key]!r}")
    description = data.get("description", "")
    if not isinstance(description, str):
        problems.append("description: must be a string")

    sections = {key: _section(data, key, cls, problems) for key, cls in _SECTIONS.items()}
    _check_patterns(sections, problems)
    _check_limits(sections["limits"], problems)
    if sections["hints"].report_kind not in REPORT_KINDS:
        problems.append(f"[hints] report_kind: {sections['hints'].report_kind!r} is not one of {REPORT_KINDS}")

    if problems:
        raise SourceError(f"{where}: " + "; ".join(problems))
    return Source(
        name=name,
        start_urls=tuple(start_urls),
        allowed_hosts=tuple(h.lower() for h in allowed),
        description=description,
        schedule=schedule,
        enabled=data.get("enabled", True),
        allow_private=data.get("allow_private", False),
        path=path,
        **sections,
    )


def _str_list(data: dict, key: str, problems: list[str], *, required: bool) -> list[str]:
    value = data.get(key)
    if value is None:
        if required:
            problems.append(f"{key}: missing")
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        problems.append(f"{key}: must be a list of non-empty strings")
        return []
    if required and not value:
        problems.append(f"{key}: must not be empty")
    return value


def _section(data: dict, key: str, cls: type, problems: list[str]):
    raw = data.get(key, {})
    if not isinstance(raw, dict):
        problems.append(f"[{key}]: must be a table")
        return cls()
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values = {}
    for name, value in raw.items():
        if name not in fields:
            problems.append(f"[{key}] unknown key {name!r} (known: {', '.join(fields)})")
            continue
        default = getattr(cls(), name)
        if isinstance(default, tuple):
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(f"[{key}] {name}: must be a list of strings")
                continue
            value = tuple(value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                problems.append(f"[{key}] {name}: must be true or false")
                continue
        elif isinstance(default, (int, float)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                problems.append(f"[{key}] {name}: must be a number, got {value!r}")
                continue
            if isinstance(default, int) and not isinstance(value, int):
                problems.append(f"[{key}] {name}: must be a whole number, got {value!r}")
                continue
        elif value is not None and not isinstance(value, str):
            problems.append(f"[{key}] {name}: must be a string, got {value!r}")
            continue
        values[name] = value
    return cls(**values)


def _check_patterns(sections: dict, problems: list[str]) -> None:
    checks = [
        ("pagination", "next_link_text"), ("pagination", "next_link_href"),
        ("pagination", "page_count_regex"), ("announcements", "title_pattern"),
        ("announcements", "url_pattern"), ("attachments", "url_pattern"),
        ("attachments", "text_pattern"),
    ]
    for section, name in checks:
        _compile(getattr(sections[section], name), f"[{section}] {name}", problems)
    for pattern in sections["hints"].department_patterns:
        if _compile(pattern, "[hints] department_patterns", problems) and "(?P<department>" not in pattern:
            problems.append(f"[hints] department_patterns: {pattern!r} has no (?P<department>…) group")
    url_pattern = sections["pagination"].url_pattern
    if url_pattern is not None and "{page}" not in url_pattern:
        problems.append(f"[pagination] url_pattern: {url_pattern!r} has no {{page}}")
    for ext in sections["attachments"].skip_extensions:
        if not ext.startswith("."):
            problems.append(f"[attachments] skip_extensions: {ext!r} must start with '.'")


def _compile(pattern: str | None, label: str, problems: list[str]) -> bool:
    if pattern is None:
        return False
    try:
        re.compile(pattern)
        return True
    except re.error as exc:
        problems.append(f"{label}: bad regex {pattern!r}: {exc}")
        return False


def _check_limits(limits: Limits, problems: list[str]) -> None:
    positive = ("concurrency", "max_bytes", "timeout", "attempts", "max_redirects",
                "response_deadline", "crawl_deadline", "max_requests")
    for name in positive:
        if getattr(limits, name) <= 0:
            problems.append(f"[limits] {name}: must be positive")
    for name in ("rate_limit", "backoff", "backoff_max"):
        if getattr(limits, name) < 0:
            problems.append(f"[limits] {name}: must not be negative")


def _hosts_of(urls: list[str]) -> list[str]:
    return sorted({urlsplit(u).netloc.lower() for u in urls if urlsplit(u).netloc})


# --- sources made in code ---------------------------------------------------


def adhoc_source(start_url: str, *, allow_private: bool = False, max_pages: int = 5) -> Source:
    """A source for `disclosures scrape --start-url URL`: only that URL's host
    (and port) may be touched; PDFs linked from the page, or from the
    announcements it lists, are collected."""
    parts = urlsplit(start_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError(f"{start_url!r}: only http(s) URLs can be scraped")
    name = "adhoc-" + re.sub(r"[^a-z0-9]+", "-", parts.netloc.lower()).strip("-")
    return Source(
        name=name,
        start_urls=(start_url,),
        allowed_hosts=(parts.netloc.lower(),),
        description=f"ad-hoc scrape of {start_url}",
        allow_private=allow_private,
        pagination=Pagination(max_pages=max_pages),
    )


def rebase(source: Source, base_url: str) -> Source:
    """The same source pointed at another scheme/host/port, e.g. the sample
    portal served on whatever port serve_portal() got from the OS."""
    new = urlsplit(base_url)
    old_hosts = {urlsplit(u).netloc.lower() for u in source.start_urls}

    def move(url: str) -> str:
        parts = urlsplit(url)
        return urlunsplit((new.scheme, new.netloc, parts.path, parts.query, parts.fragment))

    allowed = tuple(new.netloc.lower() if h in old_hosts else h for h in source.allowed_hosts)
    pagination = source.pagination
    if pagination.url_pattern:
        pagination = dataclasses.replace(pagination, url_pattern=move(pagination.url_pattern))
    return dataclasses.replace(
        source,
        start_urls=tuple(move(u) for u in source.start_urls),
        allowed_hosts=tuple(dict.fromkeys(allowed)),
        pagination=pagination,
    )
