"""The Dagster code location: one Definitions object (see definitions.py)."""
