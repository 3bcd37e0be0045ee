"""The budget generator (issue 11): budget ledgers obey BUDGETS.md, seeded errors break
exactly their identity family, each template prints through each producer what its
truth file says, and a budget pairs with the same department-year's final account.

No LibreOffice here (CI has none): the office producers are held to the committed
corpus tests/data/budgets (`make budgets`), whose truth must equal a fresh build.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from disclosures.generator.budget_document import BudgetStyle, build_budget_document
from disclosures.generator.budget_identities import check, check_narrative
from disclosures.generator.budget_ledger import TEMPLATE_TABLES, BudgetLedger, budget_ledger
from disclosures.generator.budget_variants import FLAGGED_BY, flagged_by, kinds_for, seeded_budget_document
from disclosures.generator.corpus import (
    PRODUCERS,
    budget_variant_specs,
    document_for,
    seeded_budget_specs,
    generate_budget_corpus,
    plan_budget_corpus,
)
from disclosures.generator.departments import PROFILES
from disclosures.generator.ledger import random_ledger
from disclosures.generator.truth import truth, truth_document
from disclosures.generator.verify import verify_pdf

BUDGETS = Path(__file__).parent / "data" / "budgets"
SEEDED = Path(__file__).parent / "data" / "budgets-seeded"
TEMPLATES = [("shanghai", "部门"), ("shanghai", "单位"), ("jiangsu", "部门"), ("ministry", "部门")]
# BUDGETS.md's titles, as a reader must find them (Shanghai's after the year and 部门/预算单位)
TITLES = {
    "shanghai": {"预算01": "财务收支预算总表", "预算02": "收入预算总表", "预算03": "支出预算总表", "预算04": "财政拨款收支预算总表",
                 "预算05": "一般公共预算支出功能分类预算表", "预算06": "一般公共预算基本支出部门预算经济分类预算表",
                 "预算07": "政府性基金预算支出功能分类预算表", "预算08": "国有资本经营预算支出功能分类预算表",
                 "预算09": "“三公”经费和机关运行经费预算表"},
    "jiangsu": {"预算01": "收支预算总表", "预算02": "收入预算总表", "预算03": "支出预算总表", "预算04": "财政拨款收支预算总表",
                "预算05": "一般公共预算支出预算表", "预算06": "一般公共预算基本支出预算表", "预算07": "政府性基金",
                "预算09": "“三公”经费、会议费、培训费支出预算表", "预算10": "财政拨款支出预算表（功能科目）",
                "预算11": "财政拨款基本支出预算表（经济科目）", "预算12": "一般公共预算机关运行经费支出预算表",
                "预算13": "政府采购支出预算表"},
    "ministry": {"预算01": "部门收支总表", "预算02": "部门收入总表", "预算03": "部门支出总表", "预算04": "财政拨款收支总表",
                 "预算05": "一般公共预算支出表", "预算06": "一般公共预算基本支出表", "预算07": "政府性基金预算支出表",
                 "预算08": "国有资本经营预算支出表", "预算09": "一般公共预算“三公”经费支出表"},
}


def _printed_ledger(bl: BudgetLedger, doc_truth: dict) -> BudgetLedger:
    """A ledger of what the truth file says is printed (元 -> 分), with the original's rows."""
    printed = bl.copy()
    printed.cells = {(c["table_code"], c["row_key"], c["column_key"]): int(Decimal(c["amount"]) * 100)
                     for c in doc_truth["cells"]}
    return printed


# ---------------------------------------------------------------- ledgers


@pytest.mark.parametrize("template,kind", TEMPLATES)
def test_budget_ledgers_satisfy_every_identity_exactly(template, kind):
    for profile in sorted(PROFILES):
        for seed in (0, 1, 7):
            bl = budget_ledger(seed, profile, "晋城市", 2024, template, kind, fen=seed != 1)
            assert check(bl) == [], (profile, seed)
            assert bl.get("预算01", "收入总计", "收入") > 0
            assert not [k for k, v in bl.cells.items() if v < 0]
            assert {t for t, _, _ in bl.cells} <= set(TEMPLATE_TABLES[template])
            if template != "shanghai":  # printed in 万元: every figure a whole 0.01 万元
                assert all(v % 10_000 == 0 for v in bl.cells.values())
            elif seed == 1:
                assert all(v % 100 == 0 for v in bl.cells.values())


