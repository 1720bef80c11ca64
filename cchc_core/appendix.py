"""Read the task table ("phụ lục") of a provincial reform plan.

A plan's appendix lists tasks with their number (STT), content, lead agency, coordinating and
monitoring agencies, completion time, output, budget and note. Area rows (I, II…, ``1.``, ``A.``)
group them. Users bring the table as XLSX, DOCX, CSV or pasted text — or the whole decision that
holds it; every reader turns its input into a list of rows of cell strings and hands it to
:func:`parse_rows`, which finds the header(s) anywhere by their column names, skips what surrounds
the table(s), and reads area headings, tasks and sub-rows (merged cells taken from the row above
and listed in :attr:`AppendixRow.inherited`). Agency and budget cells are split by
:mod:`cchc_core.appendix_cells`.

Nothing is guessed silently: a row that lacks something gets an English ``problems`` entry, and
parts that are not read (text around the table, page numbers, running titles, footnotes, a table
that is not the task table) go to :attr:`Appendix.unreadable` with a reason.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath

from cchc_core.messages import Message
from cchc_core.tables import (
    BULLET,
    MAX_COLUMNS,
    DelimitedError,
    Header,
    check_file,
    clean_cell,
    decode,
    delimiter_order,
    find_header,
    first_readable,
    header_at,
    is_column_numbering,
    is_header,
    label_words,
    normalise_text,
    read_delimited,
    row_roles,
    xlsx_sheets,
)
from cchc_core.text import fold

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "ROLES",
    "Appendix",
    "AppendixError",
    "AppendixRow",
    "parse_csv",
    "parse_docx",
    "parse_file",
    "parse_flattened_pdf_text",
    "parse_rows",
    "parse_text",
    "parse_xlsx",
]

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000

ROLES = (
    "number",
    "content",
    "lead",
    "coordinating",
    "monitoring",
    "completion",
    "output",
    "budget",
    "note",
)
_ROLE_LABELS = {
    "number": "STT",
    "content": "Nội dung",
    "lead": "Cơ quan chủ trì",
    "coordinating": "Cơ quan phối hợp",
    "monitoring": "Cơ quan theo dõi",
    "completion": "Thời gian hoàn thành",
    "output": "Sản phẩm",
    "budget": "Kinh phí",
    "note": "Ghi chú",
}
_REQUIRED = ("content", "lead")
# Content or lead plus one more label make a header: enough to be sure, and to say which one
# is missing.
_ANCHORS = ("content", "lead")
# Cells a sub-row takes from its task when they are empty (merged in the published table).
_INHERITABLE = ("content", "output", "completion", "monitoring", "budget", "note")


@dataclass
class AppendixRow:
    """One task of the appendix, cells verbatim (wrapped lines joined with spaces).

    ``parent`` is the number of the heading or task the row sits under ("1" for a task "a)"
    of area "1."), ``part`` numbers the sub-rows of one task (one per responsible agency, 2, 3…)
    and ``inherited`` names the cells copied from the row above because they were merged.
    """

    line: int
    section: str | None
    section_title: str | None
    number: str | None
    content: str
    lead: str
    coordinating: str
    completion: str
    output: str
    note: str
    problems: list[str] = field(default_factory=list)
    monitoring: str = ""
    budget: str = ""
    parent: str | None = None
    part: int = 0
    inherited: list[str] = field(default_factory=list)

    @property
    def key(self) -> str | None:
        """The row's number within its section, unique in a well-formed table: "1.a", "2/2"."""
        number = self.number
        if self.parent and number and not number.startswith(self.parent + "."):
            number = f"{self.parent}.{number}"
        if number and self.part:
            number = f"{number}/{self.part}"
        return number


@dataclass
class Appendix:
    """The task rows of an appendix, its sections and whatever could not be read.

    ``tables`` lists the tables read: (line of the header, the roles found in it).
    """

    columns: dict[str, int]
    rows: list[AppendixRow]
    sections: list[tuple[str, str]]
    unreadable: list[tuple[int, str, str]] = field(default_factory=list)
    tables: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)


class AppendixError(ValueError):
    """The input is not a readable appendix table; the message (a :class:`Message`) says why."""


class _NoHeader(AppendixError):
    """No header row: another sheet, table or delimiter may still have one."""


# --------------------------------------------------------------------------------------------
# Cells


def _check_bytes(data: bytes) -> None:
    check_file(data, AppendixError, MAX_BYTES)


