"""Reading a pasted table: one cell per line block, one row per line, or one cell per line
with the cells after the first indented."""

from __future__ import annotations

import re

from cchc_core.appendix.model import (
    ANCHORS,
    MAX_ROWS,
    Appendix,
    AppendixError,
    NoHeader,
    check_rows,
    check_text,
)
from cchc_core.appendix.table import (
    header_role,
    read_table,
    roman_head,
)
from cchc_core.messages import Message
from cchc_core.tables import (
    BULLET,
    DelimitedError,
    clean_cell,
    is_header,
    normalise_text,
    read_delimited,
)

_STARTER_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*[.)]?$")


def _is_bare_number(text: str) -> bool:
    if _STARTER_NUMBER.match(text):
        return True
    head = roman_head(text)
    return head is not None and not head[1]


def _is_row_starter(text: str) -> bool:
    """A cell that can open a row: an STT number or a section numeral (with or without title)."""
    return _is_bare_number(text) or roman_head(text) is not None


def _header_role_of_tail(lines: list[str]) -> tuple[int, str] | None:
    """(first line, role) of the longest tail of ``lines`` that is a header label.

    The first cell of a pasted table also carries the appendix title above the header
    ("PHỤ LỤC … SỐ\\nTT"); only its last lines are the header label.
    """
    found = None
    for first in range(len(lines) - 1, max(-1, len(lines) - 5), -1):
        role = header_role(clean_cell("\n".join(lines[first:])))
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
    check_rows(len(chunks))
    cells = [clean_cell("\n".join(lines)) for _, lines in chunks]

    # The header is the first run of consecutive header-label cells that names the content.
    header_at = -1
    header_len = 0
    preamble: list[str] = []
    index = 0
    while index < len(chunks):
        lines = [ln for ln in chunks[index][1] if ln.strip()]
        role = header_role(cells[index]) if cells[index] else None
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
        while end < len(chunks) and cells[end] and (next_role := header_role(cells[end])):
            run.append(next_role)
            end += 1
        if is_header(run, ANCHORS):
            header_at, header_len = index, len(run)
            preamble = lines[:tail_from]
            cells[index] = clean_cell("\n".join(lines[tail_from:]))
            break
        index = end
    if header_at < 0:
        if not any(cells):
            raise AppendixError(Message("the table is empty"))
        raise NoHeader(
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
    return read_table(rows, row_lines)


_MARKDOWN_RULE = re.compile(r"^[\s|:+-]*-[\s|:+-]*$")


def delimited_rows(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
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
    check_rows(len(rows))
    return rows, lines


def _parse_line_rows(text: str) -> Appendix:
    """One row per line, cells separated by tabs (as copied from a spreadsheet) or ``|``."""
    lines = text.split("\n")
    tabs = sum("\t" in line for line in lines)
    pipes = sum("|" in line for line in lines)
    if not tabs and not pipes:
        if not text.strip():
            raise AppendixError(Message("the text is empty"))
        raise NoHeader(
            Message(
                "no table found in the text: put one row per line with cells separated by '|' "
                "or tabs, or one cell per line with a line containing only '|' after each cell"
            )
        )
    if tabs >= pipes:
        # Spreadsheets quote cells with line breaks when copying; the csv module undoes that.
        rows, numbers = delimited_rows(text, "\t")
        return read_table(rows, numbers)
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
        check_rows(len(rows))
    return read_table(rows, numbers)


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
                check_rows(len(rows))
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
    return read_table(rows, numbers)


def parse_text(text: str) -> Appendix:
    """Read a pasted table or a whole document holding one: one cell per line block ending in
    a ``|`` line, one row per line with cells separated by ``|`` or tabs, or one cell per line
    with the cells after the first tab-indented (a table copied from a web page)."""
    check_text(text)
    text = normalise_text(text)
    if _is_pipe_per_line(text):
        return _parse_pipe_lines(text)
    if _is_cell_per_line(text):
        return _parse_cell_lines(text)
    return _parse_line_rows(text)
