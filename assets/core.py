"""core: every document parsed into its tables' status and canonical cells, with lineage.

`parsed_documents` is a graph of one parse step per shard (disclosures.shards)
and a step that sums them up: with one shard (the default) a batch parses in
one step on a process pool, as ever; with more, an executor that places steps
on other processes or machines (pipelines/executors.py) parses the shards side
by side. The cells go to the staged store, not through Dagster's IO manager:
the asset's value is the batch's summary.
"""


import pandas as pd
from dagster import AssetsDefinition, MetadataValue, OpExecutionContext, Output, graph_asset, op

from disclosures.assets.partitions import INGEST_BATCHES
from disclosures.pipelines.resources import Parser, RawStore, Staging
from disclosures.shards import ShardParse, merge, parse_shard


def parse_op(index: int, shards: int):
    @op(name=f"parse_shard_{index}", description=f"Parse shard {index + 1} of {shards} of the batch into the staged store.")
    def _parse(context: OpExecutionContext, raw_documents: pd.DataFrame, parser: Parser, raw_store: RawStore,
               staging: Staging) -> ShardParse:
        return parse_shard(raw_documents, index, shards, parser.limits(), staging.stage(raw_store))

    return _parse


@op(description="The batch's parse, summed over its shards: what the parsed_documents materialization shows.")
def parsed_summary(shards: list[ShardParse]) -> Output[ShardParse]:
    batch = merge(shards)
    seconds = batch.ended - batch.started
    statuses = pd.Series([d["status"] for d in batch.documents], dtype=object).value_counts().to_dict()
    table_status = (
        batch.tables.groupby(["table_code", "status"]).size().unstack(fill_value=0).reset_index()
        if not batch.tables.empty
        else pd.DataFrame()
    )
    sample = batch.sample[["table_code", "row_key", "column_key", "amount", "printed", "page", "x0", "y0", "x1", "y1", "method"]]
    names = {d["document_id"]: d["file_name"] for d in batch.documents}
    problems = [f"- `{names.get(doc_id, doc_id)}`: {p}" for doc_id, ps in batch.problems.items() for p in ps]
    unreadable = batch.tables[batch.tables["status"] == "unreadable"] if not batch.tables.empty else batch.tables
    return Output(
        batch,
        metadata={
            "documents": len(batch.documents),
            "by_status": MetadataValue.json({k: int(v) for k, v in statuses.items()}),
            "cells": batch.cells,
            "pages": batch.pages,
            "pages_per_second": round(batch.pages / seconds, 1) if seconds else 0.0,
            # wall time from the first shard's start to the last one's end, wherever they ran
            "seconds": round(seconds, 2),
            "shards": len(shards),
            # documents this code version had staged already: a retried shard, a re-run after a lost publisher
            "reused_from_stage": batch.reused,
            # worker seconds summed over documents: where parsing spends its time
            "seconds_by_stage": MetadataValue.json({k: round(v, 2) for k, v in batch.stage_seconds.items()}),
            # lineage: which reader produced how many cells (camelot lattice, or the three-line grid)
            "cells_by_method": MetadataValue.json(batch.cells_by_method),
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


def parsed_documents_asset(shards: int = 1) -> AssetsDefinition:
    parse_ops = [parse_op(i, shards) for i in range(shards)]

    @graph_asset(name="parsed_documents", group_name="core", kinds={"camelot", "pandas"}, partitions_def=INGEST_BATCHES)
    def parsed_documents(raw_documents):
        """Tables located by title, read with camelot, mapped to TABLES.md keys; money in 元.

        Each document is parsed in a worker process within the parser's limits: one
        that fails, hangs or crashes is recorded with its reason and the batch goes on."""
        return parsed_summary([parse(raw_documents) for parse in parse_ops])

    return parsed_documents
