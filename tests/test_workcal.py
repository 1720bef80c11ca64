"""Tests for cchc_core.workcal (civil-service working days)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_core.workcal import (
    KIND_HOLIDAY,
    KIND_MAKEUP_WORKDAY,
    Holiday,
    WorkCalendar,
    statutory_holidays,
)

D = date
ONE = timedelta(days=1)


class NaiveCalendar:
    """Day-by-day reference implementation, deliberately simple and slow."""

    def __init__(
        self, days_off: Iterable[date], extra_workdays: Iterable[date], weekend=(5, 6)
    ) -> None:
        self.off = set(days_off)
        self.extra = set(extra_workdays)
        self.weekend = set(weekend)

    def is_working_day(self, d: date) -> bool:
        if d in self.off:
            return False
        return d in self.extra or d.weekday() not in self.weekend

    def add_working_days(self, d: date, n: int) -> date:
        if n == 0:
            while not self.is_working_day(d):
                d += ONE
            return d
        step = ONE if n > 0 else -ONE
        left = abs(n)
        while left:
            d += step
            if self.is_working_day(d):
                left -= 1
        return d

    def count_working_days(self, start: date, end: date) -> int:
        if end < start:
            return -self.count_working_days(end, start)
        days = (end - start).days
        return sum(self.is_working_day(start + i * ONE) for i in range(1, days + 1))


def naive_vietnam(years: Iterable[int]) -> NaiveCalendar:
    entries = [h for y in years for h in statutory_holidays(y)]
    return NaiveCalendar(
        [h.day for h in entries if h.kind == KIND_HOLIDAY],
        [h.day for h in entries if h.kind == KIND_MAKEUP_WORKDAY],
    )


YEARS = range(2023, 2029)
CAL = WorkCalendar.vietnam(YEARS)
REF = naive_vietnam(range(2020, 2032))


# -- statutory holidays as given by the `holidays` package, pinned ------------


def _days(year: int, kind: str = KIND_HOLIDAY) -> list[date]:
    return [h.day for h in statutory_holidays(year) if h.kind == kind]


def test_statutory_holidays_2026() -> None:
    assert _days(2026) == [
        D(2026, 1, 1),
        # Tết Bính Ngọ: giao thừa (Mon) to mùng 4 (Fri).
        D(2026, 2, 16),
        D(2026, 2, 17),
        D(2026, 2, 18),
        D(2026, 2, 19),
        D(2026, 2, 20),
        # Giỗ Tổ on Sunday 26/4, compensated on Monday 27/4.
        D(2026, 4, 26),
        D(2026, 4, 27),
        D(2026, 4, 30),
        D(2026, 5, 1),
        # Monday 31/8 swapped with Saturday 22/8, then 1/9 and 2/9.
        D(2026, 8, 31),
        D(2026, 9, 1),
        D(2026, 9, 2),
        # Ngày Văn hóa Việt Nam, a day off from 2026.
        D(2026, 11, 24),
    ]
    assert _days(2026, KIND_MAKEUP_WORKDAY) == [D(2026, 8, 22)]
    by_day = {h.day: h for h in statutory_holidays(2026)}
    assert by_day[D(2026, 2, 17)].name == "Tết Nguyên Đán"
    assert by_day[D(2026, 4, 27)].name == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert by_day[D(2026, 11, 24)].name == "Ngày Văn hóa Việt Nam"
    assert by_day[D(2026, 8, 22)] == Holiday(
        D(2026, 8, 22), "Ngày làm việc bù (cho ngày nghỉ 31/08/2026)", KIND_MAKEUP_WORKDAY
    )


def test_statutory_holidays_2025() -> None:
    assert _days(2025) == [
        D(2025, 1, 1),
        # The package: 27/1 (as "29 Tết") .. Saturday 1/2 (as "mùng 4"); see test_tet_2025.
        D(2025, 1, 27),
        D(2025, 1, 28),
        D(2025, 1, 29),
        D(2025, 1, 30),
        D(2025, 1, 31),
        D(2025, 2, 1),
        D(2025, 4, 7),
        D(2025, 4, 30),
        D(2025, 5, 1),
        # Friday 2/5 swapped with Saturday 26/4.
        D(2025, 5, 2),
        D(2025, 9, 1),
        D(2025, 9, 2),
    ]
    assert _days(2025, KIND_MAKEUP_WORKDAY) == [D(2025, 4, 26)]
    assert D(2025, 11, 24) not in _days(2025)


def test_makeup_day_in_adjacent_year() -> None:
    # Friday 2/1/2015 off, made up on Saturday 27/12/2014; 31/12/2018 made up on 5/1/2019.
    assert D(2014, 12, 27) in _days(2014, KIND_MAKEUP_WORKDAY)
    assert D(2015, 1, 2) in _days(2015)
    assert D(2019, 1, 5) in _days(2019, KIND_MAKEUP_WORKDAY)
    cal = WorkCalendar.vietnam([2014, 2015])
    assert cal.is_working_day(D(2014, 12, 27))
    assert not cal.is_working_day(D(2015, 1, 2))


def test_statutory_holidays_returns_a_fresh_list() -> None:
    first = statutory_holidays(2026)
    first.clear()
    assert len(statutory_holidays(2026)) == 15


# -- Tết on the Vietnamese (UTC+7) dates ----------------------------------------


def test_tet_2007_vietnamese_date() -> None:
    names = {h.day: h.name for h in statutory_holidays(2007)}
    assert names[D(2007, 2, 17)] == "Tết Nguyên Đán"  # China: 18/2/2007
    assert names[D(2007, 2, 16)] == "Giao thừa Tết Nguyên Đán"
    cal = WorkCalendar.vietnam([2007])
    # Saturday/Sunday Tết days are compensated on Tuesday 20/2 and Wednesday 21/2.
    assert [cal.is_working_day(D(2007, 2, d)) for d in range(15, 23)] == [
        True,  # Thu 15
        False,  # Fri 16 giao thừa
        False,  # Sat 17 Tết
        False,  # Sun 18
        False,  # Mon 19
        False,  # Tue 20 (nghỉ bù)
        False,  # Wed 21 (nghỉ bù)
        True,  # Thu 22
    ]


def test_tet_1985_vietnamese_date() -> None:
    days = _days(1985)
    assert D(1985, 1, 21) in days  # Vietnam; China celebrated on 20/2/1985
    assert D(1985, 2, 20) not in days
    # (Saturdays were still worked in 1985; this calendar models today's Mon–Fri week.)
    cal = WorkCalendar.vietnam([1985])
    assert not cal.is_working_day(D(1985, 1, 21))
    assert cal.is_working_day(D(1985, 2, 20))


def test_tet_2025() -> None:
    # Thông báo 6150/TB-BLĐTBXH: Tết days Monday 27/1 – Friday 31/1/2025, with the
    # weekends on either side 25/1 – 2/2 (9 days), and NO make-up working day. The
    # package books Saturday 1/2 as "mùng 4" and 27/1 as its compensatory day, which
    # gives the same working days.
    assert CAL.working_days_between(D(2025, 1, 25), D(2025, 2, 2)) == []
    assert CAL.is_working_day(D(2025, 1, 24))
    assert CAL.is_working_day(D(2025, 2, 3))
    assert not CAL.is_working_day(D(2025, 2, 8))  # Saturday, not a make-up day
    assert CAL.add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)


# -- the scenarios of the brief ---------------------------------------------------


def test_friday_plus_three_is_wednesday() -> None:
    assert CAL.add_working_days(D(2026, 3, 6), 3) == D(2026, 3, 11)
    assert CAL.count_working_days(D(2026, 3, 6), D(2026, 3, 11)) == 3


def test_gio_to_2026_compensated_on_monday() -> None:
    assert not CAL.is_working_day(D(2026, 4, 26))
    assert not CAL.is_working_day(D(2026, 4, 27))
    assert CAL.add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 28)
    assert CAL.add_working_days(D(2026, 4, 24), 2) == D(2026, 4, 29)
    # 30/4 and 1/5 are off too.
    assert CAL.add_working_days(D(2026, 4, 24), 3) == D(2026, 5, 4)


def test_tet_week_2026() -> None:
    for day in range(16, 21):
        assert not CAL.is_working_day(D(2026, 2, day))
    assert CAL.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert CAL.count_working_days(D(2026, 2, 13), D(2026, 2, 27)) == 5
    assert CAL.count_working_days(D(2026, 2, 27), D(2026, 2, 13)) == -5
    assert CAL.add_working_days(D(2026, 2, 23), -1) == D(2026, 2, 13)


def test_national_day_2025() -> None:
    assert not CAL.is_working_day(D(2025, 9, 1))
    assert not CAL.is_working_day(D(2025, 9, 2))
    assert CAL.add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)


def test_national_day_2026_with_makeup_saturday() -> None:
    for day in (D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2)):
        assert not CAL.is_working_day(day)
    assert CAL.is_working_day(D(2026, 8, 22))  # make-up Saturday from the package
    assert not CAL.is_working_day(D(2026, 8, 29))
    assert CAL.add_working_days(D(2026, 8, 21), 1) == D(2026, 8, 22)
    assert CAL.add_working_days(D(2026, 8, 28), 1) == D(2026, 9, 3)
    assert CAL.count_working_days(D(2026, 8, 21), D(2026, 8, 28)) == 6


def test_extra_workdays_make_a_saturday_working() -> None:
    off = [D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2)]
    without = WorkCalendar(days_off=off)
    with_makeup = WorkCalendar(days_off=off, extra_workdays=[D(2026, 8, 22)])
    assert not without.is_working_day(D(2026, 8, 22))
    assert with_makeup.is_working_day(D(2026, 8, 22))
    assert without.add_working_days(D(2026, 8, 21), 1) == D(2026, 8, 24)
    assert with_makeup.add_working_days(D(2026, 8, 21), 1) == D(2026, 8, 22)
    assert with_makeup.count_working_days(D(2026, 8, 21), D(2026, 8, 23)) == 1


def test_vietnam_culture_day() -> None:
    assert not CAL.is_working_day(D(2026, 11, 24))
    assert CAL.is_working_day(D(2025, 11, 24))  # Monday, before the day was created
    assert CAL.add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 25)


def test_extra_days_off_and_precedence() -> None:
    local = D(2026, 3, 10)  # e.g. a provincial day off
    cal = WorkCalendar.vietnam([2026], extra_days_off=[local])
    assert not cal.is_working_day(local)
    both = WorkCalendar(days_off=[D(2026, 3, 14)], extra_workdays=[D(2026, 3, 14)])
    assert not both.is_working_day(D(2026, 3, 14))  # a day off wins


def test_zero_and_negative_n() -> None:
    assert CAL.add_working_days(D(2026, 3, 11), 0) == D(2026, 3, 11)
    assert CAL.add_working_days(D(2026, 3, 14), 0) == D(2026, 3, 16)  # Saturday -> Monday
    assert CAL.add_working_days(D(2026, 2, 14), 0) == D(2026, 2, 23)  # across Tết
    assert CAL.add_working_days(D(2026, 3, 14), -1) == D(2026, 3, 13)
    assert CAL.add_working_days(D(2026, 3, 11), -3) == D(2026, 3, 6)


def test_working_days_between() -> None:
    assert CAL.working_days_between(D(2026, 2, 12), D(2026, 2, 24)) == [
        D(2026, 2, 12),
        D(2026, 2, 13),
        D(2026, 2, 23),
        D(2026, 2, 24),
    ]
    assert CAL.working_days_between(D(2026, 2, 24), D(2026, 2, 12)) == []
    assert CAL.working_days_between(D(2026, 2, 14), D(2026, 2, 15)) == []


def test_other_weekend() -> None:
    cal = WorkCalendar(weekend=(6,))  # Sunday only
    assert cal.is_working_day(D(2026, 3, 14))
    assert cal.add_working_days(D(2026, 3, 13), 2) == D(2026, 3, 16)


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError):
        WorkCalendar(weekend=(5, 7))
    with pytest.raises(ValueError):
        WorkCalendar(weekend=range(7))
    with pytest.raises(ValueError):
        WorkCalendar.vietnam([])
    with pytest.raises(ValueError):
        WorkCalendar().add_working_days(D(9999, 12, 30), 5)


# -- lazy extension -------------------------------------------------------------


def test_lazy_extension_computes_holidays_of_new_years() -> None:
    cal = WorkCalendar.vietnam([2026])
    assert cal.covered_years == (2026, 2026)
    assert not cal.is_working_day(D(2030, 2, 4))  # Monday, mùng 3 Tết 2030
    assert not cal.is_working_day(D(2020, 1, 27))  # Monday, mùng 3 Tết 2020
    first, last = cal.covered_years
    assert first <= 2020 and last >= 2030
    ref = naive_vietnam(range(first, last + 1))
    start = D(2026, 6, 1)
    assert cal.add_working_days(start, 900) == ref.add_working_days(start, 900)
    assert cal.add_working_days(start, -900) == ref.add_working_days(start, -900)


def test_lazy_extension_plain_calendar() -> None:
    cal = WorkCalendar()
    assert cal.covered_years is None
    ref = NaiveCalendar([], [])
    start = D(2026, 1, 1)
    assert cal.add_working_days(start, 5000) == ref.add_working_days(start, 5000)
    assert cal.add_working_days(start, -5000) == ref.add_working_days(start, -5000)
    assert cal.count_working_days(D(1990, 1, 1), D(2026, 1, 1)) == ref.count_working_days(
        D(1990, 1, 1), D(2026, 1, 1)
    )


# -- properties against the naive reference -------------------------------------

dates = st.dates(min_value=D(2023, 1, 1), max_value=D(2028, 12, 31))
ns = st.integers(min_value=-60, max_value=60)


@settings(max_examples=500, deadline=None)
@given(dates, ns)
def test_add_matches_reference(d: date, n: int) -> None:
    result = CAL.add_working_days(d, n)
    assert result == REF.add_working_days(d, n)
    assert CAL.is_working_day(result)


@settings(max_examples=500, deadline=None)
@given(dates, st.integers(min_value=-120, max_value=120))
def test_count_matches_reference(d: date, days: int) -> None:
    e = d + timedelta(days=days)
    assert CAL.count_working_days(d, e) == REF.count_working_days(d, e)
    between = CAL.working_days_between(d, e)
    assert between == [x for x in (d + i * ONE for i in range(days + 1)) if REF.is_working_day(x)]


@settings(max_examples=500, deadline=None)
@given(dates, ns)
def test_add_count_inverse(d: date, n: int) -> None:
    e = CAL.add_working_days(d, n)
    if n >= 1 or (n <= -1 and CAL.is_working_day(d)):
        assert CAL.count_working_days(d, e) == n
    if n >= 1:
        assert e > d
    elif n <= -1:
        assert e < d


@settings(max_examples=300, deadline=None)
@given(dates, ns)
def test_monotonic_in_n(d: date, n: int) -> None:
    a, b = CAL.add_working_days(d, n), CAL.add_working_days(d, n + 1)
    if n == 0 and not CAL.is_working_day(d):
        assert a == b  # the next working day is both the 0th and the 1st
    else:
        assert a < b


@settings(max_examples=300, deadline=None)
@given(dates, st.integers(min_value=0, max_value=40), ns)
def test_monotonic_in_date(d: date, gap: int, n: int) -> None:
    assert CAL.add_working_days(d, n) <= CAL.add_working_days(d + timedelta(days=gap), n)


@settings(max_examples=300, deadline=None)
@given(dates, st.integers(min_value=-90, max_value=90), st.integers(min_value=-90, max_value=90))
def test_count_additive(a: date, x: int, y: int) -> None:
    b, c = a + timedelta(days=x), a + timedelta(days=x + y)
    assert CAL.count_working_days(a, b) + CAL.count_working_days(b, c) == CAL.count_working_days(
        a, c
    )


@settings(max_examples=300, deadline=None)
@given(dates)
def test_is_working_day_matches_reference(d: date) -> None:
    assert CAL.is_working_day(d) == REF.is_working_day(d)
