"""The triage job: a reviewer records a verdict from the Dagster UI's Launchpad."""


from dagster import Config, OpExecutionContext, job, op
from dagster_duckdb import DuckDBResource

from disclosures.triage import mark


class TriageConfig(Config):
    """Which failed check, and the verdict: `bureau_error` (accepted, the document's own) or `parser_error`."""

    document: str  # sha256, a unique prefix of it, or the file name
    check_name: str  # as in check_results and the asset check's metadata table
    disposition: str
    note: str
    reviewer: str


@op(pool="warehouse")
def record_verdict(context: OpExecutionContext, config: TriageConfig, warehouse: DuckDBResource) -> None:
    doc_id = mark(warehouse.database, config.document, config.check_name, config.disposition, config.note, config.reviewer)
    context.log.info(f"{config.reviewer}: {config.check_name} on {doc_id[:12]} is a {config.disposition}: {config.note}")


@job(description="Settle a failed check: bureau_error (accepted, with a note) or parser_error. Re-runs keep it.")
def triage():
    record_verdict()
