"""The scale corpus through the Dask executor: 1, 2 and 3 workers against the in-process CLI.

    python bench/dask_workers.py                  # the 1,000-document scale corpus (cached by bench/scale.py)
    python bench/dask_workers.py --documents 20   # a quick look

1. The reference: `disclosures ingest FOLDER --workers 1` with no scheduler set,
   on a SQLite Dagster home: the run in the CLI's process, one parser process.
2. For each worker count: a local dask.distributed cluster of that many worker
   processes (one thread each) and a PostgreSQL Dagster instance, both on
   127.0.0.1 (tests/cluster.py, the helpers test_distributed.py uses), and the
   same CLI command with `DISCLOSURES_DASK_SCHEDULER` set. Each parse step runs
   one parser process (`--workers 1`): a worker is one core's worth of parsing.
   A batch is cut into `--shards` steps (6 by default, so 1, 2 and 3 workers all
   get whole rounds of steps).
3. Each warehouse compared with the reference, row for row: documents, cells
   with their pages and boxes, tables, page problems, checks.
4. Memory per worker process: its peak RSS in each step (the peak counter is
   reset as a step starts), its RSS before the first step and after the last,
   and the peak of it and its descendants (forkserver, parser processes)
   sampled from /proc.

Prints one JSON object; bench/run.py stores it in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import duckdb
from distributed.diagnostics.plugin import WorkerPlugin

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]

from cluster import create_database, dask_cluster, postgres  # noqa: E402  (tests/cluster.py)
from scale import CACHE, PeakRss, corpus, run_cli  # noqa: E402

# What a run writes, less what names the run, the time or the raw store's folder.
CONTENT = {
    "documents": "* EXCLUDE (run_id, loaded_at, raw_path)",
    "fact_amounts": "* EXCLUDE (run_id)",
    "check_results": "* EXCLUDE (run_id)",
    "document_tables": "*",
    "document_problems": "*",
}


def content(warehouse: Path) -> dict[str, list]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {table: con.execute(f"SELECT {cols} FROM {table} ORDER BY ALL").fetchall() for table, cols in CONTENT.items()}
    finally:
        con.close()


def ingest(folder: Path, tmp: Path, env: dict, workers: int) -> tuple[float, dict, Path]:
    warehouse = tmp / "w.duckdb"
    (tmp / "home").mkdir(parents=True)
    seconds, memory, _ = run_cli(["ingest", str(folder), "--warehouse", str(warehouse), "--data", str(tmp / "data"),
                                  "--workers", str(workers)], {**env, "DAGSTER_HOME": str(tmp / "home")})
    return seconds, memory, warehouse


def own_memory_mb() -> dict[str, float]:
    """This process's peak (VmHWM) and current (VmRSS) resident memory.

    Not getrusage's ru_maxrss: Linux carries a process's peak across exec into
    the new program's, so a worker the nanny spawned reports the spawning
    process's peak (here the bench's, holding the reference warehouse) as its own."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return {k: round(int(status[f"Vm{k}"].split()[0]) / 1024, 1) for k in ("HWM", "RSS")}


class StepPeaks(WorkerPlugin):
    """In each worker: the peak RSS of each step it ran (the largest over the batches' runs), and its
    RSS before its first step and after its last."""

    name = "step-peaks"

    def setup(self, worker) -> None:
        self.rss_at_start = self.rss_after_last = own_memory_mb()["RSS"]
        self.steps: dict[str, float] = {}

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish == "executing":
            # The peak counter is reset as each step starts, so VmHWM after it is that step's own.
            Path("/proc/self/clear_refs").write_text("5")
        elif start == "executing":
            after = own_memory_mb()
            step = str(key).split(".", 1)[-1]  # the task's key is <run id>.<step key>
            self.steps[step] = max(self.steps.get(step, 0.0), after["HWM"])
            self.rss_after_last = after["RSS"]


