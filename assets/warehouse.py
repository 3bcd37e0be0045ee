"""warehouse: the one writer publishes each document atomically, then the marts."""


import logging
import time
from pathlib import Path

import duckdb
import pandas as pd
from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from disclosures.assets.partitions import INGEST_BATCHES
from disclosures.batch import ParsedBatch
from disclosures.frames import CHECK_COLUMNS
from disclosures.version import code_version
from disclosures.warehouse.writer import publish_document, publish_snapshot, refresh_marts, writing

progress_log = logging.getLogger("disclosures.progress")


@asset(group_name="warehouse", kinds={"duckdb"}, pool="warehouse", partitions_def=INGEST_BATCHES)
def published_documents(
    context: AssetExecutionContext,
    parsed_documents: ParsedBatch,
    checked_documents: pd.DataFrame,
    warehouse: DuckDBResource,
) -> MaterializeResult:
    """documents, fact_amounts, check_results: each document replaced in one transaction."""
    batch = parsed_documents
    cells = dict(tuple(batch.cells.groupby("document_id"))) if not batch.cells.empty else {}
    tables = dict(tuple(batch.tables.groupby("document_id"))) if not batch.tables.empty else {}
    checks = dict(tuple(checked_documents.groupby("document_id"))) if not checked_documents.empty else {}
    empty_checks = pd.DataFrame(columns=CHECK_COLUMNS)
    empty_cells, empty_tables = batch.cells.iloc[0:0], batch.tables.iloc[0:0]
    failed: list[str] = []
    version = code_version()
    started = time.perf_counter()
    with writing(warehouse.database) as con:
        for i, doc in enumerate(batch.documents, start=1):
            doc_id = doc["document_id"]
            try:
                publish_document(
                    con,
                    doc,
                    cells.get(doc_id, empty_cells),
                    tables.get(doc_id, empty_tables),
                    checks.get(doc_id, empty_checks),
                    batch.problems.get(doc_id, []),
                    version,
                    context.run.run_id,
                )
            except duckdb.Error as exc:
                # Rolled back, so an earlier version of it stays as it was; a document new to the
                # warehouse is still recorded, as not loaded, so that every file is accounted for.
                reason = f"publishing failed: {type(exc).__name__}: {str(exc)[:200]}"
                failed.append(f"`{doc.get('file_name')}`: {reason}")
                context.log.error(f"{doc.get('file_name')}: {reason}")
                if not con.execute("SELECT 1 FROM documents WHERE document_id = ?", [doc_id]).fetchone():
                    publish_document(con, {**doc, "status": "rejected", "reason": reason}, empty_cells, empty_tables,
                                     empty_checks, [reason], version, context.run.run_id)
            progress_log.info("published %d/%d: %s", i, len(batch.documents), doc.get("file_name"))
        totals = con.execute("SELECT count(*), count(*) FILTER (WHERE status = 'loaded') FROM documents").fetchone()
    return MaterializeResult(
        metadata={
            "documents_published": len(batch.documents),
            "cells_published": len(batch.cells),
            "warehouse_documents": int(totals[0]),
            "warehouse_loaded": int(totals[1]),
            "warehouse": MetadataValue.path(str(Path(warehouse.database).resolve())),
            "code_version": version,
            "publish_failures": MetadataValue.md("\n".join(f"- {f}" for f in failed) or "none"),
            "seconds": round(time.perf_counter() - started, 2),
        }
    )


@asset(group_name="warehouse", kinds={"duckdb"}, pool="warehouse", deps=[published_documents])
def marts(warehouse: DuckDBResource) -> MaterializeResult:
    """Comparison views (warehouse/marts.sql) and the read-only snapshot analysts open."""
    started = time.perf_counter()
    with writing(warehouse.database) as con:
        refresh_marts(con)
        snapshot = publish_snapshot(con, warehouse.database)
        views = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1").fetchall()]
    return MaterializeResult(metadata={"views": MetadataValue.json(views), "snapshot": MetadataValue.path(str(snapshot.resolve())),
                                       "seconds": round(time.perf_counter() - started, 2)})
