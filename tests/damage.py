"""Damaged copies of good PDFs, made at test time from a fixed seed.

Each kind is something a download or a producer really does to a file: bytes
flipped in transit or on disk, a download cut short, a server appending bytes
after %%EOF, a broken cross-reference table, a page tree that points at itself,
and a decompression bomb (a small file whose page content inflates to a lot).
"""

from __future__ import annotations

import random
import re
import zlib
from pathlib import Path

import pikepdf


def flip(data: bytes, rng: random.Random, n: int) -> bytes:
    out = bytearray(data)
    for _ in range(n):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: int(len(data) * rng.uniform(0.3, 0.97))]


def trailing_garbage(data: bytes, rng: random.Random) -> bytes:
    return data + b"\r\n<!-- served by nginx -->\r\n" + rng.randbytes(rng.randrange(10, 2000))


def broken_xref(data: bytes, rng: random.Random) -> bytes:
    """startxref points somewhere else: readers must rebuild the table or refuse."""
    m = list(re.finditer(rb"startxref\s+(\d+)", data))
    if not m:
        return flip(data, rng, 10)
    last = m[-1]
    wrong = str(rng.randrange(len(data))).encode()
    return data[: last.start(1)] + wrong + data[last.end(1):]


def self_referencing_pages(src: Path, out: Path) -> None:
    """The page tree lists itself among its kids: a reader that walks it naively loops."""
    with pikepdf.open(src) as pdf:
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    with pikepdf.open(out) as pdf:  # numbers as saved
        num, gen = pdf.Root.Pages.objgen
    data = out.read_bytes()
    # The root /Pages object's /Kids gains a reference to itself (the xref offsets go stale too).
    head = re.search(rb"\b%d %d obj\b" % (num, gen), data)
    kids = re.compile(rb"/Kids\s*\[\s*").search(data, head.end())
    out.write_bytes(data[: kids.end()] + b"%d %d R " % (num, gen) + data[kids.end():])


def bomb(src: Path, out: Path, mebibytes: int) -> None:
    """Page 1's content replaced by `mebibytes` MiB of no-op operators, Flate-compressed (~1 KB a MiB)."""
    comp = zlib.compressobj(9)
    chunk = b"q Q " * (1 << 18)
    data = b"".join(comp.compress(chunk) for _ in range(mebibytes)) + comp.flush()
    with pikepdf.open(src) as pdf:
        stream = pikepdf.Stream(pdf, data)
        stream.Filter = pikepdf.Name.FlateDecode
        pdf.pages[0].obj.Contents = pdf.make_indirect(stream)
        pdf.save(out)


def damaged_copies(originals: list[Path], folder: Path, seed: int = 20261202) -> dict[Path, tuple[Path, str]]:
    """Eleven damaged copies of each original: {damaged file: (original, kind)}."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[Path, tuple[Path, str]] = {}
    for src in originals:
        data = src.read_bytes()
        variants = {
            "flip1-a": flip(data, rng, 1),
            "flip1-b": flip(data, rng, 1),
            "flip10-a": flip(data, rng, 10),
            "flip10-b": flip(data, rng, 10),
            "flip1000": flip(data, rng, 1000),
            "truncated-a": truncate(data, rng),
            "truncated-b": truncate(data, rng),
            "trailing": trailing_garbage(data, rng),
            "xref": broken_xref(data, rng),
        }
        for kind, blob in variants.items():
            path = folder / f"{src.stem}.{kind}.pdf"
            path.write_bytes(blob)
            made[path] = (src, kind)
        path = folder / f"{src.stem}.selfref.pdf"
        self_referencing_pages(src, path)
        made[path] = (src, "selfref")
        path = folder / f"{src.stem}.flip-trailer.pdf"
        path.write_bytes(data[:-600] + flip(data[-600:], rng, 5))
        made[path] = (src, "flip-trailer")
    return made