def worker_steps(dask_worker) -> dict:
    plugin = dask_worker.plugins[StepPeaks.name]
    return {"rss_at_start_mb": plugin.rss_at_start, "rss_after_last_mb": plugin.rss_after_last, "steps": plugin.steps}


def worker_trees(client) -> dict[int, PeakRss]:
    """A sampler of VmHWM over each worker process and its descendants (forkserver, parser processes)."""
    return {pid: PeakRss(pid) for pid in client.run(os.getpid).values()}


def worker_memory(client, trees: dict[int, PeakRss]) -> dict:
    per_worker = list(client.run(worker_steps).values())
    steps: dict[str, float] = {}
    for w in per_worker:
        for step, mb in w["steps"].items():
            steps[step] = max(steps.get(step, 0.0), mb)
    by_role: dict[str, float] = {}
    for tree in trees.values():
        for role, mb in tree.stop()["peak_rss_mb_by_role"].items():
            role = "dask worker" if role == "cli" else role  # PeakRss names the root of its tree the CLI
            by_role[role] = max(by_role.get(role, 0.0), mb)
    return {
        "worker_peak_rss_mb_max": max([*steps.values(), by_role.get("dask worker", 0.0)]),
        "worker_rss_at_start_mb_max": max(w["rss_at_start_mb"] for w in per_worker),
        "worker_rss_after_last_step_mb_max": max(w["rss_after_last_mb"] for w in per_worker),
        "step_peak_rss_mb": dict(sorted(steps.items(), key=lambda kv: -kv[1])),
        "peak_rss_mb_by_role": by_role,
    }


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--workers", default="1,2,3", help="Dask worker counts to run")
    ap.add_argument("--shards", type=int, default=6, help="steps a batch is parsed and validated in")
    opts = ap.parse_args()

    files = corpus(opts.documents, opts.seed, opts.cache)
    folder = files[0].parent
    base = {k: v for k, v in os.environ.items() if k not in ("DISCLOSURES_DASK_SCHEDULER", "DAGSTER_POSTGRES_URL")}
    result: dict = {"documents": len(files), "shards": opts.shards, "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="disclosures-distributed-") as tmp:
        tmp = Path(tmp)
        seconds, memory, warehouse = ingest(folder, tmp / "in_process", base, workers=1)
        reference = content(warehouse)
        result["in_process"] = {"seconds": round(seconds, 1), "documents": len(reference["documents"]),
                                "facts": len(reference["fact_amounts"]), "checks": len(reference["check_results"]),
                                "peak_rss_mb_max": memory["peak_rss_mb_max"],
                                "peak_rss_mb_by_role": memory["peak_rss_mb_by_role"]}
        runs = {}
        with postgres() as server:
            for n in (int(w) for w in opts.workers.split(",")):
                database = create_database(server, f"workers_{n}")
                env = {**base, "DAGSTER_POSTGRES_URL": database, "DISCLOSURES_SHARDS": str(opts.shards)}
                os.environ["DAGSTER_POSTGRES_URL"] = database  # the workers read the instance's settings too
                with dask_cluster(n) as client:
                    client.register_plugin(StepPeaks())
                    trees = worker_trees(client)
                    env["DISCLOSURES_DASK_SCHEDULER"] = client.scheduler.address
                    seconds, memory, warehouse = ingest(folder, tmp / f"workers_{n}", env, workers=1)
                    runs[n] = {"seconds": round(seconds, 1), "cli_peak_rss_mb_max": memory["peak_rss_mb_max"],
                               **worker_memory(client, trees),
                               "identical_to_in_process": content(warehouse) == reference}
        one = runs.get(1, {}).get("seconds")
        for run in runs.values():
            if one:
                run["speedup_vs_1_worker"] = round(one / run["seconds"], 2)
        result["dask_workers"] = runs
    return result


if __name__ == "__main__":
    print(json.dumps(main(), indent=2, ensure_ascii=False))
