"""One pipeline for the tables users bring: a plan's task appendix, a list of procedures.

Both arrive as XLSX, CSV or text; both have a header row somewhere near the top naming the
columns in Vietnamese (or English), sometimes a "(1) (2) (3)" numbering row under it, then rows
of cells. This module turns the bytes into rows of clean cell strings and finds the header by
the caller's ``role_of(label)`` (what column a header label names); what the rows mean is the
caller's business (:mod:`cchc_core.appendix`, :mod:`cchc_core.catalogue`).

Every function that refuses its input raises the caller's ``error`` class (each reader has its
own, ``AppendixError``, ``CatalogueError``) with a :class:`~cchc_core.messages.Message`; the
messages here are shared by both readers, so both addons that show them list them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from typing import TypeVar

from cchc_core.archives import check_archive
from cchc_core.messages import Message
from cchc_core.text import fold

__all__ = [
    "BULLET",
    "MAX_COLUMNS",
    "DelimitedError",
    "Header",
    "check_file",
    "clean_cell",
    "decode",
    "delimiter_order",
    "find_header",
    "first_readable",
    "format_value",
    "header_at",
    "is_header",
    "is_column_numbering",
    "label_words",
    "normalise_text",
    "one_line",
    "read_delimited",
    "row_roles",
    "xlsx_sheets",
]

# A sheet can claim 16,384 columns; no appendix or list has more than a dozen.
MAX_COLUMNS = 60

RoleOf = Callable[[str], "str | None"]
T = TypeVar("T")


# --------------------------------------------------------------------------------------------
# Bytes to text


def check_file(data: bytes, error: type[ValueError], max_bytes: int) -> None:
    """Refuse a file larger than ``max_bytes``, or an archive (XLSX, DOCX) that expands too
    much (:func:`cchc_core.archives.check_archive`)."""
    if len(data) > max_bytes:
        raise error(Message("the file is larger than %(size)s MB", size=max_bytes // (1024 * 1024)))
    check_archive(data, error)


def decode(data: bytes, error: type[ValueError]) -> str:
    """The text of a CSV or TXT file, NFC: UTF-16 by its BOM, else UTF-8, else cp1258."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        # Old Vietnamese Windows exports are cp1258 (with combining tone marks).
        encodings = ("utf-8-sig", "cp1258")
    for encoding in encodings:
        try:
            return unicodedata.normalize("NFC", data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise error(Message("could not decode the file: save it as UTF-8"))


# --------------------------------------------------------------------------------------------
# Cells


_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\u2028\u2029\x85]")
_INLINE_SPACE = re.compile(r"\s+")
# A bullet opening a line of a cell ("- Sở Nội vụ;"): such lines are kept apart.
BULLET = re.compile(r"^[-+•*–—]\s*")


def normalise_text(text: str) -> str:
    """NFC, every line break as ``\\n``."""
    return _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text))


def format_value(value: object) -> str:
    """Spreadsheet values as a person would read them (``1.0`` is ``1``, dates are d/m/Y)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return str(value)
    if isinstance(value, datetime):
        day = f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
        return day if value.time() == time(0, 0) else f"{day} {value.hour:02d}:{value.minute:02d}"
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    return str(value)


def clean_cell(value: object) -> str:
    """NFC text, single spaces; wrapped lines joined with a space, bullet lines kept apart.

    Line breaks inside a cell are mostly wrapping ("Cuối\\nnăm 2021"), but a bullet list of
    agencies ("- Sở Nội vụ;\\n- UBND cấp huyện") keeps its breaks so the agencies stay apart.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else format_value(value)
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text))
    out = ""
    for raw in text.split("\n"):
        line = _INLINE_SPACE.sub(" ", raw).strip()
        if not line:
            continue
        if not out:
            out = line
        elif BULLET.match(line):
            out += "\n" + line
        else:
            out += " " + line
    return out


