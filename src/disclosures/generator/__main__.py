"""python -m disclosures.generator --out DIR --producers reportlab,libreoffice-writer --count N --seed S [--random-layouts]

--budgets all (or shanghai,jiangsu,ministry) writes budgets instead: --count budgets, each with its
department's final account of the same year (--no-finals: budgets only), --errors seeded errors.

--samples --out samples/pdfs rebuilds the bundled sample (needs LibreOffice); --variants --out
tests/data/generated --redistilled tests/data/redistilled the extraction tests' corpus (needs
LibreOffice and Ghostscript). Those folders belong to a checkout, so they are always given
(the Makefile's `samples` and `variants` targets do); each is emptied first. --budget-variants --out
tests/data/budgets --seeded tests/data/budgets-seeded writes every budget template by every producer
and the office producers' seeded budgets (`make budgets`, needs LibreOffice)."""

from __future__ import annotations

import argparse
import sys
import time

from .corpus import (
    BUDGET_TEMPLATES,
    PRODUCERS,
    build_budget_variants,
    build_samples,
    build_variants,
    generate_budget_corpus,
    generate_corpus,
)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m disclosures.generator", description=__doc__)
    ap.add_argument("--out", help="output folder for PDFs and <name>.truth.json")
    ap.add_argument("--producers", default="reportlab", help=f"comma-separated, of {','.join(PRODUCERS)}")
    ap.add_argument("--count", type=int, default=10, help="random documents")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--reference", action="store_true", help="also render 晋城市科学技术局 2024 once per producer")
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--region", default="晋城市", help="city of the random departments; 'random' draws one per document")
    ap.add_argument("--errors", type=float, default=0.0, help="share of documents with one seeded error")
    ap.add_argument("--workers", type=int, default=1, help="processes for the reportlab producer")
    ap.add_argument("--budgets", metavar="TEMPLATES",
                    help="write budgets instead (shanghai,jiangsu,ministry or 'all'), each with its department's "
                         "final account of the same year unless --no-finals")
    ap.add_argument("--no-finals", action="store_true", help="with --budgets: budgets only")
    ap.add_argument("--budget-variants", action="store_true",
                    help="write every budget template by every producer into --out (tests/data/budgets)")
    ap.add_argument("--seeded", help="with --budget-variants: folder for the office producers' seeded budgets "
                                      "(tests/data/budgets-seeded)")
    ap.add_argument("--random-layouts", action="store_true",
                    help="draw every layout dimension per document and per table (layouts.random_style)")
    ap.add_argument("--samples", action="store_true", help="write the bundled sample into --out (samples/pdfs)")
    ap.add_argument("--variants", action="store_true",
                    help="write every layout by every producer into --out (tests/data/generated)")
    ap.add_argument("--redistilled", help="with --variants: folder for the Ghostscript re-writes (tests/data/redistilled)")
    args = ap.parse_args(argv)
    if not args.out:
        ap.error("--out is required")
    if args.variants and not args.redistilled:
        ap.error("--variants needs --redistilled")
    start = time.perf_counter()
    if args.samples:
        paths = build_samples(args.out)
    elif args.variants:
        paths = build_variants(args.out, args.redistilled)
    elif args.budget_variants:
        paths = build_budget_variants(args.out, args.seeded)
    elif args.budgets:
        templates = BUDGET_TEMPLATES if args.budgets == "all" else args.budgets
        region = None if args.region == "random" else args.region
        paths = generate_budget_corpus(args.out, templates, args.producers, args.count, args.seed, args.year, region,
                                       args.errors, not args.no_finals, args.workers)
    else:
        region = None if args.region == "random" else args.region
        paths = generate_corpus(args.out, args.producers, args.count, args.seed, args.reference, args.year,
                                region, args.errors, args.workers, args.random_layouts)
    took = time.perf_counter() - start
    print(f"wrote {len(paths)} PDF(s) in {took:.1f}s ({took / max(len(paths), 1):.2f}s each)", file=sys.stderr)
    for p in paths:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
