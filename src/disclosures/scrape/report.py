"""What a crawl returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class CrawlReport:
    source: str
    run_id: str
    started: str
    finished: str = ""
    # One dict per distinct PDF (by sha256): sha256, path, url, urls, title,
    # link_text, page_url, department_hint, region, report_kind_hint,
    # fiscal_year_hint, size, is_new.
    documents: list[dict] = field(default_factory=list)
    # One dict per problem: url, kind, message, page_url, http_status.
    problems: list[dict] = field(default_factory=list)
    pages: int = 0  # HTML pages handled (fetched or unchanged)
    not_modified: int = 0  # 304 answers, pages and PDFs
    requests: int = 0  # HTTP requests sent, retries and robots.txt included
    bytes: int = 0  # body bytes received
    pdf_bytes: int = 0  # of which attachment bytes
    # Why the crawl ended early: None when it ran out of links, else
    # "crawl-deadline" or "request-cap", with a sentence for people (also
    # among the problems) and the count of links it left for the next run.
    stopped_by: str | None = None
    stop_message: str = ""
    not_fetched: int = 0

    @property
    def new_documents(self) -> list[dict]:
        return [d for d in self.documents if d["is_new"]]

    def problems_of(self, kind: str) -> list[dict]:
        return [p for p in self.problems if p["kind"] == kind]

    def to_dict(self) -> dict:
        return asdict(self)