def one_line(value: object) -> str:
    """:func:`clean_cell` on a single line (bullet lines joined too)."""
    return clean_cell(value).replace("\n", " ")


_PARENS = re.compile(r"\([^)]*\)")
_WORDS = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=8192)
def label_words(text: str) -> str:
    """A header label as plain words: no accents, lower case, parenthesised parts dropped
    ("Thời hạn giải quyết (ngày)" is "thoi han giai quyet")."""
    return " ".join(_WORDS.findall(_PARENS.sub(" ", fold(text))))


_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2})\)?$")


def is_column_numbering(cells: Sequence[str]) -> bool:
    """The "(1) (2) (3)…" or "1 2 3…" row some tables put under the header: at least two
    numbers counting up from 0 or 1, nothing else."""
    filled = [cell for cell in cells if cell]
    if len(filled) < 2:
        return False
    numbers = []
    for cell in filled:
        match = _COLUMN_NUMBER.match(cell)
        if not match:
            return False
        numbers.append(int(match.group(1)))
    return numbers[0] in (0, 1) and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


# --------------------------------------------------------------------------------------------
# Header


def row_roles(row: Sequence[str], role_of: RoleOf) -> tuple[dict[str, int], list[str]]:
    """(role -> column of its first cell, the filled cells that name no role or a role
    named already) of a row read as a header."""
    roles: dict[str, int] = {}
    unknown: list[str] = []
    for index, cell in enumerate(row):
        if not cell:
            continue
        role = role_of(cell)
        if role and role not in roles:
            roles[role] = index
        else:
            unknown.append(cell)
    return roles, unknown


def is_header(roles: dict[str, int] | Sequence[str], anchors: Sequence[str]) -> bool:
    """Whether labels naming ``roles`` make a header: two roles at least, one of them an
    ``anchor`` (a row of data may hold one label-like word, not two with the main column's)."""
    return len(roles) >= 2 and any(role in roles for role in anchors)


@dataclass
class Header:
    """A header row: where it is, how many rows it takes, the column of each role it names,
    the labels it does not know and the required roles it lacks."""

    index: int
    taken: int
    roles: dict[str, int]
    unknown: list[str] = field(default_factory=list)
    missing: tuple[str, ...] = ()


def header_at(
    rows: Sequence[Sequence[str]],
    index: int,
    role_of: RoleOf,
    anchors: Sequence[str],
    required: Sequence[str] = (),
    two_rows: bool = False,
) -> Header | None:
    """The header at ``rows[index]``, or None when the row is not one.

    See :func:`is_header`; ``missing`` lists the ``required`` roles it lacks. With
    ``two_rows``, a row under it holding only labels refines it: "Cơ quan thực hiện" spans
    "Chủ trì | Phối hợp" on the next row.
    """
    roles, unknown = row_roles(rows[index], role_of)
    if not is_header(roles, anchors):
        return None
    taken = 1
    if two_rows and index + 1 < len(rows):
        below = rows[index + 1]
        sub, _ = row_roles(below, role_of)
        filled = [cell for cell in below if cell]
        if sub and len(filled) == len(sub):
            for role, column in sub.items():
                for other in [r for r, c in roles.items() if c == column]:
                    del roles[other]
                roles[role] = column
            taken = 2
    missing = tuple(role for role in required if role not in roles)
    return Header(index, taken, roles, unknown, missing)


def find_header(
    rows: Sequence[Sequence[str]],
    role_of: RoleOf,
    anchors: Sequence[str],
    required: Sequence[str] = (),
    *,
    two_rows: bool = False,
    scan: int | None = None,
) -> Header | None:
    """The first complete header in the first ``scan`` rows (all when None), else the first
    header lacking a required role (its ``missing`` says which), else None.

    A header-like row without a required column is not the table wanted (a table of targets
    above the task table, say); it is the answer only when no complete header follows.
    """
    incomplete = None
    for index in range(min(len(rows), scan) if scan is not None else len(rows)):
        header = header_at(rows, index, role_of, anchors, required, two_rows)
        if header is None:
            continue
        if not header.missing:
            return header
        incomplete = incomplete or header
    return incomplete


