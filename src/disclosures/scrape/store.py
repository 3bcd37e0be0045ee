"""Raw files stored by content: <store>/raw/<sha256[:2]>/<sha256>.pdf.

A file's name is its hash, so a document re-published at the same URL lands
beside the old one instead of replacing it. Files are created with a hard
link, which fails rather than overwrite, and are made read-only."""

from __future__ import annotations

import os
from pathlib import Path


class RawStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.raw = self.root / "raw"
        self.tmp = self.root / "tmp"
        self.raw.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        return self.raw / sha256[:2] / f"{sha256}.pdf"

    def relative(self, sha256: str) -> str:
        return self.path_for(sha256).relative_to(self.root).as_posix()

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put(self, temp_file: Path, sha256: str) -> tuple[Path, bool]:
        """Move a downloaded temp file into place; (path, is_new). An
        existing file with that hash already holds these bytes: keep it."""
        target = self.path_for(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(temp_file, target)
            is_new = True
            os.chmod(target, 0o444)
        except FileExistsError:
            is_new = False
        finally:
            temp_file.unlink(missing_ok=True)
        return target, is_new

    def clean_tmp(self) -> None:
        """Partial downloads left by a crawl that was killed."""
        for part in self.tmp.glob("*.part"):
            part.unlink(missing_ok=True)
