-- Marts: the comparisons analysts ask for, as views over the core layer.
-- Every row carries document_id and pages, so a figure leads back to its page.
-- `flagged` is true when the document failed an error-severity check that a
-- reviewer has not accepted as the bureau's own error; filter on it to compare
-- only trusted documents. `bureau_errors` counts the accepted ones.

-- A department-year published more than once (a corrected re-publication, a
-- second rendering) counts once in the marts: its most recently loaded document.
CREATE OR REPLACE VIEW dim_documents AS
WITH triaged AS (
    SELECT document_id,
           count(*) FILTER (WHERE disposition IS DISTINCT FROM 'bureau_error') AS open_errors,
           count(*) FILTER (WHERE disposition = 'bureau_error') AS bureau_errors
    FROM check_results
    WHERE NOT passed AND severity = 'error'
    GROUP BY document_id
)
SELECT document_id, department, region, fiscal_year, report_kind, unit, errors, warnings, flagged, bureau_errors,
       source_url, file_name, budget_scope
FROM (
    SELECT d.*, coalesce(t.open_errors, 0) > 0 AS flagged, coalesce(t.bureau_errors, 0) AS bureau_errors,
           row_number() OVER (PARTITION BY d.department, d.fiscal_year, d.report_kind, d.budget_scope
                              ORDER BY d.loaded_at DESC, d.document_id) AS version_rank
    FROM documents d LEFT JOIN triaged t USING (document_id)
    WHERE d.status = 'loaded'
)
WHERE version_rank = 1;

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
    -- only the rows the totals read: the join and grouping then touch 6 rows a document, not all of them
    WHERE (f.table_code = '公开01' AND f.row_key IN ('本年收入合计', '本年支出合计'))
       OR (f.table_code = '公开03' AND f.row_key = '合计')
       OR (f.table_code = '公开06' AND f.row_key IN ('人员经费合计', '公用经费合计'))
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

