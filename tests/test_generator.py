"""The disclosure generator: ledgers obey TABLES.md, the reference ledger is the
published document, and rendered PDFs print what their truth files say.

No LibreOffice here (CI has none): the office producers are checked up to
their source files (.fodt XML, .xlsx workbook).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from disclosures.generator import catalogue as cat
from disclosures.generator import narrative
from disclosures.generator.corpus import Spec, document_for, render_specs, sample_specs
from disclosures.generator.departments import PROFILES
from disclosures.generator.document import GLOSSARY, TITLES, Style, build_document
from disclosures.generator.identities import check, check_narrative
from disclosures.generator.ledger import random_ledger, reference_ledger
from disclosures.generator.money import cents
from disclosures.generator.truth import normalise_label, truth
from disclosures.generator.variants import KINDS, seeded_document
from reference_text import REFERENCE, expected_figures


@pytest.fixture(scope="module")
def ref_text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ref():
    return reference_ledger()


def _section(text: str, title: str, end: str = "注：") -> list[list[str]]:
    """Tab-split lines of the table titled `title` (the body, not the contents page)."""
    lines = text.splitlines()
    start = max(i for i, line in enumerate(lines) if line.strip() == title)
    out = []
    for line in lines[start + 1:]:
        if line.startswith(end):
            break
        if line.strip():
            out.append(line.split("\t"))
    return out


def _amount(cell: str) -> int:
    cell = cell.strip()
    return cents(cell) if cell else 0


# ---------------------------------------------------------------- identities


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 17, 42, 99, 123])
def test_random_ledgers_satisfy_every_identity_exactly(seed):
    led = random_ledger(seed)
    assert check(led) == []
    assert check_narrative(narrative.build(led), led) == []
    assert led.get("公开01", "总计", "收入") > 0


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_every_profile_and_chained_years(profile):
    before = random_ledger(5, profile, year=2023)
    after = random_ledger(5, profile, year=2024, prior=before)
    assert check(before) == [] and check(after) == []
    # the years chain: this year's carry-in is last year's carry-out
    assert after.get("公开01", "年初结转和结余", "收入") == before.get("公开01", "年末结转和结余", "支出")
    assert (after.get("公开04", "年初财政拨款结转和结余", "收入")
            == before.get("公开04", "年末财政拨款结转和结余", "合计"))
    assert after.facts.prior["收入总计"] == before.get("公开01", "总计", "收入")


def test_reference_ledger_identities_hold_within_rounding(ref):
    assert check(ref, tolerant=True) == []
    # the published document's own 尾数误差, kept as printed
    exact = check(ref)
    assert any(line.startswith("公开06 301=sum") for line in exact)
    assert all("21011" in line or "301=sum" in line for line in exact)


# ---------------------------------------------------------------- reference figures


@pytest.mark.parametrize("code", ["公开02", "公开03", "公开05"])
def test_reference_function_tables_match_the_text(ref_text, ref, code):
    title = {"公开02": "收入决算表", "公开03": "支出決算表", "公开05": TITLES["公开05"]}[code]
    rows = _section(ref_text, title)
    header = max((r for r in rows if r[0] in ("项目", "科目代码")), key=lambda r: len([c for c in r[2:] if c]))
    columns = [normalise_label(c) for c in header[2:]]
    seen = []
    for cells in rows:
        key = cells[0].strip()
        if key == "合计" or re.fullmatch(r"\d{3,7}", key):
            if key != "合计":
                seen.append(key)
                assert ref.name(key) == cells[1].strip()
            for col, text in zip(columns, cells[2:]):
                assert ref.get(code, key, col) == _amount(text), (code, key, col)
    assert seen == ref.rows[code]


def test_reference_summary_tables_match_the_text(ref_text, ref):
    n = 0
    for cells in _section(ref_text, "收入支出决算总表"):
        if len(cells) >= 6 and cells[1].strip().isdigit():
            for label, text, col in ((cells[0], cells[2], "收入"), (cells[3], cells[5], "支出")):
                if label.strip():
                    assert ref.get("公开01", normalise_label(label), col) == _amount(text), label
                    n += 1
    assert n == 12 + 30  # every labelled line: 12 income, 26 categories + 4 expenditure lines

    prefix = ""
    funds = ["合计", *cat.FUNDS]
    for cells in _section(ref_text, "财政拨款收入支出决算总表"):
        if len(cells) < 5 or not cells[1].strip().isdigit():
            continue
        label = normalise_label(cells[0])
        if label == "年初财政拨款结转和结余":
            prefix = label + "/"
        elif label == "总计":
            prefix = ""
        if label:
            key = prefix + label if label in cat.FUNDS else label
            assert ref.get("公开04", key, "收入") == _amount(cells[2]), key
        right = normalise_label(cells[3])
        if right:
            for col, text in zip(funds, cells[5:9]):
                assert ref.get("公开04", right, col) == _amount(text), (right, col)


def test_reference_economic_table_matches_the_text(ref_text, ref):
    codes = []
    for cells in _section(ref_text, TITLES["公开06"]):
        if "人员经费合计" in cells:
            numbers = [c for c in cells if re.fullmatch(r"[\d.]+", c.strip())]
            assert ref.get("公开06", "人员经费合计", "决算数") == cents(numbers[0])
            assert ref.get("公开06", "公用经费合计", "决算数") == cents(numbers[-1])
            continue
        for i in range(0, len(cells) - 1, 3):
            code = cells[i].strip()
            if not re.fullmatch(r"\d{3,5}", code):
                continue
            codes.append(code)
            value = cells[i + 2].strip() if i + 2 < len(cells) else ""
            if value.startswith("—"):
                assert code in cat.ECON_NOT_APPLICABLE
                continue
            assert cat.ECON_NAME[code] == cells[i + 1].strip()
            assert ref.get("公开06", code, "决算数") == _amount(value), code
    assert sorted(codes) == sorted(cat.ECON_CODES)


def test_reference_statistics_and_empty_tables_match_the_text(ref_text, ref):
    group = ""
    for cells in _section(ref_text, TITLES["公开10"]):
        label = normalise_label(cells[0])
        if label.startswith(("政府采购情况", "机关运行经费", "国有资产占用情况")):
            group = {"政": "政府采购/", "机": "机关运行经费/", "国": ""}[label[0]]
            continue
        if len(cells) >= 3 and cells[1].strip().isdigit():
            key = group + label.replace("（辆）", "")
            assert ref.get("公开10", key, "统计数") == _amount(cells[2]), key
    for code in ("公开08", "公开09"):
        block = ref_text[ref_text.rindex(TITLES[code]):]
        assert "本表无数据" in block[:2000]
        assert ref.is_empty(code)
    assert ref_text.count(TITLES["公开07"]) == 1  # only in the contents: the table was left out
    assert ref.absent == {"公开07"}


def test_reference_narrative_and_glossary_are_the_published_text(ref_text, ref):
    squash = lambda s: re.sub(r"\s+", "", s)
    start, end = ref_text.rindex("第三部分 情况说明"), ref_text.rindex("第四部分 名词解释")
    published = squash(ref_text[start + len("第三部分 情况说明"):end])
    ours = "".join(s.heading + "".join(p.text for p in s.paragraphs) for s in narrative.build(ref))
    assert squash(ours) == published
    glossary = squash(ref_text[end + len("第四部分 名词解释"):ref_text.rindex("第五部分 附件")])
    ours = "".join(f"{cat.CHINESE_NUMERALS[i]}、{g}" for i, g in enumerate(GLOSSARY)) + "上述名词解释已涵盖本部门决算科目支出。"
    assert squash(ours) == glossary


def test_reference_narrative_figures_name_their_cells(ref):
    figs = [f for s in narrative.build(ref) for p in s.paragraphs for f in p.figures]
    by_label = {f.label: f for f in figs}
    assert by_label["收入总计"].text == "2,201.39"
    assert by_label["收入总计"].ref == ("公开01", "总计", "收入")
    assert by_label["基本支出占比"].text == "49.64"
    assert by_label["科学技术支出(类)占比"].text == "73.23"


# ---------------------------------------------------------------- truth


def test_truth_cells_use_canonical_keys_and_yuan(ref):
    cells = truth(build_document(ref, Style()))
    index = {(c["table_code"], c["row_key"], c["column_key"]): c for c in cells}
    assert index[("公开01", "一般公共预算财政拨款收入", "收入")]["amount"] == "21956600.00"
    assert index[("公开02", "2060101", "财政拨款收入")]["amount"] == "2413100.00"
    assert index[("公开02", "合计", "本年收入合计")]["printed"] == "2195.66"
    assert index[("公开06", "人员经费合计", "决算数")]["amount"] == "9675600.00"
    assert index[("公开10", "政府采购/合计", "统计数")]["amount"] == "1500600.00"
    assert index[("公开05", "2060199", "项目支出")]["row_label"] == "其他科学技术管理事务支出"
    assert all(c["unit"] == "元" for c in cells)
    assert not any(c["table_code"] in ("公开07", "公开08", "公开09") for c in cells)
    # one entry per non-blank figure, none for blanks or ————
    assert sum(c["table_code"] == "公开06" for c in cells) == len(ref.table_cells("公开06")) == 30


def test_truth_counts_and_fiscal_carry_keys():
    for seed in range(40):
        led = random_ledger(seed)
        if led.get("公开04", "年初财政拨款结转和结余/一般公共预算财政拨款", "收入") and led.get("公开10", "车辆数合计", "统计数"):
            break
    cells = {(c["table_code"], c["row_key"], c["column_key"]): c for c in truth(led)}
    assert ("公开04", "年初财政拨款结转和结余/一般公共预算财政拨款", "收入") in cells
    fleet = cells[("公开10", "车辆数合计", "统计数")]
    assert fleet["unit"] == "辆" and fleet["amount"] == str(led.get("公开10", "车辆数合计", "统计数"))


def test_label_normalisation():
    assert normalise_label("（一）行政单位") == "行政单位"
    assert normalise_label("二十六、抗疫特别国债安排的支出") == "抗疫特别国债安排的支出"
    assert normalise_label("1. 副部(省)级及以上领导用车") == "副部（省）级及以上领导用车"
    assert normalise_label(" 使用非财政拨款结余 (含专用结余)") == "使用非财政拨款结余（含专用结余）"


@pytest.mark.parametrize("kind", KINDS)
def test_seeded_errors_are_printed_and_recorded(kind):
    led = random_ledger(11, "jiaoyuju")
    doc = seeded_document(led, kind, Style(), seed=3)
    first = doc.seeded_errors[0]
    assert first["kind"] == kind
    cells = {(c["table_code"], c["row_key"], c["column_key"]): c for c in truth(doc)}
    if kind in ("row_sum", "hierarchy", "cross_table"):
        cell = cells[(first["table_code"], first["row_key"], first["column_key"])]
        assert cell["printed"] == first["printed"] != first["correct"]
    elif kind == "unit":
        cell = cells[(first["table_code"], "合计", first["column_key"])]
        assert cell["printed"] == first["printed"]
        assert cell["amount"] == f"{cents(first['printed']) * 100:.2f}"  # printed 元 read as 万元
    elif kind == "missing_table":
        assert first["table_code"] not in {t.code for t in doc.tables}
    elif kind == "narrative":
        printed = [f.text for s in doc.sections for p in s.paragraphs for f in p.figures]
        assert first["printed"] in printed
        assert check_narrative(doc.sections, led)
    if kind in ("row_sum", "hierarchy", "cross_table"):
        from disclosures.generator.ledger import Ledger

        printed = Ledger(led.department, led.region, led.year, led.slug, rows=led.rows)
        printed.cells = {(c["table_code"], c["row_key"], c["column_key"]): cents(c["printed"]) for c in cells.values()
                         if c["unit"] == "元"}
        failures = check(printed)
        assert failures and all(f.startswith("公开0") for f in failures)
        if kind == "row_sum":
            assert any("本年支出合计=sum" in f for f in failures)
        elif kind == "hierarchy":
            assert all("children" in f or "sum of 类" in f for f in failures)
        else:  # cross_table: 公开05 stays consistent in itself and disagrees with 公开04
            assert not any("children" in f or "=sum" in f for f in failures)
            assert any("公开04" in f for f in failures)
        # the narrative restates what the tables print: only the seeded cell disagrees
        figs = [f for s in doc.sections for p in s.paragraphs for f in p.figures if f.ref and f.unit == "万元"]
        assert all(f.value == printed.get(*f.ref) for f in figs if f.ref in printed.cells)


# ---------------------------------------------------------------- rendering


def test_reportlab_render_prints_titles_and_figures(tmp_path):
    import pypdfium2 as pdfium

    from disclosures.generator.verify import verify_pdf

    specs = [Spec("ref", "reportlab", reference=True), Spec("rnd", "reportlab", profile="weijianwei", seed=8),
             Spec("err", "reportlab", profile="caizhengju", seed=9, error="unit")]
    paths = render_specs(specs, tmp_path)
    for path in paths:
        meta = json.loads(path.with_suffix(".truth.json").read_text("utf-8"))
        pdf = pdfium.PdfDocument(str(path))
        text = [re.sub(r"\s+", "", pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
        pdf.close()
        assert meta["page_count"] == len(text)
        assert meta["department"] in text[0]
        for info in meta["tables"].values():
            if info["status"] == "absent":
                continue
            page = "".join(text[p - 1] for p in info["pages"])
            assert info["title"] in page and info["label"] in page
        report = verify_pdf(path, meta, camelot_check=path.stem == "ref")
        assert report["missing_text"] == [] and report["missing_camelot"] == [], report
    ref_meta = json.loads(paths[0].with_suffix(".truth.json").read_text("utf-8"))
    assert ref_meta["tables_absent"] == ["公开07"] and ref_meta["tables_empty"] == ["公开08", "公开09"]
    assert ref_meta["tables"]["公开03"]["title"] == "支出決算表"
    assert "2,201.39" in [n["printed"] for n in ref_meta["narrative"]]


def test_office_sources_are_well_formed(tmp_path):
    from openpyxl import load_workbook

    from disclosures.generator import render_calc, render_writer

    doc = document_for(Spec("x", "libreoffice-writer", profile="jiaotongju", seed=4))
    render_writer.write_source(doc, tmp_path / "x.fodt")
    root = ET.parse(tmp_path / "x.fodt").getroot()
    ns = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0"}
    tables = root.findall(".//table:table", ns)
    assert len(tables) == len(doc.tables) + 1  # plus the appendix
    render_calc.write_source(doc, tmp_path / "x.xlsx")
    wb = load_workbook(tmp_path / "x.xlsx")
    assert [c for c in wb.sheetnames if c.startswith("公开")] == [t.code for t in doc.tables]
    assert wb["公开06"].page_setup.orientation == "landscape"


def test_sample_plan_pairs_years():
    specs = sample_specs()
    names = [s.name for s in specs]
    assert "jincheng-kejiju-2024-libreoffice-writer" in names and "jincheng-kejiju-2024-reportlab" in names
    for slug in ("caizhengju", "jiaoyuju", "weijianwei", "jiaotongju"):
        years = {s.year for s in specs if s.profile == slug}
        assert years == {2023, 2024}
    assert all(n.isascii() for n in names)


def test_reference_truth_equals_the_independent_reading(ref):
    """The truth file of the reference document = tests/reference_text.py's reading of the text."""
    from decimal import Decimal

    cells = truth(build_document(ref, Style()))
    ours = {(c["table_code"], c["row_key"], c["column_key"]): Decimal(c["amount"]) for c in cells}
    assert ours == expected_figures()
