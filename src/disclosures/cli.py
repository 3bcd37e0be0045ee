"""`disclosures`: the headless entry point. It runs the same Dagster assets as the UI.

    disclosures ingest samples/pdfs --warehouse data/warehouse.duckdb
    disclosures query "SELECT * FROM mart_department_totals" --warehouse data/warehouse.duckdb
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

DEFAULT_WAREHOUSE = os.environ.get("DISCLOSURES_WAREHOUSE", "data/warehouse.duckdb")
DEFAULT_DATA = os.environ.get("DISCLOSURES_DATA", "data")


def _pdf_files(paths: list[str]) -> list[str]:
    """Files as given, and every *.pdf under a directory, in a stable order."""
    out = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(str(f) for f in sorted(path.rglob("*")) if f.is_file() and f.suffix.lower() == ".pdf")
        else:
            out.append(str(path))  # a missing file becomes a rejected document, not a crash
    return out


def _instance():
    from dagster import DagsterInstance

    home = Path(os.environ.setdefault("DAGSTER_HOME", str(Path(".dagster_home").resolve())))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n")
    return DagsterInstance.get()


def run_ingest(files: list[str], warehouse: str, data: str, source_urls=None, hints=None) -> tuple[bool, str]:
    """Materialize the ingest job in-process on local files; return (success, run id)."""
    from disclosures.pipelines.definitions import defs

    job = defs.resolve_job_def("ingest")
    run_config = {
        "ops": {"raw_documents": {"config": {"paths": files, "source_urls": source_urls or [], "hints": hints or []}}},
        "resources": {"warehouse": {"config": {"database": warehouse}}, "raw_store": {"config": {"root": data}}},
        "loggers": {"console": {"config": {"log_level": "WARNING"}}},
    }
    result = job.execute_in_process(run_config=run_config, instance=_instance(), raise_on_error=False)
    return result.success, result.run_id


def _summary(warehouse: str, run_id: str) -> str:
    import duckdb

    con = duckdb.connect(warehouse, read_only=True)
    try:
        docs = con.execute(
            "SELECT status, count(*), sum(cells), sum(errors), sum(warnings) FROM documents WHERE run_id = ? GROUP BY 1 ORDER BY 1",
            [run_id],
        ).fetchall()
        failed = con.execute(
            "SELECT count(*) FROM check_results WHERE run_id = ? AND NOT passed AND severity = 'error'", [run_id]
        ).fetchone()[0]
        rejected = con.execute(
            "SELECT file_name, status, reason FROM documents WHERE run_id = ? AND status <> 'loaded' ORDER BY file_name",
            [run_id],
        ).fetchall()
    finally:
        con.close()
    by_status = {s: n for s, n, *_ in docs}
    cells = sum(c or 0 for _, _, c, _, _ in docs)
    loaded = by_status.get("loaded", 0)
    lines = [
        f"documents: {sum(by_status.values())} ({', '.join(f'{n} {s}' for s, n in by_status.items()) or 'none'})",
        f"loaded: {loaded}; not loaded: {sum(by_status.values()) - loaded}",
        f"cells landed: {cells}",
        f"checks failed: {failed} error-severity",
    ]
    lines += [f"  {name}: {status}: {reason}" for name, status, reason in rejected]
    lines.append(f"warehouse: {Path(warehouse).resolve()}")
    return "\n".join(lines)


def cmd_ingest(args) -> int:
    files = _pdf_files(args.paths)
    if not files:
        print("no PDF files found in: " + " ".join(args.paths), file=sys.stderr)
        return 2
    print(f"ingesting {len(files)} files into {args.warehouse}", file=sys.stderr)
    ok, run_id = run_ingest(files, args.warehouse, args.data)
    if not ok:
        print(f"run {run_id} failed: see `dagster dev` (DAGSTER_HOME={os.environ['DAGSTER_HOME']})", file=sys.stderr)
        return 1
    print(_summary(args.warehouse, run_id))
    return 0


def cmd_query(args) -> int:
    import duckdb

    path = Path(args.warehouse)
    if not path.exists():
        print(f"no warehouse at {path}", file=sys.stderr)
        return 2
    con = duckdb.connect(str(path), read_only=True)
    try:
        rel = con.sql(args.sql)
        if rel is None:
            return 0
        frame = rel.df()
    except duckdb.Error as exc:
        print(f"query failed: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False)
    else:
        print(frame.to_string(index=False, max_rows=args.max_rows) if not frame.empty else "(no rows)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="disclosures", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="parse, validate and load local PDFs (files or directories)")
    p.add_argument("paths", nargs="+", help="PDF files or directories holding them")
    p.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help="DuckDB file (default: %(default)s)")
    p.add_argument("--data", default=DEFAULT_DATA, help="raw store root, files kept by sha256 (default: %(default)s)")
    p.set_defaults(func=cmd_ingest)

    q = sub.add_parser("query", help="run SQL against the warehouse and print the result")
    q.add_argument("sql")
    q.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help="DuckDB file (default: %(default)s)")
    q.add_argument("--format", choices=["table", "csv"], default="table")
    q.add_argument("--max-rows", type=int, default=200)
    q.set_defaults(func=cmd_query)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    progress = logging.getLogger("disclosures.progress")
    if not progress.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        progress.addHandler(handler)
        progress.setLevel(logging.INFO)
        progress.propagate = False
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
