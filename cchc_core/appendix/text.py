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
from cchc_core.deadlines import KIND_UNKNOWN, parse_deadline
from cchc_core.matching import names_an_agency
from cchc_core.messages import Message
from cchc_core.tables import (
    BULLET,
    DelimitedError,
    clean_cell,
    is_header,
    normalise_text,
    read_delimited,
)

_STARTER_NUMBER = re.compile(r"^(?:\d{1,3}|[IVX]{1,5})(?:\.\d{1,3})*[.)]?$")
# "A", "B": the parts of an appendix whose areas are I, II… under each.
_STARTER_LETTER = re.compile(r"^[A-ZĐ][.)]?$")


def _is_bare_number(text: str) -> bool:
    if _STARTER_NUMBER.match(text):
        return True
    head = roman_head(text)
    return head is not None and not head[1]


def _is_row_starter(text: str) -> bool:
    """A cell that can open a row: an STT number, a part letter or a section numeral (with or
    without title)."""
    return (
        _is_bare_number(text) or bool(_STARTER_LETTER.match(text)) or roman_head(text) is not None
    )


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
        end = index + 1 + _label_run(cells, index + 1)
        run = [role, *(r for r in map(header_role, cells[index + 1 : end]) if r)]
        if is_header(run, ANCHORS):
            header_at, header_len = index, end - index
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
    roles = [header_role(cell) for cell in cells[header_at : header_at + header_len]]

    def close(row: list[str]) -> None:
        # A short row that does not open with a number is a sub-row whose merged cells the
        # page dropped: the STT and what follows it ("| content | agency |"), or the STT and
        # the agency columns ("| activity | output | deadline |"). A lone cell is a title or
        # a footnote, not a sub-row.
        if roles[:1] == ["number"] and len(row) < len(roles) and row[0]:
            while len(row) > 1 and not row[-1]:
                row = row[:-1]  # its closing "|" line, taken for an empty cell
            if len(row) > 1 and not _is_row_starter(row[0]):
                row = _place_sub_row(row, roles)
        rows.append(row)

    def ends_short_row(at: int) -> bool:
        """Whether the empty cell at ``at`` closes the current row early (merged cells): the
        cells up to the next numbered row, less that row's own closing "|", would not fit in
        it otherwise; or a sub-row of activities has just given its own deadline."""
        room = header_len - len(current_row) + 1
        end = at + 1
        while end < len(cells) and end - at <= room and not _is_row_starter(cells[end]):
            end += 1
        if len(current_row) + (end - at) - 1 > header_len:
            # Unless the next cell belongs in the column after this one if it is left empty
            # ("| 1 | task | Sở Nội vụ | | Quý IV/2025 |": an empty coordinating cell).
            column = len(current_row) + 1
            following = cells[at + 1] if at + 1 < len(cells) else ""
            role = roles[column] if column < len(roles) else None
            return not following or not (
                (role == "completion" and _says_when(following))
                or (role in ("lead", "coordinating") and names_an_agency(following))
            )
        return (
            len(current_row) >= 2
            and not _is_row_starter(current_row[0])
            and "completion" in roles
            and _says_when(current_row[-1])
        )

    current_row: list[str] = []
    index = header_at + header_len
    while index < len(chunks):
        cell = cells[index]
        line = chunks[index][0]
        if not cell and len(current_row) == header_len:
            # The "|" line after a full row's last cell closes the row: not an empty cell.
            index += 1
            continue
        if not cell and current_row and ends_short_row(index):
            close(current_row)
            current_row = []
            index += 1
            continue
        repeated = _header_run(cells, index)
        if repeated:
            # The header repeated at the head of a page or area, perhaps without its STT cell.
            if current_row:
                close(current_row)
                current_row = []
            rows.append(cells[index : index + repeated])
            row_lines.append(line)
            if header_role(cells[index]) == "number":
                # A table of its own (the next appendix): its rows have its width.
                header_len = repeated
                roles = [header_role(cell) for cell in cells[index : index + repeated]]
            index += repeated
            continue
        # A new row starts when the row is full, or at an STT/section numeral, unless the
        # current row is only its own number so far (then this is its content).
        starts = not current_row or len(current_row) >= header_len
        if not starts and _is_row_starter(cell):
            starts = not (len(current_row) == 1 and _is_bare_number(current_row[0]))
        if starts and current_row:
            close(current_row)
            current_row = []
        if not current_row:
            row_lines.append(line)
        current_row.append(cell)
        index += 1
    if current_row:
        close(current_row)
    return read_table(rows, row_lines)


