"""Working-day calendar for Vietnamese civil servants.

A working day is Monday–Friday, minus public holidays and swapped days off, plus
make-up working days (ngày làm bù) that fall on a weekend. It is used to compute
statutory deadlines counted in working days (appointment dates of dossiers,
response due dates), so queries must be cheap: the calendar precomputes, over a
span of whole years, a per-day working flag, the cumulative count of working
days and the sorted ordinals of all working days. Each query is then a couple of
array look-ups (no per-day loop).

Outside the precomputed span the calendar **extends itself lazily** by whole
years: a calendar built with :meth:`WorkCalendar.vietnam` computes the statutory
holidays of the new years; a calendar built from explicit dates treats the new
years as plain Monday–Friday weeks. Dates beyond ``date.min``/``date.max``
raise ``ValueError``.
"""

from __future__ import annotations

import re
import threading
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import accumulate, compress

__all__ = [
    "KIND_HOLIDAY",
    "KIND_MAKEUP_WORKDAY",
    "Holiday",
    "WorkCalendar",
    "statutory_holidays",
]

KIND_HOLIDAY = "holiday"
"""A day off: public holiday, its compensatory day, or a swapped day off."""
KIND_MAKEUP_WORKDAY = "makeup_workday"
"""A weekend day worked to make up for a swapped day off."""

# Label the `holidays` package (language="vi") gives a swapped day off; the
# date in it is the weekend day worked in exchange.
_SWAP_RE = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")


@dataclass(frozen=True, slots=True, order=True)
class Holiday:
    """One entry of the official calendar of a year."""

    day: date
    name: str
    kind: str = KIND_HOLIDAY


@lru_cache(maxsize=256)
def _statutory_holidays(year: int) -> tuple[Holiday, ...]:
    # Imported here so that a WorkCalendar built from explicit dates needs no
    # third-party package.
    import holidays

    by_year = {
        y: holidays.Vietnam(years=y, observed=True, language="vi").items()
        for y in (year - 1, year, year + 1)
    }
    result = [Holiday(d, name, KIND_HOLIDAY) for d, name in by_year[year] if d.year == year]
    # A swap announced for one year may be made up in the adjacent one (2/1/2015
    # was made up on 27/12/2014), so look at the neighbours too.
    for items in by_year.values():
        for off_day, name in items:
            for dd, mm, yyyy in _SWAP_RE.findall(name):
                worked = date(int(yyyy), int(mm), int(dd))
                if worked.year == year:
                    label = f"Ngày làm việc bù (cho ngày nghỉ {off_day:%d/%m/%Y})"
                    result.append(Holiday(worked, label, KIND_MAKEUP_WORKDAY))
    return tuple(sorted(result))


def statutory_holidays(year: int) -> list[Holiday]:
    """Official days off and make-up working days of ``year`` (Labour Code 2019, art. 112).

    The source is the ``holidays`` package (``holidays.Vietnam(observed=True,
    language="vi")``): it applies the compensatory-day rules and the swaps
    announced by the Government; the make-up working days are read from its swap
    labels. Entries have kind :data:`KIND_HOLIDAY` or :data:`KIND_MAKEUP_WORKDAY`.
    """
    return list(_statutory_holidays(year))


def _vietnam_year(year: int) -> tuple[list[date], list[date]]:
    entries = _statutory_holidays(year)
    off = [h.day for h in entries if h.kind == KIND_HOLIDAY]
    extra = [h.day for h in entries if h.kind == KIND_MAKEUP_WORKDAY]
    return off, extra


@dataclass(frozen=True, slots=True)
class _Span:
    """Precomputed tables for the days ``lo``..``hi`` (proleptic Gregorian ordinals)."""

    first_year: int
    last_year: int
    lo: int
    hi: int
    flags: bytearray  # flags[o - lo] == 1 iff ordinal o is a working day
    cum: array  # cum[i] = working days among ordinals lo .. lo + i - 1 (len = days + 1)
    work: array  # ordinals of the working days, ascending


# Rough lower bound of working days per year, to size lazy extensions.
_MIN_WORKDAYS_PER_YEAR = 200


