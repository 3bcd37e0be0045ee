"""Validation of a document's cells: accounting identities, narrative, domain rules.

One rule list, one judge: identities.py and narrative.py build one row per
identity instance (both sides, difference, tolerance); domain.py prepares
the cell and document frames; the suites in ``expectations/*.json`` are run
by Great Expectations (gx_runner.py), and every check's pass/fail comes from
GX's ``unexpected_index_list``.

    from disclosures.validate import validate
    checks = validate(cells, doc)            # one document
    checks = validate(cells_of_all, docs)    # many documents, one GX run per suite

Importing this package does not import great_expectations; the first call to
``validate`` does (once per process).
"""

from .identities import INSTANCE_COLUMNS, identity_instances, instances_for_documents
from .narrative import Claim, Ref, Subject, narrative_claims, normalise

__all__ = [
    "INSTANCE_COLUMNS",
    "Claim",
    "Ref",
    "Subject",
    "identity_instances",
    "instances_for_documents",
    "narrative_claims",
    "normalise",
    "validate",
    "summarize",
    "get_runner",
    "ValidationContractError",
]


def __getattr__(name):  # lazy: keep `import disclosures.validate` free of GX
    if name in ("validate", "summarize", "get_runner", "ValidationContractError", "GXRunner"):
        from . import gx_runner

        return getattr(gx_runner, name)
    raise AttributeError(name)
