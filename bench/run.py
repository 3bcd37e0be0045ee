"""Every benchmark in one run; writes bench/RESULTS.md (quoted in issue notes).

    python bench/run.py                        # ≈ 1 hour on 2 cores
    python bench/run.py --quick                # 200 synthetic documents, a 100-document scale corpus
    python bench/run.py --only scale,warehouse # some sections; the others stay as last measured
    python bench/run.py --only layouts         # 300 randomised layouts over three producers, ~15 min
    python bench/run.py --only dask_workers    # the scale corpus on 1, 2 and 3 Dask workers, ~45 min
    python bench/run.py --only budgets         # 30 generated budgets (9 seeded) and their final accounts
    python bench/run.py --only scanned,scanned_held_out  # OCR on two scanned corpora, ~10 min
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import accuracy  # noqa: E402
import extraction  # noqa: E402


def pipeline_end_to_end(folders: list[str]) -> dict:
    """The whole ingest job (Dagster run, parse, GX, DuckDB) in a fresh process, as a user runs it."""
    files = extraction.pdfs(folders)
    pages = sum(extraction.open_pdf(p).page_count for p in files)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DAGSTER_HOME": str(Path(tmp) / "dh")}
        (Path(tmp) / "dh").mkdir()
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "disclosures.cli", "ingest", *folders, "--warehouse", f"{tmp}/w.duckdb", "--data", f"{tmp}/data"],
            env=env, check=True, capture_output=True,
        )
        seconds = time.perf_counter() - t
    return {"documents": len(files), "pages": pages, "seconds": round(seconds, 1), "pages_per_s": round(pages / seconds, 1)}


SECTIONS = ("extraction", "pipeline_end_to_end", "accuracy", "warehouse", "scale", "dask_workers", "ocr_engines", "scanned",
            "scanned_held_out", "layouts", "budgets")


def _previous() -> dict:
    """The last results, so a run of some sections keeps the others (each section carries its date)."""
    path = ROOT / "bench" / "RESULTS.md"
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    start = text.find("```json\n")
    end = text.find("```", start + 8)
    try:
        return json.loads(text[start + 8 : end]) if start >= 0 else {}
    except json.JSONDecodeError:
        return {}


def _script(name: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, str(ROOT / "bench" / name), *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description="Run the benchmarks and record them in bench/RESULTS.md")
    ap.add_argument("--quick", action="store_true", help="200 synthetic documents, a 100-document scale corpus")
    ap.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {', '.join(SECTIONS)}")
    opts = ap.parse_args()
    only = [s.strip() for s in opts.only.split(",") if s.strip()]
    # the bundled sample, every generated layout by every producer, the real Shanghai PDFs
    generated = [str(ROOT / "samples" / "pdfs"), str(ROOT / "tests" / "data" / "generated")]
    corpus = generated + [str(ROOT / "tests" / "data" / "real")]
    runners = {
        "extraction": lambda: extraction.main(corpus),
        "pipeline_end_to_end": lambda: pipeline_end_to_end(corpus),
        "accuracy": lambda: accuracy.main(generated),
        "warehouse": lambda: _script("warehouse.py", "--documents", "200" if opts.quick else "10000"),
        "scale": lambda: _script("scale.py", "--documents", "100" if opts.quick else "1000"),
        # the same corpus on a local Dask cluster of 1, 2 and 3 workers, PostgreSQL instance (issue 15)
        "dask_workers": lambda: _script("dask_workers.py", "--documents", "100" if opts.quick else "1000"),
        # OCR: rapidocr against tesseract on our scans; a scanned corpus read and checked (s/page, accuracy)
        "ocr_engines": lambda: _script("ocr_engines.py", "--tesseract", "--pages", "5,9"),
        "scanned": lambda: _script("scanned.py", "--documents", "6" if opts.quick else "20"),
        # another seed: documents and scans nobody looked at while writing the OCR code
        "scanned_held_out": lambda: _script("scanned.py", "--documents", "6" if opts.quick else "20", "--seed", "1"),
        "layouts": lambda: _script("layouts.py", "--documents", "60" if opts.quick else "300"),
        # generated budgets over three producers, 30% with a seeded error: cells exact, errors flagged
        "budgets": lambda: _script("budgets.py", "--count", "12" if opts.quick else "30", "--errors", "0.3"),
    }
    results = _previous()
    results["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    for name in only:
        results[name] = {"measured": time.strftime("%Y-%m-%d"), **runners[name]()}
    print(write(results))


def write(results: dict) -> str:
    text = json.dumps(results, indent=2, ensure_ascii=False)
    (ROOT / "bench" / "RESULTS.md").write_text(
        "# Benchmark results\n\nWritten by `python bench/run.py` (each section says when it was measured; "
        "`--only` re-runs some).\n\n```json\n"
        f"{text}\n```\n",
        encoding="utf-8",
    )
    return text


if __name__ == "__main__":
    main()
