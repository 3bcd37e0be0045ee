"""Dagster asset definitions: thin wrappers over the plain functions in `disclosures`.

Layers: raw (scraped or local files by content hash) → core (parsed tables and
canonical cells) → validation (Great Expectations identity checks) → warehouse
(one writer per batch; then the relations it holds, across batches, with the
reviewer's checks on check_results, and the marts).
"""

from disclosures.assets.check_results import CHECKS, check_results
from disclosures.assets.core import parsed_documents_asset
from disclosures.assets.raw import raw_documents
from disclosures.assets.triage import check_dispositions
from disclosures.assets.validation import checked_documents_asset
from disclosures.assets.warehouse import RELATION_ASSETS, marts, published_documents


def ingest_assets(shards: int = 1) -> list:
    """What one ingest run materializes: its batch (parsed and validated in `shards` steps each, see
    disclosures.shards), then the warehouse's relations and their checks."""
    return [raw_documents, parsed_documents_asset(shards), checked_documents_asset(shards), published_documents,
            *RELATION_ASSETS, check_results, marts]


INGEST_ASSETS = ingest_assets()
ALL_ASSETS = [*INGEST_ASSETS, check_dispositions]
ALL_CHECKS = CHECKS
