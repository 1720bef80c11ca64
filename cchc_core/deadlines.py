"""Completion times of reform-plan tasks ("Thời gian hoàn thành"), read from free Vietnamese text.

A plan gives each task a phrase such as ``"Quý I, II/2018"``, ``"Thường xuyên trong năm"`` or
``"Khi có văn bản của Bộ Nội vụ"``. :func:`parse_deadline` keeps the phrase verbatim and derives
one of four kinds:

``date``
    one deadline (``due``), with ``start`` when the phrase names a period (a quarter, a year);
``recurring``
    a cadence (``recurrence``) and, when the plan period is known, one ``checkpoints`` date per
    occurrence; ``due`` is then the last checkpoint;
``open``
    triggered by an event (``condition``), no date;
``unknown``
    not understood, or too vague to date: no date at all and ``needs_review``.

The parser reads a small grammar on the accent-folded phrase and accepts a phrase only when the
*whole* phrase fits it, so an unrecognised word means "unknown", never a guessed date.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from cchc_core.text import fold
from cchc_core.workcal import WorkCalendar

__all__ = [
    "KIND_DATE",
    "KIND_OPEN",
    "KIND_RECURRING",
    "KIND_UNKNOWN",
    "KINDS",
    "RECURRENCES",
    "Deadline",
    "describe",
    "parse_deadline",
]

KIND_DATE = "date"
KIND_RECURRING = "recurring"
KIND_OPEN = "open"
KIND_UNKNOWN = "unknown"
KINDS = (KIND_DATE, KIND_RECURRING, KIND_OPEN, KIND_UNKNOWN)

RECURRENCES = (
    "continuous",
    "weekly",
    "monthly",
    "quarterly",
    "semiannual",
    "annual",
    "quarterly_semiannual_annual",
    "periodic",
)


@dataclass(frozen=True)
class Deadline:
    """What a completion-time phrase means; see the module docstring for the four kinds."""

    phrase: str
    kind: str
    due: date | None
    start: date | None = None
    recurrence: str | None = None
    checkpoints: tuple[date, ...] = ()
    condition: str | None = None
    needs_review: bool = False
    note: str | None = None
    # A cell with several clauses ("- Kế hoạch của Sở …: chậm nhất sau 15 ngày …; - Kế hoạch của
    # UBND cấp xã …: …"): each clause read on its own, the deadline above sums them up.
    clauses: tuple[Deadline, ...] = ()


# -- normalisation ----------------------------------------------------------------------------

# PDF and Word exports use every kind of dash for ranges ("2021 – 2025").
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_PARENS = re.compile(r"\([^()]*\)")
_PUNCT = re.compile(r"\s*([,;:])\s*")
_TIGHT = re.compile(r"\s*([/-])\s*")
_SPACES = re.compile(r"\s+")
# Words that frame a completion time without changing it ("Phấn đấu đến năm 2025" is a target
# of 2025, "Hoàn thành trước ngày ..." is a deadline of that day).
_FILLERS = (
    "thoi gian hoan thanh:",
    "thoi gian:",
    "thoi han:",
    "hoan thanh",
    "thuc hien",
    "phan dau",
)
# Longer than any real completion time: refuse rather than run the grammar on a paragraph.
_MAX_LEN = 300


# "06 tháng", "Quý 01", "05/3": the zero only pads the figure.
_LEADING_ZERO = re.compile(r"(?<![0-9])0+([1-9][0-9]*)(?![0-9])")
# Numbers written in words, read only in front of a unit ("mười lăm ngày", "một kỳ"): alone,
# "năm" is a year and "sau" means "after".
_NUMBER_WORDS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
    "chin": 9, "muoi": 10, "muoi lam": 15, "hai muoi": 20, "ba muoi": 30, "bon muoi lam": 45,
}  # fmt: skip
_NUMBER_WORD = re.compile(
    r"\b(?P<n>"
    + "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True))
    + r") (?P<unit>ngay|tuan|ky|lan|thang)\b"
)


def _words_to_numbers(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        word, unit = match["n"], match["unit"]
        # "sau ngày ban hành" is "after the day of issue", "năm ngày" is rare but real: keep
        # the ambiguous words as words except before a count unit.
        if word in ("sau", "nam", "tu") and unit in ("ngay", "thang"):
            return match.group()
        return f"{_NUMBER_WORDS[word]} {unit}"

    return _NUMBER_WORD.sub(replace, text)


@dataclass
class _Text:
    """The folded phrase and what normalisation had to drop (each drop means "check it")."""

    text: str
    notes: list[str] = field(default_factory=list)


def _normalize(phrase: str) -> _Text:
    text = unicodedata.normalize("NFKC", phrase)  # full-width digits, "Ⅳ" -> "IV"
    # Line breaks of flattened tables become spaces; zero-width marks just go.
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in text
        if unicodedata.category(ch) != "Cf"
    )
    text = fold(text.translate(_DASHES))
    notes = []
    while True:
        stripped = _PARENS.sub(" ", text)
        if stripped == text:
            break
        # A parenthesis is a remark ("báo cáo quý I"): read around it, but let a person look.
        if "parenthetical remark ignored" not in notes:
            notes.append("parenthetical remark ignored")
        text = stripped
    text = _PUNCT.sub(r"\1 ", text)
    text = _TIGHT.sub(r"\1", text)
    text = _words_to_numbers(_LEADING_ZERO.sub(r"\1", text))
    text = _SPACES.sub(" ", text).strip(" .,;:")
    changed = True
    while changed:
        changed = False
        for filler in (*_FILLERS, "du kien"):
            if text == filler or text.startswith(filler + " "):
                text = text[len(filler) :].strip(" .,;:")
                changed = True
                if filler == "du kien" and "tentative date ('dự kiến')" not in notes:
                    notes.append("tentative date ('dự kiến')")
    return _Text(text, notes)


# -- results ----------------------------------------------------------------------------------


@dataclass
class _Hit:
    """A parse in progress; turned into a :class:`Deadline` once checked."""

    kind: str
    due: date | None = None
    start: date | None = None
    recurrence: str | None = None
    checkpoints: tuple[date, ...] = ()
    condition: str | None = None
    notes: list[str] = field(default_factory=list)


def _unknown(note: str) -> _Hit:
    return _Hit(KIND_UNKNOWN, notes=[note])


@dataclass(frozen=True)
class _Ctx:
    plan_date: date | None
    period: tuple[int, int] | None
    phrase: str

    @property
    def year(self) -> int | None:
        """The year a phrase without one refers to: only a one-year plan gives it."""
        if self.period and self.period[0] == self.period[1]:
            return self.period[0]
        return None

    def no_year(self) -> _Hit:
        if self.period is None:
            return _unknown("year omitted and no plan period given")
        return _unknown("year omitted and the plan spans several years")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _day_in(year: int, month: int, day: int | None) -> date:
    """``day`` of the month, ``None`` meaning the last day; clamped to the month's length."""
    last = calendar.monthrange(year, month)[1]
    return date(year, month, last if day is None else min(day, last))


