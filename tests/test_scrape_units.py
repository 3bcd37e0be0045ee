"""The crawler's small parts on their own: URLs, character sets, links,
hints, the rate limiter, robots.txt rules, the raw store."""

from __future__ import annotations

import os

import pytest

from disclosures.scrape import hints
from disclosures.scrape.pages import decode_html, parse_page
from disclosures.scrape.ratelimit import HostRateLimiter
from disclosures.scrape.registry import Hints, Source
from disclosures.scrape.robots import RobotsRules
from disclosures.scrape.store import RawStore
from disclosures.scrape.urls import extension, file_name, host_allowed, non_public_address, resolve

BASE = "http://czj.example.gov.cn/yjsgk/list/index.html"


# -- URLs ---------------------------------------------------------------------------


@pytest.mark.parametrize("href, expected", [
    ("../files/a.pdf", "http://czj.example.gov.cn/yjsgk/files/a.pdf"),
    ("./t20240601_1.html", "http://czj.example.gov.cn/yjsgk/list/t20240601_1.html"),
    ("/root.pdf", "http://czj.example.gov.cn/root.pdf"),
    ("//cdn.example.gov.cn/x.pdf", "http://cdn.example.gov.cn/x.pdf"),
    ("HTTP://CZJ.Example.gov.cn:80/a.pdf#page=2", "http://czj.example.gov.cn/a.pdf"),
    (" files/部门决算.pdf ", "http://czj.example.gov.cn/yjsgk/list/files/%E9%83%A8%E9%97%A8%E5%86%B3%E7%AE%97.pdf"),
    ("files/%e9%83%a8%e9%97%a8%e5%86%b3%e7%ae%97.pdf", "http://czj.example.gov.cn/yjsgk/list/files/%E9%83%A8%E9%97%A8%E5%86%B3%E7%AE%97.pdf"),
    ("files/a b.pdf", "http://czj.example.gov.cn/yjsgk/list/files/a%20b.pdf"),
    ("files\\a.pdf", "http://czj.example.gov.cn/yjsgk/list/files/a.pdf"),
    ("javascript:void(0)", None),
    ("mailto:x@example.gov.cn", None),
    ("#top", None),
])
def test_resolve(href, expected):
    assert resolve(href, BASE) == expected


def test_raw_and_encoded_chinese_are_one_url():
    assert resolve("附件/2024年部门决算.pdf", BASE) == resolve(
        "%E9%99%84%E4%BB%B6/2024%E5%B9%B4%E9%83%A8%E9%97%A8%E5%86%B3%E7%AE%97.pdf", BASE)


def test_query_encoded_in_page_encoding():
    assert resolve("down.jsp?name=决算", BASE, "gb18030").endswith("name=%BE%F6%CB%E3")


def test_file_name_and_extension():
    url = resolve("files/2024年部门决算.PDF", BASE)
    assert file_name(url) == "2024年部门决算.PDF" and extension(url) == ".pdf"


@pytest.mark.parametrize("url, allowed, ok", [
    ("http://a.gov.cn/x", ["a.gov.cn"], True),
    ("http://a.gov.cn:8080/x", ["a.gov.cn"], True),
    ("http://a.gov.cn:8080/x", ["a.gov.cn:8081"], False),
    ("http://127.0.0.1:5000/x", ["127.0.0.1:5000"], True),
    ("http://127.0.0.1:5001/x", ["127.0.0.1:5000"], False),
    ("https://www.a.gov.cn/x", ["*.a.gov.cn"], True),
    ("https://evil-a.gov.cn/x", ["*.a.gov.cn"], False),
    ("https://a.gov.cn.evil.com/x", ["a.gov.cn"], False),
])
def test_host_allowed(url, allowed, ok):
    assert host_allowed(url, allowed) is ok


@pytest.mark.parametrize("host", ["127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.5", "169.254.169.254",
                                  "::1", "::ffff:127.0.0.1", "0.0.0.0", "100.64.0.1", "localhost"])
def test_non_public_addresses(host):
    assert non_public_address(host) is not None


def test_public_address():
    assert non_public_address("202.96.199.133") is None


# -- character sets and links ---------------------------------------------------------

PAGE = '<html><head>{meta}<title>部门决算</title></head><body><a href="a.html">示例市财政局2024年度部门决算</a></body></html>'


@pytest.mark.parametrize("encoding, meta, header, expected", [
    ("utf-8", "", None, "utf-8"),
    ("gbk", '<meta charset="gbk">', None, "gb18030"),
    ("gb2312", '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', None, "gb18030"),
    ("gbk", "", "text/html; charset=GBK", "gb18030"),
    ("gbk", '<meta charset="gbk">', "text/html; charset=UTF-8", "gb18030"),  # the server lies
    ("gbk", "", "text/html; charset=ISO-8859-1", "gb18030"),  # Tomcat's default, ignored
    ("gbk", "", None, "gb18030"),  # nothing declared: detected
])
def test_decode_html(encoding, meta, header, expected):
    body = PAGE.format(meta=meta).encode(encoding)
    text, used = decode_html(body, header)
    assert used == expected
    assert "示例市财政局2024年度部门决算" in text


