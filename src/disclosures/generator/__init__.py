"""The project's own disclosure generator (tests, benchmarks, the bundled sample): final accounts and budgets.

ledger -> Document (layout, shared by every producer) -> PDF + truth JSON.
"""

from .budget_document import BudgetStyle, build_budget_document
from .budget_ledger import BudgetLedger, budget_ledger
from .corpus import PRODUCERS, build_samples, bulk_corpus, generate_budget_corpus, generate_corpus
from .document import Document, Style, build_document
from .identities import check as check_identities
from .ledger import Ledger, random_ledger, reference_ledger
from .truth import normalise_label, truth, truth_document
from .variants import KINDS as ERROR_KINDS
from .variants import seeded_document

__all__ = [
    "ERROR_KINDS",
    "PRODUCERS",
    "BudgetLedger",
    "BudgetStyle",
    "Document",
    "Ledger",
    "Style",
    "budget_ledger",
    "build_budget_document",
    "build_document",
    "build_samples",
    "bulk_corpus",
    "check_identities",
    "generate_budget_corpus",
    "generate_corpus",
    "normalise_label",
    "random_ledger",
    "reference_ledger",
    "seeded_document",
    "truth",
    "truth_document",
]