# -- grammar pieces (on folded text) ----------------------------------------------------------

_Y = r"(?:19|20|21)[0-9]{2}"
_Q = r"(?:iv|iii|ii|i|[1-4])(?![a-z0-9])"
_M = r"(?:1[0-2]|0?[1-9])(?![0-9])"
_LSEP = r"(?:, | va | den |-|&| & )"
_YSEP = r"(?:/| nam |-| )"
_REC = r"(?P<rec> (?:hang|moi) nam)"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

_QUARTERS = re.compile(
    rf"(?:(?:trong|vao|cuoi|het) )?(?:quy|qui) "
    rf"(?P<items>{_Q}(?:{_LSEP}(?:quy |qui )?{_Q})*)(?:{_YSEP}(?P<y>{_Y}))?{_REC}?"
)
_MONTHS = re.compile(
    rf"(?:(?:trong|vao|cuoi|het) )?thang "
    rf"(?P<items>{_M}(?:{_LSEP}(?:thang )?{_M})*)(?:{_YSEP}(?P<y>{_Y}))?{_REC}?"
)
_HALF = re.compile(rf"(?:trong )?(?:(?:6|sau) thang|nua) (?P<h>dau|cuoi) nam(?: (?P<y>{_Y}))?")
# "2026" alone in a deadline column is that year, as "Năm 2026" is.
_YEAR = re.compile(rf"(?:(?:(?:trong|vao|het|ca) )?nam )?(?P<y>{_Y})|(?P<bare>trong nam)")
_YEAR_END = re.compile(rf"(?:(?:den|vao) )?cuoi nam(?: (?P<y>{_Y}))?")
_UNTIL = re.compile(rf"(?:den|toi)(?: (?:het|cuoi))?(?: nam)? (?P<y>{_Y})")
_YEAR_RANGE = re.compile(
    rf"(?:giai doan )?(?:tu )?(?:nam )?(?P<y1>{_Y})(?:-| den (?:nam )?)(?P<y2>{_Y})"
)
# "giai đoạn 20162020", "2016  2020": the dash was lost when the PDF table was flattened.
_YEAR_RANGE_LOST_DASH = re.compile(rf"(?:giai doan )?(?P<y1>{_Y}) ?(?P<y2>{_Y})")
_DUE_PREFIX = (
    r"(?:(?:truoc|cham nhat|han chot|han|den|vao|trong|muon nhat|khong qua|xong truoc)"
    r"(?: la)? )?(?:ngay )?"
)
_EXACT = re.compile(
    _DUE_PREFIX + rf"(?:(?P<d>[0-9]{{1,2}})(?P<sep>[/.-])(?P<m>[0-9]{{1,2}})(?P=sep)(?P<y>{_Y})"
    rf"|(?P<d2>[0-9]{{1,2}}) thang (?P<m2>[0-9]{{1,2}}) nam (?P<y2>{_Y}))"
)
_DM = r"[0-9]{1,2}/[0-9]{1,2}(?![0-9/])"
_DAY_LIST = re.compile(
    rf"(?:(?:truoc|cham nhat|han|vao|den)(?: la)? )?(?:ngay )?"
    rf"(?P<items>{_DM}(?:(?:, |; | va )(?:ngay )?{_DM})*){_REC}?"
)
_MONTHLY_DAY = re.compile(
    r"(?:(?:truoc|cham nhat|han|vao)(?: la)? )?ngay (?P<d>[0-9]{1,2}) (?:cua )?(?:hang|moi) thang"
)


