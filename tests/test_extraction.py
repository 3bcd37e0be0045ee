"""Every cell of every generated layout, exact, for every producer; bad pages recorded.

The corpus is `tests/data/generated/` (every layout of
`disclosures.generator.layouts.LAYOUTS` by reportlab, LibreOffice Writer and
LibreOffice Calc; `python -m disclosures.generator --variants` rebuilds it)
plus the bundled `samples/pdfs/`. Each PDF's `.truth.json` comes from the
ledger it was printed from, never from the parser.
"""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from decimal import Decimal
from functools import cache
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, SAMPLES
from disclosures.cli import main
from disclosures.generator.corpus import PRODUCERS, render_specs, variant_specs
from disclosures.generator.layouts import LAYOUTS, garble_page, rasterise_page
from disclosures.parse.document import parse_document
from disclosures.parse.ocr import METHOD as OCR_METHOD
from disclosures.parse.textgrid import METHOD as THREE_LINE_METHOD

GENERATED = ROOT / "tests" / "data" / "generated"


def _truth(pdf: Path) -> dict:
    return json.loads(pdf.with_suffix(".truth.json").read_text("utf-8"))


def _corpus(producer: str) -> list[Path]:
    return sorted(p for folder in (GENERATED, SAMPLES) for p in folder.glob("*.pdf") if _truth(p)["producer"] == producer)


@cache
def _parsed(pdf: Path):
    return parse_document(pdf)


def _key(c) -> tuple[str, str, str]:
    return c["table_code"], c["row_key"], c["column_key"]


def test_the_corpus_has_every_layout_by_every_producer():
    made = {(t["layout"], t["producer"]) for t in map(_truth, GENERATED.glob("*.pdf"))}
    assert made == {(layout, producer) for layout in LAYOUTS for producer in PRODUCERS}


def test_the_committed_corpus_is_what_the_generator_prints(tmp_path):
    """The reportlab variants regenerate byte for byte (the office ones need LibreOffice:
    `make variants`), so the corpus the tests read is the generator's current output."""
    specs = [s for s in variant_specs() if s.producer == "reportlab"]
    for path in render_specs(specs, tmp_path):
        assert path.read_bytes() == (GENERATED / path.name).read_bytes(), path.name
        assert path.with_suffix(".truth.json").read_text("utf-8") == (GENERATED / path.name).with_suffix(".truth.json").read_text("utf-8")


@pytest.mark.parametrize("producer", PRODUCERS)
def test_every_cell_exact_with_its_page(producer):
    """Each truth cell lands once, with its amount in 元 and the page it is printed on;
    nothing else lands; every table gets the status the truth gives it."""
    files = _corpus(producer)
    assert len(files) >= len(LAYOUTS)
    wrong, extra, statuses, cells = defaultdict(list), defaultdict(list), [], 0
    for pdf in files:
        truth = _truth(pdf)
        parsed = _parsed(pdf)
        assert parsed.document["status"] == "loaded", (pdf.name, parsed.document["reason"])
        assert parsed.document["department"] == truth["department"]
        got = {
            (r.table_code, r.row_key, r.column_key): (Decimal(str(r.amount)).quantize(Decimal("0.01")), r.page)
            for r in parsed.cells.itertuples()
        }
        for c in truth["cells"]:
            cells += 1
            want = (Decimal(c["amount"]), c["page"])
            if got.get(_key(c)) != want:
                wrong[pdf.name].append((_key(c), want, got.get(_key(c))))
        expected = {_key(c) for c in truth["cells"]}
        extra[pdf.name] += [k for k in got if k not in expected]
        printed = dict(zip(parsed.tables.table_code, parsed.tables.status))
        statuses += [(pdf.name, code, t["status"], printed.get(code))
                     for code, t in truth["tables"].items() if printed.get(code) != t["status"]]
    assert cells > 3000
    assert not wrong, {name: w[:5] for name, w in wrong.items()}
    assert not any(extra.values()), {name: e[:5] for name, e in extra.items() if e}
    assert not statuses


def _user_box(page, box):
    """A box on the displayed page back in the page's user space (pdfium's text API)."""
    x0, y0, x1, y1 = box
    rotation = page.get_rotation() % 360
    assert rotation in (0, 90), rotation  # what the generator writes
    if rotation == 0:
        return box
    mx0, my0, mx1, _ = page.get_mediabox()
    width = mx1 - mx0
    return mx0 + width - y1, my0 + x0, mx0 + width - y0, my0 + x1