def _check_text(text: str) -> None:
    # Characters are at most 4 bytes: only long texts need encoding to be measured.
    too_big = len(text) > MAX_BYTES or (
        len(text) > MAX_BYTES // 4 and len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES
    )
    if too_big:
        raise AppendixError(
            Message("the text is larger than %(size)s MB", size=MAX_BYTES // (1024 * 1024))
        )


def _check_rows(count: int) -> None:
    if count > MAX_ROWS:
        raise AppendixError(Message("the table has more than %(rows)s rows", rows=MAX_ROWS))


# --------------------------------------------------------------------------------------------
# Header


_WORDS = re.compile(r"[a-z0-9]+")
_LEAD_EXACT = {
    "co quan thuc hien",
    "don vi thuc hien",
    "co quan don vi thuc hien",
    "trach nhiem thuc hien",
    "co quan chiu trach nhiem",
    "don vi chiu trach nhiem",
}
_NUMBER_EXACT = {"stt", "tt", "so tt", "so thu tu", "thu tu"}


@lru_cache(maxsize=8192)
def _header_role(text: str) -> str | None:
    """The column role a header cell names, accent- and case-insensitively, or None."""
    words = label_words(text)
    # Header labels are short; a long cell is a title or a task that happens to say "nhiệm vụ".
    if not words or words.count(" ") >= 10:
        return None
    padded = f" {words} "

    def has(*phrases: str) -> bool:
        return any(f" {p} " in padded for p in phrases)

    if words in _NUMBER_EXACT:
        return "number"
    if has("theo doi", "giam sat") and not has("chu tri"):
        return "monitoring"
    # "Chủ trì" before "phối hợp": a combined "chủ trì, phối hợp" column is the lead.
    if has("chu tri") or words in _LEAD_EXACT:
        return "lead"
    if has("phoi hop"):
        return "coordinating"
    if has("thoi gian", "thoi han", "tien do", "han hoan thanh", "moc hoan thanh"):
        return "completion"
    if has("san pham", "ket qua"):
        return "output"
    if has("kinh phi", "nguon kinh phi", "du toan"):
        return "budget"
    if has("ghi chu"):
        return "note"
    if has("noi dung", "nhiem vu", "cong viec", "giai phap", "muc tieu", "hoat dong", "chi tieu"):
        return "content"
    return None


def _row_roles(row: Sequence[str]) -> dict[str, int]:
    return row_roles(row, _header_role)[0]


def _header_at(rows: list[list[str]], index: int) -> Header | None:
    """The header at ``rows[index]``, two rows when the next one refines it."""
    return header_at(rows, index, _header_role, _ANCHORS, _REQUIRED, two_rows=True)


def _missing_columns(header: Header) -> AppendixError | None:
    if not header.missing:
        return None
    found = ", ".join(f"{_ROLE_LABELS[r]} ({r})" for r in header.roles) or "none"
    wanted = ", ".join(f"{_ROLE_LABELS[r]} ({r})" for r in header.missing)
    return AppendixError(
        Message(
            "the header on row %(row)s has no %(wanted)s column; columns found: %(found)s",
            row=header.index + 1,
            wanted=wanted,
            found=found,
        )
    )


def _find_header(rows: list[list[str]]) -> Header:
    """The first complete header.

    The whole document is searched: a decision's appendix comes after its cover letter and
    articles. A header-like row without a lead or content column is not the task table (a
    table of targets, say); it is the error only when no complete header follows.
    """
    header = find_header(rows, _header_role, _ANCHORS, _REQUIRED, two_rows=True)
    if header is None:
        raise _NoHeader(
            Message(
                "no header row found: the table needs columns named like 'STT', 'Nội dung' and "
                "'Cơ quan chủ trì'"
            )
        )
    error = _missing_columns(header)
    if error is not None:
        raise error
    return header


# --------------------------------------------------------------------------------------------
# Rows


_ROMAN = re.compile(r"^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})$")
_ROMAN_HEAD = re.compile(r"^([IVX]{1,7})(?:\s*[.):]\s*|\s+|$)(.*)$", re.DOTALL)
_NUMBER = re.compile(r"^(?:\d{1,4}(?:\.\d{1,4})*|\d{1,4}[a-zđ]|[a-zđ]\d{0,2})$", re.IGNORECASE)


def _roman_head(text: str) -> tuple[str, str] | None:
    """("II", "Cải cách thủ tục hành chính") for "II. Cải cách thủ tục hành chính"."""
    match = _ROMAN_HEAD.match(text)
    if not match or not _ROMAN.match(match.group(1)):
        return None
    title = match.group(2).strip()
    # "I/2018" or "V-2" are not section heads; a title starts with a letter.
    if title and not title[0].isalpha():
        return None
    return match.group(1), title


def _norm_number(cell: str) -> str:
    stripped = cell.strip()
    trimmed = stripped.rstrip(".)").strip()
    return trimmed if _NUMBER.match(trimmed) else stripped


_LOWER_NUMBER = re.compile(r"^[a-zđ]$")
_UPPER_NUMBER = re.compile(r"^[A-ZĐ]$")
_DOTTED_NUMBER = re.compile(r"^\d{1,4}(?:\.\d{1,4})+$")
# "1. Cải cách thể chế" or "A. NHIỆM VỤ CHUNG" in one cell: a numbered heading.
_NUMBERED_TITLE = re.compile(r"^(\d{1,2}|[A-ZĐ])[.)]\s+(\S.*)$", re.DOTALL)
_PAGE_NUMBER = re.compile(r"^(?:trang\s*)?[-–—]?\s*\d{1,3}\s*[-–—]?(?:\s*/\s*\d{1,3})?$", re.I)
_FOOTNOTE = re.compile(
    r"^(?:\[\d{1,3}\]|\(\*{1,3}\)|\*{1,3}|\(\d{1,2}\)|\d{1,2}(?=\s*[A-ZĐÀ-Ỹ]))\s*\S"
)
_CLOSING = re.compile(
    r"^(?:nơi nhận|kt\.|tm\.|tl\.|chủ tịch|phó chủ tịch|giám đốc|lưu:|- lưu)", re.IGNORECASE
)


def _level(number: str | None) -> int | None:
    """How deep a numbering style sits: A. > I. > 1. > 1.1 > a)."""
    if not number:
        return None
    if _ROMAN.match(number):
        return 1
    if _UPPER_NUMBER.match(number):
        return 0
    if number.isdecimal():
        return 2
    if _DOTTED_NUMBER.match(number):
        return 2 + number.count(".")
    if _LOWER_NUMBER.match(number):
        return 6
    return None


@dataclass
class _Record:
    line: int
    cells: list[str]
    columns: dict[str, int]
    width: int

    def get(self, role: str) -> str:
        column = self.columns.get(role)
        return self.cells[column] if column is not None and column < len(self.cells) else ""

    def filled(self) -> list[str]:
        return [cell for cell in self.cells if cell]

    def number(self) -> str | None:
        cell = self.get("number")
        return _norm_number(cell) if cell else None

    def others(self, *roles: str) -> list[str]:
        """Filled cells of the roles other than ``roles``."""
        skip = {self.columns[r] for r in roles if r in self.columns}
        return [c for i, c in enumerate(self.cells) if c and i not in skip]


def _furniture(record: _Record, titles: dict[str, int]) -> str | None:
    """Why a row is page furniture or text around the table (a reason), or None."""
    filled = record.filled()
    if len(filled) != 1:
        return None
    text = filled[0]
    # An agency alone on a row is a sub-row (the task's next agency), never furniture.
    if text in (record.get("lead"), record.get("coordinating"), record.get("monitoring")):
        return None
    if _PAGE_NUMBER.match(text) and record.get("content") != text:
        return Message("page number; ignored")
    if titles.get(text, 0) > 1:
        return Message("running title repeated on each page; ignored")
    if _CLOSING.match(text):
        return Message("signature or distribution list after the table; ignored")
    number_cell = record.get("number")
    if number_cell != text:
        return None
    if _FOOTNOTE.match(text) and len(text) > 12:
        return Message("footnote; ignored")
    numbered = _roman_head(text) or _NUMBERED_TITLE.match(text)
    if not numbered and not _NUMBER.match(_norm_number(text)):
        return Message("text outside the table columns; ignored")
    return None


def _parse(rows: Sequence[Sequence[object]], lines: list[int] | None = None) -> Appendix:
    """Header, sections and task rows of the table(s) found in rows of cells."""
    _check_rows(len(rows))
    table = [[clean_cell(cell) for cell in list(row)[:MAX_COLUMNS]] for row in rows]
    numbers = lines if lines is not None and len(lines) == len(table) else None
    if not any(any(row) for row in table):
        raise AppendixError(Message("the table is empty"))
    header = _find_header(table)
    start, taken, columns = header.index, header.taken, header.roles

    def line_of(index: int) -> int:
        return numbers[index] if numbers else index + 1

    result = Appendix(columns=dict(columns), rows=[], sections=[])
    before = [i for i in range(start) if any(table[i])]
    if before:
        result.unreadable.append(
            (
                line_of(before[0]),
                _short(" | ".join(c for i in before[:3] for c in table[i] if c)),
                Message(
                    "%(count)s row(s) of text before the table (title, letter, articles); "
                    "not part of it",
                    count=len(before),
                ),
            )
        )
    for index in before:
        found = _header_at(table, index)
        error = _missing_columns(found) if found else None
        if error is not None:
            result.unreadable.append(
                (
                    line_of(index),
                    " | ".join(c for c in table[index] if c),
                    Message("a table that is not the task table: %(reason)s", reason=error.args[0]),
                )
            )
    result.tables.append((line_of(start), tuple(r for r in ROLES if r in columns)))
    # Long tables repeat their header on every page; compare whole label sets, so that a task
    # row that happens to say "kết quả" and "chủ trì" is not mistaken for one.
    header_labels = [_row_roles(table[i]) for i in range(start, start + taken)]
    width = max(len(table[start]), max(columns.values()) + 1)
    header_width = len(table[start])
    single = {}
    for row in table[start + taken :]:
        filled = [c for c in row if c]
        if len(filled) == 1:
            single[filled[0]] = single.get(filled[0], 0) + 1

    records: list[_Record] = []
    index = start + taken
    while index < len(table):
        cells = table[index]
        if not any(cells) or is_column_numbering(cells):
            index += 1
            continue
        roles = _row_roles(cells)
        if roles in header_labels:
            index += 1
            continue
        found = _header_at(table, index) if is_header(roles, _ANCHORS) else None
        if found is not None and not found.missing:
            # Another table (a second appendix, another sheet pasted below): its own columns.
            taken, columns = found.taken, found.roles
            header_labels = [_row_roles(table[i]) for i in range(index, index + taken)]
            width = max(len(cells), max(columns.values()) + 1)
            header_width = len(cells)
            result.tables.append((line_of(index), tuple(r for r in ROLES if r in columns)))
            index += taken
            continue
        padded = cells + [""] * (width - len(cells))
        record = _Record(line_of(index), padded, dict(columns), header_width)
        reason = _furniture(record, single)
        if reason is not None:
            result.unreadable.append((record.line, record.filled()[0], reason))
        else:
            records.append(record)
        index += 1

    _read_records(records, result)
    if not result.rows:
        raise AppendixError(Message("the table has a header but no task rows"))
    return result


def _short(text: str, size: int = 200) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _heading_of(record: _Record, next_level: int | None) -> tuple[str, str] | None:
    """(number, title) when a numbered row heads an area instead of being a task.

    A Roman numeral always heads a section. Another number heads an area when the row has
    nothing but its title and the next numbered row is numbered one level deeper ("1." then
    "a)"): a task row would name its lead agency.
    """
    head = _section_head(record.cells, record.columns)
    if head is not None:
        return head
    number_cell = record.get("number")
    content = record.get("content")
    others = record.others("number", "content", "note")
    if others:
        return None
    if number_cell and not content and (match := _NUMBERED_TITLE.match(number_cell)):
        number, title = match.group(1), match.group(2).strip()
    elif not number_cell and content and (match := _NUMBERED_TITLE.match(content)):
        number, title = match.group(1), match.group(2).strip()
    elif number_cell and content:
        number, title = _norm_number(number_cell), content
    else:
        return None
    level = _level(number)
    if level is None or next_level is None or next_level <= level:
        return None
    return number, title


def _read_records(records: list[_Record], result: Appendix) -> None:
    """Sort rows into area headings, tasks and sub-rows; fill merged cells from above."""
    next_levels: list[int | None] = [None] * len(records)
    upcoming: int | None = None
    for position in range(len(records) - 1, -1, -1):
        next_levels[position] = upcoming
        record = records[position]
        level = _level(record.number())
        if level is None and not record.get("number"):
            for role in ("content", "number"):
                match = _NUMBERED_TITLE.match(record.get(role) or "")
                if match:
                    level = _level(match.group(1))
                    break
        if level is not None:
            upcoming = level

    # Headings open from the outside in: [(level, number, title)].
    stack: list[tuple[int, str, str]] = []
    parts_of: dict[int, int] = {}  # id of a task row -> rows it has so far (itself included)
    task: AppendixRow | None = None
    task_level: int | None = None
    for position, record in enumerate(records):
        cells = record.cells
        head = _heading_of(record, next_levels[position])
        if head is not None:
            number, title = head
            level = _level(number)
            level = 1 if level is None else level
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, number, title))
            if len(stack) == 1:
                result.sections.append((number, title))
            task = None
            extra = [record.get(r) for r in ("lead", "coordinating", "completion") if record.get(r)]
            if extra:
                result.unreadable.append(
                    (
                        record.line,
                        " | ".join(c for c in cells if c),
                        Message(
                            "section row also names agencies or a deadline; only its title was kept"
                        ),
                    )
                )
            continue

        number_cell, content = record.get("number"), record.get("content")
        number = _norm_number(number_cell) if number_cell else None
        level = _level(number)
        # Task "2" after area "1" (with its tasks "a", "b") leaves that area.
        while level is not None and len(stack) > 1 and stack[-1][0] >= level:
            stack.pop()
        agencies = any(record.get(r) for r in ("lead", "coordinating", "monitoring"))
        parent = ".".join(n for _, n, _ in stack[1:]) or None
        inherited: list[str] = []
        part = 0
        sub_of: AppendixRow | None = None
        if task is not None and not number_cell and not content and agencies:
            # "| | agency B | | …": the task's next responsible agency, its cells merged.
            sub_of = task
            part = parts_of.get(id(task), 1) + 1
            parts_of[id(task)] = part
        elif (
            task is not None
            and level is not None
            and task_level is not None
            and level > task_level
            and task.lead
        ):
            # Rows lettered a, b, c under a numbered task that already names its lead.
            sub_of = task
            parent = task.key
        if not number_cell and not content and sub_of is None:
            filled = record.filled()
            reason = Message("row has neither a number (STT) nor content")
            if len(filled) == 1:
                reason = Message("heading row without a Roman numeral; not read as a task")
            result.unreadable.append((record.line, " | ".join(filled), reason))
            continue
        if not number_cell and sub_of is None and _is_heading_text(content, cells, record.columns):
            result.unreadable.append(
                (
                    record.line,
                    content,
                    Message("heading row without a Roman numeral; not read as a task"),
                )
            )
            continue

        values = {role: record.get(role) for role in ROLES}
        if sub_of is not None:
            for role in _INHERITABLE:
                if not values[role] and getattr(sub_of, role):
                    values[role] = getattr(sub_of, role)
                    inherited.append(role)
            if part:
                number = sub_of.number
                parent = sub_of.parent
                inherited.insert(0, "number")
        problems: list[str] = []
        if number is not None and not _NUMBER.match(number):
            problems.append(
                Message("the STT cell '%(number)s' does not look like a number", number=number)
            )
        if not values["content"]:
            problems.append(Message("no content (Nội dung)"))
        if not values["lead"]:
            problems.append(Message("no lead agency (Cơ quan chủ trì)"))
        used = set(record.columns.values())
        beyond = [c for i, c in enumerate(cells) if c and i not in used and i >= record.width]
        if beyond:
            problems.append(
                Message("%(count)s cell(s) beyond the header were ignored", count=len(beyond))
            )
        if inherited:
            problems.append(
                Message(
                    "cells taken from the row above (merged): %(cells)s",
                    cells=", ".join(inherited),
                )
            )
        section = stack[0] if stack else None
        row = AppendixRow(
            line=record.line,
            section=section[1] if section else None,
            section_title=section[2] if section else None,
            number=number,
            content=values["content"],
            lead=values["lead"],
            coordinating=values["coordinating"],
            completion=values["completion"],
            output=values["output"],
            note=values["note"],
            problems=problems,
            monitoring=values["monitoring"],
            budget=values["budget"],
            parent=parent,
            part=part,
            inherited=inherited,
        )
        result.rows.append(row)
        _check_rows(len(result.rows))
        if sub_of is None:
            task, task_level = row, level


