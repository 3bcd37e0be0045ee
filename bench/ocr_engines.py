"""Which OCR engine reads our scans: rapidocr (onnxruntime) against tesseract (chi_sim), page by page.

    python bench/ocr_engines.py [--pages 4,5,6,9] [--tesseract]

Table pages of a generated document are scanned three ways (grey 200 dpi
skewed, 1-bit 300 dpi, grey 150 dpi JPEG), rendered and deskewed as the OCR
path does, and each engine reads the whole page (rapidocr through
parse/ocr.py's read_image, as a scanned page is read; tesseract: chi_sim+eng,
automatic page segmentation). A page's figures count as read when the printed amount comes out
of the engine as one text item, exactly (separators dropped); items are matched
as a multiset, so a figure printed twice must be read twice. Seconds are wall
time per page, the engine loaded once. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "data" / "generated" / "split-codes-reportlab.pdf"
SCANS = {
    "grey-200dpi-skew0.8": dict(dpi=200, mode="grey", skew=0.8, noise=6.0, jpeg_quality=70),
    "1bit-300dpi-skew-0.6": dict(dpi=300, mode="1bit", skew=-0.6, noise=5.0),
    "grey-150dpi-jpeg55": dict(dpi=150, mode="grey", skew=0.3, noise=8.0, jpeg_quality=55),
}
_AMOUNT = re.compile(r"-?\d[\d,]*\.\d{2}")


def _figures(text: str) -> list[str]:
    return [m.group(0).replace(",", "") for m in _AMOUNT.finditer(text.replace(" ", ""))]


def _rapidocr():
    import numpy as np

    from disclosures.parse import ocr  # read as the OCR path reads a page (boxes cut at the table's rules)

    def read(image) -> list[str]:
        grey = np.asarray(image.convert("L"))
        return [text for text, _ in ocr.read_image(grey, ocr._ink(grey), ocr.DPI / 72)]

    return read


def _tesseract(image) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "p.png"
        image.save(png)
        out = subprocess.run(["tesseract", str(png), "-", "-l", "chi_sim+eng", "--psm", "3", "tsv"],
                             capture_output=True, text=True, check=True).stdout
    words = [line.split("\t")[-1] for line in out.splitlines()[1:] if line.count("\t") >= 11]
    return [w for w in words if w.strip()]


def main() -> None:
    from disclosures.generator.scan import ScanSettings, scan_pages
    from disclosures.parse import ocr
    from PIL import Image
    import pypdfium2 as pdfium

    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", default="4,5,6,9")
    ap.add_argument("--tesseract", action="store_true", help="also measure tesseract (needs tesseract-ocr, chi_sim)")
    opts = ap.parse_args()
    pages = [int(p) for p in opts.pages.split(",")]
    truth = json.loads(SOURCE.with_suffix(".truth.json").read_text("utf-8"))
    expected = {p: Counter(c["printed"].replace(",", "") for c in truth["cells"] if c["page"] == p) for p in pages}
    engines = {"rapidocr": _rapidocr()}
    if opts.tesseract and shutil.which("tesseract"):
        engines["tesseract"] = _tesseract
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for scan, settings in SCANS.items():
            pdf = Path(tmp) / f"{scan}.pdf"
            shutil.copy(SOURCE, pdf)
            scan_pages(pdf, pages, seed=7, settings=ScanSettings(**settings))
            doc = pdfium.PdfDocument(str(pdf))
            # rendered and deskewed as the OCR path does (parse/ocr.py), so both engines read a straight page
            images = {}
            for p in pages:
                grey = ocr.render(doc[p - 1])
                images[p] = Image.fromarray(ocr._rotate(grey, ocr.skew_of(ocr._ink(grey)), 255))
            doc.close()
            for name, read in engines.items():
                exact = total = 0
                seconds = 0.0
                for p, image in images.items():
                    t = time.perf_counter()
                    items = read(Image.Image.copy(image))
                    seconds += time.perf_counter() - t
                    got = Counter(f for item in items for f in _figures(item))
                    exact += sum(min(n, got[f]) for f, n in expected[p].items())
                    total += sum(expected[p].values())
                results.setdefault(name, {})[scan] = {
                    "amounts": total, "exact": exact, "exact_pct": round(100 * exact / max(total, 1), 2),
                    "s_per_page": round(seconds / len(pages), 2)}
                print(name, scan, results[name][scan], file=sys.stderr)
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
