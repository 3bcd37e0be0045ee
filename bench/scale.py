"""A city's year of disclosures: scrape and ingest a large generated corpus, as a user would.

    python bench/scale.py                       # 1,000 documents (corpus cached in ~/.cache)
    python bench/scale.py --documents 100       # a quick look
    python bench/scale.py --compare-all         # the single-process comparison on every document

1. The corpus: reportlab documents, every one with its own random style and one of
   the generator's layouts (or none), drawn from a fixed seed; rendered once and
   cached outside the repository (`--cache`).
2. A local portal serves it on 127.0.0.1; `disclosures scrape --source sample-portal
   --ingest` crawls it and ingests what it found in batches (one Dagster run each),
   the way a scheduled scrape and the sensor do. Wall time per stage comes from the
   runs' own metadata; peak RSS of every process the command starts (the CLI, the
   forkserver, each parser worker) is sampled from /proc every 0.2 s.
3. The unchanged re-run: the same command again (conditional requests, nothing to parse).
4. Plain `camelot.read_pdf(path, pages="all")` on a sample of the corpus, in the same
   run, for the pages-per-second ratio.
5. Cells and checks compared with a single-process run (`--workers 1`) of a sample
   (or of everything with --compare-all).

Prints one JSON object; bench/run.py stores it in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "disclosures-bench"


def corpus(n: int, seed: int, cache: Path) -> list[Path]:
    """`n` reportlab documents over random styles and layouts, rendered once per (n, seed)."""
    from disclosures.generator import layouts
    from disclosures.generator.corpus import REGIONS, Spec, render_specs
    from disclosures.generator.departments import PROFILES

    out = cache / f"scale-{n}-s{seed}"
    done = out / "COMPLETE"
    if done.exists():
        return sorted(out.glob("*.pdf"))
    rng = random.Random(f"scale/{seed}")
    choices = [None, *sorted(layouts.LAYOUTS)]
    specs = []
    for i in range(n):
        region, profile, layout = rng.choice(sorted(REGIONS)), rng.choice(sorted(PROFILES)), rng.choice(choices)
        year = rng.choice((2023, 2024))
        specs.append(Spec(f"{REGIONS[region]}-{profile}-{year}-{i:05d}", "reportlab", year, region, profile,
                          seed=seed * 1_000_003 + i, layout=layout))
    render_specs(specs, out, workers=os.cpu_count() or 1)
    done.write_text(f"{n} documents\n")
    return sorted(out.glob("*.pdf"))


class PeakRss:
    """Peak RSS (VmHWM) of a process and every descendant, sampled from /proc."""

    def __init__(self, root_pid: int, every: float = 0.2):
        self.root, self.every = root_pid, every
        self.peaks: dict[int, tuple[str, float]] = {}  # pid -> (role, MB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _children(self) -> dict[int, int]:
        parents = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    stat = Path(f"/proc/{d}/stat").read_text()
                    parents[int(d)] = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    pass
        return parents

    def _run(self) -> None:
        while not self._stop.is_set():
            parents = self._children()
            tree, grew = {self.root}, True
            while grew:
                new = {p for p, pp in parents.items() if pp in tree} - tree
                tree |= new
                grew = bool(new)
            for pid in tree:
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                except OSError:
                    continue
                hwm = next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM")), 0.0)
                if hwm >= self.peaks.get(pid, ("", 0.0))[1]:
                    self.peaks[pid] = (self._role(pid, cmd, parents), hwm)
            self._stop.wait(self.every)

    def _role(self, pid: int, cmd: str, parents: dict[int, int]) -> str:
        if pid == self.root:
            return "cli"
        if "resource_tracker" in cmd:
            return "resource tracker"
        if "forkserver" in cmd:  # the server and the workers forked from it share its command line
            parent = parents.get(pid)
            try:
                parent_cmd = Path(f"/proc/{parent}/cmdline").read_bytes().decode(errors="replace")
            except OSError:
                parent_cmd = ""
            return "parser worker" if "forkserver" in parent_cmd else "forkserver"
        if parents.get(pid) == self.root and "disclosures" in cmd:
            return "cli batch"  # a batch forked by the CLI (disclosures.forked)
        return "other"

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        by_role: dict[str, float] = {}
        for role, mb in self.peaks.values():
            by_role[role] = max(by_role.get(role, 0.0), mb)
        return {"processes": len(self.peaks), "peak_rss_mb_by_role": {k: round(v, 1) for k, v in by_role.items()},
                "peak_rss_mb_max": round(max((mb for _, mb in self.peaks.values()), default=0.0), 1)}


def run_cli(args: list[str], env: dict) -> tuple[float, dict, str]:
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "disclosures.cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    rss = PeakRss(proc.pid)
    out, err = proc.communicate()
    seconds = time.perf_counter() - t
    memory = rss.stop()
    if proc.returncode != 0:
        raise SystemExit(f"disclosures {' '.join(args)} failed ({proc.returncode}):\n{err[-4000:]}")
    return seconds, memory, out


def stages(home: Path) -> dict:
    """Wall time per stage from the runs' materialization metadata (and run records)."""
    from dagster import DagsterEventType, DagsterInstance

    instance = DagsterInstance.from_config(str(home))
    totals: dict[str, float] = {}
    worker: dict[str, float] = {}
    for run in instance.get_runs():
        record = instance.get_run_record_by_id(run.run_id)
        if run.job_name != "ingest" and record.start_time and record.end_time:
            totals["scrape (run wall time)"] = totals.get("scrape (run wall time)", 0.0) + record.end_time - record.start_time
        for r in instance.get_records_for_run(run.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION).records:
            m = r.asset_materialization
            name = m.asset_key.to_user_string()
            meta = {k: v.value for k, v in m.metadata.items()}
            if "seconds" in meta:
                label = {"parsed_documents": "parse (wall, all workers)", "checked_documents": "validation",
                         "published_documents": "publish", "marts": "marts"}.get(name, name)
                totals[label] = totals.get(label, 0.0) + float(meta["seconds"])
            for stage, sec in (meta.get("seconds_by_stage") or {}).items():
                worker[stage] = worker.get(stage, 0.0) + float(sec)
    return {"wall_seconds": {k: round(v, 1) for k, v in totals.items()},
            "parse_worker_seconds_by_stage": {k: round(v, 1) for k, v in sorted(worker.items(), key=lambda kv: -kv[1])}}


