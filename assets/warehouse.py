"""warehouse: the one writer publishes each batch's staged documents atomically; the relations it holds.

`published_documents` is per batch. The relations analysts and reviewers read
(documents, fact_amounts, check_results, the marts) hold every batch ever
published, so they are unpartitioned assets of their own downstream of it,
and the asset checks the reviewer watches sit on `check_results`
(assets/check_results.py), not on one batch.
"""


import logging
import time
from pathlib import Path

import duckdb
from dagster import AssetExecutionContext, AssetsDefinition, Failure, MaterializeResult, MetadataValue, asset
from dagster_duckdb import DuckDBResource

from disclosures.assets.partitions import INGEST_BATCHES
from disclosures.pipelines.home import WrongHome, claim_home
from disclosures.pipelines.resources import RawStore, Staging
from disclosures.shards import ShardParse
from disclosures.version import code_version
from disclosures.warehouse.writer import publish_document, publish_snapshot, reading, refresh_marts, versions, writing

progress_log = logging.getLogger("disclosures.progress")


@asset(group_name="warehouse", kinds={"duckdb"}, pool="warehouse", partitions_def=INGEST_BATCHES)
def published_documents(
    context: AssetExecutionContext,
    parsed_documents: ShardParse,
    checked_documents: dict,
    warehouse: DuckDBResource,
    raw_store: RawStore,
    staging: Staging,
) -> MaterializeResult:
    """documents, fact_amounts, check_results: each staged document loaded in one transaction.

    The one step that writes the warehouse, wherever the shards ran. Idempotent: a
    document the warehouse already holds from this code version (published by an
    earlier attempt of this batch that was killed, or by a batch beside it) is not
    loaded again, so a re-run after a lost publisher completes the batch."""
    own_warehouse(context, warehouse)
    stage = staging.stage(raw_store)
    documents = parsed_documents.documents
    failed: list[str] = []
    version = code_version()
    started = time.perf_counter()
    cells = 0
    with writing(warehouse.database) as con:
        done = {d for d, v in versions(con, [d["document_id"] for d in documents]).items() if v == version}
        for i, doc in enumerate(documents, start=1):
            doc_id = doc["document_id"]
            if doc_id not in done:
                staged = stage.get_parse(doc_id)
                # This batch's name and path for it (the staged parse may be another batch's)
                staged.document.update(raw_path=doc.get("raw_path"), file_name=doc.get("file_name"))
                checks = stage.get_checks(doc_id)
                cells += len(staged.cells)
                try:
                    publish_document(con, staged.document, staged.cells, staged.tables, checks, staged.problems,
                                     version, context.run.run_id)
                except duckdb.Error as exc:
                    # Rolled back, so an earlier version of it stays as it was; a document new to the
                    # warehouse is still recorded, as not loaded, so that every file is accounted for.
                    reason = f"publishing failed: {type(exc).__name__}: {str(exc)[:200]}"
                    failed.append(f"`{doc.get('file_name')}`: {reason}")
                    context.log.error(f"{doc.get('file_name')}: {reason}")
                    if not con.execute("SELECT 1 FROM documents WHERE document_id = ?", [doc_id]).fetchone():
                        publish_document(con, {**staged.document, "status": "rejected", "reason": reason},
                                         staged.cells.iloc[0:0], staged.tables.iloc[0:0], checks.iloc[0:0], [reason],
                                         version, context.run.run_id)
            progress_log.info("published %d/%d: %s", i, len(documents), doc.get("file_name"),
                              extra={"stage": "publish", "done": i, "total": len(documents)})
        totals = con.execute("SELECT count(*), count(*) FILTER (WHERE status = 'loaded') FROM documents").fetchone()
    return MaterializeResult(
        metadata={
            "documents_published": len(documents) - len(done),
            # published by an earlier attempt at this batch (or a batch beside it) with this code version
            "documents_already_published": len(done),
            "cells_published": cells,
            "warehouse_documents": int(totals[0]),
            "warehouse_loaded": int(totals[1]),
            "warehouse": MetadataValue.path(str(Path(warehouse.database).resolve())),
            "staged": MetadataValue.path(stage.url),
            "code_version": version,
            "publish_failures": MetadataValue.md("\n".join(f"- {f}" for f in failed) or "none"),
            "seconds": round(time.perf_counter() - started, 2),
        }
    )


def own_warehouse(context, warehouse: DuckDBResource) -> str:
    """The warehouse this run writes, once it is known to be this Dagster home's (pipelines/home.py)."""
    try:
        claim_home(context.instance, warehouse.database)
    except WrongHome as exc:
        raise Failure(description=str(exc), allow_retries=False) from None
    return warehouse.database


# name → (what it is, the metadata its materialization records: SQL returning one row of counts)
RELATIONS = {
    "documents": (
        "One row per distinct PDF ever ingested, loaded or not, with its status and reason.",
        "SELECT count(*) AS documents, count(*) FILTER (WHERE status = 'loaded') AS loaded, "
        "count(*) FILTER (WHERE status <> 'loaded') AS not_loaded, count(DISTINCT department) AS departments FROM documents",
    ),
    "fact_amounts": (
        "One row per numeric cell of a standard table, in 元, with its page and box.",
        "SELECT count(*) AS cells, count(DISTINCT document_id) AS documents, count(DISTINCT table_code) AS tables FROM fact_amounts",
    ),
}


def relation_asset(name: str, description: str, counts_sql: str) -> AssetsDefinition:
    @asset(name=name, group_name="warehouse", kinds={"duckdb"}, deps=[published_documents], description=description)
    def _relation(context: AssetExecutionContext, warehouse: DuckDBResource) -> MaterializeResult:
        # The batch assets wrote it, one transaction per document (writer.py says why); this
        # records what the relation holds after them, across every batch.
        with reading(own_warehouse(context, warehouse)) as con:
            counts = con.execute(counts_sql).df().iloc[0].to_dict() if con is not None else {}
        return MaterializeResult(metadata={k: int(v) for k, v in counts.items()})

    return _relation


RELATION_ASSETS = [relation_asset(n, d, q) for n, (d, q) in RELATIONS.items()]


@asset(group_name="warehouse", kinds={"duckdb"}, pool="warehouse", deps=["documents", "fact_amounts", "check_results"])
def marts(warehouse: DuckDBResource) -> MaterializeResult:
    """Comparison views (warehouse/marts.sql) and the read-only snapshot analysts open."""
    started = time.perf_counter()
    with writing(warehouse.database) as con:
        refresh_marts(con)
        snapshot = publish_snapshot(con, warehouse.database)
        views = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1").fetchall()]
    return MaterializeResult(metadata={"views": MetadataValue.json(views), "snapshot": MetadataValue.path(str(snapshot.resolve())),
                                       "seconds": round(time.perf_counter() - started, 2)})
