"""A portal on 127.0.0.1: serve_portal() serves a folder the way a
government CMS does (Last-Modified, ETag, 304s), for tests and for the demo;
build_sample_portal() writes such a folder from a list of PDFs."""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence
from urllib.parse import quote, urlsplit

Route = Callable[[SimpleHTTPRequestHandler], None]


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str  # as sent, percent-encoding included
    headers: dict
    at: float  # time.monotonic() when it arrived


@dataclass
class Portal:
    url: str  # http://127.0.0.1:PORT/
    port: int
    root: Path
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[RequestRecord] = field(default_factory=list)
    max_in_flight: int = 0
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self) -> list[str]:
        return [record.path for record in self.log]

    def count(self, path: str) -> int:
        return sum(1 for record in self.log if record.path == path)

    def _enter(self, handler: SimpleHTTPRequestHandler) -> None:
        with self._lock:
            self.log.append(RequestRecord(handler.command, handler.path, dict(handler.headers.items()), time.monotonic()))
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1


@contextlib.contextmanager
def serve_portal(root_dir: str | Path, port: int = 0, *, routes: Mapping[str, Route] | None = None) -> Iterator[Portal]:
    """Serve `root_dir` on 127.0.0.1 (port 0: any free port) in a thread.

    `routes` maps a request path (as sent, e.g. "/flaky.pdf") to a function
    answering it by hand, for tests that need a server misbehaving on cue.
    Every request is logged in `portal.log`."""
    root = Path(root_dir).resolve()
    portal = Portal(url="", port=0, root=root, routes=dict(routes or {}))
    handler = type("PortalHandler", (_Handler,), {"portal": portal})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    server.block_on_close = False  # a test's deliberately hung request must not hang shutdown
    portal.port = server.server_address[1]
    portal.url = f"http://127.0.0.1:{portal.port}/"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield portal
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _Handler(SimpleHTTPRequestHandler):
    portal: Portal
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers
    # No charset in the header: pages must be decoded from their <meta> tag.
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".html": "text/html", ".pdf": "application/pdf"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.portal.root), **kwargs)

    def do_GET(self):
        self.portal._enter(self)
        try:
            route = self.portal.routes.get(urlsplit(self.path).path)
            if route is not None:
                route(self)
            else:
                super().do_GET()
        finally:
            self.portal._leave()

    def do_HEAD(self):
        self.portal._enter(self)
        try:
            super().do_HEAD()
        finally:
            self.portal._leave()

    def send_head(self):
        self._etag = None
        path = self.translate_path(self.path)
        if os.path.isfile(path):
            self._etag = _etag_of(path)
            asked = self.headers.get("If-None-Match")
            if asked and self._etag in [tag.strip() for tag in asked.split(",")]:
                self.send_response(304)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
        return super().send_head()

    def end_headers(self):
        if getattr(self, "_etag", None):
            self.send_header("ETag", self._etag)
            self._etag = None
        super().end_headers()

    def log_message(self, format, *args):  # quiet: the log is portal.log
        pass


_etag_cache: dict[tuple[str, int, int], str] = {}


def _etag_of(path: str) -> str:
    # From the bytes, not the mtime: a file rewritten within the same second
    # (as tests do) still gets a new tag.
    stat = os.stat(path)
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _etag_cache:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
        _etag_cache[key] = f'"{digest}"'
    return _etag_cache[key]


# --- the sample portal --------------------------------------------------------

_LIST_TEMPLATE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>部门预决算公开_{site}</title></head>
<body>
<div class="nav"><a href="{root}index.html">首页</a> <a href="{root}about.html">机构概况</a> <a href="/admin/">后台管理</a></div>
<h1>部门预决算公开</h1>
<ul class="news-list">
{items}
</ul>
<div class="pager">第{page}页 共{pages}页 {pager}</div>
</body></html>
"""

_NOTICE_TEMPLATE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_{site}</title></head>
<body>
<div class="nav"><a href="../index.html">返回列表</a></div>
<h1>{title}</h1>
<div class="info">发布日期：{date}　来源：{site}</div>
<div class="content">
<p>根据《中华人民共和国预算法》和有关规定，现将{title}予以公开。</p>
<p>附件：<a href="{href}">{name}</a></p>
</div>
</body></html>
"""


