-- The warehouse contract (../shared/spec/WAREHOUSE.md) plus lineage and triage.
-- Idempotent: run on every connection that writes.

-- raw: what was ingested and what was found in it
CREATE TABLE IF NOT EXISTS documents (
    document_id   VARCHAR PRIMARY KEY,   -- sha256 of the file's bytes
    department    VARCHAR,
    region        VARCHAR,
    fiscal_year   INTEGER,
    report_kind   VARCHAR,               -- final | budget | unknown
    source_url    VARCHAR,
    page_count    INTEGER,
    status        VARCHAR,               -- loaded | rejected | template | unsupported | unreadable | no_tables
    reason        VARCHAR,               -- why, when not loaded
    unit          VARCHAR,               -- the unit most tables print (万元 | 元)
    file_name     VARCHAR,
    raw_path      VARCHAR,               -- the copy kept by content hash
    cells         INTEGER,
    errors        INTEGER,               -- failed error-severity checks
    warnings      INTEGER,
    code_version  VARCHAR,
    run_id        VARCHAR,
    loaded_at     TIMESTAMP
);

CREATE TABLE IF NOT EXISTS document_tables (
    document_id   VARCHAR,
    table_code    VARCHAR,
    status        VARCHAR,               -- present | partial | empty | absent | unreadable
    title         VARCHAR,
    pages         VARCHAR,
    printed_unit  VARCHAR,
    detail        VARCHAR
);

CREATE TABLE IF NOT EXISTS document_problems (
    document_id   VARCHAR,
    problem       VARCHAR
);

-- core: one row per numeric cell, in canonical keys, with its lineage
CREATE TABLE IF NOT EXISTS fact_amounts (
    document_id   VARCHAR,
    table_code    VARCHAR,
    row_key       VARCHAR,
    column_key    VARCHAR,
    amount        DECIMAL(20, 2),        -- 元 for money; a count for count cells
    unit          VARCHAR,
    page          INTEGER,
    printed       VARCHAR,               -- the cell as printed
    row_label     VARCHAR,               -- the row's name as printed
    x0 DOUBLE, y0 DOUBLE, x1 DOUBLE, y1 DOUBLE,   -- the cell's box, PDF points
    method        VARCHAR,               -- extraction method and library version
    code_version  VARCHAR,
    run_id        VARCHAR
);

-- validation: one row per check run on a document; `check_results` (the
-- contract's relation) is this table with each check's latest disposition.
CREATE TABLE IF NOT EXISTS checks (
    document_id   VARCHAR,
    table_code    VARCHAR,
    check_name    VARCHAR,
    passed        BOOLEAN,
    severity      VARCHAR,               -- error | warn
    details       VARCHAR,
    lhs DOUBLE, rhs DOUBLE, difference DOUBLE, tolerance DOUBLE,  -- printed unit
    page          INTEGER,
    run_id        VARCHAR,
    family        VARCHAR,               -- the Dagster asset check it belongs to (row_sum, narrative, …)
    row_key       VARCHAR,               -- the cell the identity is stated for, where it has one
    column_key    VARCHAR,
    unit          VARCHAR                -- the unit lhs, rhs and difference are in, as printed
);
-- Warehouses written before these columns existed get them (NULL until their documents are re-ingested).
-- a budget's scope (BUDGETS.md): department (部门预算) or unit (单位预算); two documents of one department
ALTER TABLE documents ADD COLUMN IF NOT EXISTS budget_scope VARCHAR;
ALTER TABLE checks ADD COLUMN IF NOT EXISTS family VARCHAR;
ALTER TABLE checks ADD COLUMN IF NOT EXISTS row_key VARCHAR;
ALTER TABLE checks ADD COLUMN IF NOT EXISTS column_key VARCHAR;
ALTER TABLE checks ADD COLUMN IF NOT EXISTS unit VARCHAR;
-- OCR'd cells: the engine's confidence in the cell's least certain character (NULL: read from the text layer)
ALTER TABLE fact_amounts ADD COLUMN IF NOT EXISTS confidence DOUBLE;

-- triage: a reviewer's verdict on a failed check, append-only (every verdict
-- is kept; the latest per document and check is in force). Survives re-runs.
CREATE TABLE IF NOT EXISTS check_dispositions (
    document_id   VARCHAR,
    check_name    VARCHAR,
    disposition   VARCHAR,               -- bureau_error (the document's own, accepted) | parser_error
    note          VARCHAR,
    reviewer      VARCHAR,
    recorded_at   TIMESTAMP
);

CREATE OR REPLACE VIEW check_results AS
WITH latest AS (
    SELECT * FROM check_dispositions
    QUALIFY row_number() OVER (PARTITION BY document_id, check_name ORDER BY recorded_at DESC) = 1
)
SELECT c.document_id, c.table_code, c.check_name, c.passed, c.severity, c.details,
       c.lhs, c.rhs, c.difference, c.tolerance, c.page, c.run_id,
       c.family, c.row_key, c.column_key, c.unit,
       l.disposition, l.note AS disposition_note, l.reviewer, l.recorded_at AS disposition_at
FROM checks c
LEFT JOIN latest l ON l.document_id = c.document_id AND l.check_name = c.check_name;
