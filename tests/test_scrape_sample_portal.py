"""The `sample-portal` registry entry against a portal written by
build_sample_portal() from PDFs made here, as the demo does with
samples/pdfs/."""

from __future__ import annotations

import hashlib
from pathlib import Path

from reportlab.pdfgen import canvas

from disclosures.scrape import build_sample_portal, crawl, load_source, rebase, serve_portal

SOURCES = Path(__file__).resolve().parents[1] / "sources"
NAMES = [
    "上海市普陀区财政局2025年部门预算",
    "上海市普陀区规划和自然资源局2024年度部门决算",
    "中共上海市普陀区委社会工作部2024年度部门决算",
    "江苏省人大常委会办公厅2018年度部门预算",
    "sample-05",
]


def make_pdfs(directory: Path) -> list[Path]:
    directory.mkdir(parents=True)
    paths = []
    for number, name in enumerate(NAMES):
        path = directory / f"{name}.pdf"
        pdf = canvas.Canvas(str(path))
        pdf.drawString(72, 720, f"sample {number}")
        pdf.save()
        paths.append(path)
    return paths


def test_sample_portal_entry_finds_every_pdf(tmp_path):
    pdfs = make_pdfs(tmp_path / "pdfs")
    entries = build_sample_portal(pdfs, tmp_path / "site", per_page=2)
    assert len(entries) == len(pdfs)
    # the GBK pages really are GBK
    list_2 = (tmp_path / "site" / "list_2.html").read_bytes()
    assert "部门预决算公开".encode("gbk") in list_2 and b"charset=gbk" in list_2
    assert (tmp_path / "site" / "notice" / "0003.html").read_bytes().find("附件".encode("gbk")) > 0

    sample = load_source(SOURCES / "sample-portal.toml")
    store = tmp_path / "store"
    with serve_portal(tmp_path / "site") as portal:
        source = rebase(sample, portal.url)
        report = crawl(source, store)
        again = crawl(source, store)
        assert not any(path.startswith("/admin/") for path in portal.paths())

    assert report.problems == []
    expected = {hashlib.sha256(p.read_bytes()).hexdigest() for p in pdfs}
    assert {d["sha256"] for d in report.documents} == expected
    by_title = {d["title"]: d for d in report.documents}
    putuo = by_title["上海市普陀区规划和自然资源局2024年度部门决算"]
    assert putuo["department_hint"] == "上海市普陀区规划和自然资源局"
    assert putuo["region"] == sample.hints.region  # the entry's hint
    assert (putuo["report_kind_hint"], putuo["fiscal_year_hint"]) == ("final", 2024)
    assert by_title["上海市普陀区财政局2025年部门预算"]["report_kind_hint"] == "budget"
    assert by_title["sample-05（部门预决算公开）"]["report_kind_hint"] == "unknown"

    assert again.pdf_bytes == 0 and not again.new_documents and again.problems == []
