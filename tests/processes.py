"""Killing the CLI in tests: its batch runs in a child (disclosures.forked) that dies with it a moment later."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def _alive(pids: list[int]) -> bool:
    return any(_state(p) != "Z" for p in pids)


def kill_cli(proc: subprocess.Popen) -> None:
    """SIGKILL the CLI, then wait until its batch process is gone too (it holds the warehouse's lock
    until then). The bound only keeps a stuck child from hanging the suite; outliving it fails."""
    batch = [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
    proc.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + 60
    while _alive(batch) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(batch), "the batch outlived the CLI"



def open_when_free(path: Path):
    """A read-only connection once the killed processes' lock on the warehouse is gone.

    A SIGKILLed process keeps its file lock until the kernel has torn it down, which
    for a process holding hundreds of MB takes a moment after its parent saw it die
    (seen here: DuckDB names the holder, by then without a command line). Nothing
    of the warehouse is read before the lock is free; the bound only keeps a lock
    that never goes from hanging the suite, and then the error is raised."""
    import duckdb

    deadline = time.monotonic() + 60
    while True:
        try:
            return duckdb.connect(str(path), read_only=True)
        except duckdb.IOException as exc:
            if "lock" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.1)