_UNNAMED_LABEL = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+){0,2}$")


def _label_run(cells: list[str], index: int) -> int:
    """How many cells from ``index`` on are header labels. A short label of no known role
    ("Đơn vị", the unit of a target) between two known ones belongs to the header too."""
    end = index
    while end < len(cells) and cells[end]:
        if header_role(cells[end]):
            end += 1
        elif (
            _UNNAMED_LABEL.match(cells[end])
            and end + 1 < len(cells)
            and cells[end + 1]
            and header_role(cells[end + 1])
        ):
            end += 2
        else:
            break
    return end - index


_CLAUSES = re.compile(r"\.\s+|;\s*|\s+và\s+")


def _says_when(cell: str) -> bool:
    """Whether the cell, or its first clause ("Giai đoạn 2026 - 2027. Thực hiện rà soát …"),
    reads as a deadline."""
    first = _CLAUSES.split(cell.strip(), maxsplit=1)[0]
    return any(parse_deadline(text).kind != KIND_UNKNOWN for text in {cell, first} if text)


def _place_sub_row(row: list[str], roles: list[str | None]) -> list[str]:
    """The sub-row's cells in their columns: right after the STT, or flush with the last
    column, whichever puts an agency under an agency label and a deadline under the deadline
    label (after the STT when neither says)."""
    missing = len(roles) - len(row)
    after_number = ["", *row, *[""] * (missing - 1)]
    flush_right = [*[""] * missing, *row]

    def fits(cells: list[str]) -> int:
        score = 0
        for role, cell in zip(roles, cells, strict=True):
            if not cell:
                continue
            if role == "completion" and _says_when(cell):
                score += 1
            elif role == "lead":
                score += 1 if names_an_agency(cell) else -1
            elif role == "coordinating" and names_an_agency(cell):
                score += 1
        return score

    return flush_right if fits(flush_right) > fits(after_number) else after_number


def _header_run(cells: list[str], index: int) -> int:
    """How many cells from ``index`` on make a header (0 when they do not)."""
    size = _label_run(cells, index)
    run = [r for r in map(header_role, cells[index : index + size]) if r]
    return size if len(run) >= 3 and is_header(run, ANCHORS) else 0


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


# Markdown emphasis a page converted to Markdown puts around words ("**Cơ quan**",
# "*(Kèm theo …)*"): marks, not text. "(*)" and a "*" between spaces are text and stay.
_BOLD = re.compile(r"\*\*")
_ITALIC_OPEN = re.compile(r"(?<![\w(*])\*(?=[^\s*)])")
_ITALIC_CLOSE = re.compile(r"(?<=[^\s*(])\*(?![\w)*])")


def strip_emphasis(text: str) -> str:
    """The text without Markdown bold/italic marks."""
    if "*" not in text:
        return text
    text = _BOLD.sub("", text)
    return _ITALIC_CLOSE.sub("", _ITALIC_OPEN.sub("", text))


def parse_text(text: str) -> Appendix:
    """Read a pasted table or a whole document holding one: one cell per line block ending in
    a ``|`` line, one row per line with cells separated by ``|`` or tabs, or one cell per line
    with the cells after the first tab-indented (a table copied from a web page). Markdown
    emphasis marks (a page saved as Markdown) are dropped first."""
    check_text(text)
    text = strip_emphasis(normalise_text(text))
    if _is_pipe_per_line(text):
        return _parse_pipe_lines(text)
    if _is_cell_per_line(text):
        return _parse_cell_lines(text)
    return _parse_line_rows(text)
