"""Screenshots of the Dagster UI for the README, taken from a real headless-browser run.

    # a UI serving a warehouse with a failing document, e.g. after
    #   disclosures ingest samples/pdfs tests/data/real tests/data/redistilled --warehouse data/triage.duckdb
    #   DISCLOSURES_WAREHOUSE=data/triage.duckdb dagster dev -w workspace.yaml
    pip install playwright          # the Python driver only; the browser is Debian's
    apt-get install -y chromium
    python docs/screenshots.py http://127.0.0.1:3000 docs/img
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def main(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1500, "height": 950})
        def visit(path: str) -> None:
            page.goto(f"{base}{path}", wait_until="networkidle")
            page.wait_for_timeout(1000)
            skip = page.get_by_role("button", name="Skip")  # the first-visit community dialog
            if skip.count():
                skip.click()
                page.wait_for_timeout(500)

        visit("/assets/published_documents?view=lineage&lineageScope=upstream&lineageDepth=5")
        page.screenshot(path=out / "asset-graph.png")
        visit("/assets/checked_documents?view=checks")
        page.get_by_text("narrative", exact=True).first.click()
        page.wait_for_timeout(1500)
        page.screenshot(path=out / "checks.png")
        page.get_by_text("[Show Markdown]").first.click()
        page.wait_for_timeout(1500)
        page.screenshot(path=out / "failing-identities.png")
        # the parse step's metadata: tables per status, cells per method, unreadable pages and tables
        visit("/assets/parsed_documents")
        page.get_by_placeholder("Filter metadata keys").fill("problems")
        page.wait_for_timeout(800)
        page.get_by_text("[Show Markdown]").first.click()
        page.wait_for_timeout(1500)
        page.screenshot(path=out / "parse-problems.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:3000", Path(sys.argv[2] if len(sys.argv) > 2 else "docs/img"))
