"""validation: every identity of TABLES.md run through Great Expectations, for one batch.

The checks are computed per shard (as the parse is: assets/core.py), staged
beside each document's parse, and published with it. The Dagster asset checks
a reviewer watches are not here: they read what the warehouse holds across
every batch (assets/check_results.py).
"""


from dagster import AssetsDefinition, OpExecutionContext, Output, graph_asset, op

from disclosures.assets.partitions import INGEST_BATCHES
from disclosures.pipelines.resources import RawStore, Staging
from disclosures.shards import ShardParse, validate_shard


def validate_op(index: int, shards: int):
    @op(name=f"validate_shard_{index}", description=f"Validate shard {index + 1} of {shards} from the staged store.")
    def _validate(context: OpExecutionContext, parsed_documents: ShardParse, raw_store: RawStore, staging: Staging) -> dict:
        return validate_shard(parsed_documents.documents, index, shards, staging.stage(raw_store))

    return _validate


@op(description="The batch's checks, counted over its shards.")
def checked_summary(shards: list[dict], parsed_documents: ShardParse) -> Output[dict]:
    counts = {k: sum(s[k] for s in shards) for k in ("checks", "failed_error", "failed_warn")}
    failing = set().union(*(s["documents_failing"] for s in shards))
    return Output(
        {**counts, "documents": [d["document_id"] for d in parsed_documents.documents]},
        metadata={
            **counts,
            "seconds": round(sum(s["seconds"] for s in shards), 2),
            # this batch only; the warehouse's open failures are on check_results' checks
            "documents_failing": len(failing),
        },
    )


def checked_documents_asset(shards: int = 1) -> AssetsDefinition:
    validate_ops = [validate_op(i, shards) for i in range(shards)]

    @graph_asset(name="checked_documents", group_name="validation", kinds={"great_expectations"}, partitions_def=INGEST_BATCHES)
    def checked_documents(parsed_documents):
        """One row per identity instance and document check, pass/fail decided by GX (staged per document)."""
        return checked_summary([validate(parsed_documents) for validate in validate_ops], parsed_documents)

    return checked_documents
