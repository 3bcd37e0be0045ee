"""Shared fixtures: the real PDFs copied into the repo, bad inputs made on the fly."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import duckdb
import pikepdf
import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "data" / "real"
SAMPLES = ROOT / "samples" / "pdfs"

GUIHUA = REAL / "上海市普陀区规划和自然资源局2024年度部门决算.pdf"
SHEHUI = REAL / "中共上海市普陀区委社会工作部2024年度部门决算.pdf"
TEMPLATE = REAL / "上海市部门决算模板2024.pdf"
BUDGET = REAL / "上海市普陀区财政局2025年部门预算.pdf"


@pytest.fixture(scope="module", autouse=True)
def dagster_home(tmp_path_factory):
    """A Dagster home for each test module, unless a test sets its own: a home serves one
    warehouse (pipelines/home.py), and the modules use warehouses of their own."""
    home = tmp_path_factory.mktemp("dagster_home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAGSTER_HOME", str(home))
        yield home


@pytest.fixture(scope="session")
def bad_inputs(tmp_path_factory) -> dict[str, Path]:
    """The ways a download goes wrong, each a file a run must reject with a reason."""
    d = tmp_path_factory.mktemp("bad")
    files = {}
    files["zero"] = d / "zero-bytes.pdf"
    files["zero"].write_bytes(b"")
    files["html"] = d / "saved-page.pdf"
    files["html"].write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>404</title></head><body>页面不存在</body></html>",
        encoding="utf-8",
    )
    data = SHEHUI.read_bytes()
    files["truncated"] = d / "truncated.pdf"
    files["truncated"].write_bytes(data[: len(data) // 2])
    files["password"] = d / "needs-password.pdf"
    with pikepdf.open(SHEHUI) as pdf:
        pdf.save(files["password"], encryption=pikepdf.Encryption(user="secret", owner="owner-secret"))
    return files


@pytest.fixture(scope="session")
def owner_locked(tmp_path_factory) -> Path:
    """A PDF with only an owner password forbidding copying and printing: it must load."""
    path = tmp_path_factory.mktemp("locked") / "owner-password-only.pdf"
    with pikepdf.open(SHEHUI) as pdf:
        allow = pikepdf.Permissions(extract=False, print_highres=False, print_lowres=False, modify_other=False)
        pdf.save(path, encryption=pikepdf.Encryption(user="", owner="owner-secret", allow=allow))
    return path


def tiny_pdf(label: str, pad: int = 0) -> bytes:
    """A real one-page PDF whose bytes differ by `label`, `pad` bytes longer:
    what a portal serves, made in a millisecond (the crawler opens what it
    downloads, so a bare "%PDF" header will not do)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(f"% {label}\n".encode() + b"%" * pad)
    buffer = io.BytesIO()
    pdf.save(buffer, static_id=True, compress_streams=False)
    return buffer.getvalue()


def send(handler, status: int, body: bytes = b"", headers: dict | None = None) -> None:
    """Answer a portal route (serve_portal) by hand, with a Content-Length."""
    try:
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up (a timeout or deadline test)


def start_pdf_stream(handler, length: int | None = None) -> None:
    """Begin a PDF response whose body ends when the connection closes, or
    at a Content-Length of `length` (which the route may then fall short of)."""
    handler.close_connection = True
    handler.send_response(200)
    handler.send_header("Content-Type", "application/pdf")
    handler.send_header("Connection", "close")
    if length is not None:
        handler.send_header("Content-Length", str(length))
    handler.end_headers()
    handler.wfile.flush()


def copy_to(paths: list[Path], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for p in paths:
        shutil.copy(p, folder / p.name)
    return folder


def rows(warehouse, sql: str, *params) -> list[tuple]:
    """A query's rows, read from the warehouse file the way an analyst opens it (read-only)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()
