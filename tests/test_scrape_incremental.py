"""Re-runs: conditional requests, re-published documents, servers without
validators, and the bookkeeping that makes them cheap."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from conftest import tiny_pdf
from disclosures.scrape import Source, crawl, read_catalog, read_runs, serve_portal
from disclosures.scrape.registry import Limits

FAST = Limits(rate_limit=0, concurrency=2, timeout=2, attempts=2, backoff=0.01, backoff_max=0.02)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_site(root: Path, pdfs: dict[str, bytes]) -> None:
    (root / "notice").mkdir(parents=True, exist_ok=True)
    (root / "files").mkdir(exist_ok=True)
    links = "".join(f'<a href="files/{name}">{name}</a>\n' for name in pdfs)
    (root / "index.html").write_text(
        '<meta charset="utf-8"><a href="notice/1.html">示例市民政局2024年度部门决算</a>', encoding="utf-8")
    (root / "notice" / "1.html").write_text(
        f'<meta charset="utf-8"><h1>示例市民政局2024年度部门决算</h1>{links.replace("files/", "../files/")}',
        encoding="utf-8")
    for name, body in pdfs.items():
        (root / "files" / name).write_bytes(body)


def source_for(portal) -> Source:
    return Source(name="incremental", start_urls=(portal.url + "index.html",),
                  allowed_hosts=(f"127.0.0.1:{portal.port}",), allow_private=True, limits=FAST)


def test_republished_document_keeps_both_versions(tmp_path):
    v1, other = tiny_pdf("version one", 5000), tiny_pdf("untouched", 5000)
    write_site(tmp_path / "site", {"report.pdf": v1, "other.pdf": other})
    store = tmp_path / "store"
    with serve_portal(tmp_path / "site") as portal:
        source = source_for(portal)
        first = crawl(source, store)
        assert {d["sha256"] for d in first.new_documents} == {sha(v1), sha(other)}

        # Re-published in place: same URL, new bytes, and (as happens when a
        # file is replaced within a second) possibly the same mtime.
        path = tmp_path / "site" / "files" / "report.pdf"
        stat = path.stat()
        v2 = tiny_pdf("version two, corrected", 5000)
        path.write_bytes(v2)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))

        second = crawl(source, store)
        assert [d["sha256"] for d in second.new_documents] == [sha(v2)]
        assert second.pdf_bytes == len(v2)  # the untouched file was not downloaded again

        third = crawl(source, store)
        assert third.pdf_bytes == 0 and not third.new_documents

    for version in (v1, v2):
        kept = store / "raw" / sha(version)[:2] / f"{sha(version)}.pdf"
        assert kept.read_bytes() == version
        assert not os.access(kept, os.W_OK) or os.geteuid() == 0  # read-only (root ignores modes)
    catalog = read_catalog(store)
    rows = catalog[catalog.url.str.endswith("/files/report.pdf")]
    assert set(rows.sha256) == {sha(v1), sha(v2)}
    latest = rows.sort_values("last_seen").iloc[-1]
    assert latest.sha256 == sha(v2)
    assert len(read_runs(store)) == 3


def test_second_run_is_a_fraction_of_the_first(tmp_path):
    pdfs = {f"doc{i}.pdf": tiny_pdf(f"doc {i}", 20_000) for i in range(6)}
    write_site(tmp_path / "site", pdfs)
    with serve_portal(tmp_path / "site") as portal:
        source = source_for(portal)
        first = crawl(source, tmp_path / "store")
        second = crawl(source, tmp_path / "store")
    assert len(first.new_documents) == 6
    assert second.pdf_bytes == 0
    assert second.not_modified == 2 + 6  # both pages and every PDF answered 304
    assert second.bytes / first.bytes < 0.01
    assert second.requests <= first.requests


def test_server_without_validators_reuses_stored_file(tmp_path):
    """No ETag, no Last-Modified: the bytes come again, but the same hash
    means the same document; nothing new is stored."""
    body = tiny_pdf("no validators here")

    def plain(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/pdf")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<a href="/plain.pdf">2024年部门预算.pdf</a>', encoding="utf-8")
    with serve_portal(site, routes={"/plain.pdf": plain}) as portal:
        source = source_for(portal)
        first = crawl(source, tmp_path / "store")
        second = crawl(source, tmp_path / "store")
    assert [d["is_new"] for d in first.documents] == [True]
    assert [d["is_new"] for d in second.documents] == [False]
    assert len(list((tmp_path / "store" / "raw").rglob("*.pdf"))) == 1
    assert len(read_catalog(tmp_path / "store")) == 1


def test_deleted_raw_file_is_fetched_again(tmp_path):
    body = tiny_pdf("restore me")
    write_site(tmp_path / "site", {"a.pdf": body})
    store = tmp_path / "store"
    with serve_portal(tmp_path / "site") as portal:
        source = source_for(portal)
        crawl(source, store)
        raw = store / "raw" / sha(body)[:2] / f"{sha(body)}.pdf"
        raw.chmod(0o644)
        raw.unlink()
        again = crawl(source, store)
    assert raw.read_bytes() == body
    assert again.pdf_bytes == len(body)


def test_rows_written_as_they_come_are_compacted_to_one_each(tmp_path):
    """Every row is appended the moment it is known (a re-run's 304s append
    updated rows too); the crawl's end leaves one line per key."""
    from disclosures.scrape import read_events

    pdfs = {f"doc{i}.pdf": tiny_pdf(f"doc {i}", 100) for i in range(3)}
    write_site(tmp_path / "site", {**pdfs, "broken.pdf": b"<html>not a pdf</html>"})
    with serve_portal(tmp_path / "site") as portal:
        reports = [crawl(source_for(portal), tmp_path / "store") for _ in range(2)]
    lines = (tmp_path / "store" / "catalog" / "incremental.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(read_catalog(tmp_path / "store")) == 3
    assert reports[1].not_modified == 2 + 4  # pages, PDFs and the refused file: rows updated, not added
    events = read_events(tmp_path / "store")
    assert list(events.kind) == [p["kind"] for r in reports for p in r.problems] == ["not-a-pdf", "not-a-pdf"]
