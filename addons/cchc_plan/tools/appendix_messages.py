"""The messages of cchc_core.appendix, listed so that they are extracted and translated.

The pure package speaks English and raises :class:`cchc_core.messages.Message` strings that keep
their template; ``cchc_base.tools.translate.translate(env, message, "cchc_plan")`` shows them in
the user's language. A pure test (tests/test_appendix_messages.py) checks that this list and the
package agree.
"""

from odoo.tools import LazyTranslate

_lt = LazyTranslate(__name__)

APPENDIX_MESSAGES = (
    _lt("%(count)s row(s) of text before the table (title, letter, articles); not part of it"),
    _lt(
        "%(count)s paragraph(s) of text outside the tables (title, letter, articles); not part of the table"
    ),
    _lt("%(where)s not read: %(reason)s"),
    _lt("%(where)s: %(reason)s"),
    _lt("a table that is not the task table: %(reason)s"),
    _lt("cells taken from the row above (merged): %(cells)s"),
    _lt("footnote; ignored"),
    _lt("page number; ignored"),
    _lt("running title repeated on each page; ignored"),
    _lt("sheet '%(sheet)s'"),
    _lt("signature or distribution list after the table; ignored"),
    _lt("table %(number)s"),
    _lt("text outside the table columns; ignored"),
    _lt("%(count)s cell(s) beyond the header were ignored"),
    _lt("an appendix header was found but no section or row could be read"),
    _lt("completion not recovered"),
    _lt("completion reassembled from words scattered in the text"),
    _lt("could not decode the file: save it as UTF-8"),
    _lt("could not read sheet '%(sheet)s': %(error)s"),
    _lt("could not read the DOCX file: %(error)s"),
    _lt("could not read the XLSX file: %(error)s"),
    _lt("could not read the delimited text near line %(line)s: %(error)s"),
    _lt("expected number %(expected)s before %(number)s"),
    _lt("flattened PDF text: the columns are interleaved, content is only a fragment"),
    _lt("heading row without a Roman numeral; not read as a task"),
    _lt("lead agency not recovered (columns interleaved): set it by hand"),
    _lt("no appendix table found in the text (no 'STT' next to 'Nội dung')"),
    _lt("no content (Nội dung)"),
    _lt(
        "no header found in the pasted table: expected cells like 'STT', 'Nội dung', 'Cơ quan chủ trì'"
    ),
    _lt(
        "no header row found: the table needs columns named like 'STT', 'Nội dung' and 'Cơ quan chủ trì'"
    ),
    _lt("no lead agency (Cơ quan chủ trì)"),
    _lt("no table"),
    _lt(
        "no table found in the text: put one row per line with cells separated by '|' or tabs, or one cell per line with a line containing only '|' after each cell"
    ),
    _lt("reading .docx files needs the python-docx package"),
    _lt("reading .xlsx files needs the openpyxl package"),
    _lt("row %(row)s: agencies and the other cells could not be separated"),
    _lt("row %(row)s: number found but no content recognised"),
    _lt("row has neither a number (STT) nor content"),
    _lt("section %(section)s: no numbered rows could be recognised"),
    _lt("section row also names agencies or a deadline; only its title was kept"),
    _lt("table header flattened from a PDF; its columns could not be separated"),
    _lt("the STT cell '%(number)s' does not look like a number"),
    _lt("the document has no table"),
    _lt("the file is empty"),
    _lt("the file is larger than %(size)s MB"),
    _lt("the header on row %(row)s has no %(wanted)s column; columns found: %(found)s"),
    _lt("the table has a header but no task rows"),
    _lt("the table has more than %(rows)s rows"),
    _lt("the table is empty"),
    _lt("the text is empty"),
    _lt("the text is larger than %(size)s MB"),
    _lt("the workbook has no sheets"),
    _lt(
        "unsupported file type '%(type)s' (save it as .xlsx or .docx first): use .xlsx, .docx, .csv or .txt"
    ),
    _lt("unsupported file type '%(type)s': use .xlsx, .docx, .csv or .txt"),
)
