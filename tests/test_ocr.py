"""Scanned pages read by OCR, held to the truth they were printed from, and trusted only through the identities.

The corpus is made here by the generator (`corpus.build_scanned`): reportlab
documents over several layouts, two scanned whole (grey 200 dpi, 1-bit 300 dpi)
and the rest with one table page scanned into the born-digital file (a third of
them as a picture pasted under the table's typed title), each
scanner setting drawn per document (150-300 dpi, grey JPEG or 1-bit, skew within
±1°, noise). One more carries a bureau's arithmetic error on its scanned page.
All of them go through `disclosures ingest` once (the same Dagster job as every
ingest); the figures, names and checks are read back from the warehouse.
"""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT
from disclosures.cli import main
from disclosures.generator.corpus import Spec, build_scanned, render_specs
from disclosures.generator.scan import ScanSettings, scan_document
from disclosures.parse.document import parse_document
from disclosures.parse.ocr import METHOD

REDISTILLED = ROOT / "tests" / "data" / "redistilled"


def _truth(pdf: Path) -> dict:
    return json.loads(pdf.with_suffix(".truth.json").read_text("utf-8"))


def _amount(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """The scanned corpus ingested: (pdfs, warehouse connection)."""
    root = tmp_path_factory.mktemp("scanned")
    pdfs = build_scanned(root / "pdfs", count=20, whole=2, workers=2)
    # a bureau's own error (a 项 row of 公开03 that does not add up) on a page that was scanned
    [erred] = render_specs([Spec("scanned-page-bureau-error", "reportlab", 2024, "晋城市", "kejiju", seed=77,
                                 error="row_sum")], root / "pdfs")
    scan_document(erred, [_truth(erred)["tables"]["公开03"]["pages"][0]], 77, ScanSettings(dpi=200, mode="grey"))
    pdfs.append(erred)
    warehouse = root / "w.duckdb"
    assert main(["ingest", str(root / "pdfs"), "--warehouse", str(warehouse), "--data", str(root / "data")]) == 0
    con = duckdb.connect(str(warehouse), read_only=True)
    yield pdfs, con
    con.close()


def _ids(con) -> dict[str, str]:
    return dict(con.execute("SELECT file_name, document_id FROM documents").fetchall())


def test_every_scanned_document_loads_with_its_name_year_kind_and_tables(scanned):
    """Every table the document prints is found, a scanned one too: pasted under its typed
    title, or title and all in the picture, on a page no table found before it runs onto."""
    pdfs, con = scanned
    rows = {r[0]: r[1:] for r in con.execute(
        "SELECT file_name, status, department, fiscal_year, report_kind FROM documents").fetchall()}
    tables = {(f, code): status for f, code, status in con.execute(
        "SELECT file_name, table_code, t.status FROM document_tables t JOIN documents USING (document_id)").fetchall()}
    assert len(rows) == len(pdfs) == 21
    assert sum(_truth(pdf)["scan"].get("pasted") == "head in the picture" for pdf in pdfs) >= 3
    for pdf in pdfs:
        t = _truth(pdf)
        assert rows[pdf.name] == ("loaded", t["department"], t["fiscal_year"], t["report_kind"]), pdf.name
        assert {code: tables[pdf.name, code] for code in t["tables_present"]} == dict.fromkeys(t["tables_present"], "present")


def _landed_and_truth(pdfs, con):
    ids = _ids(con)
    for pdf in pdfs:
        got = {(t, r, c): _amount(a) for t, r, c, a in con.execute(
            "SELECT table_code, row_key, column_key, amount FROM fact_amounts WHERE document_id = ?",
            [ids[pdf.name]]).fetchall()}
        truth = {(c["table_code"], c["row_key"], c["column_key"]): Decimal(c["amount"]) for c in _truth(pdf)["cells"]}
        yield pdf, got, truth


def test_scanned_amounts_against_truth(scanned):
    """At least 99.5% of every truth cell exact."""
    total = exact = 0
    wrong = []
    for pdf, got, truth in _landed_and_truth(*scanned):
        total += len(truth)
        exact += sum(got.get(k) == v for k, v in truth.items())
        wrong += [(pdf.name, k, v, got.get(k)) for k, v in truth.items() if got.get(k) != v]
    assert total > 5_000
    assert exact / total >= 0.995, (exact, total, wrong[:20])


def test_nothing_lands_under_a_key_the_truth_does_not_print(scanned):
    extra = {pdf.name: set(got) - set(truth) for pdf, got, truth in _landed_and_truth(*scanned)}
    assert {name: keys for name, keys in extra.items() if keys} == {}


def test_no_wrong_ocr_figure_passes_its_identities_unflagged(scanned):
    """Every figure OCR read wrong is named, with its confidence, by a failing check of its
    document: nothing was corrected, and none of them slips through (the count must be 0)."""
    pdfs, con = scanned
    ids = _ids(con)
    unflagged = []
    for pdf in pdfs:
        truth = {(c["table_code"], c["row_key"], c["column_key"]): Decimal(c["amount"]) for c in _truth(pdf)["cells"]}
        failing = " ".join(d for (d,) in con.execute(
            "SELECT details FROM check_results WHERE document_id = ? AND NOT passed", [ids[pdf.name]]).fetchall())
        for t, r, c, a, method in con.execute(
                "SELECT table_code, row_key, column_key, amount, method FROM fact_amounts WHERE document_id = ?",
                [ids[pdf.name]]).fetchall():
            if method == METHOD and _amount(a) != truth.get((t, r, c)) and f"{t} {r}/{c} (page" not in failing:
                unflagged.append((pdf.name, t, r, c, a))
    assert unflagged == []


def test_lineage_of_ocr_cells_and_born_digital_cells_untouched(scanned):
    """Cells of a scanned page say so (method, confidence, their page and box); every other
    cell of the same document is read from the text layer as before, at its printed place."""
    pdfs, con = scanned
    ids = _ids(con)
    pictured = []
    for pdf in pdfs:
        t = _truth(pdf)
        scanned_pages = set(range(1, t["page_count"] + 1)) if t["scan"]["pages"] == "all" else set(t["scan"]["pages"])
        rows = con.execute("SELECT page, method, confidence, x0, y0, x1, y1 FROM fact_amounts WHERE document_id = ?",
                           [ids[pdf.name]]).fetchall()
        assert rows
        for page, method, conf, x0, y0, x1, y1 in rows:
            if page in scanned_pages:
                assert method == METHOD and 0 < conf <= 1, (pdf.name, page, method, conf)
            else:
                assert not method.startswith("ocr-") and conf is None, (pdf.name, page, method)
            assert 0 <= x0 < x1 <= 842 and 0 <= y0 < y1 <= 842
        truth_pages = {c["page"] for c in t["cells"]}
        assert {p for p, *_ in rows} == truth_pages
        problems = [p for (p,) in con.execute("SELECT problem FROM document_problems WHERE document_id = ?",
                                              [ids[pdf.name]]).fetchall()]
        assert sorted(int(re.match(r"page (\d+): ", p).group(1)) for p in problems
                      if "read by OCR" in p) == sorted(scanned_pages), problems
        # a picture pasted under a typed head: the head stays the text layer's, only the picture is
        # OCR'd (a head printed inside the table's frame leaves a picture alone on its page: image-only)
        mine = [p for p in problems if re.match(r"page \d+: a picture covering \d+% of the page", p)]
        assert t["scan"].get("pasted") or not mine, (pdf.name, problems)
        pictured += mine
    assert len(pictured) >= 3, pictured


def test_a_bureau_error_on_a_scanned_page_names_its_ocr_cells(scanned):
    """The seeded error is flagged by its row sum, and the check says which of its cells were
    OCR'd, with their confidence; the printed figure lands as printed (never corrected)."""
    pdfs, con = scanned
    pdf = pdfs[-1]
    seeded = _truth(pdf)["seeded_errors"][0]
    doc_id = _ids(con)[pdf.name]
    details = [d for (d,) in con.execute(
        "SELECT details FROM check_results WHERE document_id = ? AND NOT passed AND family = 'row_sum' AND table_code = '公开03'",
        [doc_id]).fetchall()]
    assert any(f"公开03 {seeded['row_key']}/本年支出合计 (page" in d and "read by OCR" in d for d in details), details
    assert re.search(r"confidence (0|1)\.\d\d", " ".join(details))
    printed = con.execute("SELECT printed FROM fact_amounts WHERE document_id = ? AND table_code = '公开03' "
                          "AND row_key = ? AND column_key = ?", [doc_id, seeded["row_key"], seeded["column_key"]]).fetchone()
    assert printed == (seeded["printed"],)


@pytest.mark.parametrize("name", ["three-line-libreoffice-writer", "split-codes-libreoffice-calc"])
def test_a_text_layer_a_print_driver_broke_is_read_by_ocr_exactly(name):
    """Re-written by Ghostscript (`layouts.redistill`), the pages look the same but the fonts
    lost their Unicode maps; OCR reads the garbled pages, and every figure is the truth's."""
    pdf = REDISTILLED / f"{name}.pdf"
    truth = _truth(pdf)
    parsed = parse_document(pdf)
    assert parsed.document["status"] == "loaded", parsed.document["reason"]
    assert (parsed.document["department"], parsed.document["fiscal_year"]) == (truth["department"], truth["fiscal_year"])
    expected = {(c["table_code"], c["row_key"], c["column_key"]): Decimal(c["amount"]) for c in truth["cells"]}
    got = {(r.table_code, r.row_key, r.column_key): _amount(r.amount) for r in parsed.cells.itertuples()}
    assert {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v} == {}
    assert set(got) == set(expected)
    assert sum(": garbled text layer" in p and "read by OCR" in p for p in parsed.problems) >= 5, parsed.problems


def test_a_picture_beside_a_born_digital_table_leaves_the_page_to_its_text_layer(tmp_path):
    """A chart pasted under a table printed as text (a fifth of the page and more, no text over
    it) is no pasted table: the page is not OCR'd and every figure is read as before."""
    import io
    import zlib

    import pikepdf
    from PIL import Image, ImageDraw

    source = ROOT / "tests" / "data" / "generated" / "split-codes-reportlab.pdf"
    page_no = _truth(source)["tables"]["公开03"]["pages"][0]
    chart = Image.new("L", (600, 300), 255)
    draw = ImageDraw.Draw(chart)
    for i, h in enumerate((120, 200, 80, 260, 150)):
        draw.rectangle((40 + i * 110, 290 - h, 110 + i * 110, 290), fill=90)
    pdf_path = tmp_path / "chart.pdf"
    with pikepdf.open(source) as pdf:
        page = pdf.pages[page_no - 1]
        image = pikepdf.Stream(pdf, zlib.compress(chart.tobytes()))
        image.update({"/Type": pikepdf.Name("/XObject"), "/Subtype": pikepdf.Name("/Image"), "/Width": 600,
                      "/Height": 300, "/ColorSpace": pikepdf.Name("/DeviceGray"), "/BitsPerComponent": 8,
                      "/Filter": pikepdf.Name("/FlateDecode")})
        page.add_resource(image, pikepdf.Name("/XObject"), pikepdf.Name("/Chart"))
        width = float(page.mediabox[2])
        page.contents_add(pikepdf.Stream(pdf, f"q {width - 100:.1f} 0 0 260 50 60 cm /Chart Do Q".encode()), prepend=False)
        pdf.save(pdf_path)
    before, after = parse_document(source), parse_document(pdf_path)
    assert not any("read by OCR" in p for p in after.problems), after.problems
    key = ["table_code", "row_key", "column_key", "amount", "page", "method"]
    assert after.cells[key].sort_values(key[:3]).values.tolist() == before.cells[key].sort_values(key[:3]).values.tolist()
