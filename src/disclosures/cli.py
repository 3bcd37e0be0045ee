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

from disclosures.interrupts import quiet_library_interrupts
from disclosures.orphan_runs import fail_orphaned_runs, owner_tags

DEFAULT_WAREHOUSE = os.environ.get("DISCLOSURES_WAREHOUSE", "data/warehouse.duckdb")
DEFAULT_DATA = os.environ.get("DISCLOSURES_DATA", "data")


def _pdf_files(paths: list[str], skip: list[str] = ()) -> list[str]:
    """Files as given, and every *.pdf under a directory, in a stable order.

    A walk leaves out the `skip` folders found inside it: the raw store under
    the data folder holds a copy of every file ever ingested, named by its
    hash, so `ingest .` would otherwise ingest each document again under a
    name nobody gave it. A folder asked for by name is walked all the same.
    Paths that do not exist are the caller's to report (`_missing`)."""
    out = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            skipped = [d for d in (Path(s).resolve() for s in skip) if not path.resolve().is_relative_to(d)]
            out.extend(
                str(f) for f in sorted(path.rglob("*"))
                if f.is_file() and f.suffix.lower() == ".pdf" and not any(f.resolve().is_relative_to(s) for s in skipped)
            )
        elif path.exists():
            out.append(str(path))  # a file named as such is tried whatever its name: if it is no PDF, it is rejected
    return out


def _missing(paths: list[str]) -> list[str]:
    """The paths given that name nothing: a mistyped path is the user's error, not a document."""
    return [p for p in paths if not Path(p).exists()]


def _instance(warehouse: str | None = None):
    """The Dagster home's instance; with `warehouse`, refused (WrongHome) unless the home is that warehouse's."""
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef
    from filelock import FileLock

    from disclosures.pipelines.home import claim_home, instance_settings

    home = Path(os.environ.setdefault("DAGSTER_HOME", str(Path(".dagster_home").resolve())))
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(instance_settings())
    # The instance of $DAGSTER_HOME, less its capture of stdout and stderr. A CLI run's output is the
    # terminal's: Dagster's local capture sends it through files that `tail -F` subprocesses copy back,
    # a second late, records the progress bar's redraws as the run's log, and its two processes per
    # run each print a traceback on Ctrl-C. The run's events, metadata and errors are kept as ever.
    ref = InstanceRef.from_dir(str(home), overrides={"compute_logs": {
        "module": "dagster._core.storage.noop_compute_log_manager", "class": "NoOpComputeLogManager"}})
    # One process at a time: Dagster creates a new home's SQLite storages on first use, and two CLIs
    # started together on a fresh home both try (`table ... already exists`, a unique-key failure).
    with FileLock(str(home / "instance.lock")):
        instance = DagsterInstance.from_ref(ref)
        # Before anything is launched: runs a killed CLI left unfinished are failed, and said so.
        orphans = fail_orphaned_runs(instance)
    for run_id in orphans:
        print(f"run {run_id} was left unfinished by a process that is gone: marked failed", file=sys.stderr)
    if warehouse:
        claim_home(instance, warehouse)
    return instance


def run_ingest(
    files: list[str], warehouse: str, data: str, source_urls=None, hints=None, parser: dict | None = None
) -> tuple[bool, str]:
    """Materialize the ingest job in-process on local files, as a batch of its own; return (success, run id).

    The batch is a new partition of `ingest_batches`, so an ingest started beside
    another (or beside the sensor's runs) never reads the other's stored values."""
    from datetime import datetime, timezone

    from disclosures.assets.partitions import INGEST_BATCHES
    from disclosures.pending import batch_key
    from disclosures.pipelines.launch import execute_ingest

    instance = _instance(warehouse)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    key = batch_key(f"cli-{stamp}", [str(Path(f).resolve()) for f in files])
    instance.add_dynamic_partitions(INGEST_BATCHES.name, [key])
    run_config = {
        "ops": {"raw_documents": {"config": {"paths": files, "source_urls": source_urls or [], "hints": hints or []}}},
        "resources": {
            "warehouse": {"config": {"database": warehouse}},
            "raw_store": {"config": {"root": data}},
            "parser": {"config": parser or {}},
        },
        # The CLI reports the run itself (progress, summary, a failed step in one line); the
        # run's full log, tracebacks included, stays in its event log for `dagster dev`.
        "loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
    }
    # In this process, or on the Dask cluster when one is configured (pipelines/executors.py).
    return execute_ingest(run_config, instance, key, owner_tags())


