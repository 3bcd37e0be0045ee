"""Screenshots of the Dagster UI for the README, taken from a real headless-browser run.

The scene a reviewer meets: a warehouse after a large ingest with failures, then
a clean one-file ingest, served by `dagster dev` (or `dg dev`) on its own home:

    export DAGSTER_HOME=$PWD/data/shots.dagster_home
    disclosures ingest samples/pdfs tests/data/real tests/data/redistilled --warehouse data/shots.duckdb
    disclosures ingest CLEAN.pdf --warehouse data/shots.duckdb            # a later, clean batch
    DISCLOSURES_WAREHOUSE=data/shots.duckdb dagster dev -w workspace.yaml
    pip install playwright          # the Python driver only; the browser is Debian's
    apt-get install -y chromium
    python docs/screenshots.py http://127.0.0.1:3000 docs/img FILE_NAME CHECK

FILE_NAME and CHECK name the worklist item the script settles from the triage
Launchpad (a verdict entered in the UI), after which it shows the checks again.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCATION = "disclosures"  # workspace.yaml and [tool.dg.project] name it so


def main(base: str, out: Path, document: str, check: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1500, "height": 950})

        def visit(path: str, settle_ms: int = 2500) -> None:
            page.goto(f"{base}{path}", wait_until="networkidle")
            page.wait_for_timeout(settle_ms)
            skip = page.get_by_role("button", name="Skip")  # the first-visit community dialog
            if skip.count():
                skip.click()
                page.wait_for_timeout(500)

        def shoot(name: str) -> None:
            page.screenshot(path=out / name)
            print("wrote", out / name)

        # 1. lineage from each portal's scrape to the reviewer's checks
        visit("/assets/check_results?view=lineage&lineageScope=upstream&lineageDepth=8", 5000)
        shoot("asset-graph.png")

        # 2. the checks on what the warehouse holds, after a clean last batch
        visit("/assets/check_results?view=checks&checkDetail=open_failures")
        shoot("checks-open.png")

        # 3. the worklist: open_failures' metadata (keys sorted: `worklist` is the last), with the page crops
        page.set_viewport_size({"width": 1500, "height": 1500})
        page.get_by_text("[Show Markdown]").last.click()
        page.wait_for_timeout(2500)
        page.mouse.move(750, 500)
        page.mouse.wheel(0, -50000)  # the dialog opens scrolled to its buttons; its top is the worklist's
        page.wait_for_timeout(1000)
        shoot("worklist.png")
        page.set_viewport_size({"width": 1500, "height": 950})

        # 4. a verdict entered from the triage Launchpad
        visit(f"/locations/{LOCATION}/jobs/triage/playground", 4000)
        config = {"ops": {"check_dispositions": {"config": {
            "document": document, "check": check, "verdict": "bureau_error",
            "note": "the narrative restates the figure 12.89 higher than its tables print", "reviewer": "reviewer"}}}}
        page.evaluate("text => document.querySelector('.CodeMirror').CodeMirror.setValue(text)", yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
        page.wait_for_timeout(2000)
        shoot("triage-launchpad.png")
        page.get_by_role("button", name="Materialize").or_(page.get_by_role("button", name="Launch Run")).first.click()
        page.wait_for_url("**/runs/**", timeout=60000)
        page.get_by_text("Success", exact=True).first.wait_for(timeout=180000)  # the verdict, then the eleven checks
        page.wait_for_timeout(1500)
        shoot("triage-run.png")

        # 5. the checks right after it
        visit("/assets/check_results?view=checks&checkDetail=open_failures")
        shoot("checks-after-verdict.png")

        # the parse step's metadata: tables per status, cells per method, unreadable pages and tables
        visit("/assets/parsed_documents")
        page.get_by_placeholder("Filter metadata keys").fill("problems")
        page.wait_for_timeout(800)
        page.get_by_text("[Show Markdown]").first.click()
        page.wait_for_timeout(1500)
        shoot("parse-problems.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4])
