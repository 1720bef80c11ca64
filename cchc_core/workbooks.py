"""XLSX workbooks in the layouts provinces print: a plan's task appendix and periodic reports.

Pure: the callers pass an open ``xlsxwriter.Workbook`` and plain rows; each layout adds one
sheet, A4 landscape, fitted to the page width, with the header row repeated on every printed
page. In Odoo the workbook is the one OCA ``report_xlsx`` opens for a report (options
``WORKBOOK_OPTIONS``); ``to_bytes`` writes a layout into a workbook of its own.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import xlsxwriter

APPENDIX_HEADERS = (
    ("STT", 6),
    ("Nội dung nhiệm vụ", 60),
    ("Cơ quan chủ trì", 24),
    ("Cơ quan phối hợp", 30),
    ("Thời gian hoàn thành", 18),
    ("Sản phẩm", 22),
    ("Ghi chú", 18),
    ("Tình trạng", 16),
)
REPORT_HEADERS = (
    ("STT", 6),
    ("Nhiệm vụ", 56),
    ("Cơ quan chủ trì", 24),
    ("Vai trò", 12),
    ("Tình trạng", 16),
    ("Tiến độ (%)", 10),
    ("Kết quả", 44),
)


@dataclass
class TaskRow:
    number: str
    content: str
    lead: str = ""
    coordinating: str = ""
    completion: str = ""
    output: str = ""
    note: str = ""
    status: str = ""


@dataclass
class Section:
    number: str
    title: str
    rows: list[TaskRow] = field(default_factory=list)


@dataclass
class ReportRow:
    number: str
    task: str
    lead: str
    role: str
    status: str
    progress: int
    result: str


# constant_memory streams rows to disk: a 2,000-task plan stays small in memory.
WORKBOOK_OPTIONS = {"constant_memory": True, "in_memory": False}


def to_bytes(layout: Callable[..., None], *args) -> bytes:
    """``layout(workbook, *args)`` written into a new workbook, as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    layout(workbook, *args)
    workbook.close()
    return buffer.getvalue()


class Book:
    """The formats of the province's layouts, added to ``workbook``, and its sheets."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self.book = workbook
        base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top"}
        self.title = self.book.add_format(
            {**base, "bold": True, "font_size": 14, "align": "center"}
        )
        self.subtitle = self.book.add_format({**base, "italic": True, "align": "center"})
        self.header = self.book.add_format(
            {
                **base,
                "bold": True,
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "bg_color": "#F2F2F2",
            }
        )
        self.cell = self.book.add_format({**base, "border": 1, "text_wrap": True})
        self.center = self.book.add_format({**base, "border": 1, "align": "center"})
        self.section = self.book.add_format({**base, "border": 1, "bold": True, "text_wrap": True})
        self.text = self.book.add_format({**base, "text_wrap": True})
        self.bold = self.book.add_format({**base, "bold": True})

    def sheet(self, name: str, headers: Sequence[tuple[str, int]], title: str, subtitle: str):
        ws = self.book.add_worksheet(name[:31])
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        ws.fit_to_pages(1, 0)
        for col, (_label, width) in enumerate(headers):
            ws.set_column(col, col, width)
        last = len(headers) - 1
        ws.merge_range(0, 0, 0, last, title, self.title)
        ws.merge_range(1, 0, 1, last, subtitle, self.subtitle)
        for col, (label, _width) in enumerate(headers):
            ws.write(3, col, label, self.header)
        ws.repeat_rows(3)
        ws.freeze_panes(4, 0)
        return ws


def plan_appendix(
    workbook: xlsxwriter.Workbook, title: str, subtitle: str, sections: Iterable[Section]
) -> None:
    """The plan's tasks as the appendix of a plan: sections, then numbered tasks."""
    book = Book(workbook)
    ws = book.sheet("Phụ lục", APPENDIX_HEADERS, title, subtitle)
    row = 4
    last = len(APPENDIX_HEADERS) - 1
    for section in sections:
        if section.number or section.title:
            ws.write(row, 0, section.number, book.section)
            ws.merge_range(row, 1, row, last, section.title, book.section)
            row += 1
        for task in section.rows:
            values = (
                task.number,
                task.content,
                task.lead,
                task.coordinating,
                task.completion,
                task.output,
                task.note,
                task.status,
            )
            for col, value in enumerate(values):
                ws.write_string(row, col, value or "", book.center if col == 0 else book.cell)
            row += 1