def test_budget_and_final_account_are_the_same_department_year():
    bl = budget_ledger(4, "weijianwei", "长治市", 2023, "jiangsu")
    act = random_ledger(4, "weijianwei", "长治市", 2023)
    assert bl.department == act.department == "长治市卫生健康委员会" and bl.year == act.year == 2023
    assert bl.actual.cells == act.cells
    execution = {e["measure"]: e for e in truth_document(build_budget_document(bl))["execution"]}
    spent = Decimal(act.get("公开01", "本年支出合计", "支出")) * 100  # 0.01 万元 -> 元
    assert Decimal(execution["total"]["actual"]) == spent
    assert Decimal("0.85") < Decimal(execution["total"]["budget"]) / spent < Decimal("1.15")
    assert Decimal(execution["sangong"]["budget"]) == Decimal(act.get("公开09", "预算数", "合计")) * 100
    classes = {m[6:] for m in execution if m.startswith("class:")}
    assert classes == {r for r in act.rows["公开03"] if len(r) == 3}
    for e in execution.values():  # each budget figure is the printed cell it names
        assert Decimal(e["budget"]) == Decimal(bl.get(*e["budget_cell"])) / 100


# ---------------------------------------------------------------- documents and truth


@pytest.mark.parametrize("template,kind", TEMPLATES)
def test_truth_cells_are_the_ledger_and_the_narrative_restates_them(template, kind):
    bl = budget_ledger(2, "jiaoyuju", "晋城市", 2024, template, kind)
    doc = build_budget_document(bl, BudgetStyle.for_template(template, kind, 2))
    payload = truth_document(doc)
    assert payload["report_kind"] == "budget" and payload["template"] == template
    assert list(payload["tables"]) == TEMPLATE_TABLES[template]
    assert not any(c["table_code"].startswith("公开") for c in payload["cells"])
    printed = _printed_ledger(bl, payload)
    nonzero = {k: v for k, v in printed.cells.items() if v}
    assert nonzero == bl.cells  # every figure printed once, in 元, as the ledger holds it
    assert check(printed) == [] and check_narrative(doc) == []
    claims = payload["narrative"]
    assert any(not n["checkable"] and "比上年预算" in n["label"] for n in claims)  # last year's budget
    if template == "shanghai":  # 万元 narrative against 元 tables, after rounding
        assert any(n["compare"] == "rounded_wan" for n in claims if n["checkable"])
        assert payload["tables"]["预算09"]["printed_unit"] == "万元"


@pytest.mark.parametrize("template,kind", TEMPLATES)
def test_seeded_errors_break_exactly_their_family(template, kind):
    bl = budget_ledger(3, "caizhengju", "晋城市", 2024, template, kind)
    style = BudgetStyle.for_template(template, kind, 3)
    for error in kinds_for(template):
        doc = seeded_budget_document(bl, error, style, seed=5)
        first = doc.seeded_errors[0]
        assert first["kind"] == error
        payload = truth_document(doc)
        printed = _printed_ledger(bl, payload)
        failures, narrative = check(printed), check_narrative(doc)
        if error == "missing_table":
            assert first["table_code"] in payload["tables_absent"]
            continue
        if error == "narrative":
            assert failures == [] and len(narrative) == 1 and first["label"] in narrative[0]
            continue
        assert narrative == [], error  # the narrative restates the printed (wrong) figures
        assert failures and {f.split()[0] for f in failures} == {first["family"]}, (error, failures)
        cell = next(c for c in payload["cells"] if (c["table_code"], c["row_key"], c["column_key"])
                    == (first["table_code"], first["row_key"], first["column_key"]))
        assert cell["printed"] == first["printed"] != first["correct"]


def test_every_kind_of_every_template_names_the_checks_that_flag_it():
    assert set(FLAGGED_BY) == set(kinds_for("jiangsu"))
    for template, kind in TEMPLATES:
        bl = budget_ledger(3, "caizhengju", "晋城市", 2024, template, kind)
        for error in kinds_for(template):
            first = seeded_budget_document(bl, error, seed=5).seeded_errors[0]
            names = flagged_by(first, template)
            # each names the seeded table, and no field is left unformatted
            assert names and all(first["table_code"] in n and "{" not in n for n in names), (template, error, names)


