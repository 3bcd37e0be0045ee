"""Runs whose process died: recorded at launch by who runs them, marked failed at the next start.

The CLI runs jobs in its own process (`execute_in_process`), and no run
monitoring daemon watches such runs: a CLI killed mid-run (SIGKILL, the OOM
killer, a closed laptop lid) leaves its run STARTED in Dagster's run list
forever. So each CLI run carries tags naming its process, and every CLI start
fails the runs whose process is gone.

A pid alone does not name a process: pids are reused, and after a reboot the
same pid is soon someone else's. The tags hold the host, the boot, the pid and
the process's start time (in clock ticks since boot, from /proc), which
together name one process; a run launched on another host is left alone,
since this machine cannot see its processes.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

HOST, BOOT, PID, STARTED = "disclosures/host", "disclosures/boot_id", "disclosures/pid", "disclosures/pid_started"


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


def _started(pid: int) -> str | None:
    """The process's start time in clock ticks since boot, '' where /proc is not there, None if no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None if Path("/proc/self/stat").exists() else ""
    except OSError:
        return ""
    # Field 22; the command name (field 2) is in parentheses and may hold spaces.
    return stat.rsplit(")", 1)[1].split()[19]


def owner_tags() -> dict[str, str]:
    """Tags naming this process, for every run it launches."""
    return {HOST: socket.gethostname(), BOOT: _boot_id(), PID: str(os.getpid()), STARTED: _started(os.getpid()) or ""}


def owner_alive(tags: dict[str, str]) -> bool | None:
    """Whether the process named by a run's tags still runs; None when this machine cannot tell."""
    if PID not in tags or tags.get(HOST) != socket.gethostname():
        return None
    if tags.get(BOOT) and tags[BOOT] != _boot_id():
        return False  # the machine rebooted since: every process of that boot is gone
    pid = int(tags[PID])
    started = _started(pid)
    if started is None:
        return False
    if started and tags.get(STARTED):
        return started == tags[STARTED]  # the same pid, started at another time: a new process
    try:  # no /proc: the pid is all there is to go on
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fail_orphaned_runs(instance) -> list[str]:
    """Mark failed every unfinished run whose launching process is gone; returns their ids."""
    from dagster import DagsterRunStatus, RunsFilter

    unfinished = [DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]
    failed = []
    for record in instance.get_run_records(filters=RunsFilter(statuses=unfinished)):
        run = record.dagster_run
        if owner_alive(run.tags) is not False:
            continue
        instance.report_run_failed(
            run, f"marked failed at the next CLI start: its process {run.tags[PID]} on {run.tags[HOST]} is gone (killed?)"
        )
        # A step of the run may hold a concurrency slot; nothing else would ever release it.
        if instance.event_log_storage.supports_global_concurrency_limits:
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        failed.append(run.run_id)
    return failed
