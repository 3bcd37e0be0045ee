"""Ctrl-C around the warehouse: held while a document is written, noticed by the CLI.

Two facts shape this module. DuckDB checks for signals while it runs a
statement, and when the Python handler raises (as Dagster's does during a run:
`DagsterExecutionInterruptedError`), DuckDB swallows that exception and raises
`RuntimeError("Query interrupted")` instead: an interrupt then looks like a
failed statement, and the step fails with an error that says nothing of Ctrl-C.
And during a run Dagster replaces the SIGINT handler with its own, so the CLI
cannot learn of a Ctrl-C through a handler of its own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator


# Ctrl-C, and the SIGTERM Dagster sends a run it terminates (and handles as SIGINT).
HELD = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM for the duration of the block, then deliver them to whichever
    handlers were in place.

    A document's transaction takes milliseconds; holding Ctrl-C that long means
    the statement in flight completes (or the transaction is rolled back by its
    own error), never that an interrupt is mistaken for a failed statement."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach only the main thread; nothing to hold here
        return
    received: list[int] = []
    previous = {s: signal.signal(s, lambda signo, frame: received.append(signo)) for s in HELD}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        for s in dict.fromkeys(received):
            signal.raise_signal(s)  # the previous handler now runs, as if the signal came just now


class Watch:
    """Whether a SIGINT arrived while the watch was open, whoever's handler took it.

    Python writes the number of every signal it catches to the wakeup fd, from
    its C-level handler, before any Python handler runs: Dagster's handler (or
    DuckDB's translation of it) cannot hide a Ctrl-C from this."""

    def __init__(self) -> None:
        self._read = self._write = -1
        self._previous = -1
        self.interrupted = False

    def __enter__(self) -> Watch:
        if threading.current_thread() is threading.main_thread():
            self._read, self._write = os.pipe()
            os.set_blocking(self._read, False)
            os.set_blocking(self._write, False)
            self._previous = signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
        return self

    def seen(self) -> bool:
        """True once a SIGINT has arrived since the watch opened."""
        if self._read < 0 or self.interrupted:
            return self.interrupted
        with contextlib.suppress(BlockingIOError):
            while chunk := os.read(self._read, 512):
                self.interrupted = self.interrupted or signal.SIGINT in chunk
        return self.interrupted

    def __exit__(self, *exc) -> None:
        if self._read < 0:
            return
        self.seen()
        signal.set_wakeup_fd(self._previous)
        os.close(self._read)
        os.close(self._write)
        self._read = self._write = -1


def _is_interrupt(exc: BaseException | None) -> bool:
    return type(exc).__name__ in ("KeyboardInterrupt", "DagsterExecutionInterruptedError")


def _not_an_interrupt(record: logging.LogRecord) -> bool:
    return not _is_interrupt(record.exc_info[1] if record.exc_info else None)


def quiet_library_interrupts() -> None:
    """Libraries' own reports of a Ctrl-C they caught while cleaning up are left out of stderr.

    Dagster's handler raises wherever the main thread is when Ctrl-C lands. In the middle of
    closing a run-storage connection SQLAlchemy catches that and logs "Exception closing
    connection" with a traceback; in the middle of pyarrow asking a staged file whether it is
    closed, pyarrow cannot raise it and hands it to `sys.unraisablehook`, which prints a bare
    traceback. The CLI says the interrupt once, in its own line; every other warning of
    SQLAlchemy's, and every other unraisable exception, is still printed."""
    previous = sys.unraisablehook  # whoever reports the others (Python's default, or pytest's)

    def unraisable_unless_interrupt(unraisable) -> None:
        if not _is_interrupt(unraisable.exc_value):
            previous(unraisable)

    sys.unraisablehook = unraisable_unless_interrupt
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.addFilter(_not_an_interrupt)
    logger = logging.getLogger("sqlalchemy")
    logger.addHandler(handler)
    logger.propagate = False
