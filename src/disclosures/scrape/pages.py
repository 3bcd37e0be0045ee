"""Reading HTML pages: choosing the character set, and pulling out links."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import charset_normalizer

from disclosures.scrape.urls import resolve

# GB2312 and GBK pages routinely contain characters outside their declared set
# (names of people and places); GB18030 is a superset that decodes them all.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
              "ascii": "utf-8", "us-ascii": "utf-8"}
# Servers (Tomcat, old IIS) label pages ISO-8859-1 by default; Latin-1 decodes
# any bytes at all, so believing it would turn every GBK page to mojibake.
_TOO_WEAK = {"latin_1", "iso8859-1", "cp1252"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.I)
# An HTML page without a BOM is never UTF-16/32, but short GBK snippets can
# look like UTF-16 to a statistical detector.
_NOT_HTML = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le"]


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, encoding) for a page: BOM, then the Content-Type charset, then
    the <meta> charset, then UTF-8 if it decodes cleanly, then detection.

    A declared charset that fails to decode is passed over: Chinese portals
    often send "charset=UTF-8" from the server for pages written in GBK."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            return body.decode(name, errors="replace").lstrip("\ufeff"), name
    declared = []
    if content_type and (m := _HEADER_CHARSET.search(content_type)):
        declared.append(m.group(1))
    if m := _META_CHARSET.search(body[:4096]):
        declared.append(m.group(1).decode("ascii"))
    declared.append("utf-8")
    for name in declared:
        name = _codec_name(name)
        if name is None:
            continue
        try:
            return body.decode(name), name
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(body, cp_exclusion=_NOT_HTML).best()
    if best is not None:
        name = codecs.lookup(_SUPERSETS.get(best.encoding, best.encoding)).name
        return body.decode(name, errors="replace"), name
    return body.decode("utf-8", errors="replace"), "utf-8"


def _codec_name(name: str) -> str | None:
    name = name.strip().lower()
    name = _SUPERSETS.get(name, name)
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    return None if name in _TOO_WEAK else name


@dataclass(frozen=True)
class Link:
    url: str
    text: str


@dataclass
class Page:
    url: str
    title: str = ""
    heading: str = ""
    links: list[Link] = field(default_factory=list)
    text: str = ""  # the whole decoded page, for page-count regexes


def parse_page(body: bytes, url: str, content_type: str | None = None) -> Page:
    text, encoding = decode_html(body, content_type)
    parser = _LinkParser()
    parser.feed(text)
    parser.close()
    base = url
    if parser.base_href:
        base = resolve(parser.base_href, url, encoding) or url
    links, seen = [], set()
    for href, link_text in parser.links:
        resolved = resolve(href, base, encoding)
        if resolved is None:
            continue
        key = (resolved, link_text)
        if key not in seen:
            seen.add(key)
            links.append(Link(resolved, link_text))
    return Page(url=url, title=_squash(parser.title), heading=_squash(parser.heading), links=links, text=text)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _LinkParser(HTMLParser):
    """<a href> with its text (or its title attribute, for icon links), plus
    <iframe>/<embed> sources, which portals use to show a PDF inline."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.title = ""
        self.heading = ""
        self.base_href: str | None = None
        self._anchor: tuple[str, list[str], str] | None = None
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self._close_anchor()
            self._anchor = (attrs["href"], [], attrs.get("title") or "")
        elif tag in ("iframe", "embed") and attrs.get("src"):
            self.links.append((attrs["src"], ""))
        elif tag == "object" and attrs.get("data"):
            self.links.append((attrs["data"], ""))
        elif tag == "base" and attrs.get("href") and self.base_href is None:
            self.base_href = attrs["href"]
        elif tag in ("title", "h1") and not getattr(self, tag if tag == "title" else "heading"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag == "a":
            self._close_anchor()
        elif tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._anchor is not None:
            self._anchor[1].append(data)
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.heading += data

    def close(self):
        super().close()
        self._close_anchor()

    def _close_anchor(self):
        if self._anchor is None:
            return
        href, parts, title_attr = self._anchor
        text = _squash("".join(parts)) or _squash(title_attr)
        # A list truncates long titles ("上海市…2024年度部门…"); the title
        # attribute usually carries the whole one.
        if title_attr and (text.endswith(("…", "...")) or len(_squash(title_attr)) > len(text)):
            text = _squash(title_attr)
        self.links.append((href, text))
        self._anchor = None
