"""Which links on a page are announcements, disclosure attachments, skipped
attachments or pager links, by the registry entry's patterns."""

from __future__ import annotations

import re

from disclosures.scrape.pages import Link
from disclosures.scrape.registry import Source
from disclosures.scrape.urls import extension


class LinkRules:
    """The entry's regexes, compiled once, as questions about a link."""

    def __init__(self, source: Source) -> None:
        def compile_(pattern: str | None):
            return re.compile(pattern) if pattern else None

        self.next_text = compile_(source.pagination.next_link_text)
        self.next_href = compile_(source.pagination.next_link_href)
        self.title = compile_(source.announcements.title_pattern)
        self.announcement_url = compile_(source.announcements.url_pattern)
        self.attachment_url = compile_(source.attachments.url_pattern)
        self.attachment_text = compile_(source.attachments.text_pattern)
        self.skip = tuple(ext.lower() for ext in source.attachments.skip_extensions)

    def is_attachment(self, link: Link) -> bool:
        return bool(
            (self.attachment_url and self.attachment_url.search(link.url))
            or (self.attachment_text and self.attachment_text.search(link.text))
        )

    def is_skipped(self, link: Link) -> bool:
        return extension(link.url) in self.skip or text_extension(link.text) in self.skip

    def is_announcement_title(self, text: str) -> bool:
        return bool(self.title and self.title.search(text))

    def is_announcement(self, link: Link) -> bool:
        if not self.is_announcement_title(link.text):
            return False
        return self.announcement_url is None or bool(self.announcement_url.search(link.url))

    def is_next_page(self, link: Link) -> bool:
        # Pager links are short ("下一页", "下一页>"); a long text that happens
        # to contain the words is a title.
        if self.next_text and len(link.text) <= 10 and self.next_text.search(link.text):
            return True
        return bool(self.next_href and self.next_href.search(link.url))


def text_extension(text: str) -> str:
    m = re.search(r"(\.[A-Za-z0-9]{2,4})\s*$", text or "")
    return m.group(1).lower() if m else ""
