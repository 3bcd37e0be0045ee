"""Randomised layouts: cell accuracy per layout dimension value, and parser misses seen as bureau errors.

    python bench/layouts.py --documents 300        # JSON on stdout

Draws `--documents` documents with every layout dimension random per document and per table
(disclosures.generator.layouts.random_style) over the three producers, ingests them with the
CLI into a fresh warehouse, and compares what landed with each truth file. The corpus is kept
under ~/.cache/disclosures/bench-layouts/ (rendering it takes minutes; it is never committed).

A truth cell counts as exact when its (table, row, column) key lands with its amount in 元. Each
cell is counted under every dimension value of its table (table dimensions) and of its document
(document dimensions), so a miss names the layout that caused it. The documents are clean (no
seeded error), so every failed error-severity check is the parser's, not the bureau's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb

from disclosures.generator.corpus import PRODUCERS, plan_corpus, render_specs
from disclosures.generator.layouts import DOCUMENT_DIMENSIONS

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "disclosures" / "bench-layouts"


def corpus(count: int, seed: int) -> tuple[Path, float]:
    """The corpus folder, rendered unless a complete one is cached; and the seconds rendering took."""
    return rendered(plan_corpus(PRODUCERS, count, seed, region=None, random_layouts=True), CACHE / f"s{seed}-n{count}")


def rendered(specs, folder: Path) -> tuple[Path, float]:
    """`specs` rendered into `folder` unless every truth file is there already; the seconds it took
    (bench/budgets.py caches its corpus the same way)."""
    if all((folder / f"{s.name}.truth.json").exists() for s in specs):
        return folder, 0.0
    start = time.perf_counter()
    render_specs(specs, folder, workers=2)
    return folder, time.perf_counter() - start


def ingest(folder: Path, work: Path, parser_src: str | None = None) -> tuple[Path, float]:
    """The CLI's ingest of the folder; `parser_src` runs another checkout's src/ (a before/after comparison)."""
    env = {**os.environ, "DAGSTER_HOME": str(work / "dh")}
    if parser_src:
        env["PYTHONPATH"] = parser_src  # ahead of the editable install's finder
    (work / "dh").mkdir()
    warehouse = work / "w.duckdb"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "disclosures.cli", "ingest", str(folder), "--warehouse", str(warehouse),
                    "--data", str(work / "data")], env=env, check=True, capture_output=True)
    return warehouse, time.perf_counter() - start


def _dims(truth: dict, code: str) -> list[tuple[str, str]]:
    """The dimension values one table of one document is printed with."""
    table = truth["tables"][code]
    layout = table.get("layout", {})
    out = [(k, str(v)) for k, v in layout.items()]
    out += [(k, str(truth["style"][k])) for k in DOCUMENT_DIMENSIONS if k not in layout]  # a table's own wins
    several = len(table["pages"]) > 1
    out += [("producer", truth["producer"]), ("table", code),
            # LibreOffice embeds subsets of its fonts; reportlab's STSong-Light is referenced, not embedded
            ("fonts", "not embedded" if truth["producer"] == "reportlab" else "embedded"),
            # a page break inside the table, and whether the continuation repeats the header
            ("page_break", ("header repeated" if truth["style"]["repeat_header"] else "no header") if several else "none")]
    return out


def read_warehouse(warehouse: Path) -> tuple[dict, dict, dict]:
    """What an ingest left: file name -> document id; document id -> {(table, row, column): amount};
    document id -> the names of its failed error-severity checks (bench/budgets.py reads it too)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        ids = dict(con.execute("SELECT file_name, document_id FROM documents").fetchall())
        got: dict[str, dict] = defaultdict(dict)
        for d, t, r, c, a in con.execute("SELECT document_id, table_code, row_key, column_key, amount FROM fact_amounts").fetchall():
            got[d][(t, r, c)] = Decimal(a).quantize(Decimal("0.01"))
        errors: dict[str, list[str]] = defaultdict(list)
        for d, name in con.execute(
                "SELECT document_id, check_name FROM check_results WHERE severity = 'error' AND NOT passed").fetchall():
            errors[d].append(name)
    finally:
        con.close()
    return ids, got, errors


def measure(folder: Path, warehouse: Path) -> dict:
    ids, got, errors = read_warehouse(warehouse)
    tally: dict[tuple[str, str], list] = defaultdict(lambda: [set(), 0, 0])  # documents, cells, exact
    misses: dict[tuple[str, str], list[str]] = defaultdict(list)
    total = [0, 0]
    for truth_path in sorted(folder.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text("utf-8"))
        doc = ids.get(truth["file"])
        landed = got.get(doc, {})
        for cell in truth["cells"]:
            key = (cell["table_code"], cell["row_key"], cell["column_key"])
            exact = landed.get(key) == Decimal(cell["amount"])
            total[0] += 1
            total[1] += exact
            for dim in _dims(truth, cell["table_code"]):
                t = tally[dim]
                t[0].add(truth["file"])
                t[1] += 1
                t[2] += exact
                if not exact and len(misses[dim]) < 3:
                    misses[dim].append(f"{truth['file']} {'/'.join(key)}")
    by_dim: dict[str, dict] = defaultdict(dict)
    for (dim, value), (docs, n, exact) in sorted(tally.items()):
        by_dim[dim][value] = {"documents": len(docs), "cells": n, "exact": exact,
                              "accuracy_pct": round(100 * exact / n, 3) if n else None}
        if misses[(dim, value)] and dim != "producer":
            by_dim[dim][value]["first_misses"] = misses[(dim, value)]
    names = {v: k for k, v in ids.items()}
    return {
        "documents": len(ids),
        "cells": total[0],
        "exact": total[1],
        "accuracy_pct": round(100 * total[1] / total[0], 3) if total[0] else None,
        "error_failures_on_clean_documents": sum(len(n) for n in errors.values()),
        "documents_with_error_failures": len(errors),
        "first_error_failures": [f"{names.get(d, d)}: {', '.join(sorted(n)[:4])}" for d, n in list(errors.items())[:8]],
        "by_dimension": by_dim,
    }


def main(count: int, seed: int, parser_src: str | None = None) -> dict:
    folder, render_s = corpus(count, seed)
    with tempfile.TemporaryDirectory() as tmp:
        warehouse, ingest_s = ingest(folder, Path(tmp), parser_src)
        result = measure(folder, warehouse)
    return {"seed": seed, "render_seconds": round(render_s, 1), "ingest_seconds": round(ingest_s, 1), **result}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--parser-src", help="ingest with the package in this src/ folder (e.g. an export of main)")
    opts = ap.parse_args()
    print(json.dumps(main(opts.documents, opts.seed, opts.parser_src), indent=2, ensure_ascii=False))
