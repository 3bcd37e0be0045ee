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
    status        VARCHAR,               -- present | empty | absent | unreadable
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

CREATE TABLE IF NOT EXISTS check_results (
    document_id   VARCHAR,
    table_code    VARCHAR,
    check_name    VARCHAR,
    passed        BOOLEAN,
    severity      VARCHAR,               -- error | warn
    details       VARCHAR,
    lhs DOUBLE, rhs DOUBLE, difference DOUBLE, tolerance DOUBLE,  -- printed unit
    page          INTEGER,
    run_id        VARCHAR
);
