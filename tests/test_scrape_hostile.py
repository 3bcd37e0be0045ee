"""A hostile portal on 127.0.0.1: bytes dripped one a second (body and
headers), 5,000 announcement links, a crawl killed by SIGKILL midway, crafted
file names, and downloads that start like a PDF but are not a whole one.

Every server here stops by itself: a dripping route gives up after a few
seconds even if nobody hangs up on it, and the crawls run under small
deadlines and caps; nothing asserts how long anything took."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote

import pytest
from dagster import AssetKey, DagsterInstance

from conftest import send, start_pdf_stream, tiny_pdf
from disclosures.cli import main
from disclosures.scrape import Source, crawl, read_catalog, read_events, read_runs, serve_portal
from disclosures.scrape.registry import Limits

FAST = Limits(rate_limit=0, concurrency=3, timeout=5, attempts=2, backoff=0.01, backoff_max=0.02)
GIVE_UP = 8.0  # seconds after which a dripping route stops by itself


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_for(portal, **limits) -> Source:
    return Source(name="hostile", start_urls=(portal.url + "index.html",),
                  allowed_hosts=(f"127.0.0.1:{portal.port}",), allow_private=True,
                  limits=FAST).replace(limits=limits)


def index_linking(root: Path, hrefs: list[str], text: str = "示例市财政局2024年度部门决算.pdf") -> None:
    root.mkdir(parents=True, exist_ok=True)
    links = "\n".join(f'<a href="{href}">{text}</a>' for href in hrefs)
    (root / "index.html").write_text(f'<meta charset="utf-8">{links}', encoding="utf-8")


def raw_shas(store: Path) -> set[str]:
    return {p.stem for p in (store / "raw").rglob("*.pdf")}


def kinds_by_file(report) -> dict[str, str]:
    return {p["url"].rsplit("/", 1)[-1]: p["kind"] for p in report.problems}


# -- routes that misbehave ----------------------------------------------------------


def drip(handler, data: bytes, interval: float, ended: list[str]) -> None:
    """Write `data` one byte per `interval` s, until done, the client hangs
    up, or GIVE_UP seconds pass; say which in `ended`."""
    until = time.monotonic() + GIVE_UP
    try:
        for byte in data:
            if time.monotonic() > until:
                ended.append("server gave up")
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(interval)
        ended.append("all sent")
    except (BrokenPipeError, ConnectionResetError):
        ended.append("client hung up")


def hang_ups(ended: list[str], expected: int) -> list[str]:
    """How the dripping responses ended, once all `expected` have (a hung-up
    socket is noticed at the next write or two)."""
    give_up = time.monotonic() + GIVE_UP + 5
    while len(ended) < expected and time.monotonic() < give_up:
        time.sleep(0.1)
    return ended


def drip_body(body: bytes, ended: list[str], interval: float = 1.0):
    def route(handler):
        start_pdf_stream(handler, len(body))
        drip(handler, body, interval, ended)
    return route


def drip_headers(body: bytes, ended: list[str]):
    """Even the status line comes a byte a second: each read is answered in
    time, so only a deadline on the whole response ends it."""
    def route(handler):
        handler.close_connection = True
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: {len(body)}\r\n\r\n"
        drip(handler, head.encode() + body, 1.0, ended)
    return route


def cut_after(data: bytes, *, declared: int | None = None, interval: float = 0.0):
    """Send `data` (in 10-byte steps when dripping), then close the connection;
    with `declared`, a Content-Length promising more."""
    chunks = [data[i:i + 10] for i in range(0, len(data), 10)] if interval else [data]

    def route(handler):
        try:
            start_pdf_stream(handler, declared)
            for chunk in chunks:
                handler.wfile.write(chunk)
                handler.wfile.flush()
                time.sleep(interval)
        except (BrokenPipeError, ConnectionResetError):
            pass
    return route


def pdf_route(body: bytes):
    return lambda handler: send(handler, 200, body, {"Content-Type": "application/pdf"})


# -- deadlines ----------------------------------------------------------------------------


def test_dripped_response_dropped_at_its_deadline(tmp_path):
    good, dripped, ended = tiny_pdf("good"), tiny_pdf("dripped"), []
    index_linking(tmp_path / "site", ["good.pdf", "drip-body.pdf", "drip-headers.pdf"])
    routes = {"/good.pdf": pdf_route(good), "/drip-body.pdf": drip_body(dripped, ended),
              "/drip-headers.pdf": drip_headers(dripped, ended)}
    with serve_portal(tmp_path / "site", routes=routes) as portal:
        # timeout (per read) 5 s is never reached by a byte a second
        report = crawl(source_for(portal, response_deadline=1.5, crawl_deadline=60), tmp_path / "store")
        drip_requests = portal.count("/drip-body.pdf"), portal.count("/drip-headers.pdf")
        assert hang_ups(ended, 2) == ["client hung up"] * 2  # the crawler let go, not the server
    assert kinds_by_file(report) == {"drip-body.pdf": "response-deadline", "drip-headers.pdf": "response-deadline"}
    assert all("response_deadline" in p["message"] for p in report.problems)
    assert drip_requests == (1, 1)  # dropped, not retried: a drip would hold a worker again
    assert report.stopped_by is None  # the crawl itself ran to its end
    assert [d["sha256"] for d in report.documents] == [sha(good)]
    assert raw_shas(tmp_path / "store") == {sha(good)}
    assert list((tmp_path / "store" / "tmp").iterdir()) == []  # the partial file was removed


def test_crawl_deadline_ends_a_crawl_held_by_dripping_servers(tmp_path):
    names, ended = [f"drip-{i}.pdf" for i in range(4)], []
    index_linking(tmp_path / "site", names)
    routes = {f"/{name}": drip_body(tiny_pdf(name), ended) for name in names}
    with serve_portal(tmp_path / "site", routes=routes) as portal:
        source = source_for(portal, concurrency=2, response_deadline=60, crawl_deadline=2)
        report = crawl(source, tmp_path / "store")
        started = sum(portal.count(f"/{name}") for name in names)
        # the transfers in flight were cut at the crawl's deadline, by the crawler
        assert started == 2 and hang_ups(ended, started) == ["client hung up"] * 2
    assert report.stopped_by == "crawl-deadline"
    assert report.not_fetched == 4  # two cut off in flight, two never started
    assert not report.documents and raw_shas(tmp_path / "store") == set()
    [stop] = report.problems_of("crawl-deadline")
    assert stop["message"] == report.stop_message
    assert "its 2 s deadline ([limits] crawl_deadline)" in stop["message"] and "4 links not fetched" in stop["message"]
    assert list(read_events(tmp_path / "store").kind) == ["crawl-deadline"]
    [run] = read_runs(tmp_path / "store").to_dict("records")
    assert run["stopped_by"] == "crawl-deadline" and run["not_fetched"] == 4


# -- 5,000 announcements ---------------------------------------------------------------------

ANNOUNCEMENTS = 5000


def notice(handler):
    number = Path(handler.path).stem
    page = f'<meta charset="utf-8"><h1>示例市第{number}局2024年度部门决算</h1><a href="../files/{number}.pdf">决算.pdf</a>'
    send(handler, 200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """A list page linking 5,000 announcements, each a page linking a PDF."""
    site = tmp_path_factory.mktemp("crowded")
    links = "\n".join(f'<li><a href="notice/{i}.html">示例市第{i}局2024年度部门决算</a></li>' for i in range(ANNOUNCEMENTS))
    (site / "index.html").write_text(f'<meta charset="utf-8"><ul>{links}</ul>', encoding="utf-8")
    pdf = tiny_pdf("every announcement's attachment")
    routes = {f"/notice/{i}.html": notice for i in range(ANNOUNCEMENTS)}
    routes.update({f"/files/{i}.pdf": pdf_route(pdf) for i in range(ANNOUNCEMENTS)})
    with serve_portal(site, routes=routes) as portal:
        yield portal


def test_request_cap_stops_a_crawl_of_5000_announcements(crowded, tmp_path):
    before = len(crowded.log)
    report = crawl(source_for(crowded, max_requests=25, concurrency=2), tmp_path / "store")
    assert report.stopped_by == "request-cap"
    assert report.requests == 25 and len(crowded.log) - before == 25  # robots.txt, the list, 23 more
    assert report.not_fetched >= ANNOUNCEMENTS - 23
    [stop] = report.problems_of("request-cap")
    assert "its cap of 25 requests ([limits] max_requests)" in stop["message"]
    assert f"{report.not_fetched:,} links not fetched" in stop["message"]


def test_stop_reason_in_the_scrape_asset_metadata(crowded, tmp_path, monkeypatch, capsys):
    """Through the CLI and the registry's sample-portal asset, its limit set on the command line."""
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dh"))
    (tmp_path / "dh").mkdir()
    before = len(crowded.log)
    args = ["scrape", "--source", "sample-portal", "--base-url", crowded.url, "--data", str(tmp_path / "data"),
            "--max-requests", "7", "--crawl-deadline", "120", "--response-deadline", "30"]
    assert main(args) == 0
    assert len(crowded.log) - before == 7
    out = capsys.readouterr().out
    assert "request-cap 1" in out and "crawl stopped at its cap of 7 requests" in out
    instance = DagsterInstance.get()
    event = instance.get_latest_materialization_event(AssetKey("scrape_sample_portal"))
    metadata = event.asset_materialization.metadata
    assert metadata["stopped_by"].value == "request-cap"
    assert "its cap of 7 requests" in metadata["stop_reason"].value
    assert metadata["not_fetched"].value >= ANNOUNCEMENTS - 5


