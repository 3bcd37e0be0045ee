"""Each batch of a long ingest in a process of its own, forked from the CLI once it has imported everything.

Why: one process running batch after batch kept memory from each. Measured on
the scale corpus (bench/scale.py, batches of 250): a fresh CLI peaked at 754 MB
for one batch, 941 MB for two, 1,197 MB for four, with the Python objects' count
flat between batches (what stayed was the allocators' heap, not objects we
hold). A batch forked from a CLI that has already imported Dagster, the
definitions and Great Expectations starts each time from that same heap and
pays no import again (the child shares the parent's pages); when it exits, all
it allocated goes with it. The CLI's peak is then one batch's, however many
batches a command has.

The child's `disclosures.progress` records come back to the parent through a
pipe and go to the parent's handlers, so the progress bars (which add batch to
batch) live in one process. A child dies with its parent (PR_SET_PDEATHSIG):
killing the CLI stops its ingest, as it did when the batch ran inside it.
"""

from __future__ import annotations

import ctypes
import logging
import logging.handlers
import multiprocessing
import os
import signal
from collections.abc import Callable
from typing import Any

from disclosures.ingest_progress import LOGGER

_PR_SET_PDEATHSIG = 1


def preload() -> None:
    """Import what every batch needs, once, in the process that forks them."""
    import great_expectations  # noqa: F401 - seconds to import; the forked batches share it

    from disclosures.pipelines.definitions import defs

    defs().resolve_job_def("ingest")


class BatchDied(RuntimeError):
    """The batch's process ended without a result (killed, out of memory)."""


def run_forked(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args) in a forked child; its return value (picklable), its progress records shown here.

    A Ctrl-C from the terminal reaches the child too (the whole process group
    gets it): the child's run ends as an interrupted run ends (the document being
    written is finished, the run fails), and its result is returned as usual; the
    caller tells an interrupt from a failure as before (interrupts.Watch)."""
    context = multiprocessing.get_context("fork")
    records, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, fn, args, os.getpid()))
    child.start()
    sender.close()
    while True:
        try:
            kind, value = _relay(records, child)
            break
        except KeyboardInterrupt:
            continue  # keep relaying: the child may be finishing its document, and says how its run ended
    if kind == "error":
        raise value
    return value


def _relay(records, child) -> tuple[str, Any]:
    """Show the child's records until it sends its result or error, or dies."""
    from multiprocessing.connection import wait

    log = logging.getLogger(LOGGER)
    closed = False
    while True:
        ready = wait([child.sentinel] if closed else [records, child.sentinel])
        while not closed and records.poll():  # everything the child sent, in order, before judging its end
            try:
                kind, value = records.recv()
            except EOFError:
                closed = True
                break
            if kind == "record":
                log.handle(value)
            else:
                child.join()
                return kind, value
        if child.sentinel in ready:
            child.join()
            raise BatchDied(f"the batch's process died ({_exit(child.exitcode)})")


def _exit(code: int | None) -> str:
    if code is not None and code < 0:
        return signal.Signals(-code).name
    return f"exit code {code}"


def _child(records, fn, args, parent: int) -> None:
    ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    log = logging.getLogger(LOGGER)
    for handler in list(log.handlers):
        log.removeHandler(handler)
    log.addHandler(_Forward(records))
    log.propagate = False
    try:
        records.send(("result", fn(*args)))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        try:
            records.send(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that does not pickle still gets its line
            records.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


class _Forward(logging.handlers.QueueHandler):
    def enqueue(self, record: logging.LogRecord) -> None:
        self.queue.send(("record", record))
