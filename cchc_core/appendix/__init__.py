"""Read the task table ("phụ lục") of a provincial reform plan.

A plan's appendix lists tasks with their number (STT), content, lead agency, coordinating and
monitoring agencies, completion time, output, budget and note. Area rows (I, II…, ``1.``, ``A.``)
group them. Users bring the table as XLSX, DOCX, CSV or pasted text — or the whole decision that
holds it; every reader turns its input into a list of rows of cell strings and hands it to
:func:`parse_rows`, which finds the header(s) anywhere by their column names, skips what surrounds
the table(s), and reads area headings, tasks and sub-rows (merged cells taken from the row above
and listed in :attr:`AppendixRow.inherited`). Agency and budget cells are split by
:mod:`cchc_core.appendix.cells`.

Nothing is guessed silently: a row that lacks something gets an English ``problems`` entry, and
parts that are not read (text around the table, page numbers, running titles, footnotes, a table
that is not the task table) go to :attr:`Appendix.unreadable` with a reason.

Layout: :mod:`~cchc_core.appendix.model` (the result and its limits),
:mod:`~cchc_core.appendix.table` (rows of cells to tasks), :mod:`~cchc_core.appendix.text`
(pasted tables), :mod:`~cchc_core.appendix.pdf_text` (text flattened from a PDF),
:mod:`~cchc_core.appendix.files` (files by extension), :mod:`~cchc_core.appendix.cells`
(agency and budget cells), :mod:`~cchc_core.appendix.report` (the appendix as plain data).
Decoding, cells and the header search are :mod:`cchc_core.tables`, shared with the
procedure lists. The readers are importable from ``cchc_core.appendix`` itself.
"""

from cchc_core.appendix.files import parse_csv, parse_docx, parse_file, parse_xlsx
from cchc_core.appendix.model import (
    MAX_BYTES,
    MAX_ROWS,
    ROLES,
    Appendix,
    AppendixError,
    AppendixRow,
)
from cchc_core.appendix.pdf_text import parse_flattened_pdf_text
from cchc_core.appendix.table import parse_rows
from cchc_core.appendix.text import parse_text

# Message lived here first; the addons still import it from this package.
from cchc_core.messages import Message

__all__ = [
    "Message",
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
