-- Marts: the comparisons analysts ask for, as views over the core layer.
-- Every row carries document_id and pages, so a figure leads back to its page.
-- `flagged` is true when the document failed an error-severity check that a
-- reviewer has not accepted; filter on it to compare only clean documents.

CREATE OR REPLACE VIEW dim_documents AS
SELECT d.document_id, d.department, d.region, d.fiscal_year, d.report_kind, d.unit,
       d.errors, d.warnings, d.errors > 0 AS flagged, d.source_url, d.file_name
FROM documents d
WHERE d.status = 'loaded';

-- Expenditure by function class (类) per department and year, 公开03.
CREATE OR REPLACE VIEW mart_expenditure_by_function AS
SELECT d.region, d.fiscal_year, d.department, f.row_key AS function_code,
       any_value(f.row_label) AS function_name,
       sum(f.amount) FILTER (WHERE f.column_key = '本年支出合计') AS total_yuan,
       sum(f.amount) FILTER (WHERE f.column_key = '基本支出') AS basic_yuan,
       sum(f.amount) FILTER (WHERE f.column_key = '项目支出') AS project_yuan,
       round(sum(f.amount) FILTER (WHERE f.column_key = '本年支出合计') / 10000, 2) AS total_wan,
       d.flagged, f.document_id, string_agg(DISTINCT CAST(f.page AS VARCHAR), ',') AS pages
FROM fact_amounts f JOIN dim_documents d USING (document_id)
WHERE f.table_code = '公开03' AND length(f.row_key) = 3
GROUP BY ALL;

-- Totals per department and year, with the year-over-year change.
CREATE OR REPLACE VIEW mart_department_totals AS
WITH t AS (
    SELECT d.region, d.fiscal_year, d.department, d.flagged, f.document_id,
           max(f.amount) FILTER (WHERE f.table_code = '公开01' AND f.row_key = '本年收入合计') AS income_yuan,
           max(f.amount) FILTER (WHERE f.table_code = '公开01' AND f.row_key = '本年支出合计') AS expenditure_yuan,
           max(f.amount) FILTER (WHERE f.table_code = '公开03' AND f.row_key = '合计' AND f.column_key = '基本支出') AS basic_yuan,
           max(f.amount) FILTER (WHERE f.table_code = '公开03' AND f.row_key = '合计' AND f.column_key = '项目支出') AS project_yuan,
           max(f.amount) FILTER (WHERE f.table_code = '公开06' AND f.row_key = '人员经费合计') AS personnel_yuan,
           max(f.amount) FILTER (WHERE f.table_code = '公开06' AND f.row_key = '公用经费合计') AS public_yuan
    FROM fact_amounts f JOIN dim_documents d USING (document_id)
    GROUP BY ALL
)
SELECT t.*,
       round(expenditure_yuan / 10000, 2) AS expenditure_wan,
       expenditure_yuan - lag(expenditure_yuan) OVER w AS expenditure_change_yuan,
       round(100 * (expenditure_yuan / nullif(lag(expenditure_yuan) OVER w, 0) - 1), 2) AS expenditure_change_pct,
       rank() OVER (PARTITION BY region, fiscal_year ORDER BY expenditure_yuan DESC) AS rank_in_region,
       round(100 * expenditure_yuan / sum(expenditure_yuan) OVER (PARTITION BY region, fiscal_year), 2) AS share_of_region_pct
FROM t
WINDOW w AS (PARTITION BY region, department ORDER BY fiscal_year);

-- 三公 budget against actual.
CREATE OR REPLACE VIEW mart_sangong AS
SELECT d.region, d.fiscal_year, d.department, f.column_key AS item,
       max(f.amount) FILTER (WHERE f.row_key = '预算数') AS budget_yuan,
       max(f.amount) FILTER (WHERE f.row_key = '决算数') AS actual_yuan,
       d.flagged, f.document_id, any_value(f.page) AS page
FROM fact_amounts f JOIN dim_documents d USING (document_id)
WHERE f.table_code = '公开09'
GROUP BY ALL;
