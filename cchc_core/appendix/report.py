"""An appendix as plain data: what ``cchc appendix --json`` prints and the corpus test measures.

``{"sections": [{"number", "title"}], "rows": [{"section", "number", "content", "output",
"lead": [...], "coordinating": [...], "monitoring": [...], "completion", "deadline": {"kind",
"due", "recurrence", "checkpoints", "reason"}, "budget", "note", "inherited": [...],
"problems": [...]}], "unread": [...]}`` — agencies as the names written in the cell (split),
dates as ``YYYY-MM-DD`` or null.
"""

from __future__ import annotations

from datetime import date

from cchc_core.appendix.cells import parse_budget, split_agencies
from cchc_core.appendix.model import Appendix, AppendixRow
from cchc_core.deadlines import Deadline, parse_deadline

__all__ = ["appendix_data", "row_data"]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _deadline_data(deadline: Deadline) -> dict:
    return {
        "kind": deadline.kind,
        "due": _day(deadline.due),
        "recurrence": deadline.recurrence,
        "checkpoints": [_day(point) for point in deadline.checkpoints],
        "condition": deadline.condition,
        "reason": deadline.note,
        "clauses": [_deadline_data(clause) for clause in deadline.clauses],
    }


def row_data(
    row: AppendixRow, plan_date: date | None = None, period: tuple[int, int] | None = None
) -> dict:
    """One task row as data; the deadline read from its completion phrase."""
    budget = parse_budget(row.budget)
    agencies = {
        role: split_agencies(getattr(row, role)) for role in ("lead", "coordinating", "monitoring")
    }
    return {
        "line": row.line,
        "section": row.section,
        "number": row.key,
        "content": row.content,
        "output": row.output,
        "lead": [part.name for part in agencies["lead"]],
        "coordinating": [part.name for part in agencies["coordinating"]],
        "monitoring": [part.name for part in agencies["monitoring"]],
        "actions": {
            part.name: part.action for parts in agencies.values() for part in parts if part.action
        },
        "agency_notes": {
            part.name: part.notes for parts in agencies.values() for part in parts if part.notes
        },
        "completion": row.completion,
        "deadline": _deadline_data(
            parse_deadline(row.completion, plan_date=plan_date, period=period)
        ),
        "budget": None
        if budget is None
        else {
            "text": budget.text,
            "amount": budget.amount,
            "per": budget.per,
            "source": budget.source,
        },
        "note": row.note,
        "inherited": list(row.inherited),
        "problems": [str(problem) for problem in row.problems],
    }


def appendix_data(
    appendix: Appendix, plan_date: date | None = None, period: tuple[int, int] | None = None
) -> dict:
    return {
        "sections": [{"number": number, "title": title} for number, title in appendix.sections],
        "tables": [{"line": line, "columns": list(roles)} for line, roles in appendix.tables],
        "rows": [row_data(row, plan_date, period) for row in appendix.rows],
        "unread": [
            {"line": line, "text": raw, "reason": str(reason)}
            for line, raw, reason in appendix.unreadable
        ],
    }
