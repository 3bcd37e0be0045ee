"""Every benchmark in one run; writes bench/RESULTS.md (quoted in issue notes).

    python bench/run.py            # ≈ 25 minutes on 2 cores (plain camelot over every page is most of it)
    python bench/run.py --quick    # 200 synthetic documents instead of 2,000
"""

from __future__ import annotations

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


def main() -> None:
    quick = "--quick" in sys.argv
    # the bundled sample, every generated layout by every producer, the real Shanghai PDFs
    generated = [str(ROOT / "samples" / "pdfs"), str(ROOT / "tests" / "data" / "generated")]
    corpus = generated + [str(ROOT / "tests" / "data" / "real")]
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "extraction": extraction.main(corpus),
        "pipeline_end_to_end": pipeline_end_to_end(corpus),
        "accuracy": accuracy.main(generated),
    }
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "warehouse.py"), "--documents", "200" if quick else "2000"],
        check=True, capture_output=True, text=True,
    )
    results["warehouse"] = json.loads(out.stdout)
    text = json.dumps(results, indent=2, ensure_ascii=False)
    (ROOT / "bench" / "RESULTS.md").write_text(
        "# Benchmark results\n\nWritten by `python bench/run.py` on "
        f"{time.strftime('%Y-%m-%d')}.\n\n```json\n{text}\n```\n",
        encoding="utf-8",
    )
    print(text)


if __name__ == "__main__":
    main()