-- 三公 budget against actual, both as the final account prints them (budget_kind: the budget figure is the
-- final account's 预算数 column; the budget document's own figure is mart_budget_execution's).
CREATE OR REPLACE VIEW mart_sangong AS
SELECT d.region, d.fiscal_year, d.department, f.column_key AS item,
       max(f.amount) FILTER (WHERE f.row_key = '预算数') AS budget_yuan,
       max(f.amount) FILTER (WHERE f.row_key = '决算数') AS actual_yuan,
       d.flagged, f.document_id, any_value(f.page) AS page, d.report_kind AS budget_kind
FROM fact_amounts f JOIN dim_documents d USING (document_id)
WHERE f.table_code = '公开09'
GROUP BY ALL;

-- Departments: names as printed, with their place and level of government.
CREATE OR REPLACE VIEW dim_departments AS
SELECT department, region,
       CASE WHEN region LIKE '%区' OR region LIKE '%县' THEN 'county'
            WHEN region LIKE '%市' THEN 'city'
            WHEN region LIKE '%省' THEN 'province'
            ELSE 'unknown' END AS level,
       min(fiscal_year) AS first_year, max(fiscal_year) AS last_year, count(*) AS documents
FROM dim_documents
GROUP BY ALL;

-- Function subjects (功能分类) as printed: 类 (3 digits) / 款 (5) / 项 (7), every spelling kept.
-- {function_tables} and {economic_tables} are the declared tables keyed by such codes (writer.marts_sql).
CREATE OR REPLACE VIEW dim_function_subjects AS
SELECT row_key AS code,
       CASE length(row_key) WHEN 3 THEN '类' WHEN 5 THEN '款' ELSE '项' END AS level,
       CASE length(row_key) WHEN 3 THEN NULL ELSE left(row_key, length(row_key) - 2) END AS parent_code,
       mode(row_label) AS name,
       list_sort(list_distinct(list(row_label))) AS names_printed,
       count(DISTINCT document_id) AS documents
FROM fact_amounts
WHERE table_code IN ({function_tables}) AND row_key <> '合计' AND row_label <> ''
GROUP BY row_key;

-- Economic subjects (经济分类) of the economic-code tables (公开06).
CREATE OR REPLACE VIEW dim_economic_subjects AS
SELECT row_key AS code,
       CASE WHEN length(row_key) = 3 THEN '类' ELSE '款' END AS level,
       CASE WHEN length(row_key) = 5 THEN left(row_key, 3) END AS parent_code,
       mode(row_label) AS name,
       list_sort(list_distinct(list(row_label))) AS names_printed
FROM fact_amounts
WHERE table_code IN ({economic_tables}) AND regexp_matches(row_key, '^[0-9]+$')
GROUP BY row_key;

-- A department's share of its region's spending on each function class, and its rank.
CREATE OR REPLACE VIEW mart_function_share AS
SELECT region, fiscal_year, function_code, function_name, department, total_wan,
       round(100 * total_yuan / sum(total_yuan) OVER (PARTITION BY region, fiscal_year, function_code), 2) AS share_of_region_pct,
       rank() OVER (PARTITION BY region, fiscal_year, function_code ORDER BY total_yuan DESC) AS rank_in_region,
       flagged, document_id, pages
FROM mart_expenditure_by_function;

-- 政府采购 (公开10): goods, works, services.
CREATE OR REPLACE VIEW mart_procurement AS
SELECT d.region, d.fiscal_year, d.department,
       max(f.amount) FILTER (WHERE f.row_key = '政府采购/合计') AS total_yuan,
       max(f.amount) FILTER (WHERE f.row_key = '政府采购/货物') AS goods_yuan,
       max(f.amount) FILTER (WHERE f.row_key = '政府采购/工程') AS works_yuan,
       max(f.amount) FILTER (WHERE f.row_key = '政府采购/服务') AS services_yuan,
       d.flagged, f.document_id, any_value(f.page) AS page
FROM fact_amounts f JOIN dim_documents d USING (document_id)
WHERE f.table_code = '公开10' AND f.row_key LIKE '政府采购/%'
GROUP BY ALL;

-- Budget against actual (BUDGETS.md): for each department and year with both a budget (预算) and a final
-- account (决算), the budget's figure beside the final account's for total expenditure, basic and project
-- expenditure, each function class (类) and each 三公 item, with the execution rate and both pages.
-- A 部门预算 and a 单位预算 of one department are two budget documents (budget_scope): each is compared
-- with the final account on rows of its own, never added to the other.
CREATE OR REPLACE VIEW mart_budget_execution AS
WITH budget_figures AS (
    -- a measure the template prints in several tables is read from the first that has it (pref)
    SELECT document_id, measure, item, amount, page,
           rank() OVER (PARTITION BY document_id, measure ORDER BY pref) AS choice
    FROM (
        SELECT document_id, 'total_expenditure' AS measure, '' AS item, amount, page,
               CASE row_key WHEN '本年支出合计' THEN 1 ELSE 2 END AS pref
        FROM fact_amounts WHERE table_code = '预算01' AND column_key = '支出' AND row_key IN ('本年支出合计', '支出总计')
        UNION ALL
        SELECT document_id, CASE column_key WHEN '基本支出' THEN 'basic' ELSE 'project' END, '', amount, page, 1
        FROM fact_amounts WHERE table_code = '预算03' AND row_key = '合计' AND column_key IN ('基本支出', '项目支出')
        UNION ALL
        -- by function class: all funds (预算03), else all appropriations (Jiangsu's 预算10), else the general budget
        SELECT document_id, 'function_class', row_key, amount, page,
               CASE table_code WHEN '预算03' THEN 1 WHEN '预算10' THEN 2 ELSE 3 END
        FROM fact_amounts WHERE table_code IN ('预算03', '预算10', '预算05') AND column_key = '合计' AND length(row_key) = 3
        UNION ALL
        SELECT document_id, 'sangong', column_key, amount, page, 1
        FROM fact_amounts WHERE table_code = '预算09' AND row_key = '预算数' AND column_key IN
            ('合计', '因公出国（境）费', '公务用车购置及运行维护费', '公务用车购置费', '公务用车运行维护费', '公务接待费')
    )
),
final_figures AS (
    SELECT document_id, 'total_expenditure' AS measure, '' AS item, amount, page
    FROM fact_amounts WHERE table_code = '公开01' AND row_key = '本年支出合计' AND column_key = '支出'
    UNION ALL
    SELECT document_id, CASE column_key WHEN '基本支出' THEN 'basic' ELSE 'project' END, '', amount, page
    FROM fact_amounts WHERE table_code = '公开03' AND row_key = '合计' AND column_key IN ('基本支出', '项目支出')
    UNION ALL
    SELECT document_id, 'function_class', row_key, amount, page
    FROM fact_amounts WHERE table_code = '公开03' AND column_key = '本年支出合计' AND length(row_key) = 3
    UNION ALL
    SELECT document_id, 'sangong', column_key, amount, page
    FROM fact_amounts WHERE table_code = '公开09' AND row_key = '决算数'
),
pairs AS (
    SELECT row_number() OVER () AS pair_id, b.region, b.department, b.fiscal_year, b.budget_scope,
           b.document_id AS budget_document_id, f.document_id AS final_document_id, b.flagged OR f.flagged AS flagged
    FROM dim_documents b JOIN dim_documents f
      ON f.department = b.department AND f.fiscal_year = b.fiscal_year AND f.report_kind = 'final'
    WHERE b.report_kind = 'budget'
),
-- (pairs are joined by their number: the long document ids are hashed once, not on every figure)
budget_side AS (
    SELECT p.pair_id, g.measure, g.item, g.amount AS budget_yuan, g.page AS budget_page
    FROM pairs p JOIN budget_figures g ON g.document_id = p.budget_document_id AND g.choice = 1
),
final_side AS (
    SELECT p.pair_id, g.measure, g.item, g.amount AS actual_yuan, g.page AS final_page
    FROM pairs p JOIN final_figures g ON g.document_id = p.final_document_id
),
joined AS (
    SELECT coalesce(b.pair_id, a.pair_id) AS pair_id, coalesce(b.measure, a.measure) AS measure,
           coalesce(b.item, a.item) AS item, b.budget_yuan, a.actual_yuan, b.budget_page, a.final_page
    FROM budget_side b FULL OUTER JOIN final_side a
      ON a.pair_id = b.pair_id AND a.measure = b.measure AND a.item = b.item
)
SELECT p.region, p.department, p.fiscal_year, p.budget_scope, j.measure, j.item, j.budget_yuan, j.actual_yuan,
       round(100 * j.actual_yuan / nullif(j.budget_yuan, 0), 2) AS execution_rate_pct,
       p.budget_document_id, j.budget_page, p.final_document_id, j.final_page, p.flagged
FROM joined j JOIN pairs p USING (pair_id);

-- A budget's narrative about last year (与上年相比增加2248.37万元, 增长16.47%, 持平) held to the same
-- department's budget of the year before, when the warehouse holds it: inside one document the claim
-- can only be "cannot check". Only claims whose sentence has just stated the figure they change
-- (支出2340.35万元，与上年相比减少128.43万元) name a cell; stated and computed are 万元, or % for a rate.
CREATE OR REPLACE VIEW mart_budget_prior_year AS
WITH budgets AS (
    SELECT document_id, region, department, fiscal_year, budget_scope, flagged FROM dim_documents WHERE report_kind = 'budget'
),
claims AS (
    SELECT row_number() OVER () AS claim_id, d.region, d.department, d.fiscal_year, d.budget_scope, d.flagged,
           c.document_id, p.document_id AS prior_document_id, c.check_name, c.table_code, c.row_key, c.column_key,
           c.unit, c.lhs AS stated, c.page AS narrative_page
    FROM checks c JOIN budgets d USING (document_id)
    LEFT JOIN budgets p ON p.department = d.department AND p.region IS NOT DISTINCT FROM d.region
         AND p.budget_scope IS NOT DISTINCT FROM d.budget_scope AND p.fiscal_year = d.fiscal_year - 1
    WHERE starts_with(c.check_name, 'narrative.prior_year') AND c.row_key IS NOT NULL
),
-- both years' figure of each claim in one pass over the cells (claims joined by their number: the
-- long document ids are hashed once per side, not on every cell)
sides AS (
    SELECT claim_id, 0 AS last, document_id, table_code, row_key, column_key FROM claims
    UNION ALL
    SELECT claim_id, 1, prior_document_id, table_code, row_key, column_key FROM claims WHERE prior_document_id IS NOT NULL
),
-- a cell of a printed table that holds no figure is zero; a table the document does not print has none
figures AS (
    SELECT s.claim_id, s.last,
           CASE WHEN t.status IN ('present', 'empty') THEN coalesce(f.amount, 0) / 10000 END AS wan
    FROM sides s
    LEFT JOIN document_tables t ON t.document_id = s.document_id AND t.table_code = s.table_code
    LEFT JOIN fact_amounts f ON f.document_id = s.document_id AND f.table_code = s.table_code
         AND f.row_key = s.row_key AND f.column_key = s.column_key
),
computed AS (
    SELECT cl.*, this.wan AS this_year_wan, prior.wan AS last_year_wan,
           round(CASE WHEN cl.unit = '%' THEN 100 * (this.wan - prior.wan) / nullif(prior.wan, 0)
                      ELSE this.wan - prior.wan END, 2) AS computed
    FROM claims cl
    JOIN figures this ON this.claim_id = cl.claim_id AND this.last = 0
    LEFT JOIN figures prior ON prior.claim_id = cl.claim_id AND prior.last = 1
)
SELECT region, department, fiscal_year, budget_scope, table_code, row_key, column_key, unit, stated,
       round(this_year_wan, 2) AS this_year_wan, round(last_year_wan, 2) AS last_year_wan, computed,
       CASE WHEN prior_document_id IS NULL THEN 'no budget of the year before'
            WHEN computed IS NULL THEN 'figure not printed'
            WHEN abs(stated - computed) <= 0.01 + 1e-9 THEN 'agrees'  -- two figures of 2 decimals: 0.01 apart in floats may be 0.0100000001
            ELSE 'differs' END AS verdict,
       check_name, document_id, narrative_page, prior_document_id, flagged
FROM computed;
