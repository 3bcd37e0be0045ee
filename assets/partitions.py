"""Ingest batches as dynamic partitions.

Every ingest run is one batch of files, registered as a partition of its own
(by `disclosures ingest` and by `new_documents_sensor`), so two batches that
run side by side each keep their own stored values, materializations and
checks, and a failed batch can be re-run alone from the UI.
"""

from dagster import DynamicPartitionsDefinition

INGEST_BATCHES = DynamicPartitionsDefinition(name="ingest_batches")
