"""Generated budgets: cells exact per producer, seeded errors flagged, errors on clean documents.

    python bench/budgets.py --count 30 --errors 0.3      # JSON on stdout

Renders `--count` budgets over the three templates and the three producers, each with its
department's final account, a share `--errors` of the budgets with one seeded error
(disclosures.generator.corpus.plan_budget_corpus), ingests them with the CLI into a fresh
warehouse and compares what landed with each truth file. The corpus is kept under
~/.cache/disclosures/bench-budgets/ (LibreOffice takes minutes; it is never committed).

A truth cell is exact when its (table, row, column) key lands with its amount in 元. A seeded
error is flagged when every check `budget_variants.FLAGGED_BY` names for it fails at error
severity. Every error-severity failure on a document without a seeded error is the parser's.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from layouts import ingest, read_warehouse, rendered

from disclosures.generator.budget_variants import flagged_by
from disclosures.generator.corpus import BUDGET_TEMPLATES, PRODUCERS, plan_budget_corpus

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "disclosures" / "bench-budgets"


def corpus(count: int, seed: int, errors: float) -> tuple[Path, float]:
    """The corpus folder, rendered unless a complete one is cached; and the seconds rendering took."""
    specs = plan_budget_corpus(BUDGET_TEMPLATES, PRODUCERS, count, seed, region=None, errors=errors)
    return rendered(specs, CACHE / f"s{seed}-n{count}-e{errors}")


def measure(folder: Path, warehouse: Path) -> dict:
    ids, got, errors = read_warehouse(warehouse)
    failed: dict[str, set] = defaultdict(set, {d: set(names) for d, names in errors.items()})
    cells: dict[str, dict] = defaultdict(lambda: {"documents": 0, "cells": 0, "exact": 0})
    seeded: dict[str, dict] = defaultdict(lambda: {"seeded": 0, "flagged": 0})
    clean: dict[str, dict] = defaultdict(lambda: {"documents": 0, "with_error_failures": 0, "error_failures": 0})
    misses, unflagged, clean_failures = [], [], []
    for truth_path in sorted(folder.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text("utf-8"))
        name, producer = truth["file"], truth["producer"]
        doc = ids.get(name)
        kind = "budget" if truth["report_kind"] == "budget" else "final"
        tally = cells[f"{kind}/{producer}"]
        tally["documents"] += 1
        for c in truth["cells"]:
            key = (c["table_code"], c["row_key"], c["column_key"])
            tally["cells"] += 1
            if got.get(doc, {}).get(key) == Decimal(c["amount"]):
                tally["exact"] += 1
            elif len(misses) < 10:
                misses.append(f"{name} {'/'.join(key)}")
        if truth["seeded_errors"]:
            error = truth["seeded_errors"][0]
            names = flagged_by(error, truth["template"])
            ok = doc is not None and set(names) <= failed[doc]
            for key in (producer, f"kind:{error['kind']}"):
                seeded[key]["seeded"] += 1
                seeded[key]["flagged"] += ok
            if not ok:
                unflagged.append(f"{name}: {', '.join(sorted(set(names) - failed.get(doc, set())))}")
        else:
            c = clean[f"{kind}/{producer}"]
            c["documents"] += 1
            c["with_error_failures"] += bool(failed.get(doc))
            c["error_failures"] += len(failed.get(doc, ()))
            if failed.get(doc) and len(clean_failures) < 8:
                clean_failures.append(f"{name}: {', '.join(sorted(failed[doc])[:4])}")
    for t in cells.values():
        t["accuracy_pct"] = round(100 * t["exact"] / t["cells"], 3) if t["cells"] else None
    return {
        "documents": len(ids),
        "cells_by_kind_and_producer": dict(sorted(cells.items())),
        "first_cell_misses": misses,
        "seeded_errors": dict(sorted(seeded.items())),
        "unflagged": unflagged,
        "clean_documents": dict(sorted(clean.items())),
        "first_clean_failures": clean_failures,
    }


def main(count: int, seed: int, errors: float) -> dict:
    folder, render_s = corpus(count, seed, errors)
    with tempfile.TemporaryDirectory() as tmp:
        warehouse, ingest_s = ingest(folder, Path(tmp))
        result = measure(folder, warehouse)
    return {"count": count, "seed": seed, "errors": errors, "render_seconds": round(render_s, 1),
            "ingest_seconds": round(ingest_s, 1), **result}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=30, help="budgets (each with its department's final account)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--errors", type=float, default=0.3, help="share of the budgets with one seeded error")
    opts = ap.parse_args()
    print(json.dumps(main(opts.count, opts.seed, opts.errors), indent=2, ensure_ascii=False))
