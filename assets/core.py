"""core: every document parsed into its tables' status and canonical cells, with lineage."""


import pandas as pd
from dagster import AssetExecutionContext, MetadataValue, Output, asset

from disclosures.assets.partitions import INGEST_BATCHES
from disclosures.batch import ParsedBatch, parse_batch
from disclosures.pipelines.resources import Parser


@asset(group_name="core", kinds={"camelot", "pandas"}, partitions_def=INGEST_BATCHES)
def parsed_documents(context: AssetExecutionContext, raw_documents: pd.DataFrame, parser: Parser) -> Output[ParsedBatch]:
    """Tables located by title, read with camelot, mapped to TABLES.md keys; money in 元.

    Each document is parsed in a worker process within the parser's limits: one
    that fails, hangs or crashes is recorded with its reason and the batch goes on."""
    batch = parse_batch(raw_documents, limits=parser.limits())
    statuses = pd.Series([d["status"] for d in batch.documents]).value_counts().to_dict()
    table_status = (
        batch.tables.groupby(["table_code", "status"]).size().unstack(fill_value=0).reset_index()
        if not batch.tables.empty
        else pd.DataFrame()
    )
    sample = batch.cells.head(10)[
        ["table_code", "row_key", "column_key", "amount", "printed", "page", "x0", "y0", "x1", "y1", "method"]
    ]
    names = {d["document_id"]: d["file_name"] for d in batch.documents}
    problems = [f"- `{names.get(doc_id, doc_id)}`: {p}" for doc_id, ps in batch.problems.items() for p in ps]
    unreadable = batch.tables[batch.tables["status"] == "unreadable"] if not batch.tables.empty else batch.tables
    return Output(
        batch,
        metadata={
            "documents": len(batch.documents),
            "by_status": MetadataValue.json({k: int(v) for k, v in statuses.items()}),
            "cells": len(batch.cells),
            "pages": batch.pages,
            "pages_per_second": round(batch.pages / batch.seconds, 1) if batch.seconds else 0.0,
            "seconds": round(batch.seconds, 2),
            # worker seconds summed over documents: where parsing spends its time
            "seconds_by_stage": MetadataValue.json({k: round(v, 2) for k, v in batch.stage_seconds.items()}),
            # lineage: which reader produced how many cells (camelot lattice, or the three-line grid)
            "cells_by_method": MetadataValue.json(
                {str(k): int(v) for k, v in batch.cells["method"].value_counts().items()}
            ),
            "tables_found": MetadataValue.md(table_status.to_markdown(index=False) if not table_status.empty else "none"),
            "lineage_sample": MetadataValue.md(sample.to_markdown(index=False) if not sample.empty else "none"),
            # garbled and image-only pages, tables that may continue onto them, figures printed twice
            "problems": MetadataValue.md("\n".join(problems[:200]) or "none"),
            "unreadable_tables": MetadataValue.md(
                "\n".join(f"- `{names.get(r.document_id, r.document_id)}` {r.table_code}: {r.detail}"
                           for r in unreadable.itertuples()) or "none"
            ),
            "rejected": MetadataValue.md(
                "\n".join(f"- `{d['file_name']}`: {d['reason']}" for d in batch.documents if d["status"] != "loaded")
                or "none"
            ),
        },
    )
