"""`ingest` accounting for every file, `report` over regions and years, `export` for Excel: through the CLI.

The warehouse holds two regions and two years: four of the bundled samples
(晋城市 2023, 2024) and four documents of 阳泉市 rendered at test time by the
generator (2023, and 2024 with one seeded error), plus a cut-short download
that does not load. Figures are checked against the generator's truth files.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import SAMPLES, rows
from disclosures.cli import main
from disclosures.generator.corpus import generate_corpus

JINCHENG = ["jincheng-caizhengju-2023-reportlab.pdf", "jincheng-caizhengju-2024-libreoffice-writer.pdf",
            "jincheng-jiaoyuju-2023-libreoffice-calc.pdf", "jincheng-jiaoyuju-2024-reportlab.pdf"]


def _expenditure_wan(truth: Path) -> float:
    """本年支出合计 of 公开01 in 万元, from the generator's own record of what it printed."""
    cells = json.loads(truth.read_text(encoding="utf-8"))["cells"]
    (amount,) = [c["amount"] for c in cells if c["table_code"] == "公开01" and c["row_key"] == "本年支出合计"]
    return round(float(amount) / 10000, 2)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("regions")
    pdfs = root / "pdfs"
    pdfs.mkdir()
    for name in JINCHENG:
        shutil.copy(SAMPLES / name, pdfs / name)
    yangquan = generate_corpus(pdfs, "reportlab", 2, seed=7, year=2023, region="阳泉市")
    yangquan += generate_corpus(pdfs, "reportlab", 2, seed=7, year=2024, region="阳泉市", errors=0.5)
    cut = pdfs / "cut-short-download.pdf"
    data = yangquan[0].read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    missing = root / "no-such-folder"
    mp = pytest.MonkeyPatch()
    mp.setenv("DAGSTER_HOME", str(root / "home"))
    warehouse = root / "w.duckdb"
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):  # capsys is per test
        code = main(["ingest", str(pdfs), str(missing), "--warehouse", str(warehouse), "--data", str(root / "data")])
    yield {"root": root, "pdfs": pdfs, "warehouse": warehouse, "code": code, "output": out.getvalue(),
           "missing": missing, "yangquan": yangquan, "cut": cut, "env": mp}
    mp.undo()


def test_a_missing_path_is_a_usage_error_and_the_rest_is_ingested(built):
    assert built["code"] == 2
    out = built["output"]
    assert f"no such file or directory: {built['missing']}" in out
    given = sorted(p.name for p in built["pdfs"].glob("*.pdf"))
    assert sorted(n for (n,) in rows(built["warehouse"], "SELECT file_name FROM documents")) == given
    assert f"files: {len(given) + 1} given: {len(given)} parsed, 0 already published, 0 duplicates, 1 not found" in out
    assert rows(built["warehouse"], "SELECT status, reason LIKE '%truncated%' FROM documents WHERE file_name = ?",
                built["cut"].name) == [("rejected", True)]


def test_every_file_is_accounted_for_by_name(built, tmp_path, capsys):
    """A second ingest of the same files and a renamed copy: each named as skipped or as a duplicate."""
    again = tmp_path / "again"
    again.mkdir()
    names = ["jincheng-caizhengju-2023-reportlab.pdf", built["yangquan"][0].name]
    for name in names:
        shutil.copy(built["pdfs"] / name, again / name)
    shutil.copy(built["pdfs"] / names[0], again / "zz-renamed-copy.pdf")
    code = main(["ingest", str(again), "--warehouse", str(built["warehouse"]), "--data", str(built["root"] / "data")])
    assert code == 0
    out = capsys.readouterr().out
    assert "files: 3 given: 0 parsed, 2 already published, 1 duplicates, 0 not found" in out
    skipped = out[out.index("skipped, already published"):out.index("duplicates (parsed once)")]
    assert all(name in skipped for name in names)
    assert f"zz-renamed-copy.pdf: the same bytes as {names[0]}" in out