def _section_head(cells: list[str], columns: dict[str, int]) -> tuple[str, str] | None:
    """(roman, title) when the row is a section row, else None."""
    filled = [(i, c) for i, c in enumerate(cells) if c]
    if not filled:
        return None
    number_column = columns.get("number")
    first_index, first = filled[0]
    # The numeral sits in the STT column, or in the first filled cell of a merged title row.
    if number_column is not None and cells[number_column]:
        if first_index != number_column:
            return None
        first = cells[number_column]
    head = _roman_head(first)
    if head is None:
        return None
    roman, title = head
    if not title:
        content_column = columns.get("content")
        rest = [c for _, c in filled[1:]]
        if content_column is not None and cells[content_column] and content_column != first_index:
            title = cells[content_column]
        elif rest:
            title = rest[0]
    return roman, title


def _is_heading_text(content: str, cells: list[str], columns: dict[str, int]) -> bool:
    """An unnumbered row with only upper-case content ("CẢI CÁCH THỂ CHẾ") is a heading."""
    others = [cells[c] for r, c in columns.items() if r != "content" and cells[c]]
    letters = [ch for ch in content if ch.isalpha()]
    return not others and len(letters) >= 3 and content == content.upper()


def parse_rows(rows: list[list[str]]) -> Appendix:
    """Read an appendix given as rows of cells; ``line`` is the 1-based row index."""
    return _parse(rows)


