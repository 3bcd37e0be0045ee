"""Generated budgets through the CLI's ingest (issue 11): every truth cell lands exact, counted per
producer; every seeded error is flagged by the checks `budget_variants.FLAGGED_BY` names for its
kind, at error severity, about the seeded cell's table; the clean documents raise no error.

The corpus: tests/data/budgets (every template by every producer, clean, with the departments'
final accounts), tests/data/budgets-seeded (each office producer's seeded budgets, every error
kind once, the templates in turn; `make budgets`, CI has no LibreOffice) and the reportlab seeded
budgets, every kind of every template, rendered here (a second; the committed corpus stays small).
The truth files are the generator's, which imports nothing of the parser or the validator.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from disclosures.cli import main
from disclosures.generator.budget_variants import flagged_by, kinds_for
from disclosures.generator.corpus import PRODUCERS, render_specs, seeded_budget_specs

DATA = Path(__file__).parent / "data"
FOLDERS = (DATA / "budgets", DATA / "budgets-seeded")
TEMPLATES = {("shanghai", "部门"), ("shanghai", "单位"), ("jiangsu", "部门"), ("ministry", "部门")}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("budget-seeded")
    rendered = root / "reportlab"
    render_specs(seeded_budget_specs(("reportlab",)), rendered)
    folders = [*FOLDERS, rendered]
    mp = pytest.MonkeyPatch()
    mp.setenv("DAGSTER_HOME", str(root / "dh"))
    (root / "dh").mkdir()
    warehouse = root / "w.duckdb"
    assert main(["ingest", *map(str, folders), "--warehouse", str(warehouse), "--data", str(root / "data")]) == 0
    mp.undo()
    truths = [json.loads(p.read_text("utf-8")) for f in folders for p in sorted(f.glob("*.truth.json"))]
    con = duckdb.connect(str(warehouse), read_only=True)
    ids = dict(con.execute("SELECT file_name, document_id FROM documents").fetchall())
    landed: dict[str, dict] = defaultdict(dict)
    for d, t, r, c, a in con.execute("SELECT document_id, table_code, row_key, column_key, amount FROM fact_amounts").fetchall():
        landed[d][(t, r, c)] = Decimal(a).quantize(Decimal("0.01"))
    failures: dict[str, list[tuple]] = defaultdict(list)
    for row in con.execute("SELECT document_id, check_name, table_code, family FROM check_results "
                           "WHERE NOT passed AND severity = 'error'").fetchall():
        failures[row[0]].append(row[1:])
    con.close()
    return truths, ids, landed, failures


def test_the_corpus_covers_every_kind_template_and_producer(run):
    truths, ids, _, _ = run
    assert {t["file"] for t in truths} <= set(ids)  # every document loaded
    budgets = [t for t in truths if t["report_kind"] == "budget"]
    assert {(t["template"], t["budget_kind"], t["producer"]) for t in budgets if not t["seeded_errors"]} == \
           {(t, k, p) for t, k in TEMPLATES for p in PRODUCERS}
    seeded = [t for t in budgets if t["seeded_errors"]]
    assert {(t["template"], t["budget_kind"], t["producer"]) for t in seeded} == \
           {(t, k, p) for t, k in TEMPLATES for p in PRODUCERS}
    kinds = {(t["seeded_errors"][0]["kind"], t["template"], t["budget_kind"]) for t in seeded}
    assert kinds == {(e, t, k) for t, k in TEMPLATES for e in kinds_for(t)}
    by_producer = {(t["seeded_errors"][0]["kind"], t["producer"]) for t in seeded}
    assert by_producer == {(e, p) for e in kinds_for("jiangsu") for p in PRODUCERS}


def test_every_truth_cell_lands_exact_per_producer(run):
    truths, ids, landed, _ = run
    cells, exact, misses = Counter(), Counter(), []
    for truth in truths:
        got = landed[ids[truth["file"]]]
        for c in truth["cells"]:
            key = (c["table_code"], c["row_key"], c["column_key"])
            cells[truth["producer"]] += 1
            if got.get(key) == Decimal(c["amount"]):
                exact[truth["producer"]] += 1
            else:
                misses.append((truth["file"], *key, c["amount"], got.get(key)))
    assert set(cells) == set(PRODUCERS) and all(cells[p] > 1000 for p in PRODUCERS)
    assert exact == cells, misses[:10]


def test_every_seeded_error_is_flagged_by_its_checks(run):
    truths, ids, _, failures = run
    for truth in (t for t in truths if t["seeded_errors"]):
        error = truth["seeded_errors"][0]
        failed = {name: (table, family) for name, table, family in failures[ids[truth["file"]]]}
        for name in flagged_by(error, truth["template"]):
            assert name in failed, (truth["file"], error, name, sorted(failed))
            table, family = failed[name]
            # a cross-table check has no table_code (WAREHOUSE.md): its name starts with its left side's
            assert table == error["table_code"] or (table is None and family == "cross_table"
                                                    and name.startswith(f"cross_table.{error['table_code']}")), \
                (truth["file"], name, table)


def test_clean_documents_raise_no_error(run):
    truths, ids, _, failures = run
    clean = [t["file"] for t in truths if not t["seeded_errors"]]
    assert len(clean) == 16
    assert {name: failures[ids[name]] for name in clean if failures[ids[name]]} == {}
