"""Dagster asset definitions: thin wrappers over the plain functions in `disclosures`.

Layers: raw (files by content hash) → core (parsed tables and canonical cells)
→ validation (Great Expectations identity checks) → warehouse (DuckDB, marts).
"""

from disclosures.assets.core import parsed_documents
from disclosures.assets.raw import raw_documents
from disclosures.assets.validation import checked_documents
from disclosures.assets.warehouse import marts, published_documents

ALL_ASSETS = [raw_documents, parsed_documents, checked_documents, published_documents, marts]
