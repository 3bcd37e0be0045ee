"""Write corpora of PDFs with their truth files: tests, benchmarks, the bundled sample.

A corpus is planned as small picklable specs (department, year, seed,
producer, error kind), so reportlab documents can be rendered in worker
processes and LibreOffice documents converted in one soffice batch.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from . import layouts
from .departments import PROFILES, SAMPLE_PROFILES
from .document import Document, Style, build_document
from .ledger import Ledger, random_ledger, reference_ledger
from .truth import dumps, truth_document

PRODUCERS = ("reportlab", "libreoffice-writer", "libreoffice-calc")
OFFICE = {"libreoffice-writer": ".fodt", "libreoffice-calc": ".xlsx"}
REGIONS = {"晋城市": "jincheng", "长治市": "changzhi", "太原市": "taiyuan", "大同市": "datong",
           "阳泉市": "yangquan", "临汾市": "linfen", "运城市": "yuncheng", "吕梁市": "lvliang"}
# variants re-written by Ghostscript, one whose text layer is lost partly and one entirely
REDISTILLED = ("three-line-libreoffice-writer", "split-codes-libreoffice-calc")


@dataclass(frozen=True)
class Spec:
    name: str  # file stem, ASCII
    producer: str
    year: int = 2024
    region: str = "晋城市"
    profile: str | None = None  # department profile slug; None with reference=True
    seed: int = 0
    reference: bool = False
    prior_year: bool = False  # chain to the same department's previous-year ledger
    error: str | None = None  # a variants.KINDS entry
    style_seed: int | None = None
    layout: str | None = None  # a layouts.LAYOUTS name applied over the random style (a budget: BUDGET_LAYOUTS);
    # "random": layouts.random_style
    cut_unit: tuple = ()  # tables printed with their unit line cut away
    extra: dict = field(default_factory=dict, hash=False, compare=False)
    kind: str = "final"  # final | budget
    template: str = ""  # a budget's template: shanghai | jiangsu | ministry
    budget_kind: str = "部门"  # 部门预算 | 单位预算


def ledger_for(spec: Spec) -> Ledger:
    if spec.reference:
        return reference_ledger()
    prior = None
    if spec.prior_year:
        prior = random_ledger(spec.seed, spec.profile, spec.region, spec.year - 1)
    return random_ledger(spec.seed, spec.profile, spec.region, spec.year, prior=prior)


def budget_document_for(spec: Spec) -> Document:
    """A budget of the department-year `ledger_for` would account for (same seed, profile, region, year)."""
    from .budget_document import BudgetStyle, apply_layout, build_budget_document
    from .budget_ledger import budget_ledger

    style = BudgetStyle.for_template(spec.template, spec.budget_kind,
                                     spec.style_seed if spec.style_seed is not None else spec.seed)
    style = apply_layout(style, spec.layout)
    bl = budget_ledger(spec.seed, spec.profile, spec.region, spec.year, spec.template, spec.budget_kind,
                       fen=style.decimals != "0")
    if spec.error:
        from .budget_variants import seeded_budget_document

        return seeded_budget_document(bl, spec.error, style, spec.seed)
    return build_budget_document(bl, style)


def document_for(spec: Spec) -> Document:
    if spec.kind == "budget":
        return budget_document_for(spec)
    led = ledger_for(spec)
    if spec.reference:
        from .reference import REFERENCE_TITLES

        style = Style(titles=dict(REFERENCE_TITLES))
    elif spec.layout == "random":
        style = layouts.random_style(spec.style_seed if spec.style_seed is not None else spec.seed)
    else:
        style = Style.random(spec.style_seed if spec.style_seed is not None else spec.seed)
    if spec.layout != "random":
        style = layouts.apply(style, spec.layout)
    if spec.cut_unit:
        style = dataclasses.replace(style, cut_unit=tuple(spec.cut_unit))
    if spec.error:
        from .variants import seeded_document

        return seeded_document(led, spec.error, style, spec.seed)
    return build_document(led, style)


def locate_tables(pdf_path: Path, doc: Document) -> tuple[dict[str, list[int]], int, dict[str, list[int]]]:
    """Pages (1-based) each table occupies, its rows' pages, and the page count, found
    from the text layer: a table starts on the page printing its 公开0N表 label and runs
    until the next one; a row is on the first of those pages whose text holds the row's
    cell texts in order (rows are searched in order, so pages only move forward)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        texts = [re.sub(r"\s+", "", pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]
    finally:
        pdf.close()
    starts, after = {}, 0
    for table in doc.tables:
        needles = [table.label]
        if doc.report_kind == "budget":
            # titles are also in the contents and labels may be absent or short (表1); Calc's text
            # layer puts a label after the table, so both are looked for anywhere on the page
            needles = [re.sub(r"\s+", "", n) for n in (table.title, table.label or table.meta[0])]
        for i in range(after, len(texts)):
            if all(n in texts[i] for n in needles):
                starts[table.code] = i
                after = i
                break
    order = sorted(starts.items(), key=lambda kv: kv[1])
    end_mark = re.sub(r"\s+", "", doc.tables_end)
    end_text = next((i for i in range(after + 1, len(texts)) if end_mark in texts[i]), len(texts))
    pages, row_pages = {}, {}
    by_code = {t.code: t for t in doc.tables}
    for n, (code, start) in enumerate(order):
        stop = order[n + 1][1] if n + 1 < len(order) else end_text
        span = list(range(start + 1, max(start + 1, stop) + 1))
        pages[code] = span
        at = 0
        rows = []
        for row in by_code[code].body:
            needle = "".join(re.sub(r"\s+", "", c.text) for c in row if c is not None)
            for k in range(at, len(span)):
                if needle and needle in texts[span[k] - 1]:
                    at = k
                    break
            rows.append(span[at])
        row_pages[code] = rows
    return pages, len(texts), row_pages


def _write_truth(pdf_path: Path, doc: Document, spec: Spec, located=None) -> None:
    pages, count, row_pages = located or locate_tables(pdf_path, doc)
    payload = truth_document(doc, spec.producer, pdf_path.name, pages, count, spec.seed, row_pages)
    if spec.layout:
        payload["layout"] = spec.layout
    payload.update(spec.extra)
    pdf_path.with_suffix(".truth.json").write_text(dumps(payload), "utf-8")


def _render_reportlab(args) -> str:
    spec, out_dir = args
    from .render_reportlab import render

    doc = document_for(spec)
    path = Path(out_dir) / f"{spec.name}.pdf"
    count, pages, row_pages = render(doc, path)
    layouts.postprocess(path, doc.style)
    _write_truth(path, doc, spec, (pages, count, row_pages))
    return str(path)


def render_specs(specs: list[Spec], out_dir: Path, workers: int = 1) -> list[Path]:
    """Render every spec to `out_dir/<name>.pdf` plus `<name>.truth.json`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    direct = [s for s in specs if s.producer == "reportlab"]
    office = [s for s in specs if s.producer in OFFICE]
    unknown = {s.producer for s in specs} - set(PRODUCERS)
    if unknown:
        raise ValueError(f"unknown producer(s) {sorted(unknown)}; known: {PRODUCERS}")
    written: dict[str, Path] = {}
    jobs = [(s, str(out_dir)) for s in direct]
    if workers > 1 and len(jobs) > 1:
        with get_context("fork").Pool(workers) as pool:
            for p in pool.imap(_render_reportlab, jobs, chunksize=4):
                written[Path(p).stem] = Path(p)
    else:
        for job in jobs:
            p = _render_reportlab(job)
            written[Path(p).stem] = Path(p)
    if office:
        from . import render_calc, render_writer
        from .soffice import convert_to_pdf

        writers = {"libreoffice-writer": render_writer.write_source, "libreoffice-calc": render_calc.write_source}
        with tempfile.TemporaryDirectory(prefix="disclosures-src-") as tmp:
            docs, sources = {}, []
            for spec in office:
                doc = document_for(spec)
                src = Path(tmp) / f"{spec.name}{OFFICE[spec.producer]}"
                writers[spec.producer](doc, src)
                docs[spec.name] = (doc, spec)
                sources.append(src)
            for pdf in convert_to_pdf(sources, out_dir):
                doc, spec = docs[pdf.stem]
                layouts.postprocess(pdf, doc.style)
                _write_truth(pdf, doc, spec)
                written[pdf.stem] = pdf
    return [written[s.name] for s in specs]


def plan_corpus(producers=("reportlab",), count: int = 10, seed: int = 0, include_reference: bool = False,
                year: int = 2024, region: str | None = "晋城市", errors: float = 0.0,
                random_layouts: bool = False) -> list[Spec]:
    """`count` random documents spread over `producers` (plus the reference once per producer).
    `errors` is the share of random documents given one seeded error, kinds in rotation;
    `region=None` draws a Shanxi city per document; `random_layouts` draws every layout
    dimension per document and per table (layouts.random_style) instead of Style.random."""
    from .variants import KINDS

    rng = random.Random(f"corpus/{seed}")
    specs = []
    if include_reference:
        specs += [Spec(f"jincheng-kejiju-2024-{p}", p, 2024, "晋城市", reference=True) for p in producers]
    n_err = round(count * errors)
    for i in range(count):
        reg = region or rng.choice(sorted(REGIONS))
        profile = rng.choice(sorted(PROFILES))
        producer = producers[i % len(producers)]
        error = KINDS[i % len(KINDS)] if i < n_err else None
        doc_seed = seed * 1_000_003 + i
        name = f"{REGIONS.get(reg, 'region')}-{profile}-{year}-{producer}-s{seed}-{i:04d}"
        if error:
            name += f"-err-{error.replace('_', '-')}"
        specs.append(Spec(name, producer, year, reg, profile, doc_seed, error=error,
                          layout="random" if random_layouts else None))
    return specs


def generate_corpus(out_dir, producers=("reportlab",), count: int = 10, seed: int = 0,
                    include_reference: bool = False, year: int = 2024, region: str | None = "晋城市",
                    errors: float = 0.0, workers: int = 1, random_layouts: bool = False) -> list[Path]:
    """Write PDFs and truth files; returns the PDF paths in plan order."""
    if isinstance(producers, str):
        producers = [p.strip() for p in producers.split(",") if p.strip()]
    specs = plan_corpus(tuple(producers), count, seed, include_reference, year, region, errors, random_layouts)
    return render_specs(specs, Path(out_dir), workers)


BUDGET_TEMPLATES = ("shanghai", "jiangsu", "ministry")


def plan_budget_corpus(templates=BUDGET_TEMPLATES, producers=("reportlab",), count: int = 10, seed: int = 0,
                       year: int = 2024, region: str | None = "晋城市", errors: float = 0.0,
                       finals: bool = True) -> list[Spec]:
    """`count` budgets spread over `templates` and `producers`; with `finals` each department-year's
    final account too (same seed, profile, region and year), so budget and actual can be compared.

    Shanghai budgets alternate 部门预算 and 单位预算; each document draws a layout of its template
    (`budget_document.TEMPLATE_LAYOUTS`) or none; `errors` is the share with one seeded error (the
    first documents), each of the kind its template can carry that was seeded least so far (in
    `budget_variants.KINDS` order), so that a few seeded documents cover every kind."""
    from collections import Counter

    from .budget_document import TEMPLATE_LAYOUTS
    from .budget_variants import KINDS, kinds_for

    unknown = set(templates) - set(BUDGET_TEMPLATES)
    if unknown:
        raise ValueError(f"unknown budget template(s) {sorted(unknown)}; known: {BUDGET_TEMPLATES}")
    rng = random.Random(f"budget-corpus/{seed}")
    specs = []
    n_err = round(count * errors)
    seeded: Counter = Counter()
    for i in range(count):
        reg = region or rng.choice(sorted(REGIONS))
        profile = rng.choice(sorted(PROFILES))
        template = templates[i % len(templates)]
        producer = producers[(i // len(templates)) % len(producers)]
        kind = "单位" if template == "shanghai" and (i // len(templates)) % 2 else "部门"
        layouts_ = TEMPLATE_LAYOUTS[template]
        layout = rng.choice([None, *layouts_])
        error = None
        if i < n_err:
            error = min(kinds_for(template), key=lambda k: (seeded[k], KINDS.index(k)))
            seeded[error] += 1
        doc_seed = seed * 1_000_003 + i
        stem = f"{REGIONS.get(reg, 'region')}-{profile}-{year}"
        name = f"{stem}-budget-{template}{'-unit' if kind == '单位' else ''}-{producer}-s{seed}-{i:04d}"
        if layout:
            name += f"-{layout}"
        if error:
            name += f"-err-{error.replace('_', '-')}"
        specs.append(Spec(name, producer, year, reg, profile, doc_seed, error=error, layout=layout, kind="budget",
                          template=template, budget_kind=kind))
        if finals:
            specs.append(Spec(f"{stem}-final-{producer}-s{seed}-{i:04d}", producer, year, reg, profile, doc_seed))
    return specs


def generate_budget_corpus(out_dir, templates=BUDGET_TEMPLATES, producers=("reportlab",), count: int = 10,
                           seed: int = 0, year: int = 2024, region: str | None = "晋城市", errors: float = 0.0,
                           finals: bool = True, workers: int = 1) -> list[Path]:
    """Write budget PDFs (and their departments' final accounts) with truth files; PDF paths in plan order."""
    if isinstance(templates, str):
        templates = [t.strip() for t in templates.split(",") if t.strip()]
    if isinstance(producers, str):
        producers = [p.strip() for p in producers.split(",") if p.strip()]
    specs = plan_budget_corpus(tuple(templates), tuple(producers), count, seed, year, region, errors, finals)
    return render_specs(specs, Path(out_dir), workers)


# the committed budget corpus: each template by each producer, with a layout of its own
BUDGET_VARIANTS = [  # (template, 部门/单位, profile, layout per producer)
    ("shanghai", "部门", "caizhengju", {"reportlab": "header-once", "libreoffice-writer": "zeros-printed",
                                         "libreoffice-calc": "whole-yuan"}),
    ("shanghai", "单位", "weijianwei", {"reportlab": "header-repeated", "libreoffice-writer": "no-separators",
                                         "libreoffice-calc": "rotated"}),
    ("jiangsu", "部门", "jiaoyuju", {"reportlab": "two-per-page", "libreoffice-writer": "unlabelled",
                                      "libreoffice-calc": "trimmed-decimals"}),
    ("ministry", "部门", "jiaotongju", {"reportlab": None, "libreoffice-writer": "header-once",
                                         "libreoffice-calc": "no-separators"}),
]


def budget_variant_specs() -> list[Spec]:
    """Every budget template by every producer, and each department's final account of the year."""
    specs = []
    for n, (template, kind, profile, layouts_) in enumerate(BUDGET_VARIANTS):
        seed = 7000 + n
        for producer in PRODUCERS:
            unit = "-unit" if kind == "单位" else ""
            specs.append(Spec(f"budget-{template}{unit}-{producer}", producer, 2024, "晋城市", profile, seed,
                              layout=layouts_[producer], kind="budget", template=template, budget_kind=kind))
        specs.append(Spec(f"final-{template}{'-unit' if kind == '单位' else ''}-reportlab", "reportlab", 2024,
                          "晋城市", profile, seed))
    return specs


def seeded_budget_specs(producers=PRODUCERS) -> list[Spec]:
    """Budgets with one seeded error each (`budget_variants`), by `producers`.

    reportlab prints every kind of every template (4 × 7 or 8: quick to render, so a test renders
    them). Each office producer prints every kind once, the templates taken in turn (a different
    one per producer), so every template meets every producer and every kind every producer
    while the committed corpus stays small. Layouts and departments rotate."""
    from .budget_document import TEMPLATE_LAYOUTS
    from .budget_variants import KINDS, kinds_for

    profiles = sorted(PROFILES)
    variants = [(template, kind) for template, kind, _, _ in BUDGET_VARIANTS]
    plan = []  # (producer, template, kind, error), planned over every producer so a spec is the same whichever are asked for
    for producer in PRODUCERS:
        if producer == "reportlab":
            plan += [(producer, t, k, e) for t, k in variants for e in kinds_for(t)]
            continue
        turn = PRODUCERS.index(producer)
        for i, error in enumerate(KINDS):
            takes = [(t, k) for t, k in variants if error in kinds_for(t)]
            plan.append((producer, *takes[(i + turn) % len(takes)], error))
    specs = []
    for n, (producer, template, kind, error) in enumerate(plan):
        layouts_ = TEMPLATE_LAYOUTS[template]
        unit = "-unit" if kind == "单位" else ""
        specs.append(Spec(f"seeded-{template}{unit}-{error.replace('_', '-')}-{producer}", producer, 2024, "晋城市",
                          profiles[n % len(profiles)], 7100 + n, error=error, layout=layouts_[n % len(layouts_)],
                          kind="budget", template=template, budget_kind=kind))
    return [s for s in specs if s.producer in producers]


def build_budget_variants(out_dir, seeded_dir=None) -> list[Path]:
    """The budget corpus the tests hold to its truth (`tests/data/budgets/` in a checkout,
    `make budgets`; needs LibreOffice), and into `seeded_dir` (`tests/data/budgets-seeded/`) the
    office producers' seeded budgets (`seeded_budget_specs`; the reportlab ones a test renders).
    Both folders are emptied first."""
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    paths = render_specs(budget_variant_specs(), out)
    if seeded_dir:
        seeded = Path(seeded_dir)
        if seeded.exists():
            shutil.rmtree(seeded)
        paths += render_specs(seeded_budget_specs(tuple(OFFICE)), seeded)
    return paths


def bulk_corpus(out_dir, count: int = 2000, seed: int = 0, workers: int = 2, errors: float = 0.0) -> list[Path]:
    """The benchmark corpus: reportlab only, many cities, rendered on `workers` processes."""
    return generate_corpus(out_dir, ("reportlab",), count, seed, False, 2024, None, errors, workers)


def sample_specs() -> list[Spec]:
    specs = [Spec("jincheng-kejiju-2024-libreoffice-writer", "libreoffice-writer", reference=True),
             Spec("jincheng-kejiju-2024-reportlab", "reportlab", reference=True)]
    rotation = ["reportlab", "libreoffice-writer", "libreoffice-calc"]
    k = 0
    for n, slug in enumerate(SAMPLE_PROFILES):
        for year in (2023, 2024):
            producer = rotation[k % len(rotation)]
            k += 1
            specs.append(Spec(f"jincheng-{slug}-{year}-{producer}", producer, year, "晋城市", slug, seed=2024 + n,
                              prior_year=year == 2024, style_seed=1000 + n))
    return specs


def build_samples(out_dir) -> list[Path]:
    """The bundled sample (`samples/pdfs/` in a checkout, `make samples`): the reference bureau
    twice and four 晋城市 bureaus for 2023 and 2024. `out_dir` is emptied first."""
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    return render_specs(sample_specs(), out)


def variant_specs() -> list[Spec]:
    """Every layout of `layouts.LAYOUTS` by every producer, a random department each."""
    profiles = sorted(PROFILES)
    assert sorted(layouts.SEED_ORDER) == sorted(layouts.LAYOUTS), "every layout needs its place in SEED_ORDER"
    specs = []
    for i, layout in enumerate(layouts.SEED_ORDER):
        for j, producer in enumerate(PRODUCERS):
            spec = Spec(f"{layout}-{producer}", producer, 2024, "晋城市", profiles[(i + j) % len(profiles)],
                        seed=5000 + 10 * i + j, layout=layout)
            shown = layouts.SHOWS.get(layout)
            while shown and (shown in ledger_for(spec).absent or ledger_for(spec).is_empty(shown)):
                # a layout of one table is drawn from a ledger that prints figures in it
                spec = dataclasses.replace(spec, seed=spec.seed + 1000)
            specs.append(spec)
    return specs


def build_variants(out_dir, redistilled_dir) -> list[Path]:
    """The layout variants the extraction tests hold to their truth (`tests/data/generated/` in a
    checkout, `make variants`), and a few of them re-written by Ghostscript into `redistilled_dir`
    (`tests/data/redistilled/`; needs gs). Both folders are emptied first."""
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    paths = render_specs(variant_specs(), out)
    gs_out = Path(redistilled_dir)
    if gs_out.exists():
        shutil.rmtree(gs_out)
    gs_out.mkdir(parents=True)
    for name in REDISTILLED:
        target = gs_out / f"{name}.pdf"
        shutil.copy(out / f"{name}.pdf", target)
        layouts.redistill(target)
        truth = json.loads((out / f"{name}.truth.json").read_text("utf-8"))
        truth["route"] = "ghostscript-pdfwrite"
        target.with_suffix(".truth.json").write_text(dumps(truth), "utf-8")
        paths.append(target)
    return paths


# Scanned documents: layouts a scanned table still shows with its rules (a three-line table's
# grid is derived from text blocks; see parse/textgrid.py), over random departments.
SCANNED_LAYOUTS = (None, "split-codes", "yuan", "sangong-pairs", "econ-2", "title-in-table", "wrapped",
                   "sangong-reception", "yuan-tables")


def build_scanned(out_dir, count: int = 20, whole: int = 2, seed: int = 0, workers: int = 1) -> list[Path]:
    """`count` reportlab documents, scanned as bureaus publish them (generator/scan.py): the first
    `whole` entirely (a photocopied document, grey then 1-bit), the others one table page each,
    a different table each time (a signed table scanned into a born-digital export; every third
    pasted as a picture under its typed title, or every sixth as a picture of the whole sheet,
    title included, over a typed page number, on the first table's page). Scanner
    settings are drawn per document: 150-300 dpi, grey JPEG or 1-bit, skew within ±1°, noise.
    The truth is the document's (same cells, same pages) plus how it was scanned."""
    from .scan import ScanSettings, scan_document

    specs = []
    for i in range(count):
        profile = sorted(PROFILES)[i % len(PROFILES)]
        layout = SCANNED_LAYOUTS[i % len(SCANNED_LAYOUTS)]
        kind = "whole" if i < whole else ("pasted-titled" if i % 6 == 5 else "pasted") if i % 3 == 2 else "page"
        specs.append(Spec(f"scanned-{kind}-{profile}-s{seed}-{i:03d}", "reportlab", 2024, "晋城市", profile,
                          seed=9000 + 1000 * seed + i, layout=layout))
    paths = render_specs(specs, Path(out_dir), workers)
    codes = ["公开01", "公开02", "公开03", "公开04", "公开05", "公开06", "公开09", "公开10", "公开08"]
    for i, path in enumerate(paths):
        rng = random.Random(f"scanned/{seed}/{i}")
        settings = ScanSettings.random(rng)
        if i < whole:
            settings = ScanSettings(dpi=200 if i % 2 == 0 else 300, mode="grey" if i % 2 == 0 else "1bit",
                                    noise=settings.noise, jpeg_quality=settings.jpeg_quality)
            pages = None
        else:
            tables = json.loads(path.with_suffix(".truth.json").read_text("utf-8"))["tables"]
            printed = [c for c in codes[i % len(codes):] + codes[:i % len(codes)] if tables[c].get("pages")]
            if "-titled-" in path.name:  # the first table: no table found before it runs onto its page
                printed = ["公开01"]
            pages = [tables[printed[0]]["pages"][0]]
        scan_document(path, pages, seed * 1000 + i, settings, pasted="-pasted-" in path.name,
                      head_typed="-titled-" not in path.name)
    return paths
