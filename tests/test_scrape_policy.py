"""Politeness and safety: private addresses, concurrency cap, rate limit,
url-pattern pagination, ad-hoc sources, progress, one crawl per source."""

from __future__ import annotations

import threading
import time

import pytest

from conftest import tiny_pdf
from disclosures.scrape import CrawlBusy, Source, adhoc_source, crawl, serve_portal
from disclosures.scrape.catalog import source_lock
from disclosures.scrape.registry import Limits, Pagination

FAST = Limits(rate_limit=0, concurrency=2, timeout=2, attempts=2, backoff=0.01, backoff_max=0.02)


def site_with_pdfs(root, count: int, *, title: str = "示例县财政局2024年度部门决算") -> None:
    (root / "files").mkdir(parents=True)
    links = []
    for i in range(count):
        (root / "files" / f"{i}.pdf").write_bytes(tiny_pdf(f"document {i}"))
        links.append(f'<a href="files/{i}.pdf">{title}（{i}）.pdf</a>')
    (root / "index.html").write_text('<meta charset="utf-8">' + "\n".join(links), encoding="utf-8")


def local_source(portal, **changes) -> Source:
    source = Source(name="policy", start_urls=(portal.url + "index.html",),
                    allowed_hosts=(f"127.0.0.1:{portal.port}",), allow_private=True, limits=FAST)
    return source.replace(**changes)


def test_private_address_refused_unless_allowed(tmp_path):
    site_with_pdfs(tmp_path / "site", 1)
    with serve_portal(tmp_path / "site") as portal:
        report = crawl(local_source(portal, allow_private=False), tmp_path / "store")
        assert portal.log == []  # not even robots.txt
    assert [p["kind"] for p in report.problems] == ["private-address"]
    assert report.requests == 0 and not report.documents


def test_concurrency_cap(tmp_path):
    site_with_pdfs(tmp_path / "site", 8)
    slow = {}

    def slow_pdf(number):
        def route(handler):
            time.sleep(0.05)
            body = tiny_pdf(f"slow {number}")
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        return route

    for i in range(8):
        slow[f"/files/{i}.pdf"] = slow_pdf(i)
    with serve_portal(tmp_path / "site", routes=slow) as portal:
        report = crawl(local_source(portal, limits={"concurrency": 3}), tmp_path / "store")
        assert len(report.documents) == 8
        assert 2 <= portal.max_in_flight <= 3


def test_rate_limit_spaces_requests(tmp_path):
    site_with_pdfs(tmp_path / "site", 4)
    with serve_portal(tmp_path / "site") as portal:
        crawl(local_source(portal, limits={"rate_limit": 20, "concurrency": 4}), tmp_path / "store")
        times = [record.at for record in portal.log]
    assert len(times) == 6  # robots.txt, index, 4 PDFs
    # 20 per second, whatever the concurrency: k requests on from any one, at least k × 50 ms
    # later. Measured where the requests arrive, where one request's arrival may lag by a
    # scheduling slice on a busy machine (a gap of 29.6 ms was seen), so each span is allowed
    # 25 ms less; 4 requests at once with no limit arrive a few ms apart and fail every span.
    assert all(times[j] - times[i] >= (j - i) * 0.05 - 0.025 for i in range(len(times)) for j in range(i + 1, len(times)))
    assert times[-1] - times[0] >= 5 * 0.05 * 0.9


def test_robots_crawl_delay_slows_the_crawl(tmp_path):
    site_with_pdfs(tmp_path / "site", 2)
    (tmp_path / "site" / "robots.txt").write_text("User-agent: *\nCrawl-delay: 0.1\n")
    with serve_portal(tmp_path / "site") as portal:
        crawl(local_source(portal, limits={"concurrency": 2}), tmp_path / "store")
        times = [record.at for record in portal.log]
    # robots.txt is fetched before the delay is known; then index and 2 PDFs
    assert times[-1] - times[1] >= 2 * 0.1 * 0.9


def test_robots_unreachable_means_disallowed(tmp_path):
    site_with_pdfs(tmp_path / "site", 1)

    def broken(handler):
        handler.send_response(503)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    with serve_portal(tmp_path / "site", routes={"/robots.txt": broken}) as portal:
        report = crawl(local_source(portal), tmp_path / "store")
        assert portal.paths() == ["/robots.txt", "/robots.txt"]  # retried, then nothing else
    assert [p["kind"] for p in report.problems] == ["robots-disallowed"]
    assert "RFC 9309" in report.problems[0]["message"]