def _items(raw: str, prefix: tuple[str, ...], to_int: Callable[[str], int]) -> list[int] | None:
    """Values of "I, II", "9-10", "6 va thang 12"; a dash or "đến" is an inclusive range."""
    parts = re.split(r"(, | va | den | & |-|&)", raw)
    values: list[int] = []
    pending_range = False
    for i, part in enumerate(parts):
        if i % 2:
            pending_range = part in ("-", " den ")
            continue
        token = part.strip()
        for word in prefix:
            token = token.removeprefix(word + " ")
        value = to_int(token)
        if pending_range:
            if not values or value <= values[-1]:
                return None
            values.extend(range(values[-1] + 1, value + 1))
        else:
            values.append(value)
    return values


def _quarter(token: str) -> int:
    return _ROMAN[token] if token in _ROMAN else int(token)


def _spacing_recurrence(months: list[int]) -> str:
    """Name the cadence of yearly anchors by how evenly they split the year."""
    months = sorted(set(months))
    count = len(months)
    if count == 1:
        return "annual"
    names = {2: "semiannual", 4: "quarterly", 12: "monthly"}
    gaps = {(b - a) % 12 for a, b in zip(months, months[1:] + months[:1], strict=True)}
    if count in names and gaps == {12 // count}:
        return names[count]
    return "periodic"


# -- parsers: each returns None when the phrase is not of its family --------------------------


def _plan_years(ctx: _Ctx) -> range | None:
    return range(ctx.period[0], ctx.period[1] + 1) if ctx.period else None


def _yearly_anchors(anchors: list[tuple[int, int | None]], ctx: _Ctx) -> _Hit:
    """A task due on the same (month, day) every year of the plan."""
    years = _plan_years(ctx)
    points = tuple(sorted({_day_in(y, m, d) for y in years for m, d in anchors})) if years else ()
    return _Hit(
        KIND_RECURRING,
        due=points[-1] if points else None,
        recurrence=_spacing_recurrence([m for m, _ in anchors]),
        checkpoints=points,
    )


def _span(text: str, ctx: _Ctx, year_hint: int | None) -> _Hit | None:
    """A period or a day: quarter, month, half year, year, year range, exact date."""
    year_hint = year_hint if year_hint is not None else ctx.year

    def resolve(explicit: str | None) -> int | None:
        return int(explicit) if explicit else year_hint

    if m := _QUARTERS.fullmatch(text):
        quarters = _items(m["items"], ("quy", "qui"), _quarter)
        if not quarters:
            return _unknown("quarters out of order")
        if m["rec"]:
            if m["y"]:
                return None
            return _yearly_anchors([(3 * q, None) for q in quarters], ctx)
        year = resolve(m["y"])
        if year is None:
            return ctx.no_year()
        first, last = min(quarters), max(quarters)
        return _Hit(KIND_DATE, _month_end(year, 3 * last), date(year, 3 * first - 2, 1))
    if m := _MONTHS.fullmatch(text):
        months = _items(m["items"], ("thang",), int)
        if not months:
            return _unknown("months out of order")
        if m["rec"]:
            if m["y"]:
                return None
            return _yearly_anchors([(month, None) for month in months], ctx)
        year = resolve(m["y"])
        if year is None:
            return ctx.no_year()
        return _Hit(KIND_DATE, _month_end(year, max(months)), date(year, min(months), 1))
    if m := _HALF.fullmatch(text):
        year = resolve(m["y"])
        if year is None:
            return ctx.no_year()
        if m["h"] == "dau":
            return _Hit(KIND_DATE, date(year, 6, 30), date(year, 1, 1))
        return _Hit(KIND_DATE, date(year, 12, 31), date(year, 7, 1))
    if m := _YEAR.fullmatch(text):
        year = resolve(m["y"])
        if year is None:
            return ctx.no_year()
        return _Hit(KIND_DATE, date(year, 12, 31), date(year, 1, 1))
    if m := _YEAR_END.fullmatch(text):
        year = resolve(m["y"])
        if year is None:
            return ctx.no_year()
        return _Hit(KIND_DATE, date(year, 12, 31))
    if m := _UNTIL.fullmatch(text):
        return _Hit(KIND_DATE, date(int(m["y"]), 12, 31))
    for pattern, note in ((_YEAR_RANGE, None), (_YEAR_RANGE_LOST_DASH, "range dash assumed")):
        if m := pattern.fullmatch(text):
            first, last = int(m["y1"]), int(m["y2"])
            if first > last:
                return _unknown("year range ends before it starts")
            hit = _Hit(KIND_DATE, date(last, 12, 31), date(first, 1, 1))
            if note:
                hit.notes.append(note)
            return hit
    if m := _EXACT.fullmatch(text):
        day, month, year = (m["d"], m["m"], m["y"]) if m["d"] else (m["d2"], m["m2"], m["y2"])
        try:
            # "Trước ngày 30/8/2021" is due ON 30/8: in administrative usage "hoàn thành trước
            # ngày X" sets X as the deadline (work received that day is on time), and showing
            # the day the text names avoids an off-by-one between the plan and the screen.
            return _Hit(KIND_DATE, date(int(year), int(month), int(day)))
        except ValueError:
            return _unknown("no such date")
    return None


def _parse_days(text: str, ctx: _Ctx) -> _Hit | None:
    """Days without a year: "Trước ngày 5/3, 5/6, 5/9 và 1/12", "ngày 20 hằng tháng"."""
    if m := _MONTHLY_DAY.fullmatch(text):
        day = int(m["d"])
        if not 1 <= day <= 31:
            return _unknown("no such day of the month")
        years = _plan_years(ctx)
        points = (
            tuple(_day_in(y, month, day) for y in years for month in range(1, 13)) if years else ()
        )
        return _Hit(
            KIND_RECURRING,
            due=points[-1] if points else None,
            recurrence="monthly",
            checkpoints=points,
        )
    if not (m := _DAY_LIST.fullmatch(text)):
        return None
    anchors: list[tuple[int, int | None]] = []
    for raw in re.findall(r"[0-9]{1,2}/[0-9]{1,2}", m["items"]):
        day, month = (int(x) for x in raw.split("/"))
        try:
            # A day that does not exist every year (29/2) cannot be a yearly deadline.
            date(2001, month, day)
        except ValueError:
            return _unknown("no such day/month")
        anchors.append((month, day))
    if len(anchors) == 1 and not m["rec"]:
        year = ctx.year
        if year is None:
            return ctx.no_year()
        month, day = anchors[0]
        return _Hit(KIND_DATE, date(year, month, day))
    # Several days in a row are a reporting calendar (quarterly reports due on the 5th ...),
    # repeated every year of the plan.
    return _yearly_anchors(anchors, ctx)


def _parse_span(text: str, ctx: _Ctx) -> _Hit | None:
    return _span(text, ctx, None)


_RANGE_SEP = re.compile(r" den | toi |-")


def _parse_range(text: str, ctx: _Ctx) -> _Hit | None:
    """ "Từ tháng 3 đến tháng 6/2021", "Quý IV/2021 - Quý I/2022": both ends must parse."""
    body = text.removeprefix("tu ")
    for sep in _RANGE_SEP.finditer(body):
        left, right = body[: sep.start()].removeprefix("tu "), body[sep.end() :]
        end = _span(right, ctx, None)
        if end is None or end.kind != KIND_DATE or end.due is None:
            continue
        begin = _span(left, ctx, end.due.year)
        if begin is None or begin.kind != KIND_DATE or begin.due is None:
            continue
        first = begin.start or begin.due
        if first > end.due:
            return _unknown("range ends before it starts")
        return _Hit(KIND_DATE, end.due, first, notes=begin.notes + end.notes)
    return None


_OPEN = re.compile(
    r"(?:ngay )?(?:sau khi|khi) \S|ngay khi \S|khi can\b|"
    r"theo (?:yeu cau|chi dao|huong dan|de nghi|van ban)\b|dot xuat$"
)


def _parse_open(text: str, ctx: _Ctx) -> _Hit | None:
    if _OPEN.match(text):
        return _Hit(KIND_OPEN, condition=" ".join(ctx.phrase.split()))
    return None


_RELATIVE = re.compile(
    r"(?:(?:cham nhat|trong vong|trong thoi han|trong|khong qua|toi da|han)(?: la)? )?"
    r"(?:sau )?(?P<n>[0-9]{1,4}) (?P<unit>ngay lam viec|ngay|tuan|thang)"
    r"(?:, | )(?:ke tu|tinh tu|sau) (?:ngay )?(?P<ref>.+)"
)
_PLAN_REF = re.compile(
    r"(?:(?:chu tich )?(?:ubnd |uy ban nhan dan )?tinh )?(?:ky|ky ban hanh|ban hanh)"
    r"(?: (?:ke hoach|quyet dinh|van ban))?(?: nay)?"
    r"|(?:ke hoach|quyet dinh|van ban)(?: nay)?(?: duoc)? (?:ky|ky ban hanh|ban hanh|co hieu luc)"
)
# Bounds on relative amounts: beyond them the figure is a typo, not a deadline.
_MAX_RELATIVE = {"ngay": 3660, "ngay lam viec": 2500, "tuan": 520, "thang": 120}


@lru_cache(maxsize=1)
def _work_calendar() -> WorkCalendar:
    # One shared calendar: it extends itself lazily to the years the plans need.
    return WorkCalendar.vietnam([2020])


def _parse_relative(text: str, ctx: _Ctx) -> _Hit | None:
    """ "chậm nhất sau 15 ngày, kể từ ngày tỉnh ban hành Kế hoạch": counted from the plan date."""
    if not (m := _RELATIVE.fullmatch(text)):
        return None
    if not _PLAN_REF.fullmatch(m["ref"]):
        # Counted from some other event (receipt of a document ...): its date is not ours.
        return _Hit(KIND_OPEN, condition=" ".join(ctx.phrase.split()))
    if ctx.plan_date is None:
        return _unknown("relative to the plan date, which is not given")
    amount, unit = int(m["n"]), m["unit"]
    if amount > _MAX_RELATIVE[unit]:
        return _unknown("implausible delay")
    start = ctx.plan_date
    try:
        if unit == "ngay":
            due = start + timedelta(days=amount)
        elif unit == "tuan":
            due = start + timedelta(weeks=amount)
        elif unit == "thang":
            index = start.month - 1 + amount
            year, month = start.year + index // 12, index % 12 + 1
            due = _day_in(year, month, start.day)
        else:
            if not 1900 <= start.year <= 2199:
                return _unknown("working days cannot be counted in that year")
            due = _work_calendar().add_working_days(start, amount)
    except (OverflowError, ValueError):
        return _unknown("date out of range")
    return _Hit(KIND_DATE, due)


_CONTINUOUS = re.compile(
    rf"(?:thuong xuyen|thuong truc|lien tuc|hang ngay)"
    rf"(?: trong nam(?: (?P<y>{_Y}))?| hang nam| trong ca giai doan| trong giai doan)?"
)
_CADENCE = {"thang": "M", "quy": "Q", "6 thang": "S", "sau thang": "S", "nua nam": "S"}
_CADENCE |= {"nam": "A", "ca nam": "A", "tuan": "W"}
# "Mỗi tháng 02 kỳ", "Mỗi quý một kỳ": how many times in each period.
_TIMES = re.compile(r"(?P<term>.+?),? (?P<n>[0-9]{1,2}) (?:ky|lan)(?: bao cao)?")
_ON_DEMAND = re.compile(r"dot xuat(?: (?:khi co|theo) (?:yeu cau|chi dao|de nghi))?")
_EACH_PERIOD = re.compile(r"(?:trong )?tung (?:thoi )?ky")  # "Từng thời kỳ"
_TERM_SPLIT = re.compile(r", |; | va | hoac | hay ")
_MARKERS = ("dinh ky ", "theo dinh ky ", "hang ", "moi ", "tung ")
# Months that carry a checkpoint, for each cadence ("C" = continuous work, reviewed quarterly).
_CHECK_MONTHS = {"M": range(1, 13), "Q": (3, 6, 9, 12), "C": (3, 6, 9, 12), "S": (6, 12)}
_CHECK_MONTHS |= {"A": (12,), "E": (12,)}


def _parse_recurring(text: str, ctx: _Ctx) -> _Hit | None:
    """Cadence lists: "Hàng quý, 6 tháng và năm hoặc đột xuất", "Thường xuyên trong năm"."""
    codes: set[str] = set()
    marked = False
    year: int | None = None
    notes: list[str] = []
    for term in _TERM_SPLIT.split(text):
        term = term.strip()
        if m := _TIMES.fullmatch(term):
            term, times, marked = m["term"], int(m["n"]), True
            if times == 0:
                return None
            if times > 1:
                notes.append(f"{times} times per period: only the period ends are checkpoints")
        if term in ("dinh ky", "theo dinh ky") or _EACH_PERIOD.fullmatch(term):
            codes.add("P")
            marked = True
            continue
        if m := _CONTINUOUS.fullmatch(term):
            codes.add("C")
            if m["y"]:
                year = int(m["y"])
            continue
        stripped = True
        while stripped:
            stripped = False
            for marker in _MARKERS:
                if term.startswith(marker):
                    term, stripped, marked = term[len(marker) :], True, True
                    if marker.startswith(("dinh ky", "theo dinh ky")):
                        codes.add("P")
        if term.endswith(" mot lan"):
            term, marked = term.removesuffix(" mot lan"), True
        if _ON_DEMAND.fullmatch(term):
            codes.add("X")
        elif term == "ca giai doan":
            codes.add("E")
        elif term in _CADENCE:
            codes.add(_CADENCE[term])
        else:
            return None
    cadences = codes & {"W", "M", "Q", "S", "A"}
    if "C" not in codes and not codes - {"X", "E"}:
        return None  # "Đột xuất" alone is an event, handled by the open parser
    if "C" not in codes and not marked and len(cadences) < 2:
        return None  # a bare "Quý" or "6 tháng" is not a cadence (and "6 tháng" may be a delay)
    if "C" in codes:
        name = "continuous"
    elif {"Q", "S", "A"} <= cadences and not cadences & {"M", "W"}:
        name = "quarterly_semiannual_annual"
    elif cadences:
        name = next(n for c, n in zip("WMQSA", RECURRENCES[1:6], strict=True) if c in cadences)
    else:
        name = "periodic"
    months = sorted({mo for c in codes if c in _CHECK_MONTHS for mo in _CHECK_MONTHS[c]})
    years = range(year, year + 1) if year is not None else _plan_years(ctx)
    points: tuple[date, ...] = ()
    if years and name not in ("periodic", "weekly"):
        points = tuple(_month_end(y, mo) for y in years for mo in months)
    return _Hit(
        KIND_RECURRING,
        due=points[-1] if points else None,
        recurrence=name,
        checkpoints=points,
        notes=notes,
    )


_PARSERS = (_parse_open, _parse_relative, _parse_recurring, _parse_days, _parse_span, _parse_range)

_VAGUE = (
    (re.compile(r"\b(?:dau|giua) (?:nam|quy|thang)\b"), "vague: start/middle of a period"),
    (re.compile(r"^truoc (?:nam|quy|qui|thang)\b"), "ambiguous: before a whole period"),
    (re.compile(r"\b(?:ke tu|tu|sau) nam\b"), "only a start is given"),
    (re.compile(r"\b(?:kip thoi|som|theo quy dinh|theo ke hoach|theo tien do)\b"), "no date"),
)


def _why_not(text: str) -> str:
    for pattern, note in _VAGUE:
        if pattern.search(text):
            return note
    return "phrase not understood"


def _check(hit: _Hit, ctx: _Ctx) -> None:
    """Flag dates that parse but sit oddly against the plan (a past reference, a vision year)."""
    if hit.due is None:
        return
    if ctx.plan_date is not None and hit.due < ctx.plan_date:
        hit.notes.append("due before the plan was issued")
    if ctx.period is not None and not ctx.period[0] <= hit.due.year <= ctx.period[1]:
        hit.notes.append("due outside the plan period")


def _parse(phrase: str, ctx: _Ctx) -> _Hit:
    norm = _normalize(phrase)
    if not norm.text:
        return _unknown("empty phrase")
    if len(norm.text) > _MAX_LEN:
        return _unknown("phrase too long")
    for parser in _PARSERS:
        hit = parser(norm.text, ctx)
        if hit is not None:
            break
    else:
        return _unknown(_why_not(norm.text))
    if hit.kind != KIND_UNKNOWN:
        hit.notes[:0] = norm.notes
        _check(hit, ctx)
    return hit


def _check_period(period: tuple[int, int] | None) -> tuple[int, int] | None:
    if period is None:
        return None
    first, last = period
    if not (isinstance(first, int) and isinstance(last, int)):
        raise TypeError(f"period must be two years, got {period!r}")
    if not 1 <= first <= last <= 9999 or last - first >= 100:
        raise ValueError(f"period must be (first_year, last_year), got {period!r}")
    return first, last


# A clause of a multi-clause cell starts after ";" or a new line, often with a "-" bullet.
# A bare line break is only wrapping ("Trong\nnăm 2018"), never a clause boundary.
# Plans also write a deadline and what follows it as two sentences ("Ban hành trong quý I năm
# 2026. Thực hiện rà soát, điều chỉnh (nếu có)").
_CLAUSE_SPLIT = re.compile(
    r"\s*;\s*(?:[-+•–—]\s+)?|\s*\n\s*[-+•–—]\s+|^\s*[-+•–—]\s+|\.\s+(?=[A-ZĐÀ-Ỹ])"
)
# Where the deadline part of a clause may start once its subject ("Kế hoạch của Sở …") is cut.
_CLAUSE_START = re.compile(
    r"\b(?:cham nhat|truoc|trong|sau|quy|qui|thang|nam|den|hang|hoan thanh|dinh ky|"
    r"thuong xuyen|khi|ngay)\b"
)


def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch.replace("đ", "d").replace("Đ", "D"))[:1]
    return base.lower() if len(base.lower()) == 1 else ch


