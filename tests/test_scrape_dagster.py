"""Scraping through the Dagster assets and the CLI; the sensor batches what is new."""

from __future__ import annotations

import hashlib

import pytest
from dagster import RunRequest, SkipReason, build_sensor_context

from conftest import SAMPLES
from disclosures.cli import main
from disclosures.pipelines import automation
from disclosures.pipelines.resources import RawStore
from disclosures.scrape import build_sample_portal, read_catalog, serve_portal


@pytest.fixture()
def portal(tmp_path):
    pdfs = sorted(SAMPLES.glob("*.pdf"))[:5]
    assert len(pdfs) == 5, f"the bundled sample {SAMPLES} should hold at least 5 PDFs"
    build_sample_portal(pdfs, tmp_path / "site")
    with serve_portal(tmp_path / "site") as p:
        yield p, pdfs


def test_scrape_asset_then_sensor_batches_new_documents(portal, tmp_path, monkeypatch, capsys):
    server, pdfs = portal
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dh"))
    (tmp_path / "dh").mkdir()
    data = tmp_path / "data"
    assert main(["scrape", "--source", "sample-portal", "--base-url", server.url, "--data", str(data)]) == 0
    assert f"new this run: {len(pdfs)}" in capsys.readouterr().out
    # every PDF the portal serves landed, once, byte for byte, and the catalog says where it came from
    served = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in pdfs}
    catalog = read_catalog(data)
    assert sorted(catalog["sha256"]) == sorted(served)
    assert set(catalog["source"]) == {"sample-portal"} and all(u.startswith(server.url) for u in catalog["url"])
    for row in catalog.itertuples():
        assert (data / row.path).read_bytes() == served[row.sha256].read_bytes()
    assert len(list((data / "raw").rglob("*.pdf"))) == len(pdfs)

    monkeypatch.setattr(automation, "BATCH_SIZE", 2)
    context = build_sensor_context(resources={"raw_store": RawStore(root=str(data))})
    result = automation.new_documents_sensor(context)
    requests = result.run_requests
    assert all(isinstance(r, RunRequest) for r in requests)
    assert len(requests) == 3  # 5 documents in batches of 2
    # each batch a partition of its own, registered with the runs that need it
    keys = [r.partition_key for r in requests]
    assert len(set(keys)) == 3
    assert [k for add in result.dynamic_partitions_requests for k in add.partition_keys] == keys
    paths = [p for r in requests for p in r.run_config["ops"]["raw_documents"]["config"]["paths"]]
    assert len(paths) == len(set(paths)) == len(pdfs)
    assert all(u.startswith(server.url) for r in requests for u in r.run_config["ops"]["raw_documents"]["config"]["source_urls"])

    again = build_sensor_context(cursor=result.cursor, resources={"raw_store": RawStore(root=str(data))})
    assert isinstance(automation.new_documents_sensor(again), SkipReason)


def test_adhoc_scrape_saves_each_pdf_once(portal, tmp_path, capsys):
    server, pdfs = portal
    out = tmp_path / "try"
    args = ["scrape", "--start-url", server.url + "index.html", "--out", str(out), "--allow-private"]
    assert main(args) == 0
    assert f"{len(pdfs)} PDFs found, {len(pdfs)} saved into" in capsys.readouterr().out
    assert sorted(p.read_bytes() for p in out.glob("*.pdf")) == sorted(p.read_bytes() for p in pdfs)
    requests_before = len(server.log)
    assert main(args) == 0
    assert ", 0 saved into" in capsys.readouterr().out
    assert len(list(out.glob("*.pdf"))) == len(pdfs)
    pdf_fetches = [r for r in server.log[requests_before:] if r.path.endswith(".pdf") and r.method == "GET"]
    assert len(pdf_fetches) == len(pdfs)  # each asked again, conditionally
    assert all("If-None-Match" in r.headers or "If-Modified-Since" in r.headers for r in pdf_fetches)
