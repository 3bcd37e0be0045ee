"""python -m disclosures.generator.samples: rebuild samples/pdfs (needs LibreOffice)."""

import sys

from .corpus import build_samples

if __name__ == "__main__":
    paths = build_samples()
    print(f"wrote {len(paths)} sample PDF(s) to {paths[0].parent}", file=sys.stderr)
