"""The source registry: every shipped entry loads; malformed ones fail with
the file and key named."""

from __future__ import annotations

from pathlib import Path

import pytest

from disclosures.scrape import SourceError, adhoc_source, load_source, load_sources, rebase

SOURCES = Path(__file__).resolve().parents[1] / "sources"

GOOD = """
start_urls = ["https://czj.example.gov.cn/bmyjs/index.html"]
[announcements]
title_pattern = "决算"
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_entry_loads():
    sources = load_sources(SOURCES)
    names = [s.name for s in sources]
    assert "sample-portal" in names and len(names) >= 2
    for source in sources:
        assert source.start_urls and source.allowed_hosts
        assert len(source.schedule.split()) == 5
        assert source.path.stem == source.name


def test_only_the_sample_portal_may_touch_private_addresses():
    for source in load_sources(SOURCES):
        assert source.allow_private == (source.name == "sample-portal")


def test_defaults(tmp_path):
    source = load_source(write(tmp_path, "czj", GOOD))
    assert source.allowed_hosts == ("czj.example.gov.cn",)
    assert source.allow_private is False and source.enabled is True
    assert source.hints.report_kind == "auto"
    assert source.attachments.url_pattern and ".doc" in source.attachments.skip_extensions


@pytest.mark.parametrize("text, message", [
    ("start_urls = []", "start_urls: must not be empty"),
    ("description = 'x'", "start_urls: missing"),
    ('start_urls = ["file:///etc/passwd"]', "is not an http(s) URL"),
    ('start_urls = ["https://a.gov.cn/"]\nallowed_hosts = ["b.gov.cn"]', "is not on allowed_hosts"),
    (GOOD + "\n[limits]\nrate_limit = 'fast'", "[limits] rate_limit: must be a number"),
    (GOOD + "\n[limits]\nconcurrency = 0", "[limits] concurrency: must be positive"),
    (GOOD + "\n[pagination]\nmax_page = 3", "[pagination] unknown key 'max_page'"),
    (GOOD.replace('"决算"', '"决算("'), "[announcements] title_pattern: bad regex"),
    (GOOD + "\n[hints]\ndepartment_patterns = ['(.+)局']", "has no (?P<department>"),
    (GOOD + "\n[hints]\nreport_kind = 'yearly'", "report_kind: 'yearly' is not one of"),
    ("schedule = 'daily'\n" + GOOD, "schedule: 'daily' is not a 5-field cron"),
    ("allow_private = 'yes'\n" + GOOD, "allow_private: must be true or false"),
    ("name = 'other'\n" + GOOD, "differs from the file name"),
    ("start_url = 'x'\n" + GOOD, "unknown key 'start_url'"),
    ("start_urls = [", "not valid TOML"),
    (GOOD + "\n[pagination]\nurl_pattern = 'https://czj.example.gov.cn/index_2.html'", "has no {page}"),
])
def test_malformed_entry_names_file_and_key(tmp_path, text, message):
    path = write(tmp_path, "bad", text)
    with pytest.raises(SourceError) as error:
        load_source(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_load_sources_reports_every_bad_file(tmp_path):
    write(tmp_path, "good", GOOD)
    write(tmp_path, "bad-one", "start_urls = []")
    write(tmp_path, "bad-two", GOOD + "\n[limits]\ntimeout = -1")
    with pytest.raises(SourceError) as error:
        load_sources(tmp_path)
    assert "bad-one.toml" in str(error.value) and "bad-two.toml" in str(error.value)
    assert "good.toml" not in str(error.value)


def test_adhoc_source_allows_only_its_host():
    source = adhoc_source("https://czj.example.gov.cn:8443/yjsgk/index.html")
    assert source.allowed_hosts == ("czj.example.gov.cn:8443",)
    assert source.start_urls == ("https://czj.example.gov.cn:8443/yjsgk/index.html",)
    assert source.name == "adhoc-czj-example-gov-cn-8443"


def test_rebase_moves_start_urls_and_allowed_host():
    sample = load_source(SOURCES / "sample-portal.toml")
    moved = rebase(sample, "http://127.0.0.1:40123/")
    assert moved.start_urls == ("http://127.0.0.1:40123/index.html",)
    assert moved.allowed_hosts == ("127.0.0.1:40123",)
    assert moved.announcements == sample.announcements
