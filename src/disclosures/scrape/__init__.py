"""Scraping disclosure PDFs from government portals.

    sources = load_sources("sources")
    report = crawl(sources[0], "data/store", progress=print)
    report.documents   # one dict per distinct PDF (sha256, path, url, hints, is_new)
    report.problems    # one dict per problem (url, kind, message, …)
    report.stopped_by  # None, or the limit that ended it: crawl-deadline, request-cap

Raw files land at <store>/raw/<sha256[:2]>/<sha256>.pdf; the catalog, events
and runs are JSON lines under <store>/ (see catalog.py)."""

from disclosures.scrape.catalog import CATALOG_FIELDS, EVENT_FIELDS, CrawlBusy, read_catalog, read_events, read_runs
from disclosures.scrape.copies import safe_name, save_copies
from disclosures.scrape.crawler import crawl
from disclosures.scrape.report import CrawlReport
from disclosures.scrape.portal import Portal, build_sample_portal, serve_portal
from disclosures.scrape.progress import CrawlProgress, rich_progress
from disclosures.scrape.registry import Source, SourceError, adhoc_source, load_source, load_sources, read_sources, rebase

__all__ = [
    "CATALOG_FIELDS", "EVENT_FIELDS", "CrawlBusy", "CrawlProgress", "CrawlReport", "Portal", "Source",
    "SourceError", "adhoc_source", "build_sample_portal", "crawl", "load_source", "load_sources",
    "read_catalog", "read_events", "read_runs", "read_sources", "rebase", "rich_progress", "safe_name",
    "save_copies", "serve_portal",
]