# -- killed midway -------------------------------------------------------------------------------


def slow_static(delay: float):
    """The static file, with its ETag and 304s, after `delay` seconds."""
    def route(handler):
        time.sleep(delay)
        SimpleHTTPRequestHandler.do_GET(handler)
    return route


def test_crawl_killed_midway_is_continued_by_the_next_run(tmp_path):
    site, out = tmp_path / "site", tmp_path / "out"
    pdfs = {f"files/{i}.pdf": tiny_pdf(f"document {i}") for i in range(8)}
    index_linking(site, list(pdfs))
    (site / "files").mkdir()
    for name, body in pdfs.items():
        (site / name).write_bytes(body)
    routes = {f"/{name}": slow_static(0.3) for name in pdfs}
    with serve_portal(site, routes=routes) as portal:
        args = ["scrape", "--start-url", portal.url + "index.html", "--out", str(out), "--allow-private"]
        store = out / ".scrape"
        catalog = store / "catalog" / f"adhoc-127-0-0-1-{portal.port}.jsonl"
        process = subprocess.Popen([sys.executable, "-m", "disclosures.cli", *args],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            give_up = time.monotonic() + 60
            while process.poll() is None and time.monotonic() < give_up:
                if catalog.exists() and catalog.read_text(encoding="utf-8").count("\n") >= 3:
                    break
                time.sleep(0.02)
            assert process.poll() is None, "the crawl ended before it could be killed"
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)

        kept = read_catalog(store)
        assert 3 <= len(kept) < len(pdfs)
        assert raw_shas(store) <= set(kept.sha256)  # every file it stored is in the catalog
        assert read_runs(store).empty  # it never got to finish
        first_log = len(portal.log)

        assert main(args) == 0
        second = [r for r in portal.log[first_log:] if r.path.startswith("/files/")]

    fetched_before = {url.rsplit("/", 2)[-2] + "/" + url.rsplit("/", 1)[-1] for url in kept.url}
    missing = {name: body for name, body in pdfs.items() if name not in fetched_before}
    [run] = read_runs(store).to_dict("records")
    # the second run downloads exactly what the first did not get to ...
    assert run["new_documents"] == len(missing) and run["pdf_bytes"] == sum(map(len, missing.values()))
    # ... and asks only "changed since?" about the rest
    assert all("If-None-Match" in r.headers for r in second if r.path.lstrip("/") in fetched_before)
    assert set(read_catalog(store).sha256) == raw_shas(store) == {sha(b) for b in pdfs.values()}
    assert sorted(p.read_bytes() for p in out.glob("*.pdf")) == sorted(pdfs.values())


