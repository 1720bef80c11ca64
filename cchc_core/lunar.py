"""Vietnamese lunisolar calendar (âm lịch), computed astronomically.

This is Hồ Ngọc Đức's well-known algorithm
(https://www.informatik.uni-leipzig.de/~duc/amlich/): new moons and the sun's
apparent longitude from Jean Meeus' *Astronomical Algorithms* formulas, evaluated
at local civil time UTC+7. Month 11 is the month containing the winter solstice;
in a year with 13 months, the leap month is the first one after month 11 that
contains no major solar term (trung khí).

Because Vietnam uses UTC+7 while China uses UTC+8, a new moon falling between
23:00 and 24:00 Hanoi time starts the month one day earlier in Vietnam, and that
can move a solar term across a month boundary. Hence Tết 1985 is 21/1/1985 in
Vietnam but 20/2/1985 in China, and Tết 2007 is 17/2/2007 (China: 18/2/2007).

The Meeus series used here are accurate to a few minutes for roughly 1800–2199,
which is the range this module accepts.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "LunarDate",
    "leap_month",
    "lunar_new_year_eve",
    "lunar_to_solar",
    "month_length",
    "solar_to_lunar",
    "tet",
]

VIETNAM_TZ = 7.0
MIN_YEAR = 1800
MAX_YEAR = 2199

# Julian Day Number of date(1, 1, 1) is 1721426; JDN = ordinal + this offset.
_JDN_OFFSET = 1721425
_SYNODIC_MONTH = 29.530588853
# JD of the new moon with index k = 0 (1900-01-01 13:52 UT) in Meeus' numbering.
_NEW_MOON_EPOCH = 2415021.076998695
_DR = math.pi / 180.0


@dataclass(frozen=True, slots=True, order=True)
class LunarDate:
    """A date of the Vietnamese lunar calendar."""

    year: int
    month: int
    day: int
    leap: bool = False

    def __str__(self) -> str:
        suffix = " (nhuận)" if self.leap else ""
        return f"{self.day:02d}/{self.month:02d}{suffix}/{self.year}"


# ---------------------------------------------------------------------------
# Astronomy (Meeus, ch. 25 and 49, as simplified by Hồ Ngọc Đức)
# ---------------------------------------------------------------------------


def _new_moon_jd(k: int) -> float:
    """Julian date (UT) of the k-th new moon after 1900-01-01."""
    t = k / 1236.85  # Julian centuries since 1900-01-01 12:00
    t2 = t * t
    t3 = t2 * t
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * _DR)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3  # sun's mean anomaly
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3  # moon's anomaly
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3  # moon's latitude arg.
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * _DR) + 0.0021 * math.sin(2 * _DR * m)
    c1 += -0.4068 * math.sin(mpr * _DR) + 0.0161 * math.sin(_DR * 2 * mpr)
    c1 -= 0.0004 * math.sin(_DR * 3 * mpr)
    c1 += 0.0104 * math.sin(_DR * 2 * f) - 0.0051 * math.sin(_DR * (m + mpr))
    c1 += -0.0074 * math.sin(_DR * (m - mpr)) + 0.0004 * math.sin(_DR * (2 * f + m))
    c1 += -0.0004 * math.sin(_DR * (2 * f - m)) - 0.0006 * math.sin(_DR * (2 * f + mpr))
    c1 += 0.0010 * math.sin(_DR * (2 * f - mpr)) + 0.0005 * math.sin(_DR * (2 * mpr + m))
    # ΔT (TT - UT), in days.
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - delta_t


def _sun_longitude(jd: float) -> float:
    """Apparent ecliptic longitude of the sun at Julian date ``jd``, radians in [0, 2π)."""
    t = (jd - 2451545.0) / 36525  # Julian centuries since J2000.0
    t2 = t * t
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2  # mean anomaly
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2  # mean longitude
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(_DR * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(_DR * 2 * m) + 0.000290 * math.sin(_DR * 3 * m)
    lon = (l0 + dl) * _DR
    return lon - 2 * math.pi * math.floor(lon / (2 * math.pi))


@lru_cache(maxsize=8192)
def _new_moon_day(k: int, tz: float) -> int:
    """JDN of the local civil day on which the k-th new moon falls."""
    return math.floor(_new_moon_jd(k) + 0.5 + tz / 24)


def _sun_segment(jdn: int, tz: float) -> int:
    """Which 30° arc (0..11) the sun is in at local midnight starting day ``jdn``.

    A month contains a major solar term iff this value changes between its first
    day and the first day of the next month.
    """
    return math.floor(_sun_longitude(jdn - 0.5 - tz / 24) / math.pi * 6)


@lru_cache(maxsize=1024)
def _month11_start(year: int, tz: float) -> int:
    """JDN of the first day of lunar month 11 (the winter-solstice month) of ``year``."""
    off = date(year, 12, 31).toordinal() + _JDN_OFFSET - 2415021
    k = math.floor(off / _SYNODIC_MONTH)
    nm = _new_moon_day(k, tz)
    # The sun already past 270° at that new moon: the solstice fell in the previous month.
    if _sun_segment(nm, tz) >= 9:
        nm = _new_moon_day(k - 1, tz)
    return nm


@dataclass(frozen=True, slots=True)
class _Month:
    start: int  # JDN of day 1
    year: int
    month: int
    leap: bool


@lru_cache(maxsize=512)
def _solstice_year(year: int, tz: float) -> tuple[_Month, ...]:
    """Lunar months from month 11 of ``year - 1`` up to month 11 of ``year`` (excluded).

    Months 11 and 12 (and a leap 11/12) belong to lunar year ``year - 1``; months
    1..10 belong to lunar year ``year``.
    """
    a11 = _month11_start(year - 1, tz)
    b11 = _month11_start(year, tz)
    k0 = math.floor(0.5 + (a11 - _NEW_MOON_EPOCH) / _SYNODIC_MONTH)
    count = 13 if b11 - a11 > 365 else 12
    starts = [_new_moon_day(k0 + i, tz) for i in range(count + 1)]
    leap_index: int | None = None
    if count == 13:
        # The first month (after month 11) whose first day and next month's first day
        # see the sun in the same 30° arc has no major term: it is the leap month.
        segments = [_sun_segment(s, tz) for s in starts]
        leap_index = next((i for i in range(1, 13) if segments[i] == segments[i + 1]), None)
        if leap_index is None:  # cannot happen with a 13-month year; guard the invariant
            raise RuntimeError(f"no month without a major solar term before 11/{year}")
    months: list[_Month] = []
    number = 10  # incremented before use, so the first month is 11
    for i in range(count):
        leap = i == leap_index
        if not leap:
            number = number % 12 + 1
        lunar_year = year - 1 if number >= 11 else year
        months.append(_Month(starts[i], lunar_year, number, leap))
    return tuple(months)


def _check_tz(tz: float) -> float:
    if not -12 <= tz <= 14:
        raise ValueError(f"tz must be a UTC offset in hours, got {tz!r}")
    return float(tz)


def _check_year(year: int) -> None:
    # Lunar year MIN_YEAR - 1 is accepted: its last months overlap January MIN_YEAR.
    if not MIN_YEAR - 1 <= year <= MAX_YEAR:
        raise ValueError(f"lunar calendar supported for years {MIN_YEAR}–{MAX_YEAR}, got {year}")


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def solar_to_lunar(d: date, tz: float = VIETNAM_TZ) -> LunarDate:
    """Convert a Gregorian date to the lunar date (Vietnamese calendar by default)."""
    tz = _check_tz(tz)
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise ValueError(f"lunar calendar supported for years {MIN_YEAR}–{MAX_YEAR}, got {d}")
    jdn = d.toordinal() + _JDN_OFFSET
    # The solstice year containing d starts at month 11 of d.year - 1 or of d.year.
    year = d.year + 1 if jdn >= _month11_start(d.year, tz) else d.year
    months = _solstice_year(year, tz)
    idx = bisect_right([m.start for m in months], jdn) - 1
    m = months[idx]
    return LunarDate(m.year, m.month, jdn - m.start + 1, m.leap)


def _find_month(year: int, month: int, leap: bool, tz: float) -> tuple[int, int]:
    """(start JDN, length in days) of a lunar month; ValueError if it does not exist."""
    if not 1 <= month <= 12:
        raise ValueError(f"lunar month must be 1..12, got {month}")
    _check_year(year)
    # Months 11/12 of lunar year Y live in the solstice year Y + 1.
    table_year = year + 1 if month >= 11 else year
    months = _solstice_year(table_year, tz)
    for i, m in enumerate(months):
        if m.month == month and m.leap == leap:
            end = months[i + 1].start if i + 1 < len(months) else _month11_start(table_year, tz)
            return m.start, end - m.start
    raise ValueError(f"lunar year {year} has no leap month {month}")


def month_length(year: int, month: int, leap: bool = False, tz: float = VIETNAM_TZ) -> int:
    """Number of days (29 or 30) of a lunar month."""
    return _find_month(year, month, leap, _check_tz(tz))[1]


def leap_month(year: int, tz: float = VIETNAM_TZ) -> int | None:
    """The leap month number of lunar ``year``, or None if it has none."""
    tz = _check_tz(tz)
    _check_year(year)
    for table_year in (year, year + 1):
        for m in _solstice_year(table_year, tz):
            if m.leap and m.year == year:
                return m.month
    return None


def lunar_to_solar(
    year: int, month: int, day: int, leap: bool = False, tz: float = VIETNAM_TZ
) -> date:
    """Convert a lunar date to a Gregorian date.

    Raises ValueError if the lunar date does not exist (no such leap month, or
    day 30 of a 29-day month).
    """
    tz = _check_tz(tz)
    start, length = _find_month(year, month, leap, tz)
    if not 1 <= day <= length:
        raise ValueError(
            f"lunar month {month}{' (leap)' if leap else ''}/{year} has {length} days, got {day}"
        )
    return date.fromordinal(start + day - 1 - _JDN_OFFSET)


def tet(year: int) -> date:
    """Tết Nguyên Đán: the first day of lunar ``year`` (Vietnam, UTC+7)."""
    return lunar_to_solar(year, 1, 1)


def lunar_new_year_eve(year: int) -> date:
    """Giao thừa: the last day of the lunar year before ``year`` (29 or 30 tháng Chạp)."""
    return tet(year) - timedelta(days=1)
