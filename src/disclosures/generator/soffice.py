"""Batch conversion with LibreOffice: many source files per soffice start.

Starting soffice costs seconds; converting a document costs a fraction of
that, so sources are converted in chunks within one invocation. A private
profile directory keeps parallel runs (and a desktop LibreOffice) apart.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHUNK = 100  # files per invocation: bounded command lines and bounded loss if one run dies


def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(sources: list[Path], out_dir: Path, timeout: float = 600) -> list[Path]:
    """Convert .fodt/.xlsx files to PDF in out_dir; returns the PDFs produced."""
    binary = soffice_binary()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer libreoffice-calc")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        for start in range(0, len(sources), CHUNK):
            chunk = [str(s) for s in sources[start:start + CHUNK]]
            cmd = [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out_dir), *chunk]
            subprocess.run(cmd, check=True, timeout=timeout, capture_output=True,
                           env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"})
    produced = [out_dir / (Path(s).stem + ".pdf") for s in sources]
    missing = [p for p in produced if not p.exists()]
    if missing:
        raise RuntimeError(f"soffice produced no PDF for {len(missing)} file(s), e.g. {missing[0].name}")
    for pdf in produced:
        make_deterministic(pdf)
    return produced


def make_deterministic(path: Path, date: str = "D:20250801000000+08'00'") -> None:
    """Fix the creation date and file ID so a regenerated sample has the same bytes
    (and so the same document_id) as the committed one."""
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.docinfo["/CreationDate"] = date
        if "/ModDate" in pdf.docinfo:
            del pdf.docinfo["/ModDate"]
        for key in ("/DocChecksum", "/ID"):  # per-run values; qpdf derives a fresh ID from content
            if key in pdf.trailer:
                del pdf.trailer[key]
        pdf.save(path, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
