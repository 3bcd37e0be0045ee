"""Why three-line tables get a grid of their own: camelot's stream and network flavors on them.

    python bench/three_line_flavors.py

For the first page of every table printed in the three-line layouts of
tests/data/generated/, compares the column count camelot's stream and
network flavors find with the columns the generator printed. (Lattice finds
no cell at all: there are no vertical rules.)
"""

from __future__ import annotations

import json
import warnings
from collections import Counter
from pathlib import Path

import camelot

from disclosures.generator.corpus import document_for, variant_specs

GENERATED = Path(__file__).resolve().parents[1] / "tests" / "data" / "generated"


def main() -> dict:
    warnings.simplefilter("ignore")  # camelot warns on every page it finds no table on
    right: Counter = Counter()
    tables = 0
    for spec in variant_specs():
        if not spec.layout.startswith("three-line"):
            continue
        truth = json.loads((GENERATED / f"{spec.name}.truth.json").read_text("utf-8"))
        for block in document_for(spec).tables:
            t = truth["tables"][block.code]
            if t["status"] != "present":
                continue
            tables += 1
            for flavor in ("stream", "network"):
                found = camelot.read_pdf(str(GENERATED / f"{spec.name}.pdf"), pages=str(t["pages"][0]),
                                         flavor=flavor, suppress_stdout=True)
                right[flavor] += max((tb.shape[1] for tb in found), default=0) == block.ncols
    return {"tables": tables, **{f"{f}_right_column_count": right[f] for f in ("stream", "network")}}


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
