"""raw: the batch of files this run ingests, each kept once by its content hash."""


from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd
from dagster import AssetExecutionContext, AssetsDefinition, Config, MetadataValue, Output, asset
from dagster_duckdb import DuckDBResource

from disclosures.assets.partitions import INGEST_BATCHES
from disclosures.pipelines.resources import RawStore
from disclosures.rawstore import keep
from disclosures.version import code_version
from disclosures.warehouse.writer import published_versions


class IngestConfig(Config):
    """Files to ingest: local paths, each with where it came from and hints."""

    paths: list[str] = []
    source_urls: list[str] = []  # parallel to paths; empty means the local path
    hints: list[dict] = []  # parallel to paths: department, region, fiscal_year from a source registry


def manifest(paths: list[str], source_urls: list[str], hints: list[dict], store_root: str) -> pd.DataFrame:
    rows = []
    for i, p in enumerate(paths):
        path = Path(p)
        if not path.is_file():
            # Still a row: the run goes on and the document is rejected with a reason.
            rows.append(dict(document_id=None, raw_path=str(path), file_name=path.name, source_url=str(path), hints={}))
            continue
        sha, stored = keep(store_root, path)
        url = source_urls[i] if i < len(source_urls) and source_urls[i] else ""
        rows.append(
            dict(
                document_id=sha,
                raw_path=str(stored),
                # A scraped file is named by its URL; the store names it by its hash.
                file_name=Path(unquote(urlsplit(url).path)).name or path.name if url else path.name,
                source_url=url or str(path.resolve()),
                hints=hints[i] if i < len(hints) else {},
            )
        )
    return pd.DataFrame(rows, columns=["document_id", "raw_path", "file_name", "source_url", "hints"])


@asset(group_name="raw", kinds={"pdf"}, partitions_def=INGEST_BATCHES)
def raw_documents(
    context: AssetExecutionContext, config: IngestConfig, raw_store: RawStore, warehouse: DuckDBResource
) -> Output[pd.DataFrame]:
    """The PDFs of this batch, copied into the raw store under their sha256.

    Incremental by content: a document the warehouse already holds as parsed by this
    code version is not parsed again; a new code version re-parses everything."""
    frame = manifest(config.paths, config.source_urls, config.hints, raw_store.root)
    version = code_version()
    published = published_versions(warehouse.database, list(frame["document_id"].dropna().unique()))
    done = {d for d, v in published.items() if v == version}
    frame["already_published"] = frame["document_id"].isin(done)
    duplicated = frame["document_id"].notna() & frame.duplicated("document_id")
    duplicates = frame[duplicated]
    first_name = frame[~duplicated].set_index("document_id")["file_name"].to_dict()
    skipped = frame[~duplicated & frame["already_published"]]
    todo = frame[~frame["already_published"]]
    context.log.info(f"{len(frame)} files, {frame.document_id.nunique()} distinct, {len(done)} already published")
    return Output(
        frame,
        metadata={
            "files": len(frame),
            "distinct_documents": int(frame.document_id.nunique()),
            "already_published": len(done),
            # every file is accounted for by name: parsed (documents), skipped, or a duplicate
            "already_published_files": MetadataValue.md("\n".join(f"- `{n}`" for n in skipped["file_name"]) or "none"),
            "to_parse": int(todo["document_id"].nunique() + todo["document_id"].isna().sum()),
            "code_version": version,
            # documents an earlier code version published: parsed again, and replaced
            "reparsed_for_new_code_version": len(published) - len(done),
            "duplicates": MetadataValue.md(
                "\n".join(f"- `{r.file_name}`: the same bytes as `{first_name[r.document_id]}`" for r in duplicates.itertuples())
                or "none"
            ),
            "store": MetadataValue.path(str(Path(raw_store.root).resolve() / "raw")),
        },
    )


def fed_by(scrapes: list[AssetsDefinition]) -> AssetsDefinition:
    """`raw_documents` with each loaded source's scrape asset upstream of it: lineage from a
    portal to its figures. A dependency, not an input, so local files are ingested without
    any scrape and a batch never waits for one. The registry is read when the definitions
    are built (pipelines/definitions.py), so the edges are added then."""
    keys = [a.key for a in scrapes]
    return raw_documents.map_asset_specs(lambda spec: spec.merge_attributes(deps=keys)) if keys else raw_documents
