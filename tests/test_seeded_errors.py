"""Generated documents with one seeded error each go through the whole pipeline:
each is flagged by an identity of the right kind, the clean ones by none, and
the printed (wrong) figures land as printed."""

from __future__ import annotations

import json
from decimal import Decimal

import duckdb
import pytest

from disclosures.cli import main
from disclosures.generator.corpus import generate_corpus
from disclosures.generator.variants import KINDS


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("seeded")
    pdfs = generate_corpus(root / "pdfs", ("reportlab",), count=len(KINDS) + 2, seed=11, errors=len(KINDS) / (len(KINDS) + 2))
    mp = pytest.MonkeyPatch()
    mp.setenv("DAGSTER_HOME", str(root / "dh"))
    (root / "dh").mkdir()
    warehouse = root / "w.duckdb"
    assert main(["ingest", str(root / "pdfs"), "--warehouse", str(warehouse), "--data", str(root / "data")]) == 0
    mp.undo()
    con = duckdb.connect(str(warehouse), read_only=True)
    truths = {p.name: json.loads(p.with_suffix(".truth.json").read_text(encoding="utf-8")) for p in pdfs}
    yield con, truths
    con.close()


def failing_errors(con, file_name):
    return {
        r[0]
        for r in con.execute(
            "SELECT check_name FROM check_results JOIN documents USING (document_id) WHERE file_name = ? AND NOT passed AND severity = 'error'",
            [file_name],
        ).fetchall()
    }


# The identity each kind must trip, given the first seeded record (the cell a check should flag).
EXPECTED = {
    "row_sum": lambda e, names: f"{e['table_code']}.row_sum[{e['row_key']}]" in names,
    "hierarchy": lambda e, names: any(
        n.startswith(f"{e['table_code']}.") and ("类=Σ款" in n or "款=Σ项" in n) and e["row_key"] in n for n in names
    ),
    "cross_table": lambda e, names: any(n.startswith(f"cross_table.{e['table_code']}") for n in names),
    "narrative": lambda e, names: any(n.startswith(f"narrative.amount[{e['table_code']}/{e['row_key']}/") for n in names),
    # A 元 table in a 万元 document: its totals no longer agree with the other tables.
    "unit": lambda e, names: any(n.startswith(f"cross_table.{e['table_code']}") for n in names),
    "missing_table": lambda e, names: f"table_present.{e['table_code']}" in names,
}


def test_each_seeded_error_is_flagged_by_its_kind(run):
    con, truths = run
    seen = set()
    for name, truth in truths.items():
        if not truth["seeded_errors"]:
            continue
        error = truth["seeded_errors"][0]
        names = failing_errors(con, name)
        assert EXPECTED[error["kind"]](error, names), (name, error, names)
        seen.add(error["kind"])
    assert seen == set(KINDS)


def test_clean_documents_raise_no_error(run):
    con, truths = run
    clean = [n for n, t in truths.items() if not t["seeded_errors"]]
    assert clean
    for name in clean:
        assert failing_errors(con, name) == set(), name


def test_wrong_figures_land_as_printed(run):
    con, truths = run
    for name, truth in truths.items():
        rows = con.execute(
            "SELECT table_code, row_key, column_key, amount FROM fact_amounts JOIN documents USING (document_id) WHERE file_name = ?",
            [name],
        ).fetchall()
        landed = {(t, r, c): Decimal(a) for t, r, c, a in rows}
        assert landed == {(c["table_code"], c["row_key"], c["column_key"]): Decimal(c["amount"]) for c in truth["cells"]}, name