class WorkCalendar:
    """Working days: weekdays not in ``days_off``, plus ``extra_workdays``.

    ``days_off`` are holidays and swapped days off; ``extra_workdays`` are
    make-up working days falling on a weekend. A date in both is a day off.
    Instances are safe to share between threads.
    """

    __slots__ = ("_extra", "_lock", "_off", "_pattern", "_provided", "_provider", "_span")

    def __init__(
        self,
        days_off: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        weekend: Iterable[int] = (5, 6),
        *,
        provider: Callable[[int], tuple[Iterable[date], Iterable[date]]] | None = None,
    ) -> None:
        """``provider(year) -> (days_off, extra_workdays)`` supplies newly covered years."""
        weekend_set = frozenset(weekend)
        if not weekend_set <= set(range(7)):
            raise ValueError(f"weekend days must be 0 (Monday) .. 6 (Sunday), got {weekend!r}")
        if len(weekend_set) == 7:
            raise ValueError("weekend cannot cover the whole week")
        # Working flag of each weekday, Monday first.
        self._pattern = bytes(0 if wd in weekend_set else 1 for wd in range(7))
        self._off = {d.toordinal() for d in days_off}
        self._extra = {d.toordinal() for d in extra_workdays}
        self._provider = provider
        self._provided: set[int] = set()
        self._lock = threading.Lock()
        self._span: _Span | None = None
        explicit = self._off | self._extra
        if explicit:
            self._cover(date.fromordinal(min(explicit)).year, date.fromordinal(max(explicit)).year)

    @classmethod
    def vietnam(
        cls,
        years: Iterable[int],
        extra_days_off: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
    ) -> WorkCalendar:
        """Civil-service calendar with the statutory holidays (see :func:`statutory_holidays`).

        ``years`` are precomputed now (with every year between them); other years
        are added on demand. ``extra_days_off`` / ``extra_workdays`` add local
        decisions (e.g. a provincial day off, a make-up Saturday).
        """
        years = sorted(set(years))
        if not years:
            raise ValueError("years must not be empty")
        cal = cls(extra_days_off, extra_workdays, provider=_vietnam_year)
        cal._cover(years[0], years[-1])
        return cal

    # -- precomputation ------------------------------------------------------

    def _cover(self, first_year: int, last_year: int) -> _Span:
        """Make sure the span includes the given years; return the current span."""
        span = self._span
        if span is not None and span.first_year <= first_year and last_year <= span.last_year:
            return span
        with self._lock:
            span = self._span
            if span is not None:
                # Grow by at least a quarter of the current width so that a scan
                # through time does not rebuild the tables for every year.
                margin = max(1, (span.last_year - span.first_year + 1) // 4)
                if first_year < span.first_year:
                    first_year = min(first_year, span.first_year - margin)
                else:
                    first_year = span.first_year
                if last_year > span.last_year:
                    last_year = max(last_year, span.last_year + margin)
                else:
                    last_year = span.last_year
            first_year = max(first_year, date.min.year)
            last_year = min(last_year, date.max.year)
            if self._provider is not None:
                for year in range(first_year, last_year + 1):
                    if year not in self._provided:
                        off, extra = self._provider(year)
                        self._off.update(d.toordinal() for d in off)
                        self._extra.update(d.toordinal() for d in extra)
                        self._provided.add(year)
            span = self._build(first_year, last_year)
            # A single reference assignment: readers see either the old or the new span.
            self._span = span
            return span

    def _build(self, first_year: int, last_year: int) -> _Span:
        lo = date(first_year, 1, 1).toordinal()
        hi = date(last_year, 12, 31).toordinal()
        n = hi - lo + 1
        shift = date.fromordinal(lo).weekday()
        week = self._pattern[shift:] + self._pattern[:shift]
        flags = bytearray((week * (n // 7 + 1))[:n])
        for o in self._extra:
            if lo <= o <= hi:
                flags[o - lo] = 1
        for o in self._off:  # days off win over make-up days
            if lo <= o <= hi:
                flags[o - lo] = 0
        cum = array("i", accumulate(flags, initial=0))
        work = array("i", compress(range(lo, hi + 1), flags))
        return _Span(first_year, last_year, lo, hi, flags, cum, work)

    def _span_for(self, *ordinals: int) -> _Span:
        span = self._span
        lo, hi = min(ordinals), max(ordinals)
        if span is not None and span.lo <= lo and hi <= span.hi:
            return span
        return self._cover(date.fromordinal(lo).year, date.fromordinal(hi).year)

    def _extend_for_index(self, span: _Span, idx: int) -> None:
        """Grow the span so that working-day index ``idx`` (relative to ``span``) exists."""
        if idx < 0:
            if span.first_year <= date.min.year:
                raise ValueError("working-day computation goes before date.min")
            years = -idx // _MIN_WORKDAYS_PER_YEAR + 1
            self._cover(span.first_year - years, span.last_year)
        else:
            if span.last_year >= date.max.year:
                raise ValueError("working-day computation goes past date.max")
            years = (idx - len(span.work)) // _MIN_WORKDAYS_PER_YEAR + 1
            self._cover(span.first_year, span.last_year + years)

    # -- queries -------------------------------------------------------------

    @property
    def covered_years(self) -> tuple[int, int] | None:
        """First and last year currently precomputed (None before any use)."""
        span = self._span
        return None if span is None else (span.first_year, span.last_year)

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day."""
        o = d.toordinal()
        span = self._span_for(o)
        return span.flags[o - span.lo] == 1

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (``d`` itself never counts).

        ``n == 0`` returns ``d`` if it is a working day, else the next one;
        ``n < 0`` returns the ``|n|``-th working day before ``d``.
        E.g. received on a Friday with a 3-working-day limit: due on Wednesday.
        """
        o = d.toordinal()
        while True:
            span = self._span_for(o)
            i = o - span.lo
            if n > 0:
                idx = span.cum[i + 1] + n - 1
            elif n == 0:
                if span.flags[i]:
                    return d
                idx = span.cum[i + 1]
            else:
                idx = span.cum[i] + n
            if 0 <= idx < len(span.work):
                return date.fromordinal(span.work[idx])
            self._extend_for_index(span, idx)

    def count_working_days(self, start: date, end: date) -> int:
        """Working days in ``(start, end]``; ``-count_working_days(end, start)`` if ``end < start``.

        Inverse of :meth:`add_working_days`: ``add_working_days(d, n) == e``
        implies ``count_working_days(d, e) == n`` for ``n >= 1`` (and for
        ``n <= -1`` when ``d`` is a working day). Counts are additive over
        consecutive intervals.
        """
        a, b = start.toordinal(), end.toordinal()
        span = self._span_for(a, b)
        return span.cum[b - span.lo + 1] - span.cum[a - span.lo + 1]

    def working_days_between(self, start: date, end: date) -> list[date]:
        """The working days from ``start`` to ``end``, both included (empty if ``end < start``)."""
        a, b = start.toordinal(), end.toordinal()
        if b < a:
            return []
        span = self._span_for(a, b)
        i, j = span.cum[a - span.lo], span.cum[b - span.lo + 1]
        return [date.fromordinal(o) for o in span.work[i:j]]

    def __repr__(self) -> str:
        years = self.covered_years
        where = f"{years[0]}–{years[1]}" if years else "empty"
        return f"<WorkCalendar {where}, {len(self._off)} days off, {len(self._extra)} make-up days>"
