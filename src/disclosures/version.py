"""The code version stamped on every landed row (lineage)."""

from __future__ import annotations

import functools
import subprocess
from importlib.metadata import version
from pathlib import Path


@functools.cache
def code_version() -> str:
    """`<package version>+<git commit>`, or the package version outside a checkout."""
    base = version("disclosures")
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=Path(__file__).parent,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        sha = ""
    return f"{base}+{sha}" if sha else base