def test_parse_page_links_titles_and_base():
    body = """<html><head><base href="http://czj.example.gov.cn/docs/"><title> 公开 </title></head><body>
    <h1>示例市财政局 2024年度部门决算</h1>
    <a href="a.pdf" title="示例市财政局2024年度部门决算全文">示例市财政局2024年度部…</a>
    <a href="b.pdf"><img src="pdf.png"></a>
    <iframe src="/viewer/c.pdf"></iframe>
    <a href="a.pdf" title="示例市财政局2024年度部门决算全文">示例市财政局2024年度部…</a>
    </body></html>""".encode()
    page = parse_page(body, BASE)
    assert page.title == "公开" and page.heading == "示例市财政局 2024年度部门决算"
    assert [(link.url.rsplit("/", 2)[-2:], link.text) for link in page.links] == [
        (["docs", "a.pdf"], "示例市财政局2024年度部门决算全文"),
        (["docs", "b.pdf"], ""),
        (["viewer", "c.pdf"], ""),
    ]


# -- hints ------------------------------------------------------------------------------


@pytest.mark.parametrize("texts, kind", [
    (("上海市财政局2024年度部门决算",), "final"),
    (("上海市财政局2025年部门预算",), "budget"),
    (("2024年部门预决算公开", "区民政局2023年度部门决算.pdf"), "final"),
    (("2024年部门预决算公开",), "unknown"),
    (("通知",), "unknown"),
])
def test_report_kind(texts, kind):
    assert hints.report_kind(*texts) == kind


SOURCE = Source(name="x", start_urls=("http://a.gov.cn/",), allowed_hosts=("a.gov.cn",))


@pytest.mark.parametrize("title, department", [
    ("上海市财政局2024年度部门决算", "上海市财政局"),
    ("2021年湛江市人民政府行政服务中心部门决算", "湛江市人民政府行政服务中心"),
    ("中共江苏省委办公厅 2018年度部门预算公开表", "中共江苏省委办公厅"),
    ("关于公开2024年度部门决算的说明", None),
])
def test_department_hint(title, department):
    assert hints.department(SOURCE, title) == department


def test_fixed_hints_win():
    source = SOURCE.replace(hints=Hints(department="示例市审计局", region="示例市", report_kind="final"))
    got = hints.document_hints(source, title="2024年预算", link_text="", file_name="a.pdf")
    assert got == {"department_hint": "示例市审计局", "region": "示例市",
                   "report_kind_hint": "final", "fiscal_year_hint": 2024}


# -- rate limit, robots.txt, store -----------------------------------------------------------


def test_rate_limiter_spaces_each_host_separately():
    now, slept = [0.0], []

    def sleep(seconds):
        slept.append(round(seconds, 3))
        now[0] += seconds

    limiter = HostRateLimiter(2.0, clock=lambda: now[0], sleep=sleep)
    for host in ["a", "a", "b", "a"]:
        limiter.wait(host)
    assert slept == [0.5, 0.5]  # a's 2nd and 3rd request; b goes at once
    limiter.slow_down("b", 3.0)
    limiter.wait("b")
    assert slept[-1] == 2.5  # b last went at t=0.5; it is t=1, so wait until t=3.5


def test_robots_rules():
    answers = {
        "http://a.gov.cn/robots.txt": (200, "User-agent: *\nDisallow: /admin/\nCrawl-delay: 2"),
        "http://b.gov.cn/robots.txt": (404, ""),
        "http://c.gov.cn/robots.txt": (503, ""),
    }
    fetched = []

    def fetch(url):
        fetched.append(url)
        return answers[url]

    rules = RobotsRules(fetch, "disclosures-bot/0.1")
    assert rules.allowed("http://a.gov.cn/x.pdf") and not rules.allowed("http://a.gov.cn/admin/x.pdf")
    assert rules.crawl_delay("http://a.gov.cn/") == 2
    assert rules.allowed("http://b.gov.cn/admin/x.pdf")
    assert not rules.allowed("http://c.gov.cn/x.pdf")
    assert "RFC 9309" in rules.explain("http://c.gov.cn/x.pdf")
    assert len(fetched) == 3  # once per host


def test_store_never_overwrites(tmp_path):
    store = RawStore(tmp_path)
    digest = "ab" + "0" * 62
    first = tmp_path / "tmp" / "one.part"
    first.write_bytes(b"%PDF first")
    path, is_new = store.put(first, digest)
    assert is_new and path == tmp_path / "raw" / "ab" / f"{digest}.pdf"
    second = tmp_path / "tmp" / "two.part"
    second.write_bytes(b"%PDF imposter")
    _, is_new = store.put(second, digest)
    assert not is_new and path.read_bytes() == b"%PDF first"
    assert not second.exists() and not first.exists()
    assert oct(os.stat(path).st_mode & 0o777) == "0o444"
