"""Findings as lines of text for a terminal (`xxgk check`, `xxgk import`): one line per finding,
but one line per table for a rule that has many findings there (111 blank cells are one line,
not 111). JSON output (findings_json) keeps every finding.

    finding_lines(findings, with_report=True) -> [line]
"""
from __future__ import annotations

from ..format import schema

GROUP_OVER = 3     # more findings than this of one rule in one table become one line
EXAMPLES = 3       # cells a grouped line names


def _where(finding) -> str:
    """The cell (or column) a finding's message starts with, without the table: the checks write
    their messages as '<表三 row · col>：...'."""
    head, sep, _ = finding.message.partition("：")
    table = schema.table_name(finding.table) if finding.table else ""
    if sep and table and head.startswith(table):
        return head[len(table):].strip()
    return head if sep else ""


def _head(finding, with_report: bool) -> str:
    severity = schema.SEVERITY_LABELS.get(finding.severity, finding.severity)
    report = f" {finding.agency} {finding.year}" if with_report else ""
    return f"[{severity}]{report} {schema.rule_label(finding.rule)}："


def _grouped(items: list, with_report: bool) -> str:
    first = items[0]
    rule = schema.RULES.get(first.rule)
    where = [w for w in (_where(f) for f in items[:EXAMPLES]) if w]
    table = schema.table_name(first.table) if first.table else "正文"
    what = rule.broken if rule else first.rule
    examples = f"，如 {'、'.join(where)} 等" if where else ""
    advice = f"；{rule.advice}" if rule and rule.advice else ""
    return (f"{_head(first, with_report)}{table} {len(items)} 处{what}{examples}{advice}"
            f"（全部见 --format json）({len(items)} findings)")


def finding_lines(findings, *, with_report: bool = True) -> list[str]:
    """The findings in their order, as lines; a rule with more than GROUP_OVER findings in one
    table of one report is one line naming how many and the first few cells. `with_report=False`
    leaves out agency and year (a caller that has just named the report)."""
    groups: dict[tuple, list] = {}
    for f in findings:
        groups.setdefault((f.agency, f.year, f.rule, f.table), []).append(f)
    lines = []
    for items in groups.values():
        if len(items) > GROUP_OVER:
            lines.append(_grouped(items, with_report))
        else:
            lines += [f"{_head(f, with_report)}{f.message}" for f in items]
    return lines
