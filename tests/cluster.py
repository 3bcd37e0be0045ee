"""A PostgreSQL server and a Dask cluster on 127.0.0.1, started and stopped by the tests themselves.

PostgreSQL comes from Debian's `postgresql` package (`make install` installs it
when missing). Its server refuses to run as root: as root, the data directory
is handed to the `postgres` system user the package creates, and initdb and
pg_ctl run as that user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    assert found, f"{name} not found: `make install` installs Debian's postgresql"
    return found


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """A server on a free port of 127.0.0.1 with its data in a temporary folder; yields a URL to its
    `postgres` database. The folder is made in the system's temporary directory, not pytest's, which
    only root may enter."""
    folder = Path(tempfile.mkdtemp(prefix="disclosures-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", _free_port()
    subprocess.run([*as_user, _pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
                   check=True, capture_output=True)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
    subprocess.run([*as_user, _pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"],
                   check=True, capture_output=True)
    try:
        # SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; dagster-postgres installs psycopg2
        yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, _pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def create_database(url: str, name: str) -> str:
    """A database of its own on the server (one per Dagster home); its URL."""
    import psycopg2

    con = psycopg2.connect(url.replace("+psycopg2", ""))
    con.autocommit = True
    try:
        con.cursor().execute(f'CREATE DATABASE "{name}"')
    finally:
        con.close()
    return url.rsplit("/", 1)[0] + f"/{name}"


@contextlib.contextmanager
def dask_cluster(workers: int = 3) -> Iterator:
    """A dask.distributed LocalCluster of `workers` processes, one thread each; yields its Client.

    Workers are not daemon processes: a parse step starts its own pool of parser processes."""
    import dask
    from dask.distributed import Client, LocalCluster

    with dask.config.set({"distributed.worker.daemon": False}):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                          host="127.0.0.1") as cluster, Client(cluster) as client:
            yield client
