"""The data folders the program reads, found through the installed package.

`expectations/` (the GX suites) and `sources/` (the scrape registry) stay at
the repository's top level, where people edit them; pyproject.toml maps them
into the package as `disclosures.expectations` and `disclosures.sources`, so
importlib.resources finds them in an installed wheel and in an editable
checkout alike. Counting parent directories from a module finds them only in
a checkout: an installed program would then silently have no suites and no
scrape assets.

Each folder can be replaced by a setting (a deployment's own registry, a
reviewed copy of the suites); the setting is read when called, never at
import time.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

SOURCES_SETTING = "DISCLOSURES_SOURCES"
EXPECTATIONS_SETTING = "DISCLOSURES_EXPECTATIONS_DIR"


def _folder(package: str, setting: str) -> Path:
    configured = os.environ.get(setting)
    if configured:
        return Path(configured)
    folder = files(package)
    # pip installs wheels unpacked, so the package's files are a directory on disk;
    # a zipped install would need extracting, which nothing here supports.
    if not isinstance(folder, Path):
        raise RuntimeError(f"{package} is not installed as files on disk ({folder!r}); set {setting}")
    return folder


def sources_dir() -> Path:
    """The source registry: `$DISCLOSURES_SOURCES`, else the packaged `sources/`."""
    return _folder("disclosures.sources", SOURCES_SETTING)


def expectations_dir() -> Path:
    """The GX suites: `$DISCLOSURES_EXPECTATIONS_DIR`, else the packaged `expectations/`."""
    return _folder("disclosures.expectations", EXPECTATIONS_SETTING)
