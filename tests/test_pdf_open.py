"""A PDF is read when pdfium opens it, whatever its last bytes; a cut-short download is still refused.

Servers append bytes after `%%EOF` (newlines, an HTML footer), and some writers
leave the marker off; both files are whole and must land exactly the figures of
the original. A download cut in half must be rejected, saying so, with a reason
that is the same on every run (no object addresses from an exception's repr).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import SHEHUI, rows
from disclosures.cli import main


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    d = tmp_path_factory.mktemp("variants")
    data = SHEHUI.read_bytes()
    eof = data.rindex(b"%%EOF")
    made = {
        "original": data,
        # What servers do: a newline run and an HTML footer after the end of the file.
        "appended": data + b"\r\n" * 3 + b"<html><body><p>\xe6\x96\x87\xe4\xbb\xb6\xe4\xb8\x8b\xe8\xbd\xbd</p></body></html>\n" * 40,
        "no-eof": data[:eof],
        "truncated": data[: len(data) // 2],
        # Cut short, then closed with a marker: the end looks whole, the file is not.
        "cut-then-closed": data[: len(data) // 2] + b"\n%%EOF\n",
    }
    for name, content in made.items():
        (d / f"{name}.pdf").write_bytes(content)
    return {name: d / f"{name}.pdf" for name in made}


@pytest.fixture(scope="module")
def warehouse(variants, tmp_path_factory):
    root = tmp_path_factory.mktemp("w")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAGSTER_HOME", str(root / "dh"))
        (root / "dh").mkdir()
        path = root / "w.duckdb"
        assert main(["ingest", *map(str, variants.values()), "--warehouse", str(path), "--data", str(root / "data")]) == 0
    return path


def _figures(warehouse, name):
    return rows(
        warehouse,
        "SELECT table_code, row_key, column_key, amount FROM fact_amounts JOIN documents USING (document_id) WHERE file_name = ? ORDER BY ALL",
        name,
    )


def test_whole_files_load_whatever_their_last_bytes(warehouse):
    status = dict(rows(warehouse, "SELECT file_name, status FROM documents"))
    assert status["original.pdf"] == status["appended.pdf"] == status["no-eof.pdf"] == "loaded"
    original = _figures(warehouse, "original.pdf")
    assert len(original) == 205  # what the original lands (test_ingest, the demo)
    assert _figures(warehouse, "appended.pdf") == original
    assert _figures(warehouse, "no-eof.pdf") == original
    checks = "SELECT check_name, passed FROM check_results JOIN documents USING (document_id) WHERE file_name = ? ORDER BY ALL"
    assert rows(warehouse, checks, "appended.pdf") == rows(warehouse, checks, "original.pdf")


def test_a_cut_short_download_is_rejected_with_a_stable_reason(warehouse, variants):
    found = {n: (s, r) for n, s, r in rows(warehouse, "SELECT file_name, status, reason FROM documents")}
    status, reason = found["truncated.pdf"]
    assert status == "rejected" and reason.startswith("truncated PDF"), reason
    status, reason = found["cut-then-closed.pdf"]
    assert status == "rejected" and reason.startswith("corrupt PDF: pdfium cannot open it"), reason
    for name in ("truncated.pdf", "cut-then-closed.pdf"):
        assert rows(warehouse, "SELECT count(*) FROM fact_amounts JOIN documents USING (document_id) WHERE file_name = ?", name) == [(0,)]

    # Another process, another run: word for word the same reasons, and no object address in them.
    script = (
        "import sys\nfrom disclosures.parse.document import parse_document\n"
        "for p in sys.argv[1:]:\n    print(parse_document(p).document['reason'])"
    )
    names = ["truncated.pdf", "cut-then-closed.pdf"]
    out = subprocess.run(
        [sys.executable, "-c", script, *(str(variants[n.removesuffix(".pdf")]) for n in names)],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    assert out == [found[n][1] for n in names]
    assert not any(re.search(r"\bat 0x[0-9a-fA-F]+", r) for r in out), out
