"""Great Expectations runs: the only place a check passes or fails.

Three suites, stored as reviewed JSON in ``expectations/`` at the repository
root, shipped in the package (or ``$DISCLOSURES_EXPECTATIONS_DIR``; see
packaged.py):

- ``identities.json`` runs on the identity-instance frame of all documents
  at once (identities.py + narrative.py): an instance fails when its row is
  in the ``unexpected_index_list`` of an expectation whose meta role is
  ``instance`` (``excess`` null = cannot be computed; ``excess`` ≠ 0 =
  beyond tolerance). Expectations with role ``contract`` guard the frame
  itself; their failure raises ``ValidationContractError``.
- ``cells.json`` runs on the cell frame plus derived columns (domain.py);
  each expectation's meta names its ``check_name`` and ``severity``; a
  document fails the check when any of its cells is unexpected.
- ``documents.json`` runs on one row per document (fiscal year, unit).

The GX context, data source, assets, suites and validation definitions are
built once per process, on first use (importing great_expectations costs
seconds); results are matched back by expectation id, never by order.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import threading
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from ..frames import CHECK_COLUMNS
from ..packaged import expectations_dir
from .domain import cell_check_frame, document_check_frame, suite_parameters
from .identities import instances_for_documents

SUITES = ("identities", "cells", "documents")
EXTRA_COLUMNS = ["family", "rule", "row_key", "column_key", "n_terms", "unit", "description"]


class ValidationContractError(RuntimeError):
    """The frames handed to GX broke the contract the suites expect."""


def load_suite_json(name: str, directory: Path | None = None) -> dict:
    path = (directory or expectations_dir()) / f"{name}.json"
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class GXRunner:
    """An ephemeral GX context with the three suites loaded."""

    def __init__(self, directory: Path | None = None):
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        import great_expectations as gx
        from great_expectations.core.expectation_suite import ExpectationSuite
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.directory = directory or expectations_dir()
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        source = self.context.data_sources.add_pandas(name="disclosures")
        self.definitions: dict[str, Any] = {}
        self.meta: dict[str, dict[str, dict]] = {}
        self.configs: dict[str, dict[str, Any]] = {}
        for name in SUITES:
            data = load_suite_json(name, self.directory)
            suite = ExpectationSuite(name=data.get("name", name), expectations=data["expectations"],
                                     meta=data.get("meta") or {})
            suite = self.context.suites.add(suite)
            batch_def = source.add_dataframe_asset(name=name).add_batch_definition_whole_dataframe(name)
            self.definitions[name] = self.context.validation_definitions.add(
                gx.ValidationDefinition(name=name, data=batch_def, suite=suite))
            self.meta[name] = {e.id: dict(e.meta or {}) for e in suite.expectations}
            self.configs[name] = {e.id: e for e in suite.expectations}

    def run(self, name: str, frame: pd.DataFrame, parameters: dict | None = None) -> list[dict]:
        """Validate a frame; one dict per expectation: id, type, kwargs, meta, unexpected (row positions)."""
        frame = frame.reset_index(drop=True)
        out = []
        if frame.empty:
            return [{"id": i, "type": c.expectation_type if hasattr(c, "expectation_type") else type(c).__name__,
                     "kwargs": {}, "meta": self.meta[name][i], "unexpected": []}
                    for i, c in self.configs[name].items()]
        result = self.definitions[name].run(batch_parameters={"dataframe": frame},
                                            expectation_parameters=parameters or None,
                                            result_format={"result_format": "COMPLETE"})
        for r in result.results:
            cfg = r.expectation_config
            info = r.exception_info or {}
            raised = info.get("raised_exception") if "raised_exception" in info else any(
                (v or {}).get("raised_exception") for v in info.values() if isinstance(v, dict))
            if raised:
                raise ValidationContractError(f"GX could not evaluate {cfg.type} {cfg.kwargs} on {name}: {info}")
            res = r.result or {}
            idx = res.get("unexpected_index_list")
            if idx is None:
                if not r.success:
                    raise ValidationContractError(f"{cfg.type} on {name} failed without an index list: {res}")
                idx = []
            rows = []
            for i in idx:
                if isinstance(i, dict):  # when unexpected_index_column_names is set
                    i = next(iter(i.values()))
                rows.append(int(i))
            out.append({"id": cfg.id, "type": cfg.type, "kwargs": dict(cfg.kwargs),
                        "meta": self.meta[name].get(cfg.id, dict(cfg.meta or {})), "unexpected": rows})
        return out


_RUNNER: GXRunner | None = None
_LOCK = threading.Lock()


def get_runner() -> GXRunner:
    """The process-wide GX runner (built on first call)."""
    global _RUNNER
    if _RUNNER is None:
        with _LOCK:
            if _RUNNER is None:
                _RUNNER = GXRunner()
    return _RUNNER


# ---------------------------------------------------------------- results


def _f(x: Any) -> float | None:
    if x is None:
        return None
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def _i(x: Any) -> int | None:
    x = _f(x)
    return None if x is None else int(x)


def _num(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{0.0 if abs(x) < 0.005 else x:.2f}"


def _instance_details(row: dict, passed: bool, reasons: list[str]) -> str:
    desc = row["description"]
    if row["rule"].startswith("table_present."):
        return desc if passed else f"{desc}: {row['note'] or 'missing'}"
    if row["excess"] is None:
        return f"{desc}: {row['note'] or 'cannot be computed'}"
    unit = row["unit"] or ""
    unit_s = f" {unit}" if unit and unit != "%" else ("%" if unit == "%" else "")
    kind = row["kind"]
    head = f"{desc}: {row['lhs_desc']} {_num(row['lhs'])}, {row['rhs_desc']} {_num(row['rhs'])}"
    diff = row["difference"]
    if kind == "eq":
        text = f"{head}, difference {_num(diff)}{unit_s} (tolerance {row['tolerance']:.2f})"
    elif kind == "le":
        text = f"{head}, expected ≤ (tolerance {row['tolerance']:.2f}), difference {_num(diff)}{unit_s}"
    else:
        text = f"{head}, difference {_num(diff)}{unit_s}"
    if not passed:
        text += f" — FAILED: {', '.join(reasons) or 'unexpected'} (by {_num(row['excess'])}{unit_s})"
        note = row.get("note")
        if isinstance(note, str) and note.startswith("read by OCR"):
            # the OCR'd cells involved (DocView.ocr_note), so a reviewer can tell a misread from a bureau error
            text += f"; {note}"
    return text


def _cells_desc(frame: pd.DataFrame, positions: list[int], limit: int = 5) -> str:
    parts = []
    for p in positions[:limit]:
        r = frame.iloc[p]
        page = _i(r["page"])
        parts.append(f"{r['table_code']} {r['row_key']}.{r['column_key']}"
                     + (f" = {r['amount']:g}" if _f(r["amount"]) is not None else "")
                     + (f" (p.{page})" if page is not None else ""))
    more = f" … and {len(positions) - limit} more" if len(positions) > limit else ""
    return "; ".join(parts) + more


def _as_docs(docs: dict | Iterable[dict] | None, cells: pd.DataFrame) -> list[dict]:
    if docs is None:
        docs = [{}]
    if isinstance(docs, dict):
        if docs and all(isinstance(v, dict) for v in docs.values()) and not ({"unit", "tables", "narrative", "document_id"} & set(docs)):
            docs = [{"document_id": k, **v} for k, v in docs.items()]
        else:
            docs = [docs]
    docs = [dict(d) for d in docs]
    ids = list(cells["document_id"].dropna().unique()) if len(cells) and "document_id" in cells.columns else []
    for d in docs:
        if not d.get("document_id") and len(docs) == 1 and len(ids) == 1:
            d["document_id"] = ids[0]
    return docs


def validate(cells: pd.DataFrame, docs: dict | Iterable[dict] | None = None, *,
             extra_columns: bool = False, runner: GXRunner | None = None) -> pd.DataFrame:
    """Run every check on one or many documents; one row per check (CHECK_COLUMNS).

    ``docs`` is one document dict (see docview.py for its keys) or a list of
    them; ``cells`` holds the cells of all of them (CELL_COLUMNS). All
    documents are validated in one GX run per suite. Numbers in the result
    are Python floats / ints / bools (object columns), safe for JSON and
    Dagster metadata. ``extra_columns`` adds family, rule, row_key,
    column_key, n_terms, unit and description.
    """
    runner = runner or get_runner()
    docs = _as_docs(docs, cells)
    out_rows: list[dict] = []

    # ---- identities (incl. narrative and table_present)
    inst = instances_for_documents(cells, docs)
    inst = inst.reset_index(drop=True)
    inst["excess"] = pd.to_numeric(inst["excess"], errors="coerce")
    inst["tolerance"] = pd.to_numeric(inst["tolerance"], errors="coerce")
    failed: dict[int, list[str]] = {}
    for res in runner.run("identities", inst):
        role = res["meta"].get("role")
        if role == "contract" and res["unexpected"]:
            bad = inst.iloc[res["unexpected"][:5]][["document_id", "check_name"]].to_dict("records")
            raise ValidationContractError(f"instance frame breaks {res['type']} {res['kwargs']}: {bad}")
        if role == "instance":
            for p in res["unexpected"]:
                failed.setdefault(p, []).append(res["meta"].get("reason", res["type"]))
    records = inst.to_dict("records")
    for p, row in enumerate(records):
        for k in ("lhs", "rhs", "difference", "excess", "tolerance"):
            row[k] = _f(row[k])
        passed = p not in failed
        out_rows.append({
            "document_id": row["document_id"], "table_code": row["table_code"], "check_name": row["check_name"],
            "passed": passed, "severity": row["severity"],
            "details": _instance_details(row, passed, failed.get(p, [])),
            "lhs": row["lhs"], "rhs": row["rhs"], "difference": row["difference"], "tolerance": row["tolerance"],
            "page": _i(row["page"]),
            "family": row["family"], "rule": row["rule"], "row_key": row["row_key"], "column_key": row["column_key"],
            "n_terms": _i(row["n_terms"]), "unit": row["unit"], "description": row["description"],
        })

    # ---- cell domain checks
    doc_ids = [d.get("document_id") for d in docs]
    cframe = cell_check_frame(cells)
    cres = runner.run("cells", cframe, suite_parameters())
    doc_col = cframe["document_id"].tolist()
    checks: dict[str, dict] = {}
    for res in cres:
        name = res["meta"].get("check_name") or res["type"]
        entry = checks.setdefault(name, {"severity": res["meta"].get("severity", "warn"), "bad": set(),
                                         "columns": set(), "about": res["meta"].get("about", "")})
        entry["bad"].update(res["unexpected"])
        col = res["kwargs"].get("column")
        if col:
            entry["columns"].add(col)
    by_doc: dict[Any, list[int]] = {}
    for i, d in enumerate(doc_col):
        by_doc.setdefault(d, []).append(i)
    for entry in checks.values():
        cols = [c for c in entry["columns"] if c in cframe.columns]
        entry["applies"] = cframe[cols].notna().any(axis=1).to_numpy() if cols else None
        bad_by_doc: dict[Any, list[int]] = {}
        for i in sorted(entry["bad"]):
            bad_by_doc.setdefault(doc_col[i], []).append(i)
        entry["bad_by_doc"] = bad_by_doc
    for doc_id in doc_ids:
        mine = by_doc.get(doc_id, [])
        for name, entry in checks.items():
            bad = entry["bad_by_doc"].get(doc_id, [])
            applicable = int(entry["applies"][mine].sum()) if entry["applies"] is not None else len(mine)
            details = (f"{entry['about']}: {applicable} cells checked" if not bad else
                       f"{entry['about']}: {len(bad)} of {applicable} cells unexpected: {_cells_desc(cframe, bad)}")
            out_rows.append({"document_id": doc_id, "table_code": None, "check_name": name, "passed": not bad,
                             "severity": entry["severity"], "details": details, "lhs": None, "rhs": None,
                             "difference": None, "tolerance": None, "page": _i(cframe.at[bad[0], "page"]) if bad else None,
                             "family": "domain", "rule": name, "row_key": None, "column_key": None,
                             "n_terms": None, "unit": None, "description": entry["about"]})

    # ---- document checks
    dframe = document_check_frame(docs)
    dres = runner.run("documents", dframe, {"max_fiscal_year": _dt.date.today().year + 1})
    dchecks: dict[str, dict] = {}
    for res in dres:
        name = res["meta"].get("check_name") or res["type"]
        entry = dchecks.setdefault(name, {"severity": res["meta"].get("severity", "warn"), "bad": set(), "about": []})
        entry["bad"].update(res["unexpected"])
        entry["about"].append(res["meta"].get("about", ""))
    for p, d in enumerate(docs):
        for name, entry in dchecks.items():
            ok = p not in entry["bad"]
            about = "; ".join(a for a in entry["about"] if a)
            details = f"{about}: fiscal_year={d.get('fiscal_year')!r}, unit={d.get('unit')!r}"
            out_rows.append({"document_id": d.get("document_id"), "table_code": None, "check_name": name,
                             "passed": ok, "severity": entry["severity"],
                             "details": details if ok else "FAILED " + details,
                             "lhs": None, "rhs": None, "difference": None, "tolerance": None, "page": None,
                             "family": "domain", "rule": name, "row_key": None, "column_key": None,
                             "n_terms": None, "unit": None, "description": about})

    columns = CHECK_COLUMNS + (EXTRA_COLUMNS if extra_columns else [])
    frame = pd.DataFrame({c: pd.Series([r.get(c) for r in out_rows], dtype=object) for c in columns},
                         columns=columns)
    return frame


def summarize(checks: pd.DataFrame) -> dict:
    """JSON-safe counts for logs and Dagster metadata."""
    failed = checks[checks["passed"] == False]  # noqa: E712
    return {
        "checks": int(len(checks)),
        "failed": int(len(failed)),
        "failed_errors": int((failed["severity"] == "error").sum()),
        "failed_warnings": int((failed["severity"] == "warn").sum()),
        "documents_with_errors": int(failed[failed["severity"] == "error"]["document_id"].nunique()),
    }
