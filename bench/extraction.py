"""Extraction speed and memory, measured in one run beside plain camelot.

    python bench/extraction.py samples/pdfs tests/data/generated tests/data/real

Reports pages per second for (a) our parse end to end (open, text layer,
locate, camelot on the table pages, keys), (b) its camelot step alone, and
(c) plain `camelot.read_pdf(path, pages="all")` over every page; then peak
memory of one process parsing 10 and 100 documents.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import camelot

from disclosures.parse.document import parse_document
from disclosures.parse.grid import read_grids
from disclosures.pdfdoc import open_pdf


def pdfs(folders: list[str]) -> list[Path]:
    return [p for f in folders for p in sorted(Path(f).glob("*.pdf"))]


def throughput(files: list[Path]) -> dict:
    pages = 0
    ours = extract = plain = 0.0
    for path in files:
        t = time.perf_counter()
        parsed = parse_document(path)
        ours += time.perf_counter() - t
        doc = open_pdf(path)
        pages += doc.page_count
        table_pages = sorted({int(p) for ps in parsed.tables["pages"].dropna() for p in str(ps).split(",")})
        t = time.perf_counter()
        read_grids(doc, table_pages)
        extract += time.perf_counter() - t
        t = time.perf_counter()
        camelot.read_pdf(str(path), pages="all")
        plain += time.perf_counter() - t
    return {
        "documents": len(files),
        "pages": pages,
        "ours_end_to_end_pages_per_s": round(pages / ours, 1),
        "ours_camelot_step_pages_per_s": round(pages / extract, 1) if extract else None,
        "plain_camelot_all_pages_per_s": round(pages / plain, 1),
        "speedup_end_to_end_vs_plain": round(plain / ours, 1),
    }


def peak_memory(files: list[Path], n: int) -> float:
    """Peak RSS (MB) of a fresh process parsing n documents (the corpus, cycled)."""
    chosen = [str(files[i % len(files)]) for i in range(n)]
    code = (
        "import json,sys,resource\n"
        "from disclosures.parse.document import parse_document\n"
        "for p in json.loads(sys.argv[1]):\n"
        "    parse_document(p)\n"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(int(hwm.split()[1]) / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, json.dumps(chosen)], capture_output=True, text=True, check=True)
    return round(float(out.stdout.strip().splitlines()[-1]), 1)


def main(folders: list[str]) -> dict:
    files = pdfs(folders)
    result = throughput(files)
    result["peak_rss_mb_10_docs"] = peak_memory(files, 10)
    result["peak_rss_mb_100_docs"] = peak_memory(files, 100)
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:] or ["samples/pdfs", "tests/data/generated", "tests/data/real"]), indent=2, ensure_ascii=False))