def _before_batches(warehouse: str) -> None:
    """What the forked batches (disclosures.forked) should not each do: refuse a wrong home, fail
    the runs of dead CLIs (said here, on this process's stderr), import Dagster and GX."""
    from disclosures.forked import preload

    _instance(warehouse).dispose()
    preload()


def _failure(run_id: str) -> str:
    """Why a run failed, a line per failed step: the innermost error, which names the cause."""
    from dagster import DagsterEventType

    instance = _instance()
    lines = []
    for record in instance.all_logs(run_id, of_type={DagsterEventType.STEP_FAILURE, DagsterEventType.RUN_FAILURE}):
        event = record.dagster_event
        error = event.step_failure_data.error if event.is_step_failure else event.event_specific_data.error
        if event.is_step_failure or (not lines and error is None):
            while error is not None and error.cause is not None:
                error = error.cause
            why = (error.message if error is not None else event.message or "").strip().splitlines()
            lines.append(f"run {run_id} failed{f' in {event.step_key}' if event.step_key else ''}: {why[0] if why else '?'}")
    lines = lines or [f"run {run_id} failed"]
    lines.append(f"its log, tracebacks included: `dagster dev` with DAGSTER_HOME={os.environ['DAGSTER_HOME']}")
    return "\n".join(lines)


def _published(warehouse: str, run_ids: list[str]) -> int:
    """Documents the runs published (loaded or recorded as not loaded), read between writers."""
    import duckdb

    from disclosures.warehouse.reader import WarehouseBusy, open_for_reading

    if not run_ids or not Path(warehouse).exists():
        return 0
    try:
        con, _ = open_for_reading(warehouse)
    except WarehouseBusy:
        return 0
    try:
        return con.execute("SELECT count(*) FROM documents WHERE run_id IN (SELECT unnest(?))", [run_ids]).fetchone()[0]
    except duckdb.CatalogException:  # interrupted before the first write created the tables
        return 0
    finally:
        con.close()


def _summary(warehouse: str, run_ids: list[str], missing: list[str] = (), given: int | None = None) -> str:
    """What the runs of one command landed (a large ingest is several batches, one run each),
    and what became of every file given: parsed, skipped as already published, a duplicate, not found.
    `given` (the files the command found) is counted apart, so a file lost on the way would show."""
    con = _read_only(warehouse)  # another run may be publishing by now: its snapshot holds these runs too
    try:
        docs = con.execute(
            "SELECT status, count(*), sum(cells), sum(errors), sum(warnings) FROM documents "
            "WHERE run_id IN (SELECT unnest(?)) GROUP BY 1 ORDER BY 1",
            [run_ids],
        ).fetchall()
        failed = con.execute(
            "SELECT count(*) FROM check_results WHERE run_id IN (SELECT unnest(?)) AND NOT passed AND severity = 'error'",
            [run_ids],
        ).fetchone()[0]
        rejected = con.execute(
            "SELECT file_name, status, reason FROM documents WHERE run_id IN (SELECT unnest(?)) AND status <> 'loaded' "
            "ORDER BY file_name",
            [run_ids],
        ).fetchall()
    finally:
        con.close()
    by_status = {s: n for s, n, *_ in docs}
    cells = sum(c or 0 for _, _, c, _, _ in docs)
    loaded = by_status.get("loaded", 0)
    notes = [_batch_notes(run_id) for run_id in run_ids]
    skipped = [name for n in notes for name in n["skipped"]]
    duplicates = [line for n in notes for line in n["duplicates"]]
    parsed = sum(by_status.values())
    accounted = parsed + len(skipped) + len(duplicates) + len(missing)
    given = accounted if given is None else given
    lost = f", {given - accounted} unaccounted for" if given != accounted else ""
    lines = [
        f"files: {given} given: {parsed} parsed, {len(skipped)} already published, {len(duplicates)} duplicates, "
        f"{len(missing)} not found{lost}",
        f"documents: {parsed} ({', '.join(f'{n} {s}' for s, n in by_status.items()) or 'none'})",
        f"loaded: {loaded}; not loaded: {parsed - loaded}",
        f"cells landed: {cells}",
        f"checks failed: {failed} error-severity",
    ]
    lines += [f"  {name}: {status}: {reason}" for name, status, reason in rejected]
    if skipped:
        versions = sorted({n["code_version"] for n in notes if n["skipped"]})
        lines.append(f"skipped, already published by code version {', '.join(versions)}:")
        lines += _named(skipped)
    if duplicates:
        lines.append("duplicates (parsed once):")
        lines += _named(duplicates)
    if missing:
        lines.append("not found:")
        lines += _named(missing)
    lines.append(f"warehouse: {Path(warehouse).resolve()}")
    return "\n".join(lines)