def _clause_parts(phrase: str) -> list[str]:
    parts = [part.strip(" .,;") for part in _CLAUSE_SPLIT.split(phrase)]
    return [part for part in parts if part]


def _read_clause(clause: str, ctx: _Ctx) -> tuple[_Hit, str | None]:
    """A clause's deadline and the subject cut in front of it ("Kế hoạch của UBND cấp xã")."""
    hit = _parse(clause, _Ctx(ctx.plan_date, ctx.period, clause))
    if hit.kind != KIND_UNKNOWN:
        return hit, None
    # One folded character per character, so positions carry over to the verbatim clause.
    folded = "".join(_fold_char(ch) for ch in clause)
    for match in _CLAUSE_START.finditer(folded):
        if match.start() == 0:
            continue
        if re.search(r"(?:^|\s)(?:tu|bat dau)\s*$", folded[: match.start()].lower()):
            continue  # "Triển khai từ năm 2026": when it starts, not when it is due
        tail = clause[match.start() :]
        found = _parse(tail, _Ctx(ctx.plan_date, ctx.period, tail))
        if found.kind != KIND_UNKNOWN:
            return found, clause[: match.start()].strip(" ,:;-")
    return hit, None


def _deadline(
    phrase: str, hit: _Hit, *, subject: str | None = None, clauses: tuple[Deadline, ...] = ()
) -> Deadline:
    """The reading ``hit`` of ``phrase`` as a deadline: an unread one keeps only its notes, and
    any note (``subject``, what a clause is for, first) asks a person to review it."""
    if hit.kind == KIND_UNKNOWN:
        hit = _Hit(KIND_UNKNOWN, notes=hit.notes or ["phrase not understood"])
    notes = list(dict.fromkeys(hit.notes))
    if subject:
        notes.insert(0, f"for: {subject}")
    return Deadline(
        phrase=phrase,
        kind=hit.kind,
        due=hit.due,
        start=hit.start,
        recurrence=hit.recurrence,
        checkpoints=hit.checkpoints,
        condition=hit.condition,
        needs_review=bool(notes),
        note="; ".join(notes) if notes else None,
        clauses=clauses,
    )


