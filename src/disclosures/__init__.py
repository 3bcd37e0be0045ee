"""Disclosures: fiscal disclosure PDFs to DuckDB."""
