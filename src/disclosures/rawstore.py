"""Files kept by content hash: `<root>/raw/<sha256[:2]>/<sha256>.pdf`, never overwritten."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path


def raw_path(root: str | Path, sha256: str) -> Path:
    return Path(root) / "raw" / sha256[:2] / f"{sha256}.pdf"


def keep(root: str | Path, source: str | Path) -> tuple[str, Path]:
    """Copy a file into the store (once) and return its sha256 and stored path."""
    source = Path(source)
    h = hashlib.sha256()
    with open(source, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    sha = h.hexdigest()
    target = raw_path(root, sha)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    return sha, target
