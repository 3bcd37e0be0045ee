"""Progress reporting: crawl() calls a plain callback; rich_progress() is one
for a terminal."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Callable, Iterator


@dataclass(frozen=True)
class CrawlProgress:
    source: str
    event: str  # start | page | document | problem | done
    url: str
    pages: int  # HTML pages handled so far
    documents: int  # distinct PDFs found so far
    new_documents: int
    problems: int
    queued: int  # fetches still waiting or running
    requests: int
    bytes: int


ProgressCallback = Callable[[CrawlProgress], None]


@contextlib.contextmanager
def rich_progress(console=None) -> Iterator[ProgressCallback]:
    """A live status line for `disclosures scrape`:

        with rich_progress() as progress:
            report = crawl(source, store, progress=progress)
    """
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

    bar = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.fields[source]}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} fetches"),
        TextColumn("{task.fields[summary]}"),
        console=console,
        transient=False,
    )
    tasks: dict[str, int] = {}

    def update(p: CrawlProgress) -> None:
        if p.source not in tasks:
            tasks[p.source] = bar.add_task("", total=1, source=p.source, summary="")
        done = p.pages + p.documents + p.problems
        summary = (f"{p.pages} pages · {p.documents} PDFs ({p.new_documents} new) · "
                   f"{p.problems} problems · {p.bytes / 1e6:.1f} MB")
        bar.update(tasks[p.source], completed=done, total=max(done + p.queued, 1), summary=summary)

    with bar:
        yield update
