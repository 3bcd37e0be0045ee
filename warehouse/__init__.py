"""The DuckDB warehouse: schema and marts as SQL files, and the one writer."""