def _named(items: list[str], most: int = 20) -> list[str]:
    """A list in the summary: every item up to `most`, then how many more (a re-run of 5,000 files skips 5,000)."""
    shown = [f"  {item}" for item in items[:most]]
    return shown + ([f"  … and {len(items) - most} more"] if len(items) > most else [])


def _batch_notes(run_id: str) -> dict:
    """What the run's raw step skipped, by file name: files already published by this code version, duplicates."""
    from dagster import DagsterEventType

    records = _instance().get_records_for_run(run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION).records
    meta = next((r.asset_materialization.metadata for r in records
                 if r.asset_materialization.asset_key.to_user_string() == "raw_documents"), {})

    def listed(key: str) -> list[str]:
        text = meta[key].value if key in meta else "none"
        return [] if text == "none" else [line.removeprefix("- ").replace("`", "") for line in text.splitlines()]

    version = meta.get("code_version")
    return {"skipped": listed("already_published_files"), "duplicates": listed("duplicates"),
            "code_version": version.value if version is not None else "?"}


def cmd_ingest(args) -> int:
    from disclosures.forked import BatchDied, run_forked
    from disclosures.ingest_progress import shown
    from disclosures.interrupts import Watch
    from disclosures.pipelines.automation import BATCH_SIZE

    missing = _missing(args.paths)
    for path in missing:
        print(f"disclosures ingest: no such file or directory: {path}", file=sys.stderr)
    files = _pdf_files(args.paths, skip=[args.data])
    if not files:
        if len(missing) < len(args.paths):
            print("no PDF files found in: " + " ".join(p for p in args.paths if p not in missing), file=sys.stderr)
        return 2
    print(f"ingesting {len(files)} files into {args.warehouse}", file=sys.stderr)
    parser = {"workers": args.workers, "memory_mb": args.max_memory_mb, "seconds_per_document": args.max_seconds}
    run_ids: list[str] = []
    with Watch() as ctrl_c:
        try:
            with shown(len(files)):
                # Batches as the sensor makes them: memory stays flat however many files are given.
                _before_batches(args.warehouse)
                for start in range(0, len(files), BATCH_SIZE):
                    try:
                        ok, run_id = run_forked(run_ingest, files[start : start + BATCH_SIZE], args.warehouse, args.data,
                                                None, None, parser)
                    except BatchDied as died:
                        print(f"{died}; {_published(args.warehouse, run_ids)} documents published before it", file=sys.stderr)
                        return 1
                    run_ids.append(run_id)
                    # Dagster takes Ctrl-C during a run and fails the run; only the watch can tell it from a failure.
                    if ctrl_c.seen() and (not ok or start + BATCH_SIZE < len(files)):
                        raise KeyboardInterrupt
                    if not ok:
                        print(_failure(run_id), file=sys.stderr)
                        return 1
        except KeyboardInterrupt:
            print(f"interrupted: {_published(args.warehouse, run_ids)} documents published, the rest not; "
                  "re-run to continue", file=sys.stderr)
            return 130
    print(_summary(args.warehouse, run_ids, missing, given=len(files) + len(missing)))
    return 2 if missing else 0


