"""Saving scraped PDFs into a plain folder under names people recognise
(`disclosures scrape --start-url URL --out DIR`).

The name comes from the URL, which the portal controls: `%2E%2E`, `%2F`,
`%00`, a 300-byte Chinese title or an empty last segment must neither crash
the save nor reach outside the folder. Each name is made safe on its own,
each file saved on its own, so one bad name never costs the PDFs after it.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

MAX_NAME_BYTES = 255  # NAME_MAX on Linux and most file systems, in bytes


def safe_name(url: str, sha256: str) -> str:
    """A file name for these bytes inside one folder: the URL's decoded last
    segment with path separators, control and format characters replaced,
    leading dots dropped (no "..", no hidden files), ending in .pdf, at most
    255 bytes in UTF-8; the hash when nothing usable is left."""
    segment = unquote(posixpath.basename(urlsplit(url).path), errors="replace")
    cleaned = "".join(
        "_" if ch in "/\\" or unicodedata.category(ch) in ("Cc", "Cf", "Cs") else ch for ch in segment
    )
    if cleaned.lower().endswith(".pdf"):
        stem, suffix = cleaned[:-4], cleaned[-4:]
    else:
        stem, suffix = cleaned, ".pdf"
    stem = stem.strip(". \t")
    if not stem.strip("_"):
        stem = sha256[:16]
    return fit(stem, suffix)


def fit(stem: str, suffix: str) -> str:
    """stem + suffix cut, at a character boundary, to MAX_NAME_BYTES."""
    room = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    return stem.encode("utf-8")[:room].decode("utf-8", errors="ignore") + suffix


def save_copies(documents: list[dict], out: Path) -> tuple[int, list[dict]]:
    """Copy each document (dicts with url, sha256, path) into `out` once;
    (files written, problems). A name already holding other bytes gets the
    hash's first 8 characters added. Files are written beside their target
    and renamed onto it, so a symlink planted under that name is replaced,
    not followed out of the folder."""
    out.mkdir(parents=True, exist_ok=True)
    saved, problems = 0, []
    for doc in documents:
        name = safe_name(doc["url"], doc["sha256"])
        try:
            target = out / name
            if target.is_file() and not target.is_symlink() and _same_bytes(target, Path(doc["path"])):
                continue
            if target.exists() or target.is_symlink():
                stem, suffix = os.path.splitext(name)
                target = out / fit(stem, f"-{doc['sha256'][:8]}{suffix}")
                if target.is_file() and not target.is_symlink() and _same_bytes(target, Path(doc["path"])):
                    continue
            temp = out / f".{doc['sha256'][:16]}.part"
            shutil.copyfile(doc["path"], temp)
            os.replace(temp, target)
            saved += 1
        except OSError as exc:
            problems.append({"url": doc["url"], "kind": "save-error",
                             "message": f"could not save as {name!r}: {type(exc).__name__}: {exc.strerror or exc}"})
    return saved, problems


def _same_bytes(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