# -- crafted names -------------------------------------------------------------------------------

CRAFTED = [
    "files/%2E%2E",  # ".." itself
    "files/%2E%2E%2F%2E%2E%2Fescape.pdf",  # "../../escape.pdf" once decoded
    "files/a%00b.pdf",  # a NUL byte
    "files/a%2Fb.pdf",  # a slash inside the name
    "files/" + quote("长" * 100) + ".pdf",  # 304 bytes in UTF-8
    "files/" + "x" * 300 + ".pdf",
    "files/empty/",  # no name at all
    "files/zz-later.pdf",  # an ordinary name after all of them
]


def test_crafted_file_names_saved_inside_out(tmp_path, capsys):
    bodies = {href: tiny_pdf(f"crafted {i}") for i, href in enumerate(CRAFTED)}
    index_linking(tmp_path / "site", CRAFTED, text="附件：2024年部门决算.pdf")
    out = tmp_path / "deep" / "out"
    out.mkdir(parents=True)
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"not to be touched")
    (out / "zz-later.pdf").symlink_to(outside)  # planted where the last PDF goes
    routes = {"/" + href: pdf_route(body) for href, body in bodies.items()}
    with serve_portal(tmp_path / "site", routes=routes) as portal:
        args = ["scrape", "--start-url", portal.url + "index.html", "--out", str(out), "--allow-private"]
        assert main(args) == 0
        assert sorted(r.path.lstrip("/") for r in portal.log if r.path.startswith("/files/")) == sorted(CRAFTED)
    printed = capsys.readouterr().out
    assert f"8 PDFs found, 8 saved into {out.resolve()}, 0 problems" in printed
    saved = [p for p in out.iterdir() if p.name != ".scrape" and not p.is_symlink()]
    assert sorted(p.read_bytes() for p in saved) == sorted(bodies.values())
    assert all(p.parent == out and len(p.name.encode()) <= 255 and p.name.endswith(".pdf") for p in saved)
    assert outside.read_bytes() == b"not to be touched"  # the symlink was not written through
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep", "outside.pdf", "site"]
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["out"]


