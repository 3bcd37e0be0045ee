"""The triage job: a reviewer records a verdict from the Dagster UI's Launchpad, and sees it at once.

It materializes `check_dispositions` (one verdict, on a worklist item) and
re-runs every check on `check_results`, which read the verdicts in force.
"""

from dagster import AssetSelection, define_asset_job, in_process_executor

from disclosures.assets.check_results import check_results
from disclosures.assets.triage import check_dispositions

triage = define_asset_job(
    "triage",
    selection=AssetSelection.assets(check_dispositions) | AssetSelection.checks_for_assets(check_results),
    description="Settle a worklist item (a failed check and its consequences): bureau_error (accepted, with a note) "
    "or parser_error. Name the document and the check as the worklist on check_results prints them.",
    # One process: the verdict and the eleven checks (each a cheap query) in seconds, where a
    # subprocess per step would keep the reviewer waiting for a minute.
    executor_def=in_process_executor,
    config={
        "ops": {
            "check_dispositions": {
                "config": {"document": "", "check": "", "verdict": "bureau_error", "note": "", "reviewer": "reviewer"}
            }
        }
    },
)