@pytest.mark.parametrize("producer", PRODUCERS)
def test_lineage_boxes_point_at_the_printed_text(producer):
    """Every cell's box lies on its page as a reader sees it (turned pages included) and
    pdfium's text inside that box holds the cell's printed text; the method names the
    reader that found its grid."""
    import pypdfium2 as pdfium

    for pdf in _corpus(producer):
        cells = _parsed(pdf).cells
        doc = pdfium.PdfDocument(str(pdf))
        try:
            pages = {n: (doc[n - 1], doc[n - 1].get_textpage()) for n in set(cells.page)}
            for r in cells.itertuples():
                page, text = pages[r.page]
                w, h = page.get_size()
                assert 0 <= r.x0 < r.x1 <= w + 1 and 0 <= r.y0 < r.y1 <= h + 1, (pdf.name, r)
                inside = text.get_text_bounded(*_user_box(page, (r.x0, r.y0, r.x1, r.y1)))
                assert "".join(r.printed.split()) in "".join(inside.split()), (pdf.name, r.page, r.printed, inside)
        finally:
            doc.close()
        three_line = _truth(pdf).get("style", {}).get("rules") == "three-line"
        methods = set(cells.method)
        if three_line:  # no vertical rules: camelot's lattice finds no cell, the grid is derived
            assert methods == {THREE_LINE_METHOD}, (pdf.name, methods)
        else:
            assert len(methods) == 1 and methods.pop().startswith("camelot-2.0.0-lattice-vector"), pdf.name


def test_rotated_pages_are_read_as_displayed():
    pdf = GENERATED / "rotated-libreoffice-calc.pdf"
    import pikepdf

    with pikepdf.open(pdf) as p:
        rotated = [i + 1 for i, page in enumerate(p.pages) if int(page.obj.get("/Rotate", 0)) == 90]
    assert rotated, "the rotated layout must turn its landscape pages"
    on_rotated = _parsed(pdf).cells.query("page in @rotated")
    assert len(on_rotated) > 50


# ---------------------------------------------------------------- bad pages


def _damaged(tmp_path: Path, source: str, damage, page: int) -> tuple[Path, dict]:
    src = GENERATED / source
    out = tmp_path / f"{src.stem}-{damage.__name__}-p{page}.pdf"
    shutil.copy(src, out)
    damage(out, page)
    return out, _truth(src)


def _table_on(truth: dict, page: int) -> str:
    return next(code for code, t in truth["tables"].items() if t.get("pages") and t["pages"][0] == page)


@pytest.mark.parametrize(
    "source,damage,page",
    [
        ("yuan-libreoffice-calc.pdf", garble_page, 5),
        ("three-line-libreoffice-writer.pdf", garble_page, 7),
        # 125.00 right-aligned against its cell's rule (the OCR once put its last digit past the rule)
        ("split-codes-libreoffice-calc.pdf", rasterise_page, 6),
        ("title-prefix-reportlab.pdf", rasterise_page, 9),
    ],
)
def test_a_garbled_or_image_only_page_is_read_by_ocr(tmp_path, monkeypatch, source, damage, page):
    """Through `disclosures ingest`: the page is named in document_problems as read by OCR,
    the table printed on it lands with every other table, each figure exactly the truth's,
    its cells' lineage says OCR, and no error-severity check fails."""
    pdf, truth = _damaged(tmp_path, source, damage, page)
    on_page = _table_on(truth, page)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    warehouse = tmp_path / "w.duckdb"
    assert main(["ingest", str(pdf), "--warehouse", str(warehouse), "--data", str(tmp_path / "data")]) == 0

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        status = con.execute("SELECT status FROM documents").fetchone()[0]
        problems = [p for (p,) in con.execute("SELECT problem FROM document_problems").fetchall()]
        tables = dict(con.execute("SELECT table_code, status FROM document_tables").fetchall())
        facts = {(t, r, c): (Decimal(str(a)).quantize(Decimal("0.01")), p) for t, r, c, a, p in con.execute(
            "SELECT table_code, row_key, column_key, amount, page FROM fact_amounts").fetchall()}
        methods = dict(con.execute("SELECT page = ?, list_distinct(list(method)) FROM fact_amounts GROUP BY ALL",
                                   [page]).fetchall())
        errors = [name for (name,) in con.execute(
            "SELECT check_name FROM check_results WHERE NOT passed AND severity = 'error'").fetchall()]
    finally:
        con.close()

    kind = "garbled" if damage is garble_page else "image-only"
    assert status == "loaded"
    assert any(p.startswith(f"page {page}: {kind}") and "read by OCR" in p for p in problems), problems
    assert tables[on_page] == truth["tables"][on_page]["status"]
    assert facts == {_key(c): (Decimal(c["amount"]), c["page"]) for c in truth["cells"]}
    assert methods[True] == [OCR_METHOD] and OCR_METHOD not in methods[False]
    assert errors == []

    # A reviewer sees the same in the Dagster UI: the parsed_documents materialization.
    from dagster import AssetKey, DagsterInstance

    with DagsterInstance.get() as instance:
        event = instance.get_latest_materialization_event(AssetKey("parsed_documents"))
    meta = event.asset_materialization.metadata
    assert f"page {page}: {kind}" in meta["problems"].value
    assert meta["cells_by_method"].value[OCR_METHOD] == sum(p == page for _, p in facts.values())
