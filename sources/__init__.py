"""The source registry's TOML entries, shipped as package data (see disclosures.packaged)."""