def _parse_clauses(phrase: str, ctx: _Ctx) -> tuple[_Hit, tuple[Deadline, ...]] | None:
    """One deadline per clause of a multi-clause cell; None when the cell has one clause."""
    parts = _clause_parts(phrase)
    if len(parts) < 2:
        return None
    clauses: list[Deadline] = []
    dated: list[date] = []
    events: list[str] = []
    for part in parts:
        hit, subject = _read_clause(part, ctx)
        clauses.append(_deadline(part, hit, subject=subject))
        if hit.kind == KIND_DATE and hit.due is not None:
            dated.append(hit.due)
        elif hit.kind == KIND_RECURRING:
            dated.extend(hit.checkpoints)
        elif hit.kind == KIND_OPEN and hit.condition:
            events.append(hit.condition)
    unread = sum(c.kind == KIND_UNKNOWN for c in clauses)
    if unread == len(clauses):
        return None
    notes = [f"{len(clauses)} clauses, one checkpoint each"]
    if unread:
        notes.append(f"{unread} clause(s) not understood")
    points = tuple(sorted(set(dated)))
    if points:
        kind, due = KIND_DATE, points[-1]
    else:
        kind, due = KIND_OPEN, None
    return (
        _Hit(
            kind,
            due=due,
            checkpoints=points,
            condition="; ".join(events) or None,
            notes=notes,
        ),
        tuple(clauses),
    )