def run_scrape(names: list[str] | None, data: str, base_url: str = "", limits: dict | None = None) -> bool:
    """Materialize the scrape assets of the named sources (all enabled ones by default);
    `limits` (max_requests, crawl_deadline, response_deadline) replace the entries' own."""
    from disclosures.assets.scrape import asset_name, load_registry
    from disclosures.pipelines.automation import scrape_job_name
    from disclosures.pipelines.definitions import build_definitions

    registry = load_registry()
    known = registry.by_name()
    broken = [f"{n}: {registry.broken[n]}" for n in names or [] if n in registry.broken]
    if broken:
        raise SystemExit("disabled source(s), their entries do not load:\n" + "\n".join(broken))
    unknown = [n for n in names or [] if n not in known]
    if unknown:
        raise SystemExit(f"unknown source(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    selected = names or [n for n, s in known.items() if s.enabled]
    defs = build_definitions(registry)
    ok = True
    for name in selected:
        job = defs.resolve_job_def(scrape_job_name(known[name]))
        asset_op = asset_name(known[name])
        run_config = {
            "ops": {asset_op: {"config": {"base_url": base_url, **(limits or {})}}},
            "resources": {"raw_store": {"config": {"root": data}}},
            "loggers": {"console": {"config": {"log_level": "WARNING"}}},
        }
        result = job.execute_in_process(run_config=run_config, instance=_instance(), raise_on_error=False, tags=owner_tags())
        ok = ok and result.success
    return ok


def ingest_pending(data: str, warehouse: str, since: str = "", source: str | None = None) -> tuple[bool, list[str]]:
    """Ingest the scraped documents first seen after `since`, in batches of one run each; (success, run ids)."""
    from disclosures.forked import BatchDied, run_forked
    from disclosures.pending import batches, ingest_config, pending
    from disclosures.pipelines.automation import BATCH_SIZE

    rows = pending(data, since=since, source=source)
    run_ids, ok = [], True
    if not rows.empty:
        _before_batches(warehouse)
    for batch in batches(rows, BATCH_SIZE):
        cfg = ingest_config(data, batch)
        try:
            success, run_id = run_forked(run_ingest, cfg["paths"], warehouse, data, cfg["source_urls"], cfg["hints"])
        except BatchDied as died:  # this batch is lost, not the command: the next batches still run
            print(f"{died}; the {len(cfg['paths'])} files of that batch did not land", file=sys.stderr)
            ok = False
            continue
        if not success:
            print(_failure(run_id), file=sys.stderr)
        ok = ok and success
        run_ids.append(run_id)
    return ok, run_ids


def _scrape_summary(data: str, since: str) -> str:
    from disclosures.scrape import read_catalog, read_events

    catalog, events = read_catalog(data), read_events(data)
    new = catalog[catalog["first_seen"] >= since] if not catalog.empty else catalog
    lines = [f"documents in the catalog: {catalog['sha256'].nunique() if not catalog.empty else 0} (new this run: {new['sha256'].nunique() if not new.empty else 0})"]
    recent = events[events["at"] >= since] if not events.empty else events
    if not recent.empty:
        lines.append("problems this run: " + ", ".join(f"{k} {n}" for k, n in recent["kind"].value_counts().items()))
        lines += list(recent[recent["kind"].isin(["crawl-deadline", "request-cap"])]["message"])
    lines.append(f"raw store: {Path(data).resolve() / 'raw'}")
    return "\n".join(lines)


def cmd_scrape(args) -> int:
    from datetime import datetime, timezone

    limits = {k: getattr(args, k) for k in ("max_requests", "crawl_deadline", "response_deadline") if getattr(args, k)}
    if args.start_url:
        return _scrape_adhoc(args.start_url, Path(args.out or "scraped"), args.allow_private, limits)
    since = datetime.now(timezone.utc).isoformat(timespec="seconds")
    if not run_scrape(args.source, args.data, base_url=args.base_url or "", limits=limits):
        print("a scrape run failed: see `dagster dev`", file=sys.stderr)
        return 1
    print(_scrape_summary(args.data, since))
    if args.ingest:
        ok, run_ids = ingest_pending(args.data, args.warehouse, since=since)
        if run_ids:
            print(_summary(args.warehouse, run_ids))
        return 0 if ok else 1
    return 0


def _scrape_adhoc(start_url: str, out: Path, allow_private: bool = False, limits: dict | None = None) -> int:
    """Try a portal without a registry entry: its host only, each PDF saved once into `out`."""
    from disclosures.scrape import adhoc_source, crawl, rich_progress, save_copies

    source = adhoc_source(start_url, allow_private=allow_private)
    if limits:
        source = source.replace(limits=limits)
    out.mkdir(parents=True, exist_ok=True)
    with rich_progress() as progress:
        report = crawl(source, out / ".scrape", progress=progress)
    saved, save_problems = save_copies(report.documents, out)
    report.problems += save_problems
    print(f"{len(report.documents)} PDFs found, {saved} saved into {out.resolve()}, {len(report.problems)} problems")
    for p in report.problems:
        print(f"  {p['kind']}: {p['url']}: {p['message']}")
    return 0


def cmd_demo(args) -> int:
    """Scrape the bundled sample portal on 127.0.0.1, ingest what it finds, compare."""
    from datetime import datetime, timezone

    from disclosures.scrape import build_sample_portal, serve_portal

    samples = Path(args.samples)
    pdfs = sorted(samples.glob("*.pdf"))
    if not pdfs:
        print(f"no sample PDFs in {samples}", file=sys.stderr)
        return 2
    site = Path(args.data) / "sample-portal"
    build_sample_portal(pdfs, site)
    since = datetime.now(timezone.utc).isoformat(timespec="seconds")
    try:
        portal_cm = serve_portal(site, port=8765)
        portal = portal_cm.__enter__()
    except OSError:  # the usual port is taken: any free one (the catalog then sees new URLs)
        portal_cm = serve_portal(site, port=0)
        portal = portal_cm.__enter__()
    try:
        print(f"serving the sample portal at {portal.url}", file=sys.stderr)
        if not run_scrape(["sample-portal"], args.data, base_url=portal.url):
            return 1
    finally:
        portal_cm.__exit__(None, None, None)
    print(_scrape_summary(args.data, since))
    ok, run_ids = ingest_pending(args.data, args.warehouse, source="sample-portal")
    if not ok:
        return 1
    if run_ids:
        print(_summary(args.warehouse, run_ids))
    return 0


def cmd_query(args) -> int:
    import duckdb

    path = Path(args.warehouse)
    if not path.exists():
        print(f"no warehouse at {path}", file=sys.stderr)
        return 2
    con = _read_only(args.warehouse)
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


def _read_only(path: str):
    """The warehouse read-only, or its snapshot (said in one line) while an ingest writes it."""
    from disclosures.warehouse.reader import WarehouseBusy, open_for_reading

    try:
        con, note = open_for_reading(path)
    except (FileNotFoundError, WarehouseBusy) as exc:
        raise SystemExit(str(exc)) from None
    if note:
        print(note, file=sys.stderr)
    return con


def _has_marts(con) -> bool:
    """A warehouse last written before the marts were created with its tables may lack them."""
    from disclosures.export import MARTS

    views = {v for (v,) in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    return set(MARTS) <= views


NO_MARTS = "the warehouse has no marts yet: run `disclosures ingest` (it creates them before it publishes)"


def cmd_report(args) -> int:
    from disclosures.report import ScopeError, render_report

    con = _read_only(args.warehouse)
    try:
        if not _has_marts(con):
            print(NO_MARTS, file=sys.stderr)
            return 1
        page = render_report(con, args.region, args.year)
    except ScopeError as exc:
        print(f"disclosures report: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    Path(args.out).write_text(page, encoding="utf-8")
    print(f"report written to {Path(args.out).resolve()}")
    return 0


def cmd_export(args) -> int:
    from disclosures.export import DICTIONARY, export_marts

    con = _read_only(args.warehouse)
    try:
        if not _has_marts(con):
            print(NO_MARTS, file=sys.stderr)
            return 1
        formats = ("parquet", "csv") if args.format == "both" else (args.format,)
        written = export_marts(con, Path(args.out), formats)
    finally:
        con.close()
    print(f"{len(written)} files written to {Path(args.out).resolve()}, their columns described in {DICTIONARY}")
    return 0


def run_triage(warehouse: str, document: str, check: str, verdict: str, note: str, reviewer: str) -> tuple[str, str]:
    """Run the `triage` job in-process (as the UI's Launchpad does): record the verdict on the
    worklist item, re-run the checks. Returns ("recorded", the checks settled), or ("refused" or
    "busy", the one line the job failed with)."""
    from dagster import DagsterEventType

    from disclosures.pipelines.definitions import defs

    run_config = {
        "ops": {"check_dispositions": {"config": {
            "document": document, "check": check, "verdict": verdict, "note": note, "reviewer": reviewer}}},
        "resources": {"warehouse": {"config": {"database": warehouse}}},
        "loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
    }
    result = defs().resolve_job_def("triage").execute_in_process(
        run_config=run_config, instance=_instance(warehouse), raise_on_error=False
    )
    if result.success:
        return "recorded", result.asset_materializations_for_node("check_dispositions")[0].metadata["settled"].value
    failure = next(e for e in result.all_events if e.event_type == DagsterEventType.STEP_FAILURE)
    data = failure.step_failure_data
    if data.user_failure_data is None:  # not a refusal: a fault of ours, with its trace in the run
        return "failed", data.error.message.strip()
    return ("busy" if "busy" in data.user_failure_data.metadata else "refused"), data.user_failure_data.description


def cmd_triage(args) -> int:
    from disclosures.triage import failures

    if args.action == "list":
        con = _read_only(args.warehouse)
        try:
            frame = failures(con, include_settled=args.all)
        finally:
            con.close()
        print(frame.to_string(index=False) if not frame.empty else "no open failures")
        return 0
    if not (args.document and args.check and args.disposition and args.note):
        print("mark needs DOCUMENT CHECK --as {bureau-error,parser-error} --note TEXT", file=sys.stderr)
        return 2
    status, said = run_triage(args.warehouse, args.document, args.check, args.disposition.replace("-", "_"),
                              args.note, args.reviewer)
    if status != "recorded":
        print(said, file=sys.stderr)
        return 2 if status == "refused" else 1  # refused: what was typed names nothing; busy: try again later
    print(f"recorded: {args.disposition.replace('-', '_')} on\n{said}")
    return 0


def _positive(kind):
    def parse(text: str):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be above 0, got {text}")
        return value
    return parse


def build_parser() -> argparse.ArgumentParser:
    from disclosures.workers import Limits

    parser = argparse.ArgumentParser(prog="disclosures", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="parse, validate and load local PDFs (files or directories)")
    p.add_argument("paths", nargs="+", help="PDF files or directories holding them")
    p.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help="DuckDB file (default: %(default)s)")
    p.add_argument("--data", default=DEFAULT_DATA, help="raw store root, files kept by sha256 (default: %(default)s)")
    limits = Limits()
    p.add_argument("--workers", type=int, default=0, help="parser processes (default: one per core)")
    p.add_argument("--max-memory-mb", type=int, default=limits.memory_mb,
                   help="memory one parser process may use; a document past it is rejected (default: %(default)s)")
    p.add_argument("--max-seconds", type=float, default=limits.seconds,
                   help="time one document may take to parse; past it, it is rejected (default: %(default)s)")
    p.set_defaults(func=cmd_ingest)

    s = sub.add_parser("scrape", help="crawl registered sources (sources/*.toml) or try an ad-hoc start URL")
    s.add_argument("--source", action="append", help="registry entry name (repeatable; default: every enabled entry)")
    s.add_argument("--data", default=DEFAULT_DATA, help="raw store root (default: %(default)s)")
    s.add_argument("--ingest", action="store_true", help="ingest the new documents afterwards")
    s.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help="DuckDB file for --ingest (default: %(default)s)")
    s.add_argument("--base-url", help="point the entry at another scheme://host:port (a mirror, a test server)")
    s.add_argument("--start-url", help="crawl an ad-hoc source: this URL's host only")
    s.add_argument("--out", help="with --start-url: folder to save each PDF found into, once")
    s.add_argument("--allow-private", action="store_true", help="with --start-url: allow a private or loopback address")
    s.add_argument("--max-requests", type=_positive(int), help="stop each crawl after this many requests (default: the entry's)")
    s.add_argument("--crawl-deadline", type=_positive(float), help="stop each crawl after this many seconds (default: the entry's)")
    s.add_argument("--response-deadline", type=_positive(float), help="drop any response not complete in this many seconds (default: the entry's)")
    s.set_defaults(func=cmd_scrape)

    d = sub.add_parser("demo", help="scrape the bundled sample portal on 127.0.0.1 and ingest it")
    d.add_argument("--samples", default="samples/pdfs", help="PDFs the sample portal serves (default: %(default)s)")
    d.add_argument("--data", default=DEFAULT_DATA, help="raw store root (default: %(default)s)")
    d.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help="DuckDB file (default: %(default)s)")
    d.set_defaults(func=cmd_demo)

    q = sub.add_parser("query", help="run SQL against the warehouse and print the result")
    q.add_argument("sql")
    q.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help="DuckDB file (default: %(default)s)")
    q.add_argument("--format", choices=["table", "csv"], default="table")
    q.add_argument("--max-rows", type=int, default=200)
    q.set_defaults(func=cmd_query)

    r = sub.add_parser("report", help="departments compared across regions and years, as one static HTML file")
    r.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help="DuckDB file (default: %(default)s)")
    r.add_argument("--out", default="report.html")
    r.add_argument("--region", action="append", help="region to include (repeatable; default: every region)")
    r.add_argument("--year", type=int, action="append", help="fiscal year to include (repeatable; default: every year)")
    r.set_defaults(func=cmd_report)

    t = sub.add_parser("triage", help="list failed checks, or settle one: bureau error (accepted) or parser error")
    t.add_argument("action", choices=["list", "mark"])
    t.add_argument("document", nargs="?", help="sha256 (or a unique prefix) or file name")
    t.add_argument("check", nargs="?", help="check_name as in check_results")
    t.add_argument("--as", dest="disposition", choices=["bureau-error", "parser-error"])
    t.add_argument("--note", help="why: what the page shows")
    t.add_argument("--reviewer", default=os.environ.get("USER", "reviewer"))
    t.add_argument("--all", action="store_true", help="list: include settled failures")
    t.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help="DuckDB file (default: %(default)s)")
    t.set_defaults(func=cmd_triage)

    e = sub.add_parser("export", help="write the marts (and documents, fact_amounts, check_results) as Parquet and/or "
                                      "CSV (UTF-8 with BOM, for Excel), with DATA_DICTIONARY.csv")
    e.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help="DuckDB file (default: %(default)s)")
    e.add_argument("--out", default="export")
    e.add_argument("--format", choices=["parquet", "csv", "both"], default="both")
    e.set_defaults(func=cmd_export)
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
        quiet_library_interrupts()
    try:
        return args.func(args)
    except ValueError as exc:
        from disclosures.pipelines.home import WrongHome

        if not isinstance(exc, WrongHome):
            raise
        print(f"refused: {exc}", file=sys.stderr)  # before anything was written
        return 2
    except KeyboardInterrupt:  # Ctrl-C outside a run (a run's own is handled by its command): no traceback
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `disclosures query … | head`: the reader left; not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