# -- incomplete downloads ----------------------------------------------------------------------------


def test_incomplete_downloads_are_never_documents(tmp_path):
    whole = tiny_pdf("whole", 4000)
    good, trailing = tiny_pdf("good"), tiny_pdf("served with a footer") + b"\n<!-- cms footer -->\n"
    no_eof = tiny_pdf("no %%EOF").replace(b"%%EOF", b"")
    serving = {
        "good.pdf": pdf_route(good),
        "trailing.pdf": pdf_route(trailing),
        "no-eof.pdf": pdf_route(no_eof),
        # Content-Length 4.5 kB, 2,000 bytes sent, connection closed
        "cut-declared.pdf": cut_after(whole[:2000], declared=len(whole)),
        # no Content-Length: the close looks like the end of the body
        "cut-half.pdf": cut_after(whole[: len(whole) // 2]),
        "cut-before-startxref.pdf": cut_after(whole[: whole.index(b"startxref")]),
        "dripped-300.pdf": cut_after(whole[:300], interval=0.01),
        "error-page.pdf": lambda h: send(h, 200, "<html><body>500 服务器内部错误</body></html>".encode(),
                                         {"Content-Type": "application/pdf"}),
        "header-only.pdf": pdf_route(b"%PDF-1.7\n" + b"\x00garbage" * 36),
    }
    index_linking(tmp_path / "site", list(serving))
    with serve_portal(tmp_path / "site", routes={f"/{name}": route for name, route in serving.items()}) as portal:
        report = crawl(source_for(portal), tmp_path / "store")
    assert kinds_by_file(report) == {
        "cut-declared.pdf": "truncated",
        "cut-half.pdf": "broken-pdf",
        "cut-before-startxref.pdf": "truncated",
        "dripped-300.pdf": "broken-pdf",
        "error-page.pdf": "not-a-pdf",
        "header-only.pdf": "broken-pdf",
    }
    problems = {p["url"].rsplit("/", 1)[-1]: p["message"] for p in report.problems}
    assert "2,000 of the 4," in problems["cut-declared.pdf"]
    kept = {sha(good), sha(trailing), sha(no_eof)}
    assert {d["sha256"] for d in report.documents} == kept
    assert raw_shas(tmp_path / "store") == kept == set(read_catalog(tmp_path / "store").sha256)
    assert list((tmp_path / "store" / "tmp").iterdir()) == []


def test_broken_download_is_fetched_whole_next_time(tmp_path):
    """A refusal that may have been a cut connection is not remembered: the
    next run asks for the whole file again rather than trusting a 304."""
    whole = tiny_pdf("whole")
    index_linking(tmp_path / "site", ["files/doc.pdf"])
    (tmp_path / "site" / "files").mkdir()
    path = tmp_path / "site" / "files" / "doc.pdf"
    path.write_bytes(whole[: len(whole) // 2])  # the server's copy is broken, then mended
    with serve_portal(tmp_path / "site") as portal:
        first = crawl(source_for(portal), tmp_path / "store")
        path.write_bytes(whole)
        second = crawl(source_for(portal), tmp_path / "store")
        asked = [r.headers for r in portal.log if r.path == "/files/doc.pdf"]
    assert [p["kind"] for p in first.problems] == ["broken-pdf"]
    assert "If-None-Match" not in asked[1]
    assert [d["sha256"] for d in second.new_documents] == [sha(whole)]
