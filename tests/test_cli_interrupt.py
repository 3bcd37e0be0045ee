"""Ctrl-C during `disclosures ingest`, as a terminal sends it: one line, exit 130, a consistent warehouse."""

from __future__ import annotations

import os
import re
import pty
import signal
import subprocess
import sys
import textwrap

import duckdb

from conftest import SAMPLES, copy_to

# Five of the samples, every producer among them: enough documents that a Ctrl-C
# after the first is published leaves some published and some not.
FILES = [
    "jincheng-caizhengju-2023-reportlab.pdf", "jincheng-jiaotongju-2024-libreoffice-writer.pdf",
    "jincheng-jiaoyuju-2023-libreoffice-calc.pdf", "jincheng-kejiju-2024-reportlab.pdf",
    "jincheng-weijianwei-2024-libreoffice-calc.pdf",
]


def _command(folder, warehouse, data) -> list[str]:
    return [sys.executable, "-m", "disclosures.cli", "ingest", str(folder), "--warehouse", str(warehouse), "--data", str(data)]


def _env(home) -> dict:
    home.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "DAGSTER_HOME": str(home)}


def _ingest(folder, warehouse, data, home, interrupt_at: str | None = None) -> tuple[int, list[str]]:
    """Run the CLI; with `interrupt_at`, send SIGINT to its whole process group (as Ctrl-C in a
    terminal does: the parser's workers and forkserver get it too) once a line starts so."""
    proc = subprocess.Popen(_command(folder, warehouse, data), env=_env(home), stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True, start_new_session=True)
    lines = []
    for line in proc.stderr:
        lines.append(line.rstrip("\n"))
        if interrupt_at is not None and line.startswith(interrupt_at):
            os.killpg(proc.pid, signal.SIGINT)
            interrupt_at = None
    proc.wait(timeout=600)
    return proc.returncode, lines


