"""Tests for cchc_core.lunar (Vietnamese lunar calendar, UTC+7)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_core import lunar
from cchc_core.lunar import (
    LunarDate,
    leap_month,
    lunar_new_year_eve,
    lunar_to_solar,
    month_length,
    solar_to_lunar,
    tet,
)

# Years where Vietnam (UTC+7) and China (UTC+8) celebrate Tết on different days.
VN_VS_CN_TET = [
    (1985, date(1985, 1, 21), date(1985, 2, 20)),
    (2007, date(2007, 2, 17), date(2007, 2, 18)),
    (2030, date(2030, 2, 2), date(2030, 2, 3)),
]


@pytest.mark.parametrize(("year", "vn", "cn"), VN_VS_CN_TET)
def test_tet_differs_from_china(year: int, vn: date, cn: date) -> None:
    assert tet(year) == vn
    assert lunar_to_solar(year, 1, 1) == vn
    assert solar_to_lunar(vn) == LunarDate(year, 1, 1)
    # Same algorithm at UTC+8 reproduces the Chinese date.
    assert lunar_to_solar(year, 1, 1, tz=8) == cn
    assert solar_to_lunar(cn, tz=8) == LunarDate(year, 1, 1)
    # ... and the Chinese date is not the Vietnamese new year.
    assert solar_to_lunar(cn) != LunarDate(year, 1, 1)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2020, date(2020, 1, 25)),
        (2023, date(2023, 1, 22)),
        (2024, date(2024, 2, 10)),
        (2025, date(2025, 1, 29)),
        (2026, date(2026, 2, 17)),
        (2027, date(2027, 2, 6)),
    ],
)
def test_tet_recent_years(year: int, expected: date) -> None:
    assert tet(year) == expected


def _ut(jd: float) -> datetime:
    return datetime(2000, 1, 1, 12) + timedelta(days=jd - 2451545.0)


@pytest.mark.parametrize(
    ("day", "published_ut"),
    [
        # Published new-moon instants (UT): both fall in 23:00–24:00 Hanoi time,
        # i.e. after midnight in Beijing, which is why Tết is one day earlier in Vietnam.
        (date(2007, 2, 17), datetime(2007, 2, 17, 16, 14)),
        (date(2030, 2, 2), datetime(2030, 2, 2, 16, 7)),
    ],
)
def test_new_moon_instant_explains_the_difference(day: date, published_ut: datetime) -> None:
    k = round((day.toordinal() + lunar._JDN_OFFSET - lunar._NEW_MOON_EPOCH) / lunar._SYNODIC_MONTH)
    computed = _ut(lunar._new_moon_jd(k))
    assert abs(computed - published_ut) < timedelta(minutes=3)
    hanoi = computed + timedelta(hours=7)
    assert hanoi.date() == day and hanoi.hour == 23


def test_leap_month_2023() -> None:
    assert leap_month(2023) == 2
    assert lunar_to_solar(2023, 2, 1) == date(2023, 2, 20)
    assert lunar_to_solar(2023, 2, 1, leap=True) == date(2023, 3, 22)
    assert lunar_to_solar(2023, 3, 1) == date(2023, 4, 20)
    assert solar_to_lunar(date(2023, 3, 21)) == LunarDate(2023, 2, 30)
    assert solar_to_lunar(date(2023, 3, 22)) == LunarDate(2023, 2, 1, leap=True)
    assert solar_to_lunar(date(2023, 4, 19)) == LunarDate(2023, 2, 29, leap=True)
    assert month_length(2023, 2, leap=True) == 29


def test_leap_month_2020() -> None:
    assert leap_month(2020) == 4
    assert lunar_to_solar(2020, 4, 1, leap=True) == date(2020, 5, 23)
    assert solar_to_lunar(date(2020, 5, 23)) == LunarDate(2020, 4, 1, leap=True)
    assert solar_to_lunar(date(2020, 5, 22)) == LunarDate(2020, 4, 30)


def test_leap_months_of_other_years() -> None:
    assert leap_month(2024) is None
    assert leap_month(2025) == 6
    # Vietnam had leap month 2 in 1985; China had leap month 10 in 1984.
    assert leap_month(1985) == 2
    assert leap_month(1984) is None
    assert leap_month(1984, tz=8) == 10
    # 2033: the notorious leap month 11 (the "2033 problem" of the Chinese calendar).
    assert leap_month(2033) == 11
    assert lunar_to_solar(2033, 11, 1, leap=True) == date(2033, 12, 22)


def test_nonexistent_lunar_dates_raise() -> None:
    with pytest.raises(ValueError, match="no leap month"):
        lunar_to_solar(2023, 4, 1, leap=True)
    with pytest.raises(ValueError, match="no leap month"):
        lunar_to_solar(2024, 1, 1, leap=True)
    # Tháng Chạp of Giáp Thìn (lunar 2024) has 29 days: giao thừa was 29 Chạp.
    assert month_length(2024, 12) == 29
    with pytest.raises(ValueError, match="29 days"):
        lunar_to_solar(2024, 12, 30)
    with pytest.raises(ValueError):
        lunar_to_solar(2024, 13, 1)
    with pytest.raises(ValueError):
        lunar_to_solar(2024, 1, 0)
    with pytest.raises(ValueError, match="supported"):
        solar_to_lunar(date(1700, 1, 1))


def test_new_year_eve() -> None:
    assert lunar_new_year_eve(2025) == date(2025, 1, 28)
    assert lunar_new_year_eve(2025) == lunar_to_solar(2024, 12, 29)
    assert lunar_new_year_eve(2026) == date(2026, 2, 16)
    assert solar_to_lunar(date(2026, 2, 16)) == LunarDate(2025, 12, 29)
    assert lunar_new_year_eve(1985) == date(1985, 1, 20)


def test_hung_kings_day() -> None:
    assert lunar_to_solar(2026, 3, 10) == date(2026, 4, 26)
    assert lunar_to_solar(2025, 3, 10) == date(2025, 4, 7)


def test_str() -> None:
    assert str(LunarDate(2023, 2, 1, leap=True)) == "01/02 (nhuận)/2023"
    assert str(LunarDate(2026, 1, 1)) == "01/01/2026"


# -- properties ------------------------------------------------------------

solar_dates = st.dates(min_value=date(1800, 1, 1), max_value=date(2199, 12, 31))


@settings(max_examples=400, deadline=None)
@given(solar_dates)
def test_round_trip_solar(d: date) -> None:
    ld = solar_to_lunar(d)
    assert 1 <= ld.month <= 12 and 1 <= ld.day <= 30
    assert lunar_to_solar(ld.year, ld.month, ld.day, ld.leap) == d


@settings(max_examples=400, deadline=None)
@given(solar_dates)
def test_consecutive_days(d: date) -> None:
    d = min(d, date(2199, 12, 30))
    today, tomorrow = solar_to_lunar(d), solar_to_lunar(d + timedelta(days=1))
    if tomorrow.day == 1:
        assert today.day in (29, 30)
        assert month_length(today.year, today.month, today.leap) == today.day
    else:
        assert (tomorrow.year, tomorrow.month, tomorrow.leap) == (
            today.year,
            today.month,
            today.leap,
        )
        assert tomorrow.day == today.day + 1


@settings(max_examples=400, deadline=None)
@given(
    st.integers(min_value=1800, max_value=2198),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=29),
)
def test_round_trip_lunar(year: int, month: int, day: int) -> None:
    d = lunar_to_solar(year, month, day)
    assert solar_to_lunar(d) == LunarDate(year, month, day)
    if leap_month(year) == month:
        dl = lunar_to_solar(year, month, day, leap=True)
        assert 29 <= (dl - d).days <= 30
        assert solar_to_lunar(dl) == LunarDate(year, month, day, leap=True)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1800, max_value=2198))
def test_year_structure(year: int) -> None:
    length = (tet(year + 1) - tet(year)).days
    leap = leap_month(year)
    if leap is None:
        assert 353 <= length <= 355
    else:
        assert 383 <= length <= 385
    # Tết always falls between 21 January and 20 February.
    assert date(year, 1, 21) <= tet(year) <= date(year, 2, 20)


# -- cross-check with the `holidays` package ---------------------------------


def test_matches_holidays_package_1901_2099() -> None:
    """Tết and Giỗ Tổ (10/3) agree with holidays' VIETNAMESE_CALENDAR for every year.

    The package's Vietnamese mid-autumn dates are not compared: it has no
    Vietnamese override for them and falls back to the Chinese (UTC+8) dates,
    which differ from Vietnam's in 1938, 1978, 2034, 2041, 2065, 2080 and 2099
    (see test_mid_autumn_1978).
    """
    from holidays.calendars.chinese import VIETNAMESE_CALENDAR, _ChineseLunisolar

    cal = _ChineseLunisolar(VIETNAMESE_CALENDAR)
    mismatches = []
    for year in range(1901, 2100):
        pkg_tet, _ = cal.lunar_new_year_date(year)
        if pkg_tet != tet(year):
            mismatches.append(("Tết", year, pkg_tet, tet(year)))
        pkg_hk, _ = cal.hung_kings_date(year)
        if pkg_hk != lunar_to_solar(year, 3, 10):
            mismatches.append(("Giỗ Tổ", year, pkg_hk, lunar_to_solar(year, 3, 10)))
    assert mismatches == []


def test_matches_holidays_package_at_utc8_and_utc9() -> None:
    """At UTC+8 / UTC+9 the same algorithm gives the Chinese / Korean dates."""
    from holidays.calendars.chinese import CHINESE_CALENDAR, KOREAN_CALENDAR, _ChineseLunisolar

    chinese, korean = _ChineseLunisolar(CHINESE_CALENDAR), _ChineseLunisolar(KOREAN_CALENDAR)
    mismatches = []
    for year in range(1901, 2100):
        checks = [
            ("CN Tết", chinese.lunar_new_year_date(year)[0], lunar_to_solar(year, 1, 1, tz=8)),
            ("CN 15/8", chinese.mid_autumn_date(year)[0], lunar_to_solar(year, 8, 15, tz=8)),
            ("CN 5/5", chinese.dragon_boat_date(year)[0], lunar_to_solar(year, 5, 5, tz=8)),
            ("KR Tết", korean.lunar_new_year_date(year)[0], lunar_to_solar(year, 1, 1, tz=9)),
        ]
        mismatches += [(name, year, pkg, ours) for name, pkg, ours in checks if pkg != ours]
    assert mismatches == []


def test_holidays_vietnam_tet_dates() -> None:
    import holidays

    for year in (1985, 2007, 2025, 2030):
        vn = holidays.Vietnam(years=year, language="vi")
        assert vn.get(tet(year)) == "Tết Nguyên Đán"


def test_mid_autumn_1978() -> None:
    # New moon of 2/9/1978 at ~16:08 UT: 23:08 in Hanoi but 00:08 on 3/9 in Beijing,
    # so month 8 starts a day earlier in Vietnam and Trung thu is 16/9 (China: 17/9).
    assert lunar_to_solar(1978, 8, 1) == date(1978, 9, 2)
    assert lunar_to_solar(1978, 8, 15) == date(1978, 9, 16)
    assert lunar_to_solar(1978, 8, 15, tz=8) == date(1978, 9, 17)