def build_sample_portal(
    pdf_paths: Sequence[str | Path],
    out_dir: str | Path,
    *,
    titles: Mapping[str, str] | None = None,
    per_page: int = 3,
    site: str = "示例市财政局",
) -> list[dict]:
    """Write a small static portal serving the given PDFs, in the shape the
    `sample-portal` registry entry expects:

        index.html, list_2.html, …   list pages, "下一页" pagination
        notice/0001.html, …          one announcement per PDF
        files/<name>.pdf             the PDFs, under their own (Chinese) names
        robots.txt                   disallows /admin/

    Even-numbered list pages and every third announcement are GBK-encoded;
    half the attachment links are percent-encoded, half raw Chinese. Titles
    come from `titles` (keyed by the PDF's path as given) or the file name.
    Returns one dict per PDF: title, announcement, pdf (paths in the site),
    source (the PDF's path)."""
    out = Path(out_dir)
    (out / "notice").mkdir(parents=True, exist_ok=True)
    (out / "files").mkdir(parents=True, exist_ok=True)
    titles = dict(titles or {})
    entries = []
    used_names: set[str] = set()
    for number, pdf in enumerate(pdf_paths, start=1):
        pdf = Path(pdf)
        title = titles.get(str(pdf)) or pdf.stem
        if "决算" not in title and "预算" not in title:
            title = f"{title}（部门预决算公开）"
        name = pdf.name if pdf.name not in used_names else f"{pdf.stem}_{number}{pdf.suffix}"
        used_names.add(name)
        shutil.copyfile(pdf, out / "files" / name)
        href = "../files/" + (quote(name) if number % 2 else name)
        charset = "gb2312" if number % 3 == 0 else "utf-8"
        page = f"notice/{number:04d}.html"
        text = _NOTICE_TEMPLATE.format(
            charset=charset, title=html.escape(title), site=site, date=f"2025-{1 + number % 12:02d}-15",
            href=html.escape(href), name=html.escape(name),
        )
        (out / page).write_bytes(text.encode("gbk" if charset != "utf-8" else "utf-8", errors="xmlcharrefreplace"))
        entries.append({"title": title, "announcement": page, "pdf": f"files/{name}", "source": str(pdf)})

    pages = [entries[i : i + per_page] for i in range(0, len(entries), per_page)] or [[]]
    for page_no, chunk in enumerate(pages, start=1):
        items = "\n".join(
            f'<li><a href="{e["announcement"]}" title="{html.escape(e["title"])}">{html.escape(e["title"])}</a>'
            f' <span class="date">2025-06-{10 + i:02d}</span></li>'
            for i, e in enumerate(chunk)
        )
        pager = []
        if page_no > 1:
            pager.append(f'<a href="{_list_name(page_no - 1)}">上一页</a>')
        if page_no < len(pages):
            pager.append(f'<a href="{_list_name(page_no + 1)}">下一页</a>')
        charset = "gbk" if page_no % 2 == 0 else "utf-8"
        text = _LIST_TEMPLATE.format(
            charset=charset, site=site, root="", items=items, page=page_no, pages=len(pages), pager=" ".join(pager),
        )
        (out / _list_name(page_no)).write_bytes(text.encode(charset, errors="xmlcharrefreplace"))
    (out / "about.html").write_text(
        f'<html><head><meta charset="utf-8"><title>机构概况</title></head><body><p>{site}</p></body></html>\n',
        encoding="utf-8",
    )
    (out / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n", encoding="ascii")
    return entries


def _list_name(page_no: int) -> str:
    return "index.html" if page_no == 1 else f"list_{page_no}.html"