def _report(built, tmp_path, *args) -> tuple[int, str]:
    out = tmp_path / "r.html"
    code = main(["report", "--warehouse", str(built["warehouse"]), "--out", str(out), *args])
    return code, out.read_text(encoding="utf-8") if out.exists() else ""


def test_report_over_two_regions_and_two_years(built, tmp_path):
    code, page = _report(built, tmp_path, "--region", "晋城市", "--region", "阳泉市", "--year", "2023", "--year", "2024")
    assert code == 0
    for word in ("nan", "NaN", "True", "False", "None"):
        assert not re.search(rf"\b{word}\b", page), word
    tables = pd.read_html(io.StringIO(page))
    by_year = [t for t in tables if "2023 支出合计 万元" in t.columns]
    assert len(by_year) == 2  # one per region, the years side by side
    compared = pd.concat(by_year).set_index("部门")
    # Every department of both years, with the figure its truth file says it printed.
    truths = [p.with_suffix(".truth.json") for p in built["yangquan"]] + [
        (SAMPLES / n).with_suffix(".truth.json") for n in JINCHENG]
    for truth in truths:
        meta = json.loads(truth.read_text(encoding="utf-8"))
        shown = compared.loc[meta["department"], f"{meta['fiscal_year']} 支出合计 万元"]
        assert float(str(shown).replace(",", "")) == _expenditure_wan(truth), truth.name
    # The document with a seeded error is flagged, in words, and its failures are listed.
    (flagged_pdf,) = [p for p in built["yangquan"] if "-err-" in p.name]
    flagged_dept = json.loads(flagged_pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))["department"]
    assert compared.loc[flagged_dept, "校验"] == "flagged (2024)"
    assert set(compared.drop(index=flagged_dept)["校验"]) == {"passed"}
    failures = next(t for t in tables if "校验" in t.columns and "说明" in t.columns)
    assert set(failures["文件"]) == {flagged_pdf.name}
    # The file that did not load is listed with its reason.
    not_loaded = next(t for t in tables if "原因" in t.columns)
    assert list(not_loaded["文件"]) == [built["cut"].name]
    assert "truncated" in not_loaded["原因"][0]
    assert list(not_loaded["地区"]) == ["—"]


def test_report_scope_by_region_and_year(built, tmp_path):
    code, page = _report(built, tmp_path, "--region", "阳泉市", "--year", "2024")
    assert code == 0
    assert "阳泉市" in page and "晋城市财政局" not in page
    assert "2023 支出合计" not in page and "2024 支出合计" in page
    code, page = _report(built, tmp_path)  # everything by default
    assert code == 0 and "晋城市财政局" in page and "阳泉市" in page


def test_a_region_that_does_not_exist_is_a_usage_error(built, tmp_path, capsys):
    code, _ = _report(built, tmp_path, "--region", "阳泉市", "--region", "北京市")
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["disclosures report: no documents of region 北京市 in the warehouse; its regions: 晋城市, 阳泉市"]
    assert _report(built, tmp_path, "--year", "1999")[0] == 2


def test_csv_export_opens_in_excel_and_every_column_is_described(built, tmp_path):
    out = tmp_path / "export"
    assert main(["export", "--warehouse", str(built["warehouse"]), "--out", str(out), "--format", "csv"]) == 0
    exported = sorted(out.glob("*.csv"))
    dictionary = out / "DATA_DICTIONARY.csv"
    assert dictionary in exported
    described = {}
    for path in exported:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name  # the BOM Excel reads as "this is UTF-8"
    with open(dictionary, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            described[(row["table"], row["column"])] = row["description"]
    for path in exported:
        if path == dictionary:
            continue
        with open(path, encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f))
        for column in header:
            assert described.get((path.stem, column)), (path.stem, column)
        assert described.get((path.stem, "")), path.stem  # what one row of the file is
    departments = pd.read_csv(out / "dim_documents.csv", encoding="utf-8-sig")["department"]
    assert "阳泉市财政局" in set(departments)
