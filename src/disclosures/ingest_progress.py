"""What `disclosures ingest` shows while it runs: a progress bar on a terminal, plain lines elsewhere.

The ingest job's steps log their progress to `disclosures.progress` (batch.parse_stream
per document, batch.validate_batch before and after Great Expectations, the
publish asset per document), each record carrying `stage`, `done` and `total`.
The CLI only changes how those records are shown, so the bar follows the same
job that `dagster dev` runs: on a terminal, one bar per stage with the parse
bar's ETA over every file of the command; in a log or CI, the records' own lines.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

LOGGER = "disclosures.progress"


class _Stage:
    """One bar; a command of several batches adds each batch's figures to those before it."""

    def __init__(self, bar: Progress, name: str, total: int | None = None) -> None:
        self.bar, self.base = bar, 0
        # A stage is shown once it starts: an empty 0/0 bar would look like one that finished.
        self.task = bar.add_task(name, total=total, note="", visible=total is not None)

    def update(self, done: int, total: int, note: str = "") -> None:
        self.bar.update(self.task, completed=self.base + done, note=note, visible=True)
        if done >= total:
            self.base += total  # the batch's stage is over: the next batch counts on from here


class BarHandler(logging.Handler):
    """Turns the progress records into three bars: parse (all files), validate, publish."""

    def __init__(self, bar: Progress, files: int) -> None:
        super().__init__(logging.INFO)
        self.bar = bar
        self.parse = _Stage(bar, "parse", files)
        self.validate = _Stage(bar, "validate")
        self.publish = _Stage(bar, "publish")

    def emit(self, record: logging.LogRecord) -> None:
        stage = getattr(record, "stage", None)
        done, total = getattr(record, "done", 0), getattr(record, "total", 0)
        if stage == "parse":
            if done == 0:  # a batch starts: its skipped files are done already
                self.parse.base += getattr(record, "skipped", 0)
                self.parse.update(0, total)
            else:
                self.parse.update(done, total)
                if getattr(record, "status", "loaded") != "loaded":
                    self.bar.console.print(record.getMessage(), markup=False, highlight=False)
        elif stage == "validate":
            if done == 0:  # one GX run, no steps inside it to count: the bar pulses and says why
                self.bar.update(self.validate.task, total=None, note=record.getMessage(), visible=True)
            else:
                self.bar.update(self.validate.task, total=self.validate.base + total, note="")
                self.validate.update(done, total)
        elif stage == "publish":
            task = self.bar.tasks[self.publish.task]
            if task.total is None or task.total < self.publish.base + total:
                self.bar.update(self.publish.task, total=self.publish.base + total)
            self.publish.update(done, total)
        else:  # news without figures (waiting for another writer, a batch validated one by one)
            self.bar.console.print(record.getMessage(), markup=False, highlight=False)


@contextlib.contextmanager
def shown(files: int, console: Console | None = None) -> Iterator[None]:
    """Show the ingest's progress records for the duration of the block: bars on a terminal,
    else the plain lines the `disclosures.progress` handler already prints."""
    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield
        return
    bar = Progress(
        TextColumn("{task.description:<9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[note]}"),
        console=console,
    )
    log = logging.getLogger(LOGGER)
    plain = list(log.handlers)
    handler = BarHandler(bar, files)
    for h in plain:
        log.removeHandler(h)
    log.addHandler(handler)
    try:
        with bar:
            yield
    finally:
        log.removeHandler(handler)
        for h in plain:
            log.addHandler(h)