# --------------------------------------------------------------------------------------------
# Pasted text


_STARTER_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*[.)]?$")


def _is_bare_number(text: str) -> bool:
    if _STARTER_NUMBER.match(text):
        return True
    head = _roman_head(text)
    return head is not None and not head[1]


def _is_row_starter(text: str) -> bool:
    """A cell that can open a row: an STT number or a section numeral (with or without title)."""
    return _is_bare_number(text) or _roman_head(text) is not None


def _header_role_of_tail(lines: list[str]) -> tuple[int, str] | None:
    """(first line, role) of the longest tail of ``lines`` that is a header label.

    The first cell of a pasted table also carries the appendix title above the header
    ("PHỤ LỤC … SỐ\\nTT"); only its last lines are the header label.
    """
    found = None
    for first in range(len(lines) - 1, max(-1, len(lines) - 5), -1):
        role = _header_role(clean_cell("\n".join(lines[first:])))
        if role:
            found = (first, role)
    return found


def _parse_pipe_lines(text: str) -> Appendix:
    """The layout where each cell is on its own lines and a line with only ``|`` ends it."""
    chunks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first_line = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip() == "|":
            chunks.append((first_line or number, current))
            current, first_line = [], 0
            continue
        if line.strip() and not first_line:
            first_line = number
        current.append(line)
    if any(line.strip() for line in current):
        chunks.append((first_line, current))
    _check_rows(len(chunks))
    cells = [clean_cell("\n".join(lines)) for _, lines in chunks]

    # The header is the first run of consecutive header-label cells that names the content.
    header_at = -1
    header_len = 0
    preamble: list[str] = []
    index = 0
    while index < len(chunks):
        lines = [ln for ln in chunks[index][1] if ln.strip()]
        role = _header_role(cells[index]) if cells[index] else None
        tail_from = 0
        if role is None and lines:
            tail = _header_role_of_tail(lines)
            if tail:
                tail_from, role = tail
        if role is None:
            index += 1
            continue
        run = [role]
        end = index + 1
        while end < len(chunks) and cells[end] and (next_role := _header_role(cells[end])):
            run.append(next_role)
            end += 1
        if is_header(run, _ANCHORS):
            header_at, header_len = index, len(run)
            preamble = lines[:tail_from]
            cells[index] = clean_cell("\n".join(lines[tail_from:]))
            break
        index = end
    if header_at < 0:
        if not any(cells):
            raise AppendixError(Message("the table is empty"))
        raise _NoHeader(
            Message(
                "no header found in the pasted table: expected cells like 'STT', 'Nội dung', "
                "'Cơ quan chủ trì'"
            )
        )

    rows: list[list[str]] = []
    row_lines: list[int] = []
    if preamble:
        rows.append([clean_cell("\n".join(preamble))])
        row_lines.append(chunks[header_at][0])
    rows.append(cells[header_at : header_at + header_len])
    row_lines.append(chunks[header_at][0] + len(preamble))
    current_row: list[str] = []
    for index in range(header_at + header_len, len(chunks)):
        cell = cells[index]
        line = chunks[index][0]
        # A new row starts when the row is full, or at an STT/section numeral, unless the
        # current row is only its own number so far (then this is its content).
        starts = not current_row or len(current_row) >= header_len
        if not starts and _is_row_starter(cell):
            starts = not (len(current_row) == 1 and _is_bare_number(current_row[0]))
        if starts and current_row:
            rows.append(current_row)
            current_row = []
        if not current_row:
            row_lines.append(line)
        current_row.append(cell)
    if current_row:
        rows.append(current_row)
    return _parse(rows, row_lines)


_MARKDOWN_RULE = re.compile(r"^[\s|:+-]*-[\s|:+-]*$")


