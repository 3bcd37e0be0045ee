"""The crawler against a hazard portal on 127.0.0.1 that does everything
wrong at once (tests/fixtures/portal/hazard), plus a second server standing in
for a host the entry does not allow, which must never be asked for anything.

The two crawls (first run, then an unchanged re-run) are made once for the
module; each test checks one hazard in their reports and request logs."""

from __future__ import annotations

import hashlib
import io
import shutil
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from reportlab.pdfgen import canvas

from conftest import send, start_pdf_stream
from disclosures.scrape import Source, crawl, read_catalog, read_events, serve_portal
from disclosures.scrape.registry import Limits, Pagination

FIXTURE = Path(__file__).parent / "fixtures" / "portal" / "hazard"
CAP = 100_000  # the entry's size cap in these tests


def make_pdf(text: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, text)
    pdf.save()
    return buffer.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- routes: URLs that misbehave on cue ---------------------------------------


def pdf_route(body: bytes, *, fail_first: int = 0, delay: float = 0.0):
    """Serves `body` with an ETag, after `fail_first` 500s, after `delay` s."""
    calls = {"n": 0}
    etag = f'"{sha(body)[:16]}"'

    def route(handler):
        calls["n"] += 1
        if delay:
            time.sleep(delay)
        if calls["n"] <= fail_first:
            send(handler, 500, b"Internal Server Error")
        elif handler.headers.get("If-None-Match") == etag:
            send(handler, 304, headers={"ETag": etag})
        else:
            send(handler, 200, body, {"Content-Type": "application/pdf", "ETag": etag})

    return route


def redirect_route(location: str):
    return lambda handler: send(handler, 302, headers={"Location": location})