def _runs(home: Path):
    from dagster import DagsterInstance

    return DagsterInstance.from_config(str(home)).get_runs()


def latest_scrape_bytes(home: Path) -> int | None:
    """Bytes the most recent scrape run downloaded (its asset's metadata)."""
    from dagster import DagsterEventType, DagsterInstance

    instance = DagsterInstance.from_config(str(home))
    for run in instance.get_runs():  # newest first
        if run.job_name == "ingest":
            continue
        for r in instance.get_records_for_run(run.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION).records:
            meta = r.asset_materialization.metadata
            if "bytes" in meta:
                return int(meta["bytes"].value)
    return None


def plain_camelot(files: list[Path]) -> dict:
    import camelot
    import pypdfium2 as pdfium

    pages, t = 0, time.perf_counter()
    for path in files:
        camelot.read_pdf(str(path), pages="all")
    seconds = time.perf_counter() - t
    for path in files:
        doc = pdfium.PdfDocument(str(path))
        pages += len(doc)
        doc.close()
    return {"documents": len(files), "pages": pages, "seconds": round(seconds, 1), "pages_per_s": round(pages / seconds, 2)}


def warehouse_content(path: Path, ids: set[str] | None = None) -> tuple:
    con = duckdb.connect(str(path), read_only=True)
    try:
        where = "WHERE document_id IN (SELECT unnest(?))" if ids else ""
        args = [sorted(ids)] if ids else []
        facts = con.execute(f"SELECT document_id, table_code, row_key, column_key, amount, page, x0, y0, x1, y1 "
                            f"FROM fact_amounts {where} ORDER BY ALL", args).fetchall()
        checks = con.execute(f"SELECT document_id, check_name, passed, severity, lhs, rhs FROM check_results {where} "
                             f"ORDER BY ALL", args).fetchall()
        docs = con.execute(f"SELECT document_id, status, cells, errors, warnings FROM documents {where} ORDER BY ALL",
                           args).fetchall()
    finally:
        con.close()
    return docs, facts, checks


