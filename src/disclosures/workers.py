"""Parsing documents in worker processes, each document bounded in memory and time.

A damaged PDF can make pdfium or camelot raise, loop, allocate gigabytes (a
decompression bomb) or crash in C code. Each of those must cost one document,
never the batch: a worker process parses one document at a time under an
address-space limit, a document that runs past its time limit has its worker
killed, and a worker that dies (a signal, an abort in C++) fails only the
document it held. pebble's ProcessPool does exactly this bookkeeping (a timeout
per task, a replacement worker after a death, the other tasks untouched), which
`concurrent.futures` does not: there one dead worker breaks the whole pool.

Workers live for the whole batch and import the parser once (the forkserver
preloads it), so a document costs no process start and no import; with one
worker per core the batch also uses every core.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
from collections.abc import Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from typing import TYPE_CHECKING

from pebble import ProcessExpired, ProcessPool

if TYPE_CHECKING:  # the parser is imported by the workers (and the forkserver), not by whoever sets limits
    from disclosures.parse.document import ParsedDocument


@dataclass(frozen=True)
class Limits:
    """What one document may cost. The defaults leave room for the largest real
    disclosures (a 60-page document parses in ~5 s and ~250 MB; scanned, OCR takes minutes)
    and stop a bomb."""

    workers: int = 0  # 0: one per core
    memory_mb: int = 2048  # address space of a worker, imports included (~650 MB; the OCR models ~+250 MB)
    # wall time per document: a scanned document is OCR'd page by page (~3-5 s a page on one
    # core, several times that on a loaded machine), so 60 scanned pages must fit
    seconds: float = 900.0

    @property
    def pool_size(self) -> int:
        return self.workers or max(1, len(os.sched_getaffinity(0)))


@dataclass(frozen=True)
class Task:
    raw_path: str
    source_url: str | None
    hints: dict


def _init_worker(memory_mb: int) -> None:
    # The limit covers the whole worker: an allocation past it fails (MemoryError in
    # Python, an abort in pdfium's C++), which costs this document and this worker only.
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # Ctrl-C is the parent's to handle; a worker ends when the pool stops it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # camelot's PDF reader logs a traceback for every object it recovers from in a damaged
    # file; what matters reaches the document's reason.
    logging.getLogger("playa").setLevel(logging.CRITICAL)


def _parse(task: Task) -> ParsedDocument:
    from disclosures.parse.document import parse_document, parse_failed

    try:
        return parse_document(task.raw_path, source_url=task.source_url, hints=task.hints)
    except MemoryError:
        return parse_failed(task.raw_path, task.source_url, task.hints, "over the memory limit of its worker")


def _context():
    ctx = multiprocessing.get_context("forkserver")
    # The forkserver imports the parser once; every worker (and every replacement) is
    # forked from it with camelot, pdfium and pandas already loaded.
    # (and the OCR engine's code: its models load in the worker that first meets a scan, parse/ocr.py)
    ctx.set_forkserver_preload(["disclosures.parse.document", "rapidocr"])
    return ctx


def _failure(task: Task, exc: BaseException, limits: Limits) -> ParsedDocument:
    from disclosures.parse.document import parse_failed

    if isinstance(exc, FutureTimeout):
        why = f"stopped after the time limit of {limits.seconds:g} s per document"
    elif isinstance(exc, ProcessExpired):
        code = exc.exitcode
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            why = f"the parser's process died ({name}); memory limit {limits.memory_mb} MB"
        else:
            why = f"the parser's process exited with code {code}; memory limit {limits.memory_mb} MB"
    else:
        why = f"{type(exc).__name__} in the worker pool"
    return parse_failed(task.raw_path, task.source_url, task.hints, why)


def parse_all(tasks: Iterable[Task], limits: Limits = Limits()) -> Iterator[ParsedDocument]:
    """Parse every task, yielding results in the order given; never raises for a document."""
    tasks = list(tasks)
    if not tasks:
        return
    with ProcessPool(
        max_workers=min(limits.pool_size, len(tasks)),
        initializer=_init_worker,
        initargs=(limits.memory_mb,),
        context=_context(),
    ) as pool:
        try:
            # Scheduled lazily, a window ahead of the results: results stream out in order,
            # and at most a window of parsed documents waits in memory at once.
            window = 4 * limits.pool_size
            futures = [pool.schedule(_parse, (t,), timeout=limits.seconds) for t in tasks[:window]]
            for i, task in enumerate(tasks):
                if i + window < len(tasks):
                    futures.append(pool.schedule(_parse, (tasks[i + window],), timeout=limits.seconds))
                try:
                    result = futures[i].result()
                except (FutureTimeout, ProcessExpired) as exc:
                    result = _failure(task, exc, limits)
                futures[i] = None  # the result is the caller's now
                yield result
        except BaseException:
            pool.stop()  # Ctrl-C or the consumer stopped: don't wait for the queue
            raise

