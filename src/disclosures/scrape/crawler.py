"""Crawling one source: list pages → announcement pages → PDF attachments.

The main thread owns all state (what was seen, the catalog, the report);
worker threads only fetch and parse, so nothing here needs a lock beyond the
fetcher's counters. The pool's size is the source's concurrency cap.

Everything learnt is written down as it happens (catalog rows, page
validators, problems), so a crawl killed at any moment loses at most the
file it was receiving. A crawl that reaches its deadline or its request cap
stops taking links, lets the fetches in flight end (they end by the deadline
too), and says which limit stopped it and how many links it left."""

from __future__ import annotations

import re
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from disclosures.scrape import hints
from disclosures.scrape.catalog import Catalog, UrlState, append_events, append_run, source_lock
from disclosures.scrape.deadline import CrawlBudget, CrawlStopped
from disclosures.scrape.fetcher import Fetched, Fetcher, FetchProblem
from disclosures.scrape.matching import LinkRules, text_extension
from disclosures.scrape.pages import Link, Page, parse_page
from disclosures.scrape.pdfcheck import pdf_defect
from disclosures.scrape.progress import CrawlProgress, ProgressCallback
from disclosures.scrape.registry import Source
from disclosures.scrape.report import CrawlReport
from disclosures.scrape.store import RawStore
from disclosures.scrape.urls import extension, file_name, host_allowed


@dataclass(frozen=True)
class _Task:
    kind: str  # list | announcement | attachment
    url: str
    page_url: str | None = None  # the page that linked it
    title: str = ""  # the announcement's title, as the list showed it
    link_text: str = ""
    page_no: int = 1  # list pages: 1-based position in the pagination
    generated: bool = False  # a list page made from pagination.url_pattern


def crawl(source: Source, store_dir: str | Path, *, progress: ProgressCallback | None = None) -> CrawlReport:
    """Crawl one source into the store and report what was found.

    Re-running is cheap: pages and PDFs seen before are requested with
    If-None-Match / If-Modified-Since, and a 304 costs no body bytes. A PDF
    whose bytes changed is stored under its new hash beside the old one."""
    store_dir = Path(store_dir)
    with source_lock(store_dir, source.name):
        return _Crawl(source, store_dir, progress).run()


