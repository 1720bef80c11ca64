"""Reading rows of cells: the header found by its column names, then area headings, tasks
and sub-rows (merged cells taken from the row above)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from cchc_core.appendix.model import (
    ANCHORS,
    INHERITABLE,
    REQUIRED,
    ROLE_LABELS,
    ROLES,
    Appendix,
    AppendixError,
    AppendixRow,
    NoHeader,
    check_rows,
)
from cchc_core.messages import Message
from cchc_core.tables import (
    MAX_COLUMNS,
    Header,
    clean_cell,
    find_header,
    header_at,
    is_column_numbering,
    is_header,
    label_words,
    row_roles,
)

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
def header_role(text: str) -> str | None:
    """The column role a header cell names, accent- and case-insensitively, or None."""
    words = label_words(text)
    # Header labels are short; a long cell is a title or a task that happens to say "nhiệm vụ".
    # "PHỤ LỤC Nhiệm vụ và giải pháp" and "Danh mục nhiệm vụ (Kèm theo Kế hoạch …)" are the
    # appendix's title, short as they may be.
    if not words or words.count(" ") >= 10 or words.startswith("phu luc"):
        return None
    if " kem theo " in f" {label_words(text.replace('(', ' ').replace(')', ' '))} ":
        return None
    padded = f" {words} "

    def has(*phrases: str) -> bool:
        return any(f" {p} " in padded for p in phrases)

    if words in _NUMBER_EXACT:
        return "number"
    # "Người đứng đầu chịu trách nhiệm" names the head accountable for the lead agency's work
    # (a person's title, "Cục trưởng Cục …"), not an agency: kept with the task as its note.
    if has("nguoi dung dau"):
        return "note"
    # "Thuộc nhóm nhiệm vụ, hành động": the group a task belongs to, beside its content.
    if has("thuoc nhom"):
        return "note"
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
    return row_roles(row, header_role)[0]


def _header_at(rows: list[list[str]], index: int) -> Header | None:
    """The header at ``rows[index]``, two rows when the next one refines it."""
    return header_at(rows, index, header_role, ANCHORS, REQUIRED, two_rows=True)


def _missing_columns(header: Header) -> AppendixError | None:
    if not header.missing:
        return None
    found = ", ".join(f"{ROLE_LABELS[r]} ({r})" for r in header.roles) or "none"
    wanted = ", ".join(f"{ROLE_LABELS[r]} ({r})" for r in header.missing)
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
    header = find_header(rows, header_role, ANCHORS, REQUIRED, two_rows=True)
    if header is None:
        raise NoHeader(
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
_NUMBER = re.compile(
    r"^(?:\d{1,4}(?:\.\d{1,4})*|[IVX]{1,5}(?:\.\d{1,3})+|\d{1,4}[a-zđ]|[a-zđ]\d{0,2})$",
    re.IGNORECASE,
)


def roman_head(text: str) -> tuple[str, str] | None:
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
# "I.1", "II.2": an area of section I, above its tasks "1", "2".
_ROMAN_DOTTED = re.compile(r"^[IVX]{1,5}(?:\.\d{1,3})+$")
# "1. Cải cách thể chế" or "A. NHIỆM VỤ CHUNG" in one cell: a numbered heading.
_NUMBERED_TITLE = re.compile(r"^(\d{1,2}|[A-ZĐ])[.)]\s+(\S.*)$", re.DOTALL)
_PAGE_NUMBER = re.compile(r"^(?:trang\s*)?[-–—]?\s*\d{1,3}\s*[-–—]?(?:\s*/\s*\d{1,3})?$", re.I)
_FOOTNOTE = re.compile(
    r"^(?:\[\d{1,3}\]|\(\*{1,3}\)|\*{1,3}|\(\d{1,2}\)|\d{1,2}(?=\s*[A-ZĐÀ-Ỹ]))\s*\S"
)
_CLOSING = re.compile(
    r"^(?:nơi nhận|kt\.|tm\.|tl\.|chủ tịch|phó chủ tịch|giám đốc|lưu:|- lưu)", re.IGNORECASE
)


def _level(number: str | None) -> float | None:
    """How deep a numbering style sits: A. > I. > 1. > 1.1 > a)."""
    if not number:
        return None
    if _ROMAN.match(number):
        return 1
    if _ROMAN_DOTTED.match(number):
        return 1 + number.count(".") / 2
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
    numbered = roman_head(text) or _NUMBERED_TITLE.match(text)
    if not numbered and not _NUMBER.match(_norm_number(text)):
        return Message("text outside the table columns; ignored")
    return None


def read_table(rows: Sequence[Sequence[object]], lines: list[int] | None = None) -> Appendix:
    """Header, sections and task rows of the table(s) found in rows of cells."""
    check_rows(len(rows))
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
                shorten(" | ".join(c for i in before[:3] for c in table[i] if c)),
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
        found = _header_at(table, index) if is_header(roles, ANCHORS) else None
        if found is not None and not found.missing and _repeats(found.roles, columns):
            # The header repeated at the head of an area or page without its merged "STT"
            # cell: the same table goes on, its rows still numbered in the first column.
            index += found.taken
            continue
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


def _repeats(found: dict[str, int], columns: dict[str, int]) -> bool:
    """A header naming only columns the current table has, in the same order, minus some."""
    if not set(found) < set(columns):
        return False
    return sorted(found, key=found.__getitem__) == sorted(
        (role for role in columns if role in found), key=columns.__getitem__
    )


def shorten(text: str, size: int = 200) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _heading_of(
    record: _Record, next_level: float | None, restarts: bool = False
) -> tuple[str, str] | None:
    """(number, title) when a numbered row heads an area instead of being a task.

    A Roman numeral always heads a section. Another number heads an area when the row has
    nothing but its title and the next numbered row is numbered one level deeper ("1." then
    "a)"): a task row would name its lead agency.
    """
    head = _section_head(record.cells, record.columns)
    if head is not None:
        return head
    number_cell = record.get("number")
    # "A. | BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG": a part per responsible body, its title under
    # whichever label; a task row would have its content and more.
    filled = record.filled()
    if (
        len(filled) == 2
        and number_cell == filled[0]
        and _UPPER_NUMBER.match(_norm_number(number_cell))
        and _is_upper_title(filled[1])
    ):
        return _norm_number(number_cell), filled[1]
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
    if level is None or next_level is None:
        return None
    # "2. Các nhiệm vụ …" alone on its row, the tasks after it numbered from 1 again: a group
    # of the same numbering style as its tasks.
    alone = not record.others("number") or not record.get("number")
    if next_level <= level and not (restarts and alone and len(title.split()) >= 3):
        return None
    return number, title


def _read_records(records: list[_Record], result: Appendix) -> None:
    """Sort rows into area headings, tasks and sub-rows; fill merged cells from above."""
    next_levels: list[float | None] = [None] * len(records)
    restarts = [False] * len(records)  # the next numbered row is numbered "1" again
    upcoming: float | None = None
    upcoming_one = False
    for position in range(len(records) - 1, -1, -1):
        next_levels[position] = upcoming
        restarts[position] = upcoming_one
        if record_number := records[position].number():
            upcoming_one = record_number == "1"
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
    task_level: float | None = None
    for position, record in enumerate(records):
        cells = record.cells
        head = _heading_of(record, next_levels[position], restarts[position])
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
        # A further part of the task above, its STT (and other) cells merged with the task's:
        merged_part = (
            task is not None
            and not number_cell
            and (
                # "| | agency B | | …": the task's next responsible agency;
                (not content and agencies)
                # "| | | | activity | output | deadline |": another activity of a task with a lead;
                or (
                    task.number
                    and content
                    and not agencies
                    and task.lead
                    and (record.get("completion") or record.get("output"))
                )
                # "| second action | its agency |", the deadline cell merged: its own content.
                or (
                    task.number
                    and content
                    and record.get("lead")
                    and not record.get("completion")
                    and task.completion
                )
            )
        )
        if merged_part:
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
            # A row naming no agency at all had them merged with its task's, like the rest.
            roles = (*INHERITABLE, "lead", "coordinating") if not agencies else INHERITABLE
            for role in roles:
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
        check_rows(len(result.rows))
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
    head = roman_head(first)
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


def _is_upper_title(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and text == text.upper()


def _is_heading_text(content: str, cells: list[str], columns: dict[str, int]) -> bool:
    """An unnumbered row with only upper-case content ("CẢI CÁCH THỂ CHẾ") is a heading."""
    others = [cells[c] for r, c in columns.items() if r != "content" and cells[c]]
    letters = [ch for ch in content if ch.isalpha()]
    return not others and len(letters) >= 3 and content == content.upper()


def parse_rows(rows: list[list[str]]) -> Appendix:
    """Read an appendix given as rows of cells; ``line`` is the 1-based row index."""
    return read_table(rows)
