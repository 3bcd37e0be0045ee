"""Scans: a produced PDF's pages replaced by pictures of themselves, as bureaus publish them.

A bureau scans a printed document whole (a photocopier's PDF: every page an
image), or scans a few signed tables and pastes them into an otherwise
born-digital export: as whole pages, or as a picture under the table's typed
title and unit line (`pasted`). The picture is what a scanner makes of paper: 150-300 dpi,
grey (a JPEG, with its artefacts) or 1-bit (a thresholded bitmap, Flate
compressed as fax-like scanners write it), turned by up to a degree where the
sheet sat askew on the glass, with sensor noise. The page keeps its size and
the figures printed on it, so the document's truth (same cells, same pages)
is unchanged; the truth file records how each page was scanned.

Everything is drawn from a seed, so a scanned corpus regenerates byte for byte.
"""

from __future__ import annotations

import dataclasses
import io
import json
import random
import zlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ScanSettings:
    dpi: int = 200
    mode: str = "grey"  # grey (JPEG) | 1bit (thresholded, Flate)
    skew: float | None = None  # degrees, counter-clockwise; None: drawn for each page, within ±1°
    noise: float = 6.0  # grey levels of Gaussian sensor noise (standard deviation)
    jpeg_quality: int = 75  # grey only

    @classmethod
    def random(cls, rng: random.Random) -> ScanSettings:
        mode = rng.choice(["grey", "grey", "1bit"])
        return cls(dpi=rng.choice([150, 200, 200, 240, 300]) if mode == "grey" else rng.choice([200, 240, 300]),
                   mode=mode, noise=round(rng.uniform(2.0, 10.0), 1), jpeg_quality=rng.randint(55, 85))


def scan_image(pdf_page, settings: ScanSettings, rng: random.Random):
    """The page as a scanner returns it: a PIL image (mode L or 1) at settings.dpi."""
    import numpy as np
    from PIL import Image

    grey = pdf_page.render(scale=settings.dpi / 72, grayscale=True).to_pil().convert("L")
    if settings.skew:
        grey = grey.rotate(settings.skew, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
    pixels = np.asarray(grey, dtype=np.float32)
    noise = np.random.default_rng(rng.getrandbits(32)).normal(0.0, settings.noise, pixels.shape)
    # paper is not pure white: a slight grey cast, darker towards one edge (the lid's shadow)
    shade = np.linspace(0, rng.uniform(0, 12), pixels.shape[1], dtype=np.float32)[None, :]
    pixels = np.clip(pixels - 6 - shade + noise, 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels, "L")
    if settings.mode == "1bit":
        threshold = rng.randint(150, 185)
        image = image.point(lambda v: 255 if v > threshold else 0, mode="1")
    return image


def _image_pdf(width: float, height: float, image, settings: ScanSettings) -> bytes:
    """A one-page PDF of width x height points showing `image` full-page and nothing else."""
    import pikepdf

    pdf = pikepdf.new()
    w, h = image.size
    if settings.mode == "1bit":
        # PIL packs 1-bit rows MSB first, 1 = white: DeviceGray's reading of a 1-bit sample
        stream = pikepdf.Stream(pdf, zlib.compress(image.tobytes(), 6))
        stream["/Filter"] = pikepdf.Name("/FlateDecode")
        bits = 1
    else:
        buf = io.BytesIO()
        image.save(buf, format="JPEG", quality=settings.jpeg_quality)
        stream = pikepdf.Stream(pdf, buf.getvalue())
        stream["/Filter"] = pikepdf.Name("/DCTDecode")
        bits = 8
    stream["/Type"] = pikepdf.Name("/XObject")
    stream["/Subtype"] = pikepdf.Name("/Image")
    stream["/Width"], stream["/Height"] = w, h
    stream["/ColorSpace"] = pikepdf.Name("/DeviceGray")
    stream["/BitsPerComponent"] = bits
    content = pikepdf.Stream(pdf, f"q {width:.4f} 0 0 {height:.4f} 0 0 cm /Im0 Do Q".encode())
    page = pikepdf.Dictionary(
        Type=pikepdf.Name("/Page"),
        MediaBox=pikepdf.Array([0, 0, width, height]),
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=stream)),
        Contents=content,
    )
    pdf.pages.append(pikepdf.Page(pdf.make_indirect(page)))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _replace_pages(path: Path, pages: list[int] | None, rng: random.Random, settings: ScanSettings | None, draw) -> dict:
    """Replace `pages` (1-based; None: every page) of the PDF at `path` by `draw(page, number, settings, rng)`,
    a one-page PDF's bytes made from the pdfium page.

    One scanner's settings (drawn from rng unless given) hold for the whole run; each
    page gets its own noise and, unless settings fix it, its own skew (a feeder does not
    hold every sheet alike). Returns the scan's settings, for the truth file."""
    import pikepdf
    import pypdfium2 as pdfium

    base = settings or ScanSettings.random(rng)
    src = pdfium.PdfDocument(str(path))
    drawn, skews = {}, {}
    try:
        for n in pages or range(1, len(src) + 1):
            one = dataclasses.replace(base, skew=base.skew if base.skew is not None else round(rng.uniform(-1.0, 1.0), 2))
            skews[n] = one.skew
            drawn[n] = draw(src[n - 1], n, one, rng)
    finally:
        src.close()
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for n, data in drawn.items():
            with pikepdf.open(io.BytesIO(data)) as one_page:
                pdf.pages.insert(n - 1, one_page.pages[0])
            del pdf.pages[n]
        pdf.save(path, deterministic_id=True)
    return {"dpi": base.dpi, "mode": base.mode, "skew": {str(n): s for n, s in skews.items()},
            "noise": base.noise, "jpeg_quality": base.jpeg_quality if base.mode == "grey" else None}


