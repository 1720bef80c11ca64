"""Reading appendix files: XLSX, DOCX, CSV and TXT, by their extension."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import PurePath

from cchc_core.appendix.model import (
    MAX_ROWS,
    Appendix,
    AppendixError,
    NoHeader,
    check_bytes,
    check_rows,
    check_text,
)
from cchc_core.appendix.pdf_text import (
    parse_flattened_pdf_text,
)
from cchc_core.appendix.table import (
    read_table,
    shorten,
)
from cchc_core.appendix.text import (
    delimited_rows,
    parse_text,
)
from cchc_core.messages import Message
from cchc_core.tables import (
    MAX_COLUMNS,
    decode,
    delimiter_order,
    first_readable,
    normalise_text,
    xlsx_sheets,
)


def _first_readable(attempts: list[Callable[[], Appendix]], nothing: Message) -> Appendix:
    """The first attempt that reads; otherwise the most telling error (a "no header" error
    only means "not this sheet/table/delimiter")."""
    return first_readable(attempts, nothing, AppendixError, _no_header)


def _no_header(error: ValueError) -> bool:
    return isinstance(error, NoHeader)


def _read_tables(tables: list[tuple[str, list[list[object]]]], nothing: Message) -> Appendix:
    """Every table (sheet) that has a task header, in order; the others are reported.

    When none has one, the most telling error is raised as :func:`_first_readable` does.
    """
    results: list[tuple[str, Appendix]] = []
    skipped: list[tuple[str, AppendixError]] = []
    for label, rows in tables:
        try:
            results.append((label, read_table(rows)))
        except AppendixError as exc:
            skipped.append((label, exc))
    if not results:
        errors = [exc for _, exc in skipped]
        telling = next((e for e in errors if not isinstance(e, NoHeader)), None)
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
    check_rows(len(combined.rows))
    return combined


def parse_csv(data: bytes | str) -> Appendix:
    """Read a CSV export; the delimiter (``,`` ``;`` tab) and encoding are detected."""
    if isinstance(data, bytes):
        check_bytes(data)
        text = decode(data, AppendixError)
    else:
        check_text(data)
        text = data
    text = normalise_text(text)
    if not text.strip():
        raise AppendixError(Message("the file is empty"))

    def attempt(delimiter: str) -> Callable[[], Appendix]:
        def run() -> Appendix:
            rows, lines = delimited_rows(text, delimiter)
            return read_table(rows, lines)

        return run

    return _first_readable(
        [attempt(d) for d in delimiter_order(text)], Message("the file is empty")
    )


def parse_xlsx(data: bytes) -> Appendix:
    """Read every sheet of an Excel workbook that has a task-table header (others reported).

    A merged section title is in its first cell and the others are empty, which is what
    section detection expects.
    """
    check_bytes(data)
    tables = []
    for name, rows in xlsx_sheets(data, AppendixError, MAX_ROWS):
        check_rows(len(rows))
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
        check_rows(len(rows))
    return rows


def parse_docx(data: bytes) -> Appendix:
    """Read every table of a Word document that has a task-table header (others reported)."""
    check_bytes(data)
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
                shorten(" / ".join(paragraphs[:3])),
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
        check_bytes(data)
        text = decode(data, AppendixError)
        try:
            return parse_text(text)
        except NoHeader as exc:
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
