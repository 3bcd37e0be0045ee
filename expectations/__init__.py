"""The reviewed GX suites, shipped as package data (see disclosures.packaged)."""
