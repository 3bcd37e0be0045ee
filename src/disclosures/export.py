"""The marts as files for analysts: Parquet, and CSV that Excel opens on a Chinese desktop,
with a data dictionary beside them.

    disclosures export --warehouse data/demo.snapshot.duckdb --out export/
"""

from __future__ import annotations

import csv
import os
import shutil
import tomllib
from importlib.resources import files
from pathlib import Path

import duckdb

MARTS = [
    "dim_documents", "dim_departments", "dim_function_subjects", "dim_economic_subjects",
    "mart_department_totals", "mart_expenditure_by_function", "mart_function_share", "mart_sangong", "mart_procurement",
    "mart_budget_execution", "mart_budget_prior_year",
]
EXPORTED = [*MARTS, "fact_amounts", "check_results", "documents"]
DICTIONARY = "DATA_DICTIONARY.csv"
# Excel reads a CSV without a byte-order mark in the desktop's code page (GBK on a Chinese
# Windows): UTF-8 Chinese becomes mojibake. With the BOM it reads UTF-8.
BOM = "\ufeff".encode("utf-8")


def export_marts(con: duckdb.DuckDBPyConnection, out: Path, formats: tuple[str, ...] = ("parquet", "csv")) -> list[Path]:
    """Every mart and dimension, plus the core tables, as Parquet and/or CSV files, and the data dictionary."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in EXPORTED:
        for fmt in formats:
            path = out / f"{name}.{fmt}"
            if fmt == "csv":
                _copy_csv(con, name, path)
            else:
                # Table names are this module's own; the path is the user's, so it is a parameter, never
                # pasted into the SQL (a quote in a folder name would end the literal, the rest run as SQL).
                con.execute(f"COPY (SELECT * FROM {name}) TO ? (FORMAT parquet)", [str(path)])
            written.append(path)
    written.append(write_dictionary(con, out / DICTIONARY))
    return written


def _copy_csv(con: duckdb.DuckDBPyConnection, name: str, path: Path) -> None:
    """DuckDB's CSV writer, streaming (fact_amounts can be millions of rows), then the BOM put in front."""
    tmp = path.with_name(path.name + ".tmp")
    con.execute(f"COPY (SELECT * FROM {name}) TO ? (FORMAT csv, HEADER true)", [str(tmp)])
    with open(path, "wb") as target, open(tmp, "rb") as source:
        target.write(BOM)
        shutil.copyfileobj(source, target, 1 << 20)
    os.remove(tmp)


def descriptions() -> dict:
    """warehouse/dictionary.toml: [columns] for meanings shared by name, [relations.X] for a relation's own."""
    return tomllib.loads(files("disclosures.warehouse").joinpath("dictionary.toml").read_text(encoding="utf-8"))


def describe(relation: str, column: str, known: dict | None = None) -> str:
    known = known or descriptions()
    own = known.get("relations", {}).get(relation, {})
    return own.get(column) or known.get("columns", {}).get(column, "")


def write_dictionary(con: duckdb.DuckDBPyConnection, path: Path, tables: list[str] = EXPORTED) -> Path:
    """One row per column of every exported table (its .csv and .parquet files alike): table, column,
    type, description; a table's first row, with no column, says what one row of it is. The columns
    and their types are the warehouse's own, so the dictionary cannot drift from what was exported."""
    known = descriptions()
    rows = []
    for table in tables:
        rows.append([table, "", "", known.get("relations", {}).get(table, {}).get("description", "")])
        columns = con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [table]
        ).fetchall()
        rows += [[table, column, kind, describe(table, column, known)] for column, kind in columns]
    with open(path, "w", encoding="utf-8-sig", newline="") as f:  # utf-8-sig: the BOM, for Excel as above
        writer = csv.writer(f)
        writer.writerow(["table", "column", "type", "description"])
        writer.writerows(rows)
    return path