def streamed_route(size: int):
    """A body with no Content-Length, so the cap must bite while streaming."""

    def route(handler):
        try:
            start_pdf_stream(handler)
            handler.wfile.write(b"%PDF-1.4\n")
            for _ in range(size // 8192):
                handler.wfile.write(b"0" * 8192)
        except (BrokenPipeError, ConnectionResetError):
            pass

    return route


# -- the portal -------------------------------------------------------------------

MAIN = make_pdf("main: 示例市财政局2024年度部门决算")
SHARED = make_pdf("shared: 编制说明")
EDU = make_pdf("edu: 教育局2023年部门预算")
FLAKY = make_pdf("flaky: 三公经费")
MOVED = make_pdf("moved: redirected here")
MIRROR = make_pdf("mirror on the other host")


def build_hazard_site(root: Path, other_port: int) -> None:
    shutil.copytree(FIXTURE, root)
    for page in root.rglob("*.html"):
        page.write_bytes(page.read_bytes().replace(b"__OTHER__", str(other_port).encode()))
    files = root / "files"
    files.mkdir()
    (files / "示例市财政局2024年度部门决算.pdf").write_bytes(MAIN)
    (files / "copy-of-main.pdf").write_bytes(MAIN)  # same bytes, other URL
    (files / "shared.pdf").write_bytes(SHARED)
    (files / "教育局 2023年部门预算.pdf").write_bytes(EDU)
    (files / "redirected.pdf").write_bytes(MOVED)
    (files / "fake.pdf").write_bytes("<html><body>404 页面不存在</body></html>".encode())
    (files / "huge.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * (CAP + 50_000))
    for name in ("tables.xls", "scan.doc", "all.zip", "说明决算.docx", "culture.xlsx"):
        (files / name).write_bytes(b"PK\x03\x04 not fetched")
    (root / "private").mkdir()
    (root / "private" / "secret.pdf").write_bytes(make_pdf("secret"))
    (root / "private" / "internal.html").write_text("<a href='x.pdf'>内部预算.pdf</a>", encoding="utf-8")


def hazard_source(portal) -> Source:
    return Source(
        name="hazard",
        start_urls=(portal.url + "index.html",),
        allowed_hosts=(f"127.0.0.1:{portal.port}",),
        allow_private=True,
        pagination=Pagination(max_pages=5),
        limits=Limits(rate_limit=0, concurrency=3, max_bytes=CAP, timeout=0.3, attempts=2,
                      backoff=0.01, backoff_max=0.02),
    )


@pytest.fixture(scope="module")
def hazard(tmp_path_factory):
    base = tmp_path_factory.mktemp("hazard")
    other_root = base / "other"
    (other_root / "files").mkdir(parents=True)
    (other_root / "files" / "mirror.pdf").write_bytes(MIRROR)
    (other_root / "evil.pdf").write_bytes(MIRROR)
    with serve_portal(other_root) as other:
        build_hazard_site(base / "site", other.port)
        routes = {
            "/flaky.pdf": pdf_route(FLAKY, fail_first=1),
            "/slow.pdf": pdf_route(make_pdf("slow"), delay=1.0),
            "/redirect-away.pdf": redirect_route(f"http://127.0.0.1:{other.port}/evil.pdf"),
            "/redirect-here.pdf": redirect_route("/files/redirected.pdf"),
            "/stream-huge.pdf": streamed_route(CAP + 50_000),
        }
        with serve_portal(base / "site", routes=routes) as portal:
            source = hazard_source(portal)
            store = base / "store"
            first = crawl(source, store)
            first_log = list(portal.log)
            second = crawl(source, store)
            second_log = portal.log[len(first_log):]
            yield {
                "portal": portal, "other": other, "store": store, "first": first, "second": second,
                "first_log": [r.path for r in first_log], "second_log": [r.path for r in second_log],
            }


def problem_urls(report, kind: str) -> set[str]:
    return {p["url"].rsplit("/", 1)[-1] for p in report.problems_of(kind)}


# -- the first run ------------------------------------------------------------------


def test_each_pdf_found_exactly_once(hazard):
    report = hazard["first"]
    shas = [d["sha256"] for d in report.documents]
    assert sorted(shas) == sorted({sha(b) for b in (MAIN, SHARED, EDU, FLAKY, MOVED)})
    assert all(d["is_new"] for d in report.documents)
    for document in report.documents:
        path = Path(document["path"])
        assert path == hazard["store"] / "raw" / document["sha256"][:2] / f"{document['sha256']}.pdf"
        assert sha(path.read_bytes()) == document["sha256"]


def test_same_pdf_linked_twice_is_requested_once(hazard):
    log = hazard["first_log"]
    assert log.count("/files/shared.pdf") == 1  # linked twice on a.html and once on b.html
    main_url = "/files/" + quote("示例市财政局2024年度部门决算.pdf")
    assert log.count(main_url) == 1  # linked percent-encoded and raw


def test_same_bytes_at_two_urls_are_one_document(hazard):
    main = next(d for d in hazard["first"].documents if d["sha256"] == sha(MAIN))
    assert sorted(u.rsplit("/", 1)[-1] for u in main["urls"]) == sorted(
        ["copy-of-main.pdf", quote("示例市财政局2024年度部门决算.pdf")])
    catalog = read_catalog(hazard["store"])
    assert len(catalog[catalog.sha256 == sha(MAIN)]) == 2  # one row per URL


def test_percent_encoded_chinese_filename(hazard):
    catalog = read_catalog(hazard["store"])
    encoded = hazard["portal"].url + "files/" + quote("示例市财政局2024年度部门决算.pdf")
    row = catalog[catalog.url == encoded].iloc[0]
    assert row.sha256 == sha(MAIN) and row.link_text == "示例市财政局2024年度部门决算.pdf"
    assert row.title == "示例市财政局2024年度部门决算"
    assert row.department_hint == "示例市财政局"
    assert row.report_kind_hint == "final" and row.fiscal_year_hint == 2024
    # a raw Chinese href with a space, on a GBK page, is encoded the way browsers do
    assert "/files/" + quote("教育局 2023年部门预算.pdf") in hazard["first_log"]


def test_gbk_pages_decoded(hazard):
    edu = next(d for d in hazard["first"].documents if d["sha256"] == sha(EDU))
    assert edu["title"] == "示例市教育局2023年度部门预算"  # link text on the GBK list page
    assert edu["department_hint"] == "示例市教育局"
    assert edu["report_kind_hint"] == "budget" and edu["fiscal_year_hint"] == 2023


def test_404_recorded(hazard):
    problems = hazard["first"].problems_of("http-error")
    assert [(p["url"].rsplit("/", 1)[-1], p["http_status"]) for p in problems] == [("missing.pdf", 404)]
    assert problems[0]["page_url"].endswith("/notice/a.html")


def test_500_then_ok_is_retried(hazard):
    assert hazard["first_log"].count("/flaky.pdf") == 2
    assert sha(FLAKY) in {d["sha256"] for d in hazard["first"].documents}
    assert not any("flaky" in p["url"] for p in hazard["first"].problems)


def test_timeout_retried_then_recorded(hazard):
    assert problem_urls(hazard["first"], "timeout") == {"slow.pdf"}
    assert hazard["first_log"].count("/slow.pdf") == 2  # attempts = 2: tried twice


def test_off_host_redirect_refused(hazard):
    assert problem_urls(hazard["first"], "off-host-redirect") == {"redirect-away.pdf"}
    # the same-host redirect is followed
    assert sha(MOVED) in {d["sha256"] for d in hazard["first"].documents}


def test_other_host_never_contacted(hazard):
    assert hazard["other"].log == []
    assert problem_urls(hazard["first"], "off-host") == {"elsewhere.html", "mirror.pdf"}
    assert problem_urls(hazard["first"], "bad-scheme") == {"passwd"}
    allowed = f"127.0.0.1:{hazard['portal'].port}"
    assert all(r.headers.get("Host") == allowed for r in hazard["portal"].log)


def test_non_pdf_attachments_skipped_without_fetching(hazard):
    skipped = problem_urls(hazard["first"], "non-pdf-attachment")
    assert skipped == {"tables.xls", "scan.doc", "all.zip", quote("说明决算.docx"), "culture.xlsx"}
    assert not any(p.endswith((".xls", ".doc", ".zip", ".docx", ".xlsx")) for p in hazard["first_log"])
    assert problem_urls(hazard["first"], "no-pdf") == {"empty.html"}


def test_not_a_pdf_recorded(hazard):
    assert problem_urls(hazard["first"], "not-a-pdf") == {"fake.pdf"}


def test_oversized_skipped(hazard):
    assert problem_urls(hazard["first"], "too-large") == {"huge.pdf", "stream-huge.pdf"}
    report = hazard["first"]
    assert report.pdf_bytes < 6 * CAP  # the 150 kB bodies were cut off, not read to the end
    assert not any(d["size"] > CAP for d in report.documents)


def test_robots_disallowed_never_requested(hazard):
    assert problem_urls(hazard["first"], "robots-disallowed") == {"internal.html", "secret.pdf"}
    assert not any(p.startswith("/private/") for p in hazard["first_log"])
    assert hazard["first_log"][0] == "/robots.txt"


def test_problems_persisted(hazard):
    events = read_events(hazard["store"])
    first = events[events.run_id == hazard["first"].run_id]
    assert len(first) == len(hazard["first"].problems)
    assert set(first.kind) >= {"http-error", "timeout", "off-host-redirect", "non-pdf-attachment",
                               "not-a-pdf", "too-large", "robots-disallowed"}


def test_catalog_rows(hazard):
    catalog = read_catalog(hazard["store"])
    assert len(catalog) == 6  # five documents, MAIN at two URLs
    row = catalog[catalog.sha256 == sha(EDU)].iloc[0]
    assert row.source == "hazard" and row.title == "示例市教育局2023年度部门预算"
    assert row.path == f"raw/{row.sha256[:2]}/{row.sha256}.pdf"
    assert row.etag and row.last_modified and row.first_seen <= row.last_seen


# -- the second run against the unchanged portal ------------------------------------------


def test_second_run_fetches_no_pdf_bytes(hazard):
    first, second = hazard["first"], hazard["second"]
    assert second.pdf_bytes == 0
    assert not second.new_documents
    assert {d["sha256"] for d in second.documents} == {d["sha256"] for d in first.documents}
    assert second.bytes < 0.05 * first.bytes
    assert second.requests <= first.requests
    # every page and PDF seen before was asked for conditionally
    conditional = [r for r in hazard["portal"].log[len(hazard["first_log"]):]
                   if r.path.endswith((".html", ".pdf")) and "If-None-Match" in r.headers]
    assert len(conditional) >= 4 + 5
    raw = list((hazard["store"] / "raw").rglob("*.pdf"))
    assert len(raw) == 5


def test_second_run_still_records_problems(hazard):
    kinds = {p["kind"] for p in hazard["second"].problems}
    assert {"http-error", "timeout", "off-host-redirect", "too-large"} <= kinds
    assert hazard["other"].log == []