def scan_pages(path: Path, pages: list[int] | None, seed: int, settings: ScanSettings | None = None) -> dict:
    """Replace `pages` (1-based; None: every page) of the PDF at `path` by scans of themselves.
    Returns what was done, for the truth file."""

    def draw(page, n: int, one: ScanSettings, rng: random.Random) -> bytes:
        width, height = page.get_size()
        return _image_pdf(width, height, scan_image(page, one, rng), one)

    return {"pages": pages or "all", **_replace_pages(path, pages, random.Random(f"scan/{seed}"), settings, draw)}


# points at a page's foot kept for a typed page number when the head is in the picture (the
# generated pages print nothing within 50 pt of their edges)
_FOOT = 36


def paste_pages(path: Path, pages: list[int], seed: int, settings: ScanSettings | None = None,
                head_typed: bool = True) -> dict:
    """Replace each of `pages` by its head as typed text (what is printed above the table's
    top rule: title, 公开NN表, department, unit) over a scan of the rest pasted in as one
    picture, as a bureau pastes a signed, scanned table under a title typed in Word.
    With `head_typed` False the head is scanned too: the whole sheet is the picture, above
    a page number the word processor types at the foot (the page's only text)."""

    def draw(page, n: int, one: ScanSettings, rng: random.Random) -> bytes:
        import numpy as np
        from reportlab.lib.utils import ImageReader
        from reportlab.pdfgen.canvas import Canvas

        from .render_reportlab import FONT  # (registers the CID font)

        width, height = page.get_size()
        if head_typed:
            ink = np.asarray(page.render(scale=one.dpi / 72, grayscale=True).to_pil().convert("L")) < 128
            top = int(np.flatnonzero(ink.sum(axis=1) > 0.4 * ink.shape[1])[0]) - 4  # above the table's top rule
            cut = height - top * 72 / one.dpi  # points from the page's foot
        else:
            cut = height
        text = page.get_textpage()
        head = [(text.get_text_range(i, 1), text.get_charbox(i)) for i in range(text.count_chars())]
        image = scan_image(page, one, rng)
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=(width, height))
        for char, (left, bottom, _, upper) in head:
            if char.strip() and bottom > cut:
                canvas.setFont(FONT, max(6.0, (upper - bottom) * 1.15))
                canvas.drawString(left, bottom + (upper - bottom) * 0.1, char)
        foot = 0 if head_typed else _FOOT
        scale = image.size[1] / height  # pixels a point
        picture = image.crop((0, round((height - cut) * scale), image.size[0], round((height - foot) * scale))).convert("L")
        canvas.drawImage(ImageReader(picture), 0, foot, width=width, height=cut - foot)
        if not head_typed:
            canvas.setFont(FONT, 9)
            canvas.drawCentredString(width / 2, foot / 2 - 3, f"- {n} -")
        canvas.showPage()
        canvas.save()
        return out.getvalue()

    done = _replace_pages(path, pages, random.Random(f"paste/{seed}"), settings, draw)
    return {"pages": pages, "pasted": "head typed" if head_typed else "head in the picture", **done}


def scan_document(pdf_path: Path, pages: list[int] | None, seed: int, settings: ScanSettings | None = None,
                  pasted: bool = False, head_typed: bool = True) -> None:
    """scan_pages (or paste_pages), and the scan recorded in the PDF's truth file (its cells are unchanged)."""
    done = (paste_pages(pdf_path, pages, seed, settings, head_typed) if pasted
            else scan_pages(pdf_path, pages, seed, settings))
    truth_path = pdf_path.with_suffix(".truth.json")
    truth = json.loads(truth_path.read_text("utf-8"))
    truth["scan"] = done
    from .truth import dumps

    truth_path.write_text(dumps(truth), "utf-8")
