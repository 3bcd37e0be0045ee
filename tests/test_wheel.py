"""The built wheel is the whole program: installed into a fresh venv and run
from a directory that holds nothing of the checkout, it finds its GX suites
(expectations/) and its source registry (sources/) inside the package.

The wheel is built from a copy of the folders pyproject.toml maps into the
package, so the checkout gets no build/ folder (whose stale build/lib would
otherwise leak deleted modules into later wheels). The fresh venv has no
system site-packages and holds only the wheel; the third-party dependencies
(dagster, GX, pandas …) are this test environment's, named by a .pth file
after the venv's own site-packages: installing them again would take minutes
and prove nothing about this package, and `disclosures` itself is asserted to
come from the wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, SAMPLES

SAMPLE = SAMPLES / "jincheng-kejiju-2024-libreoffice-writer.pdf"


def run(args: list, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{args} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = {Path(d).parts[0] for d in setuptools["package-dir"].values()}
    for folder in sorted(folders):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp / "dist", src], cwd=tmp)
    (built,) = (tmp / "dist").glob("disclosures-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """bin/ of a fresh venv holding the wheel."""
    home = tmp_path_factory.mktemp("venv") / "env"
    run([sys.executable, "-m", "venv", "--without-pip", home], cwd=home.parent)
    python = home / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel], cwd=home.parent)
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=home).stdout.strip())
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return home / "bin"


def clean_env(**extra: str) -> dict:
    """This environment without any setting that would point the program back at the checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCLOSURES_", "DAGSTER_", "PYTHON"))}
    return {**env, **extra}


def test_the_wheel_holds_the_suites_and_the_registry(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, pattern in (("expectations", "*.json"), ("sources", "*.toml"), ("warehouse", "*.sql")):
        shipped = {p.name for p in (ROOT / folder).glob(pattern)}
        assert shipped and {f"disclosures/{folder}/{n}" for n in shipped} <= names, folder
    assert "disclosures/pipelines/dagster.yaml" in names


def test_installed_program_runs_from_another_directory(venv, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = clean_env(DAGSTER_HOME=str(tmp_path / "dagster_home"))
    where = json.loads(run([venv / "python", "-c", (
        "import json, disclosures, disclosures.packaged as p; "
        "print(json.dumps([disclosures.__file__, str(p.sources_dir()), str(p.expectations_dir())]))"
    )], cwd=elsewhere, env=env).stdout)
    site = str(venv.parent)
    assert all(path.startswith(site) for path in where), where  # the wheel's files, not the checkout's

    refused = subprocess.run([venv / "disclosures", "scrape", "--source", "no-such-portal", "--data", "data"],
                             cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
    assert refused.returncode != 0
    assert "known: sample-portal, zhanjiang-city" in refused.stderr  # the packaged registry was read

    # The demo path on one sample: the packaged `sample-portal` entry's scrape asset fetches it from
    # 127.0.0.1, the ingest validates it with the packaged suites and loads it.
    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copy(SAMPLE, samples / SAMPLE.name)
    warehouse = elsewhere / "w.duckdb"
    out = run([venv / "disclosures", "demo", "--samples", samples, "--data", "data", "--warehouse", warehouse],
              cwd=elsewhere, env=env).stdout
    assert "new this run: 1" in out and "checks failed: 0 error-severity" in out, out

    truth = json.loads(SAMPLE.with_suffix(".truth.json").read_text(encoding="utf-8"))
    expected = {(c["table_code"], c["row_key"], c["column_key"]): Decimal(c["amount"]) for c in truth["cells"]}
    suites = {name: json.loads((ROOT / "expectations" / f"{name}.json").read_text(encoding="utf-8"))
              for name in ("cells", "documents")}
    domain_checks = {e["meta"]["check_name"] for s in suites.values() for e in s["expectations"]}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT file_name, status FROM documents").fetchall() == [(SAMPLE.name, "loaded")]
        landed = con.execute("SELECT table_code, row_key, column_key, amount FROM fact_amounts").fetchall()
        checks = {r[0] for r in con.execute("SELECT DISTINCT check_name FROM check_results").fetchall()}
        identities = con.execute("SELECT count(*) FROM check_results WHERE lhs IS NOT NULL").fetchone()[0]
    finally:
        con.close()
    assert {(t, r, c): Decimal(a) for t, r, c, a in landed} == expected
    assert domain_checks <= checks  # the packaged cell and document suites ran
    assert identities > 0  # and the identities suite judged computed sums