def _read_delimited(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """Rows of a CSV/TSV text with the line each record starts on."""
    try:
        rows, lines = read_delimited(text, delimiter, MAX_ROWS)
    except DelimitedError as exc:
        raise AppendixError(
            Message(
                "could not read the delimited text near line %(line)s: %(error)s",
                line=exc.line,
                error=exc.error,
            )
        ) from None
    _check_rows(len(rows))
    return rows, lines


def _parse_line_rows(text: str) -> Appendix:
    """One row per line, cells separated by tabs (as copied from a spreadsheet) or ``|``."""
    lines = text.split("\n")
    tabs = sum("\t" in line for line in lines)
    pipes = sum("|" in line for line in lines)
    if not tabs and not pipes:
        if not text.strip():
            raise AppendixError(Message("the text is empty"))
        raise _NoHeader(
            Message(
                "no table found in the text: put one row per line with cells separated by '|' "
                "or tabs, or one cell per line with a line containing only '|' after each cell"
            )
        )
    if tabs >= pipes:
        # Spreadsheets quote cells with line breaks when copying; the csv module undoes that.
        rows, numbers = _read_delimited(text, "\t")
        return _parse(rows, numbers)
    rows = []
    numbers = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or _MARKDOWN_RULE.match(stripped):
            continue
        if stripped.startswith("|"):
            stripped = stripped[1:]
        if stripped.endswith("|"):
            stripped = stripped[:-1]
        rows.append(stripped.split("|"))
        numbers.append(number)
        _check_rows(len(rows))
    return _parse(rows, numbers)


def _is_pipe_per_line(text: str) -> bool:
    alone = 0
    mixed = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped == "|":
            alone += 1
        elif "|" in stripped:
            mixed += 1
    return alone >= 2 and alone >= mixed


_INDENTED = re.compile(r"^\t+\S")
_INNER_TAB = re.compile(r"\S\t")


def _is_cell_per_line(text: str) -> bool:
    """A web page's table copied with one cell per line, the cells after the first indented."""
    indented = inner = 0
    for line in text.split("\n"):
        if _INDENTED.match(line):
            indented += 1
        if _INNER_TAB.search(line):
            inner += 1
    return indented >= 4 and inner * 4 <= indented


def _parse_cell_lines(text: str) -> Appendix:
    """One cell per line: a line at the margin opens a row, tab-indented lines are its next
    cells, a line holding only a tab is an empty cell. A bullet line ("- UBND cấp xã") after
    another bullet line or one ending in ";" or ":" continues the same cell."""
    rows: list[list[str]] = []
    numbers: list[int] = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        indented = line.startswith("\t")
        content = line.strip()
        if not indented:
            if content:
                rows.append([content])
                numbers.append(number)
                _check_rows(len(rows))
            elif number < len(lines) and lines[number].startswith("\t") and rows:
                # An empty first cell (no STT) before indented cells: a row of its own.
                rows.append([""])
                numbers.append(number + 1)
            continue
        if not rows:
            rows.append([""])
            numbers.append(number)
        row = rows[-1]
        previous = row[-1] if row else ""
        continues = (
            content
            and BULLET.match(content)
            and len(row) > 1
            and (BULLET.match(previous.split("\n")[-1]) or previous.endswith((";", ":")))
        )
        if continues:
            row[-1] = f"{previous}\n{content}"
        else:
            row.append(content)
    return _parse(rows, numbers)


def parse_text(text: str) -> Appendix:
    """Read a pasted table or a whole document holding one: one cell per line block ending in
    a ``|`` line, one row per line with cells separated by ``|`` or tabs, or one cell per line
    with the cells after the first tab-indented (a table copied from a web page)."""
    _check_text(text)
    text = normalise_text(text)
    if _is_pipe_per_line(text):
        return _parse_pipe_lines(text)
    if _is_cell_per_line(text):
        return _parse_cell_lines(text)
    return _parse_line_rows(text)


# --------------------------------------------------------------------------------------------
# Files


def _first_readable(attempts: list[Callable[[], Appendix]], nothing: Message) -> Appendix:
    """The first attempt that reads; otherwise the most telling error (a "no header" error
    only means "not this sheet/table/delimiter")."""
    return first_readable(attempts, nothing, AppendixError, _no_header)


def _no_header(error: ValueError) -> bool:
    return isinstance(error, _NoHeader)


def _read_tables(tables: list[tuple[str, list[list[object]]]], nothing: Message) -> Appendix:
    """Every table (sheet) that has a task header, in order; the others are reported.

    When none has one, the most telling error is raised as :func:`_first_readable` does.
    """
    results: list[tuple[str, Appendix]] = []
    skipped: list[tuple[str, AppendixError]] = []
    for label, rows in tables:
        try:
            results.append((label, _parse(rows)))
        except AppendixError as exc:
            skipped.append((label, exc))
    if not results:
        errors = [exc for _, exc in skipped]
        telling = next((e for e in errors if not isinstance(e, _NoHeader)), None)
        raise telling or (errors[0] if errors else AppendixError(nothing))
    first = results[0][1]
    combined = Appendix(columns=first.columns, rows=[], sections=[])
    for label, appendix in results:
        combined.rows.extend(appendix.rows)
        combined.sections.extend(s for s in appendix.sections if s not in combined.sections)
        combined.unreadable.extend(
            (line, raw, Message("%(where)s: %(reason)s", where=label, reason=reason))
            if len(results) > 1
            else (line, raw, reason)
            for line, raw, reason in appendix.unreadable
        )
        combined.tables.extend(appendix.tables)
    for label, exc in skipped:
        if any(any(cell not in (None, "") for cell in row) for row in dict(tables)[label]):
            combined.unreadable.append(
                (
                    0,
                    str(label),
                    Message("%(where)s not read: %(reason)s", where=label, reason=exc.args[0]),
                )
            )
    _check_rows(len(combined.rows))
    return combined


def parse_csv(data: bytes | str) -> Appendix:
    """Read a CSV export; the delimiter (``,`` ``;`` tab) and encoding are detected."""
    if isinstance(data, bytes):
        _check_bytes(data)
        text = decode(data, AppendixError)
    else:
        _check_text(data)
        text = data
    text = normalise_text(text)
    if not text.strip():
        raise AppendixError(Message("the file is empty"))

    def attempt(delimiter: str) -> Callable[[], Appendix]:
        def run() -> Appendix:
            rows, lines = _read_delimited(text, delimiter)
            return _parse(rows, lines)

        return run

    return _first_readable(
        [attempt(d) for d in delimiter_order(text)], Message("the file is empty")
    )


def parse_xlsx(data: bytes) -> Appendix:
    """Read every sheet of an Excel workbook that has a task-table header (others reported).

    A merged section title is in its first cell and the others are empty, which is what
    section detection expects.
    """
    _check_bytes(data)
    tables = []
    for name, rows in xlsx_sheets(data, AppendixError, MAX_ROWS):
        _check_rows(len(rows))
        tables.append((Message("sheet '%(sheet)s'", sheet=name), rows))
    return _read_tables(tables, Message("the workbook has no sheets"))


def _docx_rows(table: object) -> list[list[str]]:
    """Rows of a Word table, one string per grid column.

    A horizontally merged cell fills its first grid column; a vertically merged cell is empty
    below its first row, so that the reader sees it as merged and marks what it inherits.
    """
    from docx.table import _Cell

    rows: list[list[str]] = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells = [""] * getattr(row, "grid_cols_before", 0)
        for tc in row._tr.tc_lst:
            text = "" if tc.vMerge == "continue" else _Cell(tc, table).text
            cells.append(text)
            cells.extend([""] * (max(tc.grid_span, 1) - 1))
        rows.append(cells[:MAX_COLUMNS])
        _check_rows(len(rows))
    return rows


def parse_docx(data: bytes) -> Appendix:
    """Read every table of a Word document that has a task-table header (others reported)."""
    _check_bytes(data)
    try:
        import docx
    except ImportError:
        raise AppendixError(Message("reading .docx files needs the python-docx package"))
    try:
        document = docx.Document(io.BytesIO(data))
        tables = [_docx_rows(table) for table in document.tables]
        paragraphs = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    except AppendixError:
        raise
    except Exception as exc:  # python-docx raises package, zip and XML errors
        raise AppendixError(
            Message("could not read the DOCX file: %(error)s", error=f"{type(exc).__name__}: {exc}")
        )
    if not tables:
        raise AppendixError(Message("the document has no table"))
    result = _read_tables(
        [
            (Message("table %(number)s", number=number), rows)
            for number, rows in enumerate(tables, start=1)
        ],
        Message("no table"),
    )
    if paragraphs:
        # A whole decision: its letter, articles and titles are text, not the task table.
        result.unreadable.insert(
            0,
            (
                0,
                _short(" / ".join(paragraphs[:3])),
                Message(
                    "%(count)s paragraph(s) of text outside the tables (title, letter, "
                    "articles); not part of the table",
                    count=len(paragraphs),
                ),
            ),
        )
    return result


def parse_file(filename: str, data: bytes) -> Appendix:
    """Read an appendix file by its extension: .xlsx, .docx, .csv/.tsv or .txt."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return parse_xlsx(data)
    if suffix == ".docx":
        return parse_docx(data)
    if suffix in (".csv", ".tsv"):
        return parse_csv(data)
    if suffix == ".txt":
        _check_bytes(data)
        text = decode(data, AppendixError)
        try:
            return parse_text(text)
        except _NoHeader as exc:
            # Text saved from a PDF viewer has no cell separators at all.
            try:
                return parse_flattened_pdf_text(text)
            except AppendixError:
                raise exc
    if suffix in (".xls", ".doc", ".pdf"):
        raise AppendixError(
            Message(
                "unsupported file type '%(type)s' (save it as .xlsx or .docx first): use "
                ".xlsx, .docx, .csv or .txt",
                type=suffix,
            )
        )
    raise AppendixError(
        Message(
            "unsupported file type '%(type)s': use .xlsx, .docx, .csv or .txt",
            type=suffix or filename,
        )
    )


# --------------------------------------------------------------------------------------------
# Text flattened from a PDF


@dataclass(slots=True)
class _Tok:
    text: str
    line: int
    gap: int  # spaces before the token; 99 at a line start
    joined: bool  # only no-break spaces before it: the same line of the same cell
    key: str  # folded letters and digits only
    word: str  # lower case with accents, surrounding punctuation stripped
    cont: bool = False  # continues the previous token's cell line (set once the text is known)


_PAGE_LINE = re.compile(r"^\s{0,8}(\d{1,4})\.\s(.*)$")
_WORD_PUNCT = ",.;:()[]\"'“”"
_HEADER_VOCAB = {
    "stt", "tt", "so", "noi", "dung", "nhiem", "vu", "co", "quan", "chu", "tri", "phoi", "hop",
    "thoi", "gian", "han", "hoan", "thanh", "ghi", "san", "pham", "ket", "qua", "don", "vi",
    "thuc", "hien", "tien", "do", "du", "kien",
}  # fmt: skip
# A number after these words is a reference ("Nghị quyết số 18"), not an STT. Accents matter:
# "số 18" is a reference, "các sở, 9" is not.
_REF_WORDS = {"số", "độ", "khoản", "điểm", "điều", "mục", "chương"}
# A capitalised word after these continues a name ("Sở Giáo dục và Đào tạo", "theo Kế hoạch").
_NAME_LINKS = {"và", "của", "với", "theo", "tại", "cho", "thuộc"}
_ROMANS = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
    "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
]  # fmt: skip
_AGENCY_STARTS = (
    ("so",), ("cac", "so"), ("ubnd",), ("uy", "ban"), ("van", "phong"), ("vpubnd",),
    ("trung", "tam"), ("cac", "co", "quan"), ("co", "quan"), ("cac", "don", "vi"), ("don", "vi"),
    ("ban", "chi", "dao"), ("dai",), ("bao",), ("buu", "dien"), ("nganh",), ("quan",),
    ("cap", "huyen"), ("cap", "xa"), ("cap", "tinh"),
    ("huyen",), ("xa",), ("tinh",), ("thong",), ("va", "cac"), ("hoi", "dong"), ("cong", "an"),
    ("thanh", "tra"), ("kho", "bac"), ("co", "lien", "quan"), ("lien", "quan"),
)  # fmt: skip
_AGENCY_WORDS = ("cap huyen", "cap xa", "lien quan", "ubnd", "truyen thong", "dau tu")
_COMPLETION_STARTS = (("trong", "nam"), ("quy",), ("hang", "quy"), ("cuoi", "nam"))
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_QUARTER = re.compile(r"^(?:i|ii|iii|iv|[1-4])$")
_QUARTER_YEAR = re.compile(r"^(?:i|ii|iii|iv|[1-4])/(?:19|20)\d\d$")

# Bounds on how far a row's words spread in the flattened text; they keep the search linear.
_MAX_LINE_TOKENS = 40
_MAX_ROW_TOKENS = 400
_MAX_CONTENT_LINES = 30

_Predicate = Callable[[_Tok], bool]


def _w(expected: str) -> _Predicate:
    """The word with its accents, any case; capitalised when ``expected`` is.

    A deadline cell starts with a capital ("Trong năm 2018"), which tells it from the same
    words inside the content ("… trong năm 2018"); accents tell "Quý" from "quy phạm".
    """
    lower = expected.lower()
    if expected[:1].isupper():
        return lambda tok: tok.word == lower and tok.text[:1].isupper()
    return lambda tok: tok.word == lower


def _re(pattern: re.Pattern[str]) -> _Predicate:
    return lambda tok: bool(pattern.match(tok.word))


def _phrase(*parts: str | re.Pattern[str]) -> tuple[_Predicate, ...]:
    """Predicates for the words of a phrase; a pattern stands for one word."""
    out: list[_Predicate] = []
    for part in parts:
        out.extend([_w(word) for word in part.split()] if isinstance(part, str) else [_re(part)])
    return tuple(out)


# Completion phrases the tables use, most specific first; their words end up scattered among
# the other columns, in order.
_COMPLETION_PATTERNS = (
    _phrase("Thường xuyên trong năm"),
    _phrase("Quý", _QUARTER, _QUARTER_YEAR),
    _phrase("Quý", _QUARTER_YEAR),
    _phrase("Trong năm", _YEAR),
    _phrase("Cuối năm", _YEAR),
    _phrase("Định kỳ hoặc đột xuất"),
    _phrase("Hàng quý 6 tháng và năm hoặc đột xuất"),
    _phrase("Thường xuyên"),
)
# First words of task contents: they tell a row's first line from the other columns' words.
_CONTENT_VERBS = {
    "trien khai", "xay dung", "tiep tuc", "thuc hien", "to chuc", "tang cuong", "day manh",
    "kiem tra", "ra soat", "ban hanh", "cap nhat", "xu ly", "cong bo", "cong khai", "chi dao",
    "thuong xuyen", "tham muu", "phat trien", "nang cap", "khai thac", "dinh ky", "phoi hop",
    "hoan thien", "hoan thanh", "doi moi", "nang cao", "tu cham", "xac dinh", "tuyen truyen",
    "theo doi", "danh gia", "huong dan", "duy tri", "ap dung", "ung dung", "sap xep",
    "kien toan", "chuan hoa", "so hoa", "cung cap", "thi diem", "tong ket", "so ket", "bao cao",
    "dao tao", "boi duong", "tap huan", "khao sat", "do luong", "ho tro", "cai cach",
    "quan triet", "pho bien", "tham dinh", "dang tai", "phan cap", "tinh gian", "thanh lap",
    "giai quyet", "tiep nhan", "nghien cuu", "de xuat", "van hanh", "ket noi", "tich hop",
    "lien thong", "thong ke", "rut gon", "don gian", "mo", "giam", "tang", "lap", "giao",
}  # fmt: skip


def _tokens(text: str) -> list[_Tok]:
    lines = text.split("\n")
    selected: list[tuple[int, str]] = []
    # Viewer dumps number their pages "  12. …" with a whole page on one line: keep only those.
    expected = None
    for number, line in enumerate(lines, start=1):
        match = _PAGE_LINE.match(line)
        if not match:
            continue
        page = int(match.group(1))
        if expected is None and len(line) > 200:
            expected = page
        if expected is not None and page == expected:
            selected.append((number, match.group(2)))
            expected += 1
    if len(selected) < 2:
        selected = list(enumerate(lines, start=1))
    tokens: list[_Tok] = []
    folded_words: dict[str, tuple[str, str]] = {}  # a page repeats its vocabulary: fold once
    for number, line in selected:
        end = None
        for match in re.finditer(r"\S+", line):
            gap = 99 if end is None else match.start() - end
            separator = "" if end is None else line[end : match.start()]
            end = match.end()
            text = match.group()
            keys = folded_words.get(text)
            if keys is None:
                keys = ("".join(_WORDS.findall(fold(text))), text.lower().strip(_WORD_PUNCT))
                folded_words[text] = keys
            tokens.append(
                _Tok(
                    text=text,
                    line=number,
                    gap=gap,
                    joined=bool(separator) and not separator.strip("\xa0"),
                    key=keys[0],
                    word=keys[1],
                )
            )
    # Some converters join the words of one cell line with no-break spaces and put a plain
    # space between cells: then that is the boundary. Otherwise a single space continues a line.
    by_nbsp = sum(tok.joined for tok in tokens) >= 0.3 * max(1, len(tokens))
    for tok in tokens:
        tok.cont = tok.joined if by_nbsp else tok.gap == 1
    return tokens


def _titlecase(tok: _Tok) -> bool:
    text = tok.text.lstrip("(\"'“")
    return bool(text) and text[0].isupper() and not (len(text) > 1 and text.isupper())


def _join(tokens: Sequence[_Tok]) -> str:
    return " ".join(tok.text for tok in tokens).strip()


def _starts_with(keys: list[str], starts: tuple[tuple[str, ...], ...]) -> bool:
    return any(tuple(keys[: len(start)]) == start for start in starts)


def _agency_like(tokens: Sequence[_Tok]) -> bool:
    keys = [tok.key for tok in tokens if tok.key]
    if _starts_with(keys, _AGENCY_STARTS):
        return True
    folded = " ".join(keys)
    return len(folded) < 30 and any(word in folded for word in _AGENCY_WORDS)


def _flat_section_at(body: list[_Tok], at: int) -> tuple[str, int, int] | None:
    """(title, first token, token after title) when ``body[at]`` opens a section row."""
    count = len(body)
    # "I Cải cách thể chế" then the wide gap of the empty cells.
    if at + 1 < count and body[at + 1].gap == 1:
        end = at + 1
        while end < count and (end == at + 1 or body[end].gap == 1) and end - at <= 20:
            end += 1
        if end == count or body[end].gap >= 4:
            return _join(body[at + 1 : end]), at, end
    # "Xây dựng … đội  IV         ngũ cán bộ, công chức": the numeral sits inside its title.
    if at + 1 < count and body[at + 1].gap >= 4 and body[at].gap >= 2 and at > 0:
        start = at - 1
        while start > 0 and body[start].gap == 1 and at - start < 15:
            start -= 1
        capitals = [i for i in range(start, at) if _titlecase(body[i])]
        first = capitals[-1] if capitals else start
        end = at + 1
        while end < count and (end == at + 1 or body[end].gap == 1) and not _titlecase(body[end]):
            end += 1
        title = _join([*body[first:at], *body[at + 1 : end]])
        if title:
            return title, first, end
    return None


def _number_positions(body: list[_Tok]) -> dict[int, list[int]]:
    """Where each bare number (a possible STT) stands, in order."""
    positions: dict[int, list[int]] = {}
    for index, tok in enumerate(body):
        text = tok.text
        # "05" is a count ("05 cơ quan"), not an STT.
        if text.isascii() and text.isdecimal() and len(text) <= 4 and text[0] != "0":
            if index == 0 or body[index - 1].text.lower() not in _REF_WORDS:
                positions.setdefault(int(tok.text), []).append(index)
    return positions


def _find_number(positions: dict[int, list[int]], start: int, end: int, number: int) -> int | None:
    found = positions.get(number, [])
    at = bisect_left(found, start)
    return found[at] if at < len(found) and found[at] < end else None


def _opens_fragment(body: list[_Tok], index: int, low: int, skip: int) -> bool:
    """Whether a cell's line can start at ``body[index]``.

    A new line starts after a wide gap or the STT, or where a capitalised word follows a
    lower-case one on the same visual line ("… huyện Thường xuyên kiểm tra": two columns).
    """
    if index == low or not body[index].cont or index - 1 == skip:
        return True
    previous = body[index - 1].text
    return previous[-1:].islower() and previous.lower() not in _NAME_LINKS


def _fragment_end(body: list[_Tok], index: int, high: int, skip: int) -> int:
    # A cell line holds a dozen words; the cap keeps run-on text from costing quadratic time.
    high = min(high, index + _MAX_LINE_TOKENS)
    end = index + 1
    while end < high and end != skip and body[end].cont:
        end += 1
    return end


def _content_verb(keys: list[str]) -> bool:
    return " ".join(keys[:2]) in _CONTENT_VERBS or (bool(keys) and keys[0] in _CONTENT_VERBS)


def _content_start(body: list[_Tok], low: int, at: int, high: int) -> int | None:
    """Where row content starts: a capitalised fragment near the STT token ``at``.

    The STT sits on the middle line of its row, so the content's first line is usually between
    the previous STT and this one; a task verb ("Triển khai", "Xây dựng") makes it certain.
    """

    def candidates(start: int, stop: int) -> list[tuple[int, bool]]:
        found = []
        for index in range(start, stop):
            if index == at or not _titlecase(body[index]):
                continue
            if not _opens_fragment(body, index, start, at):
                continue
            fragment = body[index : _fragment_end(body, index, high, at)]
            keys = [tok.key for tok in fragment if tok.key]
            if len(_join(fragment)) < 15 or _agency_like(fragment):
                continue
            if _starts_with(keys, _COMPLETION_STARTS):
                continue
            found.append((index, _content_verb(keys)))
        return found

    before = candidates(max(low, at - _MAX_ROW_TOKENS), at)
    after = candidates(at + 1, min(high, at + 11))
    for pool, verb_only in ((before, True), (after, True), (before, False), (after, False)):
        for index, verb in pool:
            if verb or not verb_only:
                return index
    return None


def _flat_content(body: list[_Tok], start: int, high: int, skip: int) -> tuple[str, int]:
    """The content cell's lines from ``start`` and the token after them.

    Lower-case fragments after the first line are its wrapped lines; short and agency-like
    fragments belong to the narrow columns and are passed over.
    """
    first_end = _fragment_end(body, start, high, skip)
    parts = [_join(body[start:first_end])]
    index = last = first_end
    while index < high and len(parts) < _MAX_CONTENT_LINES:
        if index == skip:
            index += 1
            continue
        end = _fragment_end(body, index, high, skip)
        fragment = body[index:end]
        text = _join(fragment)
        index = end
        if len(text) < 12 or _agency_like(fragment):
            continue
        if not text[0].islower():
            break
        # A later row's first words may share this visual line: stop in front of them.
        cut = next(
            (
                i
                for i in range(1, len(fragment))
                if _titlecase(fragment[i])
                and fragment[i - 1].text[-1:].islower()
                and fragment[i - 1].text.lower() not in _NAME_LINKS
                and _content_verb([t.key for t in fragment[i:] if t.key])
            ),
            None,
        )
        if cut is not None:
            parts.append(_join(fragment[:cut]))
            last = end - len(fragment) + cut
            break
        parts.append(text)
        last = end
    return " ".join(parts), last


def _flat_completion(tokens: list[_Tok]) -> str:
    """The first known phrase whose words occur in order, other words in between."""
    for pattern in _COMPLETION_PATTERNS:
        # Greedy from the left finds the phrase if any choice of its words does.
        matched: list[_Tok] = []
        for tok in tokens:
            if pattern[len(matched)](tok):
                matched.append(tok)
                if len(matched) == len(pattern):
                    return _join(matched).rstrip(".,;:")
    return ""


def _flat_header(tokens: list[_Tok]) -> tuple[int, int, set[str]] | None:
    """(first, end, words) of the flattened header around "STT" next to "Nội dung"."""
    for index, tok in enumerate(tokens):
        if tok.key == "stt" or (tok.key == "tt" and index and tokens[index - 1].key == "so"):
            low = index
            while low > 0 and tokens[low - 1].key in _HEADER_VOCAB:
                low -= 1
            high = index + 1
            while high < len(tokens) and tokens[high].key in _HEADER_VOCAB:
                high += 1
            words = {t.key for t in tokens[low:high]}
            if {"noi", "dung"} <= words or {"nhiem", "vu"} <= words:
                return low, high, words
    return None


def _flat_sections(body: list[_Tok]) -> list[tuple[str, str, int, int]]:
    """(roman, title, first token, token after title); numerals must come in order."""
    sections: list[tuple[str, str, int, int]] = []
    index = 0
    while index < len(body) and len(sections) < len(_ROMANS):
        # Requiring I, then II, then III… rules out "Quý I", "cấp II" and the like.
        if body[index].text == _ROMANS[len(sections)]:
            head = _flat_section_at(body, index)
            if head is not None:
                title, first, end = head
                sections.append((_ROMANS[len(sections)], title, first, end))
                index = end
                continue
        index += 1
    return sections


def _flat_numbers(positions: dict[int, list[int]], start: int, stop: int) -> list[tuple[int, int]]:
    """(number, token) of the STT numbers 1, 2, 3… found in order between start and stop."""
    found: list[tuple[int, int]] = []
    expected, position = 1, start
    while True:
        at = _find_number(positions, position, stop, expected)
        number = expected
        if at is None:
            # A number may be missing or misprinted ("10" then "13"): accept a small skip.
            later = [
                (i, n)
                for n in range(expected + 1, expected + 4)
                if (i := _find_number(positions, position, stop, n)) is not None
            ]
            if not later:
                return found
            at, number = min(later)
        found.append((number, at))
        _check_rows(len(found))
        expected, position = number + 1, at + 1


def parse_flattened_pdf_text(text: str) -> Appendix:
    """Best effort for an appendix whose table was flattened to text by a PDF viewer.

    The columns come out interleaved, so only what can be told apart is kept: section rows,
    STT numbers (in sequence within each section), a content fragment and a completion phrase
    reassembled from its scattered words. Agencies are never guessed: ``lead`` stays empty with
    a problem. The text around each row goes to ``unreadable`` for the user to read.
    """
    _check_text(text)
    tokens = _tokens(normalise_text(text))
    header = _flat_header(tokens)
    if header is None:
        raise _NoHeader(
            Message("no appendix table found in the text (no 'STT' next to 'Nội dung')")
        )
    low, high, words = header
    found = {"number", "content"}
    for role, needs in (
        ("lead", ({"chu", "tri"},)),
        ("coordinating", ({"phoi", "hop"},)),
        ("completion", ({"thoi", "gian"}, {"thoi", "han"})),
        ("output", ({"san", "pham"}, {"ket", "qua"})),
        ("note", ({"ghi", "chu"},)),
    ):
        if any(need <= words for need in needs):
            found.add(role)
    # The flattened header has no column order to offer: the usual order of the found roles.
    result = Appendix(
        columns={role: i for i, role in enumerate(r for r in ROLES if r in found)},
        rows=[],
        sections=[],
    )
    result.unreadable.append(
        (
            tokens[low].line,
            _join(tokens[low:high]),
            Message("table header flattened from a PDF; its columns could not be separated"),
        )
    )
    result.tables.append((tokens[low].line, tuple(result.columns)))
    body = tokens[high:]
    sections = _flat_sections(body)
    result.sections = [(roman, title) for roman, title, _, _ in sections]
    spans: list[tuple[str | None, str | None, int, int]] = []
    if not sections or sections[0][2] > 0:
        spans.append((None, None, 0, sections[0][2] if sections else len(body)))
    for position, (roman, title, _first, end) in enumerate(sections):
        stop = sections[position + 1][2] if position + 1 < len(sections) else len(body)
        spans.append((roman, title, end, stop))

    positions = _number_positions(body)
    for roman, title, start, stop in spans:
        numbers = _flat_numbers(positions, start, stop)
        _check_rows(len(result.rows) + len(numbers))
        if not numbers:
            if stop > start:
                label = roman or "-"
                result.unreadable.append(
                    (
                        body[start].line,
                        _join(body[start:stop]),
                        Message(
                            "section %(section)s: no numbered rows could be recognised",
                            section=label,
                        ),
                    )
                )
            continue
        starts: list[int | None] = []
        floor = start
        for k, (_number, at) in enumerate(numbers):
            low_k = max(floor, numbers[k - 1][1] + 1 if k else start)
            high_k = numbers[k + 1][1] if k + 1 < len(numbers) else stop
            begin = _content_start(body, low_k, at, high_k)
            starts.append(begin)
            if begin is not None:
                floor = begin + 1
        next_start: list[int | None] = [None] * len(numbers)
        for k in range(len(numbers) - 2, -1, -1):
            after_k = starts[k + 1]
            next_start[k] = after_k if after_k is not None else next_start[k + 1]
        previous = 0
        # The raw text of a row runs from its content's first line to the next row's. Its
        # deadline is looked for from the end of the previous row's content: cells taller than
        # the content start above the content's first line.
        window_start = search_start = start
        for k, (number, at) in enumerate(numbers):
            begin = starts[k]
            following = [] if next_start[k] is None else [next_start[k]]
            next_at = numbers[k + 1][1] if k + 1 < len(numbers) else stop
            content_end = following[0] if following else next_at
            content, after = ("", at + 1)
            if begin is not None:
                content, after = _flat_content(body, begin, max(content_end, begin + 1), at)
            window_end = max(at + 1, min([next_at, *following]))
            row_start, window_start = window_start, window_end
            completion_start, search_start = search_start, max(after, at + 1)
            raw = _join(body[row_start:window_end])
            label = f"{roman}.{number}" if roman else str(number)
            problems = []
            if number != previous + 1:
                problems.append(
                    Message(
                        "expected number %(expected)s before %(number)s",
                        expected=previous + 1,
                        number=number,
                    )
                )
            previous = number
            if begin is None:
                result.unreadable.append(
                    (
                        body[at].line,
                        raw,
                        Message("row %(row)s: number found but no content recognised", row=label),
                    )
                )
                continue
            # The content's own first words ("Thường xuyên kiểm tra…") are not its deadline.
            skip = {at, begin, begin + 1}
            completion = _flat_completion(
                [
                    body[i]
                    for i in range(completion_start, min(window_end, at + _MAX_ROW_TOKENS))
                    if i not in skip
                ]
            )
            problems += [
                Message(
                    "flattened PDF text: the columns are interleaved, content is only a fragment"
                ),
                Message("lead agency not recovered (columns interleaved): set it by hand"),
                Message("completion reassembled from words scattered in the text")
                if completion
                else Message("completion not recovered"),
            ]
            result.rows.append(
                AppendixRow(
                    line=body[at].line,
                    section=roman,
                    section_title=title,
                    number=str(number),
                    content=content,
                    lead="",
                    coordinating="",
                    completion=completion,
                    output="",
                    note="",
                    problems=problems,
                )
            )
            result.unreadable.append(
                (
                    body[at].line,
                    raw,
                    Message(
                        "row %(row)s: agencies and the other cells could not be separated",
                        row=label,
                    ),
                )
            )
    if not result.rows and not result.sections:
        raise AppendixError(
            Message("an appendix header was found but no section or row could be read")
        )
    return result