class _Crawl:
    def __init__(self, source: Source, store_dir: Path, progress: ProgressCallback | None) -> None:
        self.source = source
        self.store = RawStore(store_dir)
        self.store.clean_tmp()
        self.catalog = Catalog(store_dir, source.name)
        self.state = UrlState(store_dir, source.name)
        self.budget = CrawlBudget(source.limits.crawl_deadline, source.limits.max_requests)
        self.fetcher = Fetcher(source, self.store.tmp, budget=self.budget)
        self.progress = progress
        self.report = CrawlReport(source=source.name, run_id=uuid.uuid4().hex[:12], started=_now())
        self.seen: set[str] = set()
        self.documents: dict[str, dict] = {}
        self.pending: dict[Future, _Task] = {}
        self.rules = LinkRules(source)
        self._last_generated = 0

    # -- the loop ------------------------------------------------------------

    def run(self) -> CrawlReport:
        self._notify("start", self.source.start_urls[0])
        self.pool = ThreadPoolExecutor(self.source.limits.concurrency, thread_name_prefix=f"crawl-{self.source.name}")
        try:
            for url in self.source.start_urls:
                self._submit(_Task("list", url))
            while self.pending:
                timeout = None if self.report.stopped_by else self.budget.seconds_left()
                done, _ = wait(list(self.pending), timeout=timeout, return_when=FIRST_COMPLETED)
                if not done:  # the deadline came with fetches in flight; they end by it too
                    self._stop("crawl-deadline")
                for future in done:
                    self._handle(self.pending.pop(future), future)
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self._finish()
        return self.report

    def _submit(self, task: _Task) -> None:
        if task.url in self.seen:
            return
        self.seen.add(task.url)
        if self.report.stopped_by:
            self.report.not_fetched += 1
            return
        if task.kind == "attachment":
            refused = self.state.get(task.url)
            if refused and self._still_refused(task, refused):
                return
            future = self.pool.submit(self._fetch_attachment, task, self._validators_for_pdf(task.url))
        else:
            future = self.pool.submit(self._fetch_page, task, self.state.get(task.url, "page"))
        self.pending[future] = task

    def _handle(self, task: _Task, future: Future) -> None:
        try:
            outcome = future.result()
        except CrawlStopped as stop:
            self._stop(stop.reason)
            self.report.not_fetched += 1
            return
        except FetchProblem as problem:
            if task.generated and problem.status == 404:
                return  # a guessed page past the last one: the end of the list
            self._refuse(task, problem.kind, problem.message, problem.status, problem.etag, problem.last_modified)
            return
        if task.kind == "attachment":
            self._store_attachment(task, outcome)
        else:
            page, fetched = outcome
            self._remember_page(task.url, page, fetched)
            self.report.pages += 1
            if task.kind == "list":
                self._follow_list(task, page)
            else:
                self._follow_announcement(task, page)
            self._notify("page", task.url)

    # -- workers (no shared state touched) --------------------------------------

    def _fetch_page(self, task: _Task, cached: dict | None) -> tuple[Page, Fetched]:
        fetched = self.fetcher.get(
            task.url,
            etag=cached and cached.get("etag"),
            last_modified=cached and cached.get("last_modified"),
        )
        if fetched.status == 304 and cached:
            links = [Link(url, text) for url, text in cached["links"]]
            page = Page(url=task.url, title=cached["title"], heading=cached["heading"], links=links, text=cached.get("text", ""))
            return page, fetched
        page = parse_page(fetched.body or b"", fetched.url, fetched.content_type)
        return page, fetched

    def _fetch_attachment(self, task: _Task, validators: dict) -> Fetched:
        return self.fetcher.get(task.url, to_file=True, expect_pdf=True, **validators)

    # -- following links -------------------------------------------------------

    def _follow_list(self, task: _Task, page: Page) -> None:
        pagination = self.source.pagination
        for link in page.links:
            if self.rules.is_attachment(link):
                self._offer(_Task("attachment", link.url, task.url, title=link.text, link_text=link.text))
            elif self.rules.is_skipped(link):
                if self.rules.is_announcement_title(link.text):
                    self._skip_non_pdf(link, task.url)
            elif self.rules.is_announcement(link) and link.url != task.url:
                self._offer(_Task("announcement", link.url, task.url, title=link.text))
            elif self.rules.is_next_page(link) and task.page_no < pagination.max_pages:
                self._offer(_Task("list", link.url, task.url, page_no=task.page_no + 1))
        if pagination.url_pattern and not task.generated and task.page_no == 1:
            self._generate_pages(task, page)
        elif task.generated and task.page_no < self._last_generated:
            self._offer(_Task("list", self._page_url(task.page_no + 1), task.url, page_no=task.page_no + 1, generated=True))

    def _generate_pages(self, task: _Task, page: Page) -> None:
        """url_pattern paging: every page at once when the page count is
        printed, else one after another until a 404."""
        pagination = self.source.pagination
        count = pagination.max_pages
        if pagination.page_count_regex and (m := re.search(pagination.page_count_regex, page.text)):
            count = min(int(m.group(1)), pagination.max_pages)
            for page_no in range(2, count + 1):
                self._offer(_Task("list", self._page_url(page_no), task.url, page_no=page_no))
            return
        self._last_generated = count
        if count >= 2:
            self._offer(_Task("list", self._page_url(2), task.url, page_no=2, generated=True))

    def _page_url(self, page_no: int) -> str:
        number = self.source.pagination.first_generated_page + page_no - 2
        return self.source.pagination.url_pattern.replace("{page}", str(number))

    def _follow_announcement(self, task: _Task, page: Page) -> None:
        title = task.title if task.title and not task.title.endswith(("…", "...")) else (page.heading or page.title or task.title)
        pdfs = skipped = 0
        for link in page.links:
            if self.rules.is_attachment(link):
                pdfs += 1
                self._offer(_Task("attachment", link.url, task.url, title=title, link_text=link.text))
            elif self.rules.is_skipped(link):
                skipped += 1
                self._skip_non_pdf(link, task.url)
        if pdfs == 0:
            extra = f"; {skipped} non-PDF attachment(s) skipped" if skipped else ""
            self._problem(task.url, "no-pdf", f"announcement {title!r} links no PDF{extra}", task.page_url)

    def _offer(self, task: _Task) -> None:
        """Queue a link, or record why not; never touches a refused host."""
        if task.url in self.seen:
            return
        if not task.url.startswith(("http://", "https://")):
            self.seen.add(task.url)
            self._problem(task.url, "bad-scheme", "only http(s) links are followed", task.page_url)
        elif not host_allowed(task.url, self.source.allowed_hosts):
            self.seen.add(task.url)
            self._problem(task.url, "off-host", f"link to a host not on allowed_hosts {list(self.source.allowed_hosts)}", task.page_url)
        else:
            self._submit(task)

    def _skip_non_pdf(self, link: Link, page_url: str) -> None:
        if link.url in self.seen:
            return
        self.seen.add(link.url)
        kind = extension(link.url) or text_extension(link.text)
        self._problem(link.url, "non-pdf-attachment", f"{kind} attachment {link.text!r} skipped", page_url)

    # -- recording -------------------------------------------------------------

    def _validators_for_pdf(self, url: str) -> dict:
        row = self.catalog.latest_for(url)
        if row is not None and self.store.has(row["sha256"]):
            return {"etag": row.get("etag"), "last_modified": row.get("last_modified")}
        refused = self.state.get(url)
        if refused is not None and refused.get("state") in _REMEMBERED:
            return {"etag": refused.get("etag"), "last_modified": refused.get("last_modified")}
        return {}  # never fetched, or the file is gone: fetch it whole

    def _still_refused(self, task: _Task, refused: dict) -> bool:
        """A file refused as too large by a server that gives no validators
        would be re-read up to the cap on every run; as long as the cap is
        the same, trust the earlier verdict instead."""
        if (refused.get("state") == "too-large" and not (refused.get("etag") or refused.get("last_modified"))
                and refused.get("max_bytes") == self.source.limits.max_bytes):
            self._problem(task.url, "too-large", f"{refused['message']} (on {refused['at'][:10]}; not fetched again)", task.page_url)
            return True
        return False

    def _remember_page(self, url: str, page: Page, fetched: Fetched) -> None:
        if fetched.status == 304:
            self.report.not_modified += 1
            return
        # Keyed by the URL asked for, which is what the next run will ask for.
        self.state.put({
            "url": url, "state": "page", "etag": fetched.etag, "last_modified": fetched.last_modified,
            "title": page.title, "heading": page.heading,
            "links": [[link.url, link.text] for link in page.links],
            "text": page.text if self.source.pagination.page_count_regex else "",
            "fetched_at": _now(),
        })

    def _stop(self, reason: str) -> None:
        """Take no more links; those queued but not started are dropped now."""
        if self.report.stopped_by:
            return
        self.report.stopped_by = reason
        for future in [f for f in self.pending if f.cancel()]:
            del self.pending[future]
            self.report.not_fetched += 1

    def _refuse(self, task: _Task, kind: str, message: str, status: int | None,
                etag: str | None = None, last_modified: str | None = None) -> None:
        if task.kind == "attachment" and kind in _REMEMBERED:
            self.state.put({
                "url": task.url, "state": kind, "message": message,
                "etag": etag, "last_modified": last_modified,
                "max_bytes": self.source.limits.max_bytes, "at": _now(),
            })
        self._problem(task.url, kind, message, task.page_url, status)

    def _store_attachment(self, task: _Task, fetched: Fetched) -> None:
        if fetched.status == 304:
            self.report.not_modified += 1
            previous = self.catalog.latest_for(task.url)
            if previous is None:
                refused = self.state.get(task.url) or {"state": "bad-response", "message": "304 for a file never stored"}
                self._problem(task.url, refused["state"], f"{refused['message']} (unchanged since it was refused)", task.page_url, 304)
                return
            sha256, size, is_new = previous["sha256"], previous["size"], False
            etag = fetched.etag or previous.get("etag")
            last_modified = fetched.last_modified or previous.get("last_modified")
        else:
            defect = pdf_defect(fetched.file)
            if defect is not None:
                fetched.file.unlink(missing_ok=True)
                self._refuse(task, *defect, fetched.status, fetched.etag, fetched.last_modified)
                return
            # The file is in the store before its row is in the catalog, which
            # the ingest sensor may read at any moment: a row never names a
            # missing file. A kill between the two leaves the file unlisted;
            # the next run, finding no row, fetches it again and lists it.
            _, is_new = self.store.put(fetched.file, fetched.sha256)
            self.state.drop(task.url)
            sha256, size = fetched.sha256, fetched.size
            etag, last_modified = fetched.etag, fetched.last_modified
        now = _now()  # just before the row is written: the sensor's cursor is this time
        row = self.catalog.upsert({
            "sha256": sha256, "url": task.url, "source": self.source.name,
            "path": self.store.relative(sha256), "size": size,
            "first_seen": now, "last_seen": now,
            "title": task.title, "link_text": task.link_text, "page_url": task.page_url,
            **hints.document_hints(self.source, title=task.title, link_text=task.link_text, file_name=file_name(task.url)),
            "etag": etag, "last_modified": last_modified, "http_status": fetched.status,
        })
        document = self.documents.get(sha256)
        if document is None:
            document = {key: row[key] for key in (
                "sha256", "url", "title", "link_text", "page_url", "department_hint",
                "region", "report_kind_hint", "fiscal_year_hint", "size")}
            document.update(path=str(self.store.path_for(sha256)), urls=[task.url], is_new=is_new)
            self.documents[sha256] = document
        else:
            document["urls"].append(task.url)
            document["is_new"] = document["is_new"] or is_new
        self._notify("document", task.url)

    def _problem(self, url: str, kind: str, message: str, page_url: str | None, status: int | None = None) -> None:
        event = {"url": url, "kind": kind, "message": message, "page_url": page_url, "http_status": status}
        self.report.problems.append(event)
        append_events(self.store.root, self.source.name,
                      [{**event, "run_id": self.report.run_id, "source": self.source.name, "at": _now()}])
        self._notify("problem", url)

    def _notify(self, event: str, url: str) -> None:
        if self.progress is None:
            return
        counters = self.fetcher.counters
        self.progress(CrawlProgress(
            source=self.source.name, event=event, url=url, pages=self.report.pages,
            documents=len(self.documents),
            new_documents=sum(1 for d in self.documents.values() if d["is_new"]),
            problems=len(self.report.problems), queued=len(self.pending),
            requests=counters.requests, bytes=counters.bytes,
        ))

    def _finish(self) -> None:
        self.fetcher.close()
        counters = self.fetcher.counters
        report = self.report
        report.documents = sorted(self.documents.values(), key=lambda d: d["url"])
        report.requests, report.bytes, report.pdf_bytes = counters.requests, counters.bytes, counters.pdf_bytes
        if report.stopped_by:
            limits = self.source.limits
            limit = (f"its {limits.crawl_deadline:g} s deadline ([limits] crawl_deadline)"
                     if report.stopped_by == "crawl-deadline"
                     else f"its cap of {limits.max_requests:,} requests ([limits] max_requests)")
            report.stop_message = (f"crawl stopped at {limit} after {report.requests:,} requests; "
                                   f"{report.not_fetched:,} links not fetched (the next run goes on from the catalog)")
            self._problem(self.source.start_urls[0], report.stopped_by, report.stop_message, None)
        report.finished = _now()
        # Rows were appended as they came; compaction leaves one per key.
        self.catalog.save()
        self.state.save()
        append_run(self.store.root, self.source.name, {
            "run_id": report.run_id, "source": report.source, "started": report.started,
            "finished": report.finished, "requests": report.requests, "bytes": report.bytes,
            "pdf_bytes": report.pdf_bytes, "pages": report.pages, "documents": len(report.documents),
            "new_documents": len(report.new_documents), "problems": len(report.problems),
            "stopped_by": report.stopped_by, "not_fetched": report.not_fetched,
        })
        self._notify("done", self.source.start_urls[0])


# Refusals worth remembering: the body was the problem, and reading it again
# costs bytes. (A 404 or a timeout costs nothing to re-check; a broken or
# truncated PDF may have been cut in transfer, so the next run fetches it
# whole again instead of trusting a 304.)
_REMEMBERED = ("too-large", "not-a-pdf")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")