def _content(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return (
            con.execute("SELECT document_id, status, cells, errors, warnings FROM documents ORDER BY 1").fetchall(),
            con.execute("SELECT document_id, table_code, row_key, column_key, amount, page FROM fact_amounts ORDER BY ALL").fetchall(),
            con.execute("SELECT document_id, check_name, passed, details FROM check_results ORDER BY ALL").fetchall(),
        )
    finally:
        con.close()


def _whole(warehouse) -> list[tuple]:
    """Per document: cells recorded, cells landed, checks landed."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            """SELECT d.document_id, d.cells,
                      (SELECT count(*) FROM fact_amounts f WHERE f.document_id = d.document_id),
                      (SELECT count(*) FROM checks c WHERE c.document_id = d.document_id)
               FROM documents d"""
        ).fetchall()
    finally:
        con.close()


def test_ctrl_c_during_ingest_ends_in_one_line_and_a_rerun_completes_it(tmp_path):
    from disclosures.cli import main

    folder = copy_to([SAMPLES / f for f in FILES], tmp_path / "pdfs")
    clean = tmp_path / "clean.duckdb"
    code, _ = _ingest(folder, clean, tmp_path / "clean-data", tmp_path / "clean-home")
    assert code == 0

    warehouse = tmp_path / "w.duckdb"
    code, lines = _ingest(folder, warehouse, tmp_path / "data", tmp_path / "home", interrupt_at="published 1/")
    assert code == 130, lines
    # Plain lines when stderr is no terminal: the validation step said what it was doing.
    assert any(line.startswith(f"validating {len(FILES)} documents") for line in lines)
    after = lines[next(i for i, line in enumerate(lines) if line.startswith("published 1/")) + 1:]
    assert not any("Traceback" in line for line in lines), "\n".join(lines)
    interrupted = [line for line in after if line.startswith("interrupted:")]
    assert len(interrupted) == 1, after
    assert [line for line in after if not line.startswith("published ")] == interrupted  # nothing else

    docs, facts, _ = _content(warehouse)
    assert 1 <= len(docs) < len(FILES)  # stopped while publishing
    assert interrupted[0] == f"interrupted: {len(docs)} documents published, the rest not; re-run to continue"
    for doc_id, cells, landed, checks in _whole(warehouse):  # every document there is there whole
        assert cells == landed and checks > 0, doc_id
    assert len(facts) == len(set(facts))
    # The marts step never ran (no snapshot was published), yet the read commands work.
    assert not (tmp_path / "w.snapshot.duckdb").exists()
    assert main(["report", "--warehouse", str(warehouse), "--out", str(tmp_path / "r.html")]) == 0
    assert main(["query", "SELECT count(*) FROM mart_department_totals", "--warehouse", str(warehouse)]) == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    published = duckdb.connect(str(warehouse), read_only=True).execute("SELECT department FROM dim_documents").fetchall()
    assert all(dept in page for (dept,) in published)

    code, lines = _ingest(folder, warehouse, tmp_path / "data", tmp_path / "home")
    assert code == 0, lines
    # It continued where it stopped: the documents published before the interrupt are not parsed again,
    # and those the interrupted run had parsed are read back from the staged store.
    text = "\n".join(lines)
    parsing = int(re.search(rf"parsing (\d+) of {len(FILES)} files", text).group(1))
    staged = re.search(r"read back (\d+) documents staged", text)
    assert parsing + (int(staged.group(1)) if staged else 0) == len(FILES) - len(docs), lines
    assert _content(warehouse) == _content(clean)


def test_a_terminal_gets_a_progress_bar_with_an_eta(tmp_path):
    """Under a pseudo-terminal: the bars (parse with its ETA, validate, publish), then the summary."""
    folder = copy_to([SAMPLES / FILES[0], SAMPLES / FILES[3]], tmp_path / "pdfs")
    leader, follower = pty.openpty()
    proc = subprocess.Popen(_command(folder, tmp_path / "w.duckdb", tmp_path / "data"), env=_env(tmp_path / "home"),
                            stdin=follower, stdout=follower, stderr=follower, start_new_session=True)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's other end closed: the CLI has exited
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    assert proc.wait(timeout=600) == 0
    text = out.decode("utf-8", "replace")
    assert "\x1b[" in text  # drawn, redrawn: a live display, not lines
    for words in ("parse", "eta", "validating 2 documents", "publish", "2/2", "files: 2 given: 2 parsed"):
        assert words in text, words
    assert "[1/2]" not in text  # the plain per-document lines are for logs, not for the terminal


def test_a_library_reporting_the_interrupt_it_caught_prints_nothing(tmp_path):
    """Ctrl-C landing while a library cleans up: Dagster's handler raises there, and the library
    reports what it caught. SQLAlchemy logs it with a traceback while its pool closes a run-storage
    connection; pyarrow, asking a staged file whether it is closed, cannot raise it and hands it to
    `sys.unraisablehook`, which prints a bare traceback (each seen in CI). In the CLI those
    reports are left out; the libraries' other errors still reach stderr."""
    script = textwrap.dedent("""
        import io, logging
        import pyarrow as pa
        from dagster._core.errors import DagsterExecutionInterruptedError
        from disclosures.interrupts import quiet_library_interrupts
        quiet_library_interrupts()
        pool = logging.getLogger("sqlalchemy.pool.impl.QueuePool")  # the logger SQLAlchemy's pool writes to

        class Staged(io.BytesIO):
            def __init__(self, raises):
                super().__init__()
                self.raises = raises

            @property
            def closed(self):
                raise self.raises

        for exc in (DagsterExecutionInterruptedError(), KeyboardInterrupt(), OSError("disk full")):
            try:
                raise exc
            except BaseException:
                pool.error("Exception closing connection %r", "<conn>", exc_info=True)
            assert pa.PythonFile(Staged(exc), mode="r").closed  # pyarrow's answer when it cannot ask
    """)
    err = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stderr
    assert err.count("Traceback") == 2 and err.count("OSError: disk full") == 2, err