def parse_deadline(
    phrase: str, *, plan_date: date | None = None, period: tuple[int, int] | None = None
) -> Deadline:
    """Read a completion-time phrase; never raises on a string, never guesses a date.

    ``plan_date`` (the day the plan was issued) anchors relative phrases; ``period``
    ``(first_year, last_year)`` supplies the year a phrase omits (one-year plans only) and the
    years over which recurring checkpoints are laid out. A bad ``period`` is a programming
    error and raises ``ValueError``/``TypeError``.
    """
    if not isinstance(phrase, str):
        raise TypeError(f"phrase must be a str, got {type(phrase).__name__}")
    if isinstance(plan_date, datetime):
        plan_date = plan_date.date()
    ctx = _Ctx(plan_date, _check_period(period), phrase)
    clauses: tuple[Deadline, ...] = ()
    try:
        hit = _parse(phrase, ctx)
        if hit.kind == KIND_UNKNOWN and (multi := _parse_clauses(phrase, ctx)):
            hit, clauses = multi
    except Exception:
        # Safety net: a parser bug must not stop the import of a whole plan. The phrase is kept
        # and a person sees it; the fuzz tests assert this branch is never taken.
        hit = _unknown("internal parser error")
    return _deadline(phrase, hit, clauses=clauses)


# -- display ----------------------------------------------------------------------------------