def main() -> dict:
    result: dict = {}
    try:
        return _measure(result)
    except BaseException:
        print(json.dumps(result, indent=2, ensure_ascii=False), file=sys.stderr)  # what was measured before it failed
        raise


def _measure(result: dict) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--baseline-sample", type=int, default=20, help="documents read by plain camelot")
    ap.add_argument("--compare-sample", type=int, default=60, help="documents re-ingested by one process")
    ap.add_argument("--compare-all", action="store_true")
    opts = ap.parse_args()

    from disclosures.pdfdoc import sha256_file
    from disclosures.scrape import build_sample_portal, serve_portal

    t = time.perf_counter()
    files = corpus(opts.documents, opts.seed, opts.cache)
    generated_s = time.perf_counter() - t
    result.update(documents=len(files), corpus=str(opts.cache), corpus_seconds_if_rendered=round(generated_s, 1))

    with tempfile.TemporaryDirectory(prefix="disclosures-scale-") as tmp:
        tmp = Path(tmp)
        home, data, warehouse = tmp / "dagster_home", tmp / "data", tmp / "w.duckdb"
        home.mkdir()
        env = {**os.environ, "DAGSTER_HOME": str(home)}
        build_sample_portal(files, tmp / "site", per_page=25)
        with serve_portal(tmp / "site") as portal:
            args = ["scrape", "--source", "sample-portal", "--base-url", portal.url, "--data", str(data),
                    "--ingest", "--warehouse", str(warehouse)]
            seconds, memory, _ = run_cli(args, env)
            first_requests = len(portal.log)
            con = duckdb.connect(str(warehouse), read_only=True)
            pages, loaded, cells = con.execute(
                "SELECT sum(page_count), count(*) FILTER (WHERE status = 'loaded'), sum(cells) FROM documents").fetchone()
            con.close()
            result["first_run"] = {"seconds": round(seconds, 1), "pages": int(pages), "loaded": int(loaded),
                                   "cells": int(cells), "requests": first_requests,
                                   "pages_per_s_end_to_end": round(pages / seconds, 1), **memory, **stages(home)}
            again, _, out = run_cli(args, env)
            pdf_gets = [r for r in portal.log[first_requests:] if r.path.endswith(".pdf") and r.method == "GET"]
            unconditional = [r for r in pdf_gets if not {"If-None-Match", "If-Modified-Since"} & set(r.headers)]
            result["unchanged_rerun"] = {"seconds": round(again, 1), "share_of_first_run_pct": round(100 * again / seconds, 2),
                                         "requests": len(portal.log) - first_requests,
                                         "pdf_requests_unconditional": len(unconditional),
                                         "scrape_bytes": latest_scrape_bytes(home),
                                         "ingest_runs": sum(1 for r in _runs(home) if r.job_name == "ingest"),
                                         "summary": out.strip().splitlines()[:3]}

        baseline = plain_camelot(files[: opts.baseline_sample])
        result["plain_camelot_sample"] = baseline
        result["speedup_end_to_end_vs_plain"] = round(result["first_run"]["pages_per_s_end_to_end"] / baseline["pages_per_s"], 1)

        chosen = files if opts.compare_all else files[:: max(1, len(files) // opts.compare_sample)][: opts.compare_sample]
        single = tmp / "single.duckdb"
        folder = tmp / "compare"
        folder.mkdir()
        for f in chosen:
            (folder / f.name).symlink_to(f)
        # a Dagster home serves one warehouse
        (tmp / "single_home").mkdir()
        run_cli(["ingest", str(folder), "--warehouse", str(single), "--data", str(tmp / "data1"), "--workers", "1"],
                {**env, "DAGSTER_HOME": str(tmp / "single_home")})
        ids = {sha256_file(f) for f in chosen}
        same = warehouse_content(single, ids) == warehouse_content(warehouse, ids)
        result["single_process_comparison"] = {"documents": len(chosen), "identical_documents_cells_checks": same}
    return result


if __name__ == "__main__":
    print(json.dumps(main(), indent=2, ensure_ascii=False))