def periodic_report(
    workbook: xlsxwriter.Workbook,
    title: str,
    subtitle: str,
    rows: Iterable[ReportRow],
    texts: Sequence[tuple[str, str]] = (),
) -> None:
    """A periodic report: the task table, then results, difficulties and proposals."""
    book = Book(workbook)
    ws = book.sheet("Báo cáo", REPORT_HEADERS, title, subtitle)
    row = 4
    for item in rows:
        values = (item.number, item.task, item.lead, item.role, item.status)
        for col, value in enumerate(values):
            ws.write_string(row, col, value or "", book.center if col == 0 else book.cell)
        ws.write_number(row, 5, item.progress, book.center)
        ws.write_string(row, 6, item.result or "", book.cell)
        row += 1
    row += 1
    last = len(REPORT_HEADERS) - 1
    for heading, body in texts:
        ws.write(row, 0, heading, book.bold)
        row += 1
        for paragraph in (body or "").split("\n"):
            ws.merge_range(row, 0, row, last, paragraph, book.text)
            row += 1
        row += 1


ESTIMATE_HEADERS = (
    ("STT", 6),
    ("Nội dung", 60),
    ("Đơn vị tính", 14),
    ("Số lượng", 12),
    ("Đơn giá (đồng)", 18),
    ("Thành tiền (đồng)", 20),
)


@dataclass
class EstimateRow:
    content: str
    unit: str
    quantity: float
    unit_price: float
    amount: float


def estimate_sheet(
    workbook: xlsxwriter.Workbook,
    title: str,
    subtitle: str,
    groups: Iterable[tuple[str, Sequence[EstimateRow]]],
) -> None:
    """A plan's budget estimate (dự toán): lines by reform area, a total per area and in all."""
    book = Book(workbook)
    ws = book.sheet("Dự toán", ESTIMATE_HEADERS, title, subtitle)
    money = book.book.add_format(
        {"font_name": "Times New Roman", "font_size": 12, "border": 1, "num_format": "#,##0"}
    )
    money_bold = book.book.add_format(
        {
            "font_name": "Times New Roman",
            "font_size": 12,
            "border": 1,
            "num_format": "#,##0",
            "bold": True,
        }
    )
    row = 4
    grand_total = 0.0
    for index, (area, rows) in enumerate(groups, start=1):
        ws.write(row, 0, _roman(index), book.section)
        ws.merge_range(row, 1, row, 4, area, book.section)
        area_total = sum(item.amount for item in rows)
        ws.write_number(row, 5, area_total, money_bold)
        grand_total += area_total
        row += 1
        for number, item in enumerate(rows, start=1):
            ws.write_string(row, 0, str(number), book.center)
            ws.write_string(row, 1, item.content, book.cell)
            ws.write_string(row, 2, item.unit or "", book.center)
            ws.write_number(row, 3, item.quantity, money)
            ws.write_number(row, 4, item.unit_price, money)
            ws.write_number(row, 5, item.amount, money)
            row += 1
    ws.merge_range(row, 0, row, 4, "TỔNG CỘNG", book.section)
    ws.write_number(row, 5, grand_total, money_bold)


def _roman(number: int) -> str:
    values = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in values:
        while number >= value:
            out += letters
            number -= value
    return out


REGISTER_HEADERS = (
    ("Số, ký hiệu văn bản", 18),
    ("Ngày tháng văn bản", 14),
    ("Tên loại và trích yếu nội dung văn bản", 50),
    ("Người ký", 22),
    ("Nơi nhận văn bản", 30),
    ("Đơn vị, người nhận bản lưu", 20),
    ("Số lượng bản", 10),
    ("Ghi chú", 16),
)


@dataclass
class RegisterRow:
    code: str
    date: str
    subject: str
    signer: str = ""
    recipients: str = ""
    keeper: str = ""
    copies: str = ""
    note: str = ""


def document_register(
    workbook: xlsxwriter.Workbook, title: str, subtitle: str, rows: Iterable[RegisterRow]
) -> None:
    """A register of outgoing documents in the layout of Nghị định 30/2020 (Phụ lục IV)."""
    book = Book(workbook)
    ws = book.sheet("Sổ đăng ký", REGISTER_HEADERS, title, subtitle)
    row = 4
    for item in rows:
        values = (
            item.code,
            item.date,
            item.subject,
            item.signer,
            item.recipients,
            item.keeper,
            item.copies,
            item.note,
        )
        for col, value in enumerate(values):
            ws.write_string(row, col, value or "", book.center if col in (0, 1, 6) else book.cell)
        row += 1