_LABELS = {
    "continuous": "Thường xuyên",
    "weekly": "Hằng tuần",
    "monthly": "Hàng tháng",
    "quarterly": "Hàng quý",
    "semiannual": "6 tháng một lần",
    "annual": "Hàng năm",
    "quarterly_semiannual_annual": "Hàng quý, 6 tháng và năm",
    "periodic": "Định kỳ hoặc đột xuất",
}


def describe(deadline: Deadline) -> str:
    """Short Vietnamese text for the UI: "Hạn 31/03/2018", "Thường xuyên (kiểm điểm hàng quý)"."""
    if deadline.kind == KIND_UNKNOWN:
        return "Chưa xác định — cần kiểm tra"
    if deadline.kind == KIND_OPEN:
        text = deadline.condition or "Khi có sự kiện"
    elif deadline.kind == KIND_DATE and deadline.due is not None:
        text = f"Hạn {deadline.due:%d/%m/%Y}"
    else:
        text = _LABELS.get(deadline.recurrence or "", "Định kỳ")
        days = list(dict.fromkeys(f"{d:%d/%m}" for d in deadline.checkpoints))
        if deadline.recurrence == "continuous":
            if deadline.checkpoints:
                text += " (kiểm điểm hàng quý)"
        elif 0 < len(days) <= 4:
            text += f" (hạn {', '.join(days)})"
        elif len({d.day for d in deadline.checkpoints}) == 1:
            text += f" (ngày {deadline.checkpoints[0].day})"  # "Trước ngày 20 hằng tháng"
    if deadline.needs_review:
        text += " (cần kiểm tra)"
    return text
