"""The source registry: every shipped entry loads; malformed ones fail with
the file and key named, and disable only their own source in Dagster."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from disclosures.assets import ALL_ASSETS
from disclosures.cli import main
from disclosures.packaged import sources_dir
from disclosures.pipelines.definitions import defs
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


def test_the_program_reads_the_shipped_registry(monkeypatch):
    monkeypatch.delenv("DISCLOSURES_SOURCES", raising=False)
    assert sources_dir().resolve() == SOURCES.resolve()
    keys = {k.to_user_string() for k in defs().resolve_all_asset_keys()}
    assert {"scrape_" + s.name.replace("-", "_") for s in load_sources(SOURCES)} <= keys


def test_a_malformed_entry_disables_only_its_own_source(tmp_path, monkeypatch, caplog):
    shutil.copy(SOURCES / "sample-portal.toml", tmp_path)
    write(tmp_path, "broken", "start_urls = []")
    monkeypatch.setenv("DISCLOSURES_SOURCES", str(tmp_path))
    with caplog.at_level(logging.ERROR, logger="disclosures.sources"):
        built = defs()
    ingest_keys = {k for a in ALL_ASSETS for k in a.keys}
    assert {k.to_user_string() for k in built.resolve_all_asset_keys()} - {k.to_user_string() for k in ingest_keys} == {"scrape_sample_portal"}
    assert [s.name for s in built.schedules] == ["scrape_sample_portal_schedule"]
    assert "broken" in caplog.text and "start_urls: must not be empty" in caplog.text
    with pytest.raises(SystemExit) as refused:
        main(["scrape", "--source", "broken", "--data", str(tmp_path / "data")])
    assert "broken" in str(refused.value) and "start_urls: must not be empty" in str(refused.value)


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
