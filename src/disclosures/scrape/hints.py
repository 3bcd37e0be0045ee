"""What a document probably is, guessed from its announcement title, its
link text and its file name, before anyone opens the PDF. The parser later
reads the real department and year from the document; these hints are for
the catalog and for spotting a portal that stopped matching."""

from __future__ import annotations

import re

from disclosures.scrape.registry import Source

_YEAR = re.compile(r"(20\d{2})\s*年")
# Words that start a sentence rather than a department name.
_NOT_A_DEPARTMENT = re.compile(r"关于|公开|公示|通知|说明|附件|目录")


def report_kind(*texts: str) -> str:
    """final (决算), budget (预算) or unknown; the first text that says one
    and not the other decides, so a specific link text beats a title like
    "2024年部门预决算公开"."""
    for text in texts:
        text = (text or "").replace("预决算", "")
        final, budget = "决算" in text, "预算" in text
        if final != budget:
            return "final" if final else "budget"
    return "unknown"


def fiscal_year(*texts: str) -> int | None:
    for text in texts:
        if text and (m := _YEAR.search(text)):
            return int(m.group(1))
    return None


def department(source: Source, *texts: str) -> str | None:
    if source.hints.department:
        return source.hints.department
    for text in texts:
        if not text:
            continue
        for pattern in source.hints.department_patterns:
            m = re.search(pattern, text.strip())
            if m and m.group("department"):
                name = m.group("department").strip(" ：:-_—")
                if len(name) >= 2 and not _NOT_A_DEPARTMENT.search(name):
                    return name
    return None


def document_hints(source: Source, *, title: str, link_text: str, file_name: str) -> dict:
    return {
        "department_hint": department(source, title, link_text, file_name),
        "region": source.hints.region,
        "report_kind_hint": (
            source.hints.report_kind if source.hints.report_kind != "auto"
            else report_kind(link_text, file_name, title)
        ),
        "fiscal_year_hint": fiscal_year(title, link_text, file_name),
    }
