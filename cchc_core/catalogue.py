"""Read a list of administrative procedures (danh mục thủ tục hành chính) as provinces publish it.

A province publishes its catalogue as a table: ``TT | Tên thủ tục | Lĩnh vực | Mức độ``, often
with the national code (``Mã TTHC``), the processing time (``Thời hạn giải quyết``: "05 ngày làm
việc", "08 giờ làm việc", "Trong ngày"), the competent agency (``Cơ quan thực hiện``), the fees
(``Phí, lệ phí``) and whether the online service is full (toàn trình) or partial (một phần).
Rows are grouped under field headings ("I. Lĩnh vực Đất đai") when there is no field column.

:func:`parse_file` reads XLSX or CSV into a :class:`Catalogue`. Nothing is guessed: a column the
reader does not know, a processing time it cannot read, a row without a name or a code used
twice raise :class:`CatalogueError`, whose ``problems`` list every :class:`Message` at once, so
that an import can refuse the whole file with one clear list.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from cchc_core.messages import Message
from cchc_core.tables import (
    MAX_COLUMNS,
    DelimitedError,
    check_file,
    decode,
    delimiter_order,
    find_header,
    first_readable,
    is_column_numbering,
    label_words,
    normalise_text,
    one_line,
    read_delimited,
    xlsx_sheets,
)
from cchc_core.text import fold

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "MODE_FULL",
    "MODE_NONE",
    "MODE_PARTIAL",
    "ROLES",
    "Catalogue",
    "CatalogueError",
    "CatalogueRow",
    "parse_csv",
    "parse_file",
    "parse_mode",
    "parse_processing_time",
    "parse_rows",
    "parse_xlsx",
]

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
_HEADER_SCAN_ROWS = 30

MODE_FULL = "full"  # dịch vụ công trực tuyến toàn trình
MODE_PARTIAL = "partial"  # một phần
MODE_NONE = "none"

ROLES = (
    "number",
    "code",
    "name",
    "field",
    "time",
    "agency",
    "fees",
    "mode",
    "postal",
    "legal_basis",
    "note",
)

# Folded header labels (no diacritics, lower case, words only) and the column each one names.
_SYNONYMS = {
    "number": {"tt", "stt", "so tt", "so thu tu", "thu tu", "no", "number"},
    "code": {
        "ma",
        "ma so",
        "ma tthc",
        "ma thu tuc",
        "ma thu tuc hanh chinh",
        "ma so tthc",
        "ma so thu tuc",
        "ma quoc gia",
        "ma tthc quoc gia",
        "code",
        "procedure code",
        "national code",
    },
    "name": {
        "ten thu tuc",
        "ten thu tuc hanh chinh",
        "ten tthc",
        "thu tuc",
        "thu tuc hanh chinh",
        "tthc",
        "procedure",
        "procedure name",
        "name",
    },
    "field": {"linh vuc", "ten linh vuc", "field"},
    "time": {
        "thoi han giai quyet",
        "thoi gian giai quyet",
        "thoi han",
        "thoi han xu ly",
        "thoi gian xu ly",
        "processing time",
        "time limit",
        "time",
    },
    "agency": {
        "co quan thuc hien",
        "co quan giai quyet",
        "co quan co tham quyen",
        "co quan co tham quyen giai quyet",
        "co quan tiep nhan",
        "don vi thuc hien",
        "noi thuc hien",
        "agency",
        "competent agency",
    },
    "fees": {"phi le phi", "phi", "le phi", "muc phi", "phi va le phi", "fees", "fee"},
    "mode": {
        "muc do",
        "muc do dvc",
        "muc do dvctt",
        "muc do dich vu cong",
        "muc do dich vu cong truc tuyen",
        "muc do cung cap dich vu cong truc tuyen",
        "dich vu cong truc tuyen",
        "dvc truc tuyen",
        "dvctt",
        "hinh thuc",
        "hinh thuc dich vu cong truc tuyen",
        "model",
        "mode",
        "online",
        "online service",
    },
    "postal": {
        "buu chinh",
        "buu chinh cong ich",
        "dich vu buu chinh",
        "dich vu buu chinh cong ich",
        "tiep nhan tra ket qua qua buu chinh",
        "postal",
        "postal service",
    },
    "legal_basis": {"can cu phap ly", "can cu", "van ban quy dinh", "legal basis"},
    "note": {"ghi chu", "note", "notes"},
}
_ROLE_OF = {label: role for role, labels in _SYNONYMS.items() for label in labels}
_ROLE_LABELS = {
    "number": "TT",
    "code": "Mã TTHC",
    "name": "Tên thủ tục",
    "field": "Lĩnh vực",
    "time": "Thời hạn giải quyết",
    "agency": "Cơ quan thực hiện",
    "fees": "Phí, lệ phí",
    "mode": "Mức độ",
    "postal": "Bưu chính công ích",
    "legal_basis": "Căn cứ pháp lý",
    "note": "Ghi chú",
}


@dataclass
class CatalogueRow:
    """One procedure of the list, cells verbatim plus what was read from them."""

    line: int
    number: str
    code: str
    name: str
    field: str
    agency: str
    time_text: str
    # (days, hours): a day limit has hours == 0; None when the list has no time column.
    time_limit: tuple[float, float] | None
    fees: str
    fee_amount: float | None
    mode: str
    mode_text: str
    postal: bool | None
    legal_basis: str
    note: str


@dataclass
class Catalogue:
    """The procedures of a list and the columns it had (role -> column index)."""

    columns: dict[str, int]
    rows: list[CatalogueRow] = field(default_factory=list)


class CatalogueError(ValueError):
    """The list cannot be imported; ``problems`` holds every :class:`Message` found."""

    def __init__(self, *problems: Message) -> None:
        super().__init__(problems[0] if problems else "")
        self.problems = list(problems)


def _role_of(label: str) -> str | None:
    return _ROLE_OF.get(label_words(label))


# --------------------------------------------------------------------------------------------
# Values


_NUMBER = r"(\d+(?:[.,]\d+)?|\d+\s*/\s*\d+)"
_LIMIT_RE = re.compile(
    rf"{_NUMBER}\s*(ngay|gio|working days?|working hours?|days?|hours?)(\s+lam viec)?"
)
_SAME_DAY_RE = re.compile(r"\b(trong ngay|ngay trong ngay|same day|within the day)\b")


def _number(text: str) -> float:
    if "/" in text:
        numerator, denominator = (int(part) for part in text.split("/"))
        return numerator / denominator
    return float(text.replace(",", "."))


def parse_processing_time(text: str) -> tuple[float, float] | None:
    """``(days, hours)`` of a processing time as lists write it, or None if it cannot be read.

    ``"05 ngày làm việc"`` is ``(5, 0)``, ``"08 giờ làm việc"`` ``(0, 8)``, ``"Trong ngày"`` and
    ``"Trả ngay trong ngày"`` ``(0, 0)`` (the same working day), ``"1/2 ngày"`` ``(0.5, 0)``.
    The first limit written is the procedure's: ``"Không quá 15 ngày làm việc kể từ ngày nhận
    đủ hồ sơ hợp lệ"`` is ``(15, 0)``. The one-stop rules count working days, so a limit in
    ``ngày`` without ``làm việc`` is read as working days too.
    """
    key = fold(text)
    if not key:
        return None
    match = _LIMIT_RE.search(key)
    same_day = _SAME_DAY_RE.search(key)
    if same_day and (match is None or same_day.start() < match.start()):
        return 0.0, 0.0
    if match is None:
        return None
    try:
        amount = _number(match.group(1).replace(" ", ""))
    except (ValueError, ZeroDivisionError):
        return None
    if match.group(2).startswith(("gio", "working hour", "hour")):
        return 0.0, amount
    return amount, 0.0


def parse_mode(text: str) -> str:
    """``full``, ``partial`` or ``none`` for the online service a list names.

    Lists write "Toàn trình" / "Một phần", or the levels used before 2022 ("Mức độ 4" was
    fully online, "Mức độ 3" partly); anything else is no online service.
    """
    key = fold(text)
    if re.search(r"toan trinh|muc do 4|\bfull|fully", key):
        return MODE_FULL
    if re.search(r"mot phan|muc do 3|partial|partly", key):
        return MODE_PARTIAL
    return MODE_NONE


_YES = {"co", "x", "yes", "true", "1", "co ap dung", "ap dung"}
_NO = {"", "khong", "no", "false", "0", "khong ap dung", "-"}


def _parse_postal(text: str) -> bool | None:
    key = fold(text)
    if key in _YES:
        return True
    if key in _NO:
        return False
    return None


_FREE = re.compile(r"^(khong|mien|mien phi|khong thu|khong co|free|none|0)\b")
_AMOUNT = re.compile(r"(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:dong|d\b|vnd)")


def _parse_fee(text: str) -> float | None:
    """The amount in đồng when the cell states one plainly (``"100.000 đồng"``), 0 if free."""
    key = fold(text)
    if not key or _FREE.match(key):
        return 0.0
    amounts = _AMOUNT.findall(key)
    if len(amounts) != 1:
        return None
    return float(re.sub(r"[.,]", "", amounts[0]))


# --------------------------------------------------------------------------------------------
# Rows


_ENUMERATOR = re.compile(r"^(?:([ivx]+)|([a-z])|(\d+))[.)]?(?:\s+|$)")
_FIELD_WORDS = re.compile(r"^(?:linh vuc|field)\b[\s:.-]*")
_CODE_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-_]*")
# Cells of a procedure row that a heading never fills.
_ROW_ROLES = {"code", "time", "agency", "fees", "mode", "postal", "legal_basis"}


def _strip_words(text: str, count: int) -> str:
    return " ".join(text.split()[count:]).strip(" :.-")


def _heading(row: list[str], columns: dict[str, int]) -> str | None:
    """What a heading row says, or None for a procedure row.

    "I. Lĩnh vực Đất đai" / "II | Hộ tịch" name a field (returned); "A. THỦ TỤC HÀNH CHÍNH CẤP
    TỈNH" groups by level ("" is returned: a heading that names no field).
    """
    filled = [c for c in row if c]
    if not filled or len(filled) > 2:
        return None
    if any(i < len(row) and row[i] for role, i in columns.items() if role in _ROW_ROLES):
        return None
    text = " ".join(filled)
    key = fold(text)
    match = _ENUMERATOR.match(key)
    roman, letter, digits = match.groups() if match else (None, None, None)
    if digits:
        return None
    rest = _strip_words(text, len(key[: match.end()].split())) if match else text
    rest_key = fold(rest)
    words = _FIELD_WORDS.match(rest_key)
    if words:
        name = _strip_words(rest, len(rest_key[: words.end()].split()))
    elif roman and "thu tuc" not in rest_key and "tthc" not in rest_key:
        name = rest
    elif letter or roman or (rest.isupper() and len(filled) == 1):
        return ""
    else:
        return None
    return name.capitalize() if name.isupper() else name


def _no_header() -> CatalogueError:
    return CatalogueError(
        Message(
            "no header row found: the list needs columns named like 'TT', 'Tên thủ tục' "
            "and 'Lĩnh vực' near the top"
        )
    )


def _not_here(error: ValueError) -> bool:
    """Whether ``error`` only means "not this sheet or delimiter"."""
    problems = getattr(error, "problems", None)
    return bool(problems) and problems[0].template.startswith(
        ("no header row found", "the list is empty")
    )


def parse_rows(rows: list[list[object]], lines: list[int] | None = None) -> Catalogue:
    """Read rows of cells (a sheet, a CSV): find the header, check every row, all or nothing."""
    if len(rows) > MAX_ROWS:
        raise CatalogueError(Message("the list has more than %(rows)s rows", rows=MAX_ROWS))
    cells = [[one_line(v) for v in row[:MAX_COLUMNS]] for row in rows]
    if not any(any(row) for row in cells):
        raise CatalogueError(Message("the list is empty"))
    found = find_header(cells, _role_of, ("name",), scan=_HEADER_SCAN_ROWS)
    if found is None:
        raise _no_header()
    header, columns, unknown = found.index, found.roles, found.unknown
    if unknown:
        known = ", ".join(f"'{_ROLE_LABELS[role]}'" for role in ROLES)
        raise CatalogueError(
            Message(
                "unknown column(s) %(columns)s: the columns a list may have are %(known)s",
                columns=", ".join(f"'{name}'" for name in unknown),
                known=known,
            )
        )
    width = max(columns.values()) + 1
    problems: list[Message] = []
    result = Catalogue(columns=columns)
    heading_field = ""
    seen_codes: dict[str, int] = {}
    for index in range(header + 1, len(cells)):
        row = cells[index]
        line = lines[index] if lines else index + 1
        if not any(row):
            continue
        if is_column_numbering(row):
            continue
        stray = [c for i, c in enumerate(row) if c and i >= width]
        heading = _heading(row, columns)
        if heading is not None:
            if heading:
                heading_field = heading
            continue

        def get(role: str, row: list[str] = row) -> str:
            column = columns.get(role)
            return row[column] if column is not None and column < len(row) else ""

        name = get("name")
        if stray:
            problems.append(
                Message(
                    "row %(row)s: text in a column without a header: %(text)s",
                    row=line,
                    text=", ".join(f"'{c}'" for c in stray),
                )
            )
        if not name:
            problems.append(Message("row %(row)s: no procedure name", row=line))
            continue
        code = get("code").replace(" ", "")
        if code:
            if not _CODE_RE.fullmatch(code):
                problems.append(
                    Message("row %(row)s: '%(code)s' is not a procedure code", row=line, code=code)
                )
            elif code.upper() in seen_codes:
                problems.append(
                    Message(
                        "row %(row)s: the code %(code)s is already on row %(other)s",
                        row=line,
                        code=code,
                        other=seen_codes[code.upper()],
                    )
                )
            else:
                seen_codes[code.upper()] = line
        time_text = get("time")
        time_limit = None
        if "time" in columns:
            time_limit = parse_processing_time(time_text)
            if time_limit is None:
                problems.append(
                    Message(
                        "row %(row)s: cannot read the processing time '%(text)s': write it like "
                        "'05 ngày làm việc', '08 giờ làm việc' or 'Trong ngày'",
                        row=line,
                        text=time_text,
                    )
                )
        postal_text = get("postal")
        postal = _parse_postal(postal_text) if "postal" in columns else None
        if "postal" in columns and postal is None:
            problems.append(
                Message(
                    "row %(row)s: write 'Có' or 'Không' for the postal service, not '%(text)s'",
                    row=line,
                    text=postal_text,
                )
            )
        fees = get("fees")
        result.rows.append(
            CatalogueRow(
                line=line,
                number=get("number"),
                code=code,
                name=name,
                field=get("field") or heading_field,
                agency=get("agency"),
                time_text=time_text,
                time_limit=time_limit,
                fees=fees,
                fee_amount=_parse_fee(fees) if "fees" in columns else None,
                mode=parse_mode(get("mode")),
                mode_text=get("mode"),
                postal=postal,
                legal_basis=get("legal_basis"),
                note=get("note"),
            )
        )
    if problems:
        raise CatalogueError(*problems)
    if not result.rows:
        raise CatalogueError(Message("the list has a header but no procedure rows"))
    return result


# --------------------------------------------------------------------------------------------
# Files


def parse_csv(data: bytes | str) -> Catalogue:
    """Read CSV text; the delimiter (``,`` ``;`` tab ``|``) is the one that finds the header."""
    if isinstance(data, bytes):
        check_file(data, CatalogueError, MAX_BYTES)
        text = decode(data, CatalogueError)
    else:
        text = data
    text = normalise_text(text)
    if not text.strip():
        raise CatalogueError(Message("the list is empty"))

    def attempt(delimiter: str):
        def run() -> Catalogue:
            try:
                rows, lines = read_delimited(text, delimiter, MAX_ROWS)
            except DelimitedError as exc:
                raise CatalogueError(
                    Message("could not read the CSV file: %(error)s", error=str(exc.error))
                ) from None
            return parse_rows(rows, lines)

        return run

    attempts = [attempt(delimiter) for delimiter in delimiter_order(text, ",;\t|")]
    return first_readable(attempts, _no_header().problems[0], CatalogueError, _not_here)


def parse_xlsx(data: bytes) -> Catalogue:
    """Read the first sheet of a workbook that has a recognisable header."""
    check_file(data, CatalogueError, MAX_BYTES)
    with contextlib.closing(xlsx_sheets(data, CatalogueError, MAX_ROWS)) as sheets:
        attempts = ((lambda rows=rows: parse_rows(rows)) for _, rows in sheets)
        return first_readable(
            attempts, Message("the workbook has no sheets"), CatalogueError, _not_here
        )


def parse_file(filename: str, data: bytes) -> Catalogue:
    """Read a list by its extension: .xlsx or .csv (also .tsv and .txt with delimiters)."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return parse_xlsx(data)
    if suffix in (".csv", ".tsv", ".txt"):
        return parse_csv(data)
    raise CatalogueError(
        Message(
            "unsupported file type '%(type)s': use .xlsx or .csv",
            type=suffix or filename or "?",
        )
    )
