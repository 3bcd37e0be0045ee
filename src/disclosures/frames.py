"""The frames passed between the pipeline's steps, by column.

Every step takes and returns plain pandas frames with these columns, so a
step can be tested on a hand-made frame and the Dagster assets stay thin.
"""

# One row per numeric cell of a standard table, in canonical keys (TABLES.md).
CELL_COLUMNS = [
    "document_id",  # sha256 of the PDF bytes
    "table_code",  # 公开01 … 公开10
    "row_key",  # canonical row key
    "column_key",  # canonical column key
    "amount",  # float: money in 元 (converted from the printed unit), or a count
    "unit",  # 元, or the count's unit (辆, 台（套）)
    "printed",  # the cell text as printed
    "row_label",  # the row's name as printed (function/economic subject name)
    "page",  # 1-based page
    "x0", "y0", "x1", "y1",  # the cell's box on the page, PDF points, origin bottom-left
    "method",  # extraction method, e.g. camelot-lattice-vector, ocr-rapidocr-3.10.0
    "confidence",  # OCR'd cells: the engine's confidence in the cell's least certain character; else None
]

# One row per table the document should contain.
TABLE_STATUS_COLUMNS = [
    "document_id",
    "table_code",
    # present | partial (a row or column it requires not found, or it may continue on an unreadable page)
    # | empty (本表无数据) | absent | unreadable
    "status",
    "title",  # title as printed
    "pages",  # comma-separated 1-based pages
    "printed_unit",  # 万元 or 元
    "detail",
]

# One row per check run on a document (WAREHOUSE.md check_results).
CHECK_COLUMNS = [
    "document_id",
    "table_code",  # None for document-level and cross-table checks
    "check_name",
    "passed",
    "severity",  # error | warn
    "details",
    "lhs", "rhs", "difference", "tolerance",  # both sides, in the printed unit
    "page",
]

# What a check is about, kept beside it in the warehouse so that a reviewer's
# worklist can group failures and find the printed figure on its page.
CHECK_KEY_COLUMNS = [
    "family",  # the Dagster asset check it belongs to (row_sum, narrative, …)
    "row_key", "column_key",  # the cell the identity is stated for (its total), where it has one
    "unit",  # the unit lhs, rhs and difference are in, as printed (万元 or 元)
]