# --------------------------------------------------------------------------------------------
# Files to rows


class DelimitedError(ValueError):
    """The csv module refused the text near ``line``; the caller words it."""

    def __init__(self, line: int, error: csv.Error) -> None:
        super().__init__(f"line {line}: {error}")
        self.line = line
        self.error = error


def read_delimited(text: str, delimiter: str, max_rows: int) -> tuple[list[list[str]], list[int]]:
    """Rows of a CSV/TSV text with the line each record starts on; reading stops after
    ``max_rows + 1`` rows, so that the caller can tell a table that is too long."""
    rows: list[list[str]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        while len(rows) <= max_rows:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            rows.append(record)
            lines.append(start)
    except csv.Error as exc:
        raise DelimitedError(reader.line_num, exc) from None
    return rows, lines


def delimiter_order(text: str, delimiters: str = ",;\t") -> list[str]:
    """The ``delimiters`` to try, the likeliest first: the csv sniffer's guess, then by how
    often each occurs in the first lines."""
    sample = text[:65536]
    order: list[str] = []
    try:
        order.append(csv.Sniffer().sniff(sample, delimiters=delimiters).delimiter)
    except csv.Error:
        pass
    head = "\n".join(line for line in sample.split("\n")[:30] if line.strip())
    for delimiter in sorted(delimiters, key=lambda d: -head.count(d)):
        if delimiter not in order:
            order.append(delimiter)
    return order


def first_readable(
    attempts: Iterable[Callable[[], T]],
    nothing: Message,
    error: type[ValueError],
    not_here: Callable[[ValueError], bool],
) -> T:
    """The first attempt that reads; otherwise the most telling error.

    An error for which ``not_here`` holds ("no header") only means "not this sheet, table or
    delimiter"; any other error (a header without a required column, a header with no rows)
    is what the user needs to hear. ``nothing`` is raised when there was nothing to try. The
    attempts are made one by one: a generator of them (sheets read lazily) stops at the first
    that reads.
    """
    first_error: ValueError | None = None
    for attempt in attempts:
        try:
            return attempt()
        except error as exc:
            if first_error is None or (not_here(first_error) and not not_here(exc)):
                first_error = exc
    raise first_error or error(nothing)


def xlsx_sheets(
    data: bytes, error: type[ValueError], max_rows: int
) -> Iterator[tuple[str, list[list[object]]]]:
    """(title, rows of values) of each worksheet of a workbook, read one at a time.

    At most :data:`MAX_COLUMNS` values a row, trailing empty cells dropped, and at most
    ``max_rows + 1`` rows a sheet, so that the caller can tell a sheet that is too long.
    Read-only mode does not report merged ranges: a merged title is in its first cell and the
    others are empty.
    """
    try:
        import openpyxl
    except ImportError:
        raise error(Message("reading .xlsx files needs the openpyxl package")) from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for damaged files
        raise error(
            Message("could not read the XLSX file: %(error)s", error=f"{type(exc).__name__}: {exc}")
        ) from None
    try:
        for sheet in workbook.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue
            rows: list[list[object]] = []
            try:
                for values in sheet.iter_rows(values_only=True):
                    row = list(values[:MAX_COLUMNS])
                    while row and row[-1] is None:
                        row.pop()
                    rows.append(row)
                    if len(rows) > max_rows:
                        break
            except Exception as exc:  # a damaged sheet XML surfaces only while iterating
                raise error(
                    Message(
                        "could not read sheet '%(sheet)s': %(error)s",
                        sheet=sheet.title,
                        error=str(exc),
                    )
                ) from None
            yield sheet.title, rows
    finally:
        workbook.close()