def test_url_pattern_pagination_stops_at_first_missing_page(tmp_path):
    """TRS-style lists: index.html, index_1.html, index_2.html, with the pager
    drawn by script, so no "下一页" link exists to follow."""
    site = tmp_path / "site"
    (site / "files").mkdir(parents=True)
    names = ["index.html", "index_1.html", "index_2.html"]
    for number, name in enumerate(names):
        (site / "files" / f"{number}.pdf").write_bytes(tiny_pdf(f"page {number}"))
        (site / name).write_text(
            f'<meta charset="utf-8"><script>createPageHTML(3, {number}, "index", "html");</script>'
            f'<a href="files/{number}.pdf">示例区2024年部门预算{number}.pdf</a>', encoding="utf-8")
    with serve_portal(site) as portal:
        source = local_source(portal, pagination={
            "next_link_text": "", "url_pattern": portal.url + "index_{page}.html",
            "first_generated_page": 1, "max_pages": 10})
        report = crawl(source, tmp_path / "store")
        assert portal.count("/index_3.html") == 1 and portal.count("/index_4.html") == 0
    assert len(report.documents) == 3
    assert report.problems == []  # the 404 past the last page is the end, not a problem


def test_page_count_regex_fetches_exactly_the_printed_pages(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    for number, name in enumerate(["index.html", "index_1.html"]):
        (site / name).write_text(
            f'<script>createPageHTML(2, {number}, "index", "html");</script>'
            f'<a href="{number}.pdf">2024年部门决算{number}.pdf</a>', encoding="utf-8")
        (site / f"{number}.pdf").write_bytes(tiny_pdf(str(number)))
    with serve_portal(site) as portal:
        source = local_source(portal, pagination=Pagination(
            next_link_text="", url_pattern=portal.url + "index_{page}.html", first_generated_page=1,
            page_count_regex=r"createPageHTML\((\d+)"))
        report = crawl(source, tmp_path / "store")
        assert portal.count("/index_2.html") == 0
    assert len(report.documents) == 2


def test_adhoc_source_only_touches_its_host(tmp_path):
    site_with_pdfs(tmp_path / "site", 2)
    (tmp_path / "other").mkdir()
    with serve_portal(tmp_path / "other") as other:
        index = tmp_path / "site" / "index.html"
        index.write_text(index.read_text(encoding="utf-8")
                         + f'<a href="http://127.0.0.1:{other.port}/x.pdf">外站2024年部门决算.pdf</a>',
                         encoding="utf-8")
        with serve_portal(tmp_path / "site") as portal:
            source = adhoc_source(portal.url + "index.html", allow_private=True)
            assert source.allowed_hosts == (f"127.0.0.1:{portal.port}",)
            source = source.replace(limits={"rate_limit": 0})  # the polite default is 1/s
            out = tmp_path / "out"
            report = crawl(source, out)
            again = crawl(source, out)
        assert other.log == []
    assert len(report.documents) == 2 and len(list((out / "raw").rglob("*.pdf"))) == 2
    assert [p["kind"] for p in report.problems] == ["off-host"]
    assert again.pdf_bytes == 0


def test_adhoc_source_refuses_private_by_default_and_non_http(tmp_path):
    assert adhoc_source("http://127.0.0.1:9/").allow_private is False
    with pytest.raises(ValueError):
        adhoc_source("file:///etc/passwd")


def test_progress_callback(tmp_path):
    site_with_pdfs(tmp_path / "site", 3)
    updates = []
    with serve_portal(tmp_path / "site") as portal:
        crawl(local_source(portal), tmp_path / "store", progress=updates.append)
    assert updates[0].event == "start" and updates[-1].event == "done"
    assert updates[-1].documents == 3 and updates[-1].new_documents == 3 and updates[-1].queued == 0
    assert [u.documents for u in updates] == sorted(u.documents for u in updates)


def test_one_crawl_per_source_and_store(tmp_path):
    site_with_pdfs(tmp_path / "site", 1)
    with serve_portal(tmp_path / "site") as portal:
        source = local_source(portal)
        with source_lock(tmp_path / "store", source.name):
            with pytest.raises(CrawlBusy):
                crawl(source, tmp_path / "store")
        assert len(crawl(source, tmp_path / "store").documents) == 1


def test_crawl_threads_do_not_leak(tmp_path):
    site_with_pdfs(tmp_path / "site", 2)
    before = threading.active_count()
    with serve_portal(tmp_path / "site") as portal:
        crawl(local_source(portal), tmp_path / "store")
    time.sleep(0.1)
    assert threading.active_count() <= before + 1


def test_rich_progress_renders(tmp_path):
    import io

    from rich.console import Console

    from disclosures.scrape import rich_progress

    site_with_pdfs(tmp_path / "site", 2)
    out = io.StringIO()
    with serve_portal(tmp_path / "site") as portal:
        with rich_progress(Console(file=out, width=120)) as progress:
            crawl(local_source(portal), tmp_path / "store", progress=progress)
    assert "2 PDFs (2 new)" in out.getvalue()