def test_budget_corpus_pairs_budgets_with_final_accounts(tmp_path):
    specs = plan_budget_corpus(count=8, seed=3, errors=0.5)
    budgets = [s for s in specs if s.kind == "budget"]
    assert {s.template for s in budgets} == {"shanghai", "jiangsu", "ministry"}
    assert {s.budget_kind for s in budgets if s.template == "shanghai"} == {"部门", "单位"}
    assert sum(bool(s.error) for s in budgets) == 4
    paths = generate_budget_corpus(tmp_path, "jiangsu,shanghai", "reportlab", count=2, seed=1, errors=0.5)
    truths = [json.loads(p.with_suffix(".truth.json").read_text("utf-8")) for p in paths]
    kinds = [(t["report_kind"], t["department"], t["fiscal_year"]) for t in truths]
    assert kinds[0][1:] == kinds[1][1:] and [k[0] for k in kinds[:2]] == ["budget", "final"]
    final = {(c["table_code"], c["row_key"], c["column_key"]): c["amount"] for c in truths[1]["cells"]}
    for e in truths[0]["execution"]:  # the actual figures are what the paired final account prints
        assert Decimal(final.get(tuple(e["actual_cell"]), "0")) == Decimal(e["actual"]), e
    assert truths[0]["seeded_errors"][0]["family"] == "total" and not truths[2]["seeded_errors"]


# ---------------------------------------------------------------- rendering


def _page_texts(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [re.sub(r"\s+", "", pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    finally:
        pdf.close()


def _holds_its_truth(path: Path, camelot_check: bool) -> dict:
    meta = json.loads(path.with_suffix(".truth.json").read_text("utf-8"))
    text = _page_texts(path)
    assert meta["page_count"] == len(text)
    assert meta["department"] in text[0]
    for code, info in meta["tables"].items():
        if info["status"] == "absent":
            continue
        page = "".join(text[p - 1] for p in info["pages"])
        assert info["pages"] and TITLES[meta["template"]][code] in page, (path.name, code)
        assert info["title"] in page and info["label"] in page
    report = verify_pdf(path, meta, camelot_check=camelot_check)
    assert report["missing_text"] == [] and report["wrong_page"] == [], report
    if camelot_check and meta["style"]["rules"] == "grid":
        assert report["missing_camelot"] == [], report
    return meta


@pytest.mark.parametrize("path", sorted(BUDGETS.glob("budget-*.pdf")), ids=lambda p: p.stem)
def test_committed_budgets_print_their_truth(path):
    meta = _holds_its_truth(path, camelot_check=path.stem.endswith("reportlab"))
    spec = next(s for s in budget_variant_specs() if s.name == path.stem)
    fresh = truth(document_for(spec))  # the committed corpus is the generator's current output
    assert [{k: c[k] for k in ("table_code", "row_key", "column_key", "amount", "printed")} for c in meta["cells"]] == \
           [{k: c[k] for k in ("table_code", "row_key", "column_key", "amount", "printed")} for c in fresh]


@pytest.mark.parametrize("path", sorted(SEEDED.glob("*.pdf")), ids=lambda p: p.stem)
def test_committed_seeded_budgets_print_their_truth(path):
    meta = _holds_its_truth(path, camelot_check=False)
    spec = next(s for s in seeded_budget_specs() if s.name == path.stem)
    fresh = truth_document(document_for(spec))
    assert meta["seeded_errors"] == fresh["seeded_errors"] and meta["seeded_errors"]
    assert [{k: c[k] for k in ("table_code", "row_key", "column_key", "amount", "printed")} for c in meta["cells"]] == \
           [{k: c[k] for k in ("table_code", "row_key", "column_key", "amount", "printed")} for c in fresh["cells"]]


def test_committed_seeded_budgets_are_the_office_producers_share():
    assert sorted(p.stem for p in SEEDED.glob("*.pdf")) == \
           sorted(s.name for s in seeded_budget_specs(("libreoffice-writer", "libreoffice-calc")))


def test_committed_budgets_cover_every_template_and_producer():
    seen = {(json.loads(p.read_text("utf-8"))["template"], json.loads(p.read_text("utf-8"))["budget_kind"],
             json.loads(p.read_text("utf-8"))["producer"]) for p in BUDGETS.glob("budget-*.truth.json")}
    assert seen == {(t, k, p) for t, k in TEMPLATES for p in PRODUCERS}
    finals = {json.loads(p.read_text("utf-8"))["department"] for p in BUDGETS.glob("final-*.truth.json")}
    budgets = {json.loads(p.read_text("utf-8"))["department"] for p in BUDGETS.glob("budget-*.truth.json")}
    assert finals == budgets


def test_seeded_budgets_render(tmp_path):
    specs = [s for s in plan_budget_corpus(count=6, seed=9, errors=1.0, finals=False)]
    from disclosures.generator.corpus import render_specs

    for path in render_specs(specs, tmp_path):
        meta = _holds_its_truth(path, camelot_check=False)
        assert meta["seeded_errors"]
