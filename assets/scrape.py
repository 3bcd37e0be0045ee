"""raw: one scrape asset per registry entry (sources/*.toml), each on its own schedule.

A scrape stores new PDFs in the raw store and records them in the catalog;
`new_documents_sensor` (pipelines/automation.py) turns what is new into batched
ingest runs, so thousands of documents cost a few runs, not thousands.

The registry is read when the definitions are built (pipelines/definitions.py),
not when this module is imported: which folder it is comes from a setting
(disclosures.packaged), and a malformed entry must cost only its own asset.
"""

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from dagster import AssetExecutionContext, AssetsDefinition, Config, MaterializeResult, MetadataValue, asset

from disclosures.packaged import sources_dir
from disclosures.pipelines.resources import RawStore
from disclosures.scrape import Source, crawl, read_sources, rebase

progress_log = logging.getLogger("disclosures.progress")
registry_log = logging.getLogger("disclosures.sources")


@dataclass(frozen=True)
class Registry:
    """The entries that loaded, and the error of each file that did not (by file stem)."""

    sources: list[Source]
    broken: dict[str, str] = field(default_factory=dict)

    def by_name(self) -> dict[str, Source]:
        return {s.name: s for s in self.sources}


def load_registry(directory: Path | None = None) -> Registry:
    """The source registry (`$DISCLOSURES_SOURCES`, else the packaged `sources/`).

    A malformed entry is logged and left out, so one bad file disables its own
    scrape asset and schedule instead of the whole Dagster code location."""
    sources, broken = read_sources(directory or sources_dir())
    for name, error in broken.items():
        registry_log.error("source %s disabled: %s", name, error)
    return Registry(sources, broken)


class ScrapeConfig(Config):
    """`base_url` points an entry at another address (the sample portal's port
    in tests); the limits, when above 0, replace the entry's own for this run."""

    base_url: str = ""
    max_requests: int = 0
    crawl_deadline: float = 0
    response_deadline: float = 0


def asset_name(source: Source) -> str:
    return "scrape_" + re.sub(r"\W", "_", source.name)


def _problems_md(problems: list[dict]) -> str:
    if not problems:
        return "none"
    lines = ["| kind | url | message |", "|---|---|---|"]
    lines += [f"| {p['kind']} | {p['url']} | {p['message']} |" for p in problems[:100]]
    return "\n".join(lines)


def scrape_asset(source: Source) -> AssetsDefinition:
    @asset(
        name=asset_name(source),
        group_name="raw",
        kinds={"http"},
        description=source.description or f"PDFs scraped from {', '.join(source.start_urls)}",
        metadata={"schedule": source.schedule, "allowed_hosts": ", ".join(source.allowed_hosts)},
    )
    def _scrape(context: AssetExecutionContext, config: ScrapeConfig, raw_store: RawStore) -> MaterializeResult:
        entry = rebase(source, config.base_url) if config.base_url else source
        overrides = {k: v for k, v in config.model_dump().items() if k != "base_url" and v}
        if overrides:
            entry = entry.replace(limits=overrides)

        def progress(event):
            if event.event in ("document", "problem", "done"):
                progress_log.info(
                    "%s: %d pages, %d documents (%d new), %d problems | %s %s",
                    entry.name, event.pages, event.documents, event.new_documents, event.problems, event.event, event.url,
                )

        report = crawl(entry, raw_store.root, progress=progress)
        context.log.info(f"{len(report.documents)} documents, {len(report.new_documents)} new, {len(report.problems)} problems")
        if report.stopped_by:
            context.log.warning(report.stop_message)
        return MaterializeResult(
            metadata={
                # "complete", or the limit that ended the crawl early, and why
                "stopped_by": report.stopped_by or "complete",
                "stop_reason": report.stop_message or "every link was followed",
                "not_fetched": report.not_fetched,
                "documents": len(report.documents),
                "new_documents": len(report.new_documents),
                "problems": len(report.problems),
                "requests": report.requests,
                "bytes": report.bytes,
                "problem_list": MetadataValue.md(_problems_md(report.problems)),
            }
        )

    return _scrape


def scrape_assets(sources: list[Source]) -> dict[str, AssetsDefinition]:
    return {s.name: scrape_asset(s) for s in sources}
