"""Appointments of the one-stop desk (Bộ phận một cửa): dossier codes, deadlines, timeliness.

Rules of Nghị định 118/2025/NĐ-CP and Thông tư 03/2025/TT-VPCP:

* a dossier code is ``<agency identifier>-<yymmdd>-<NNNN>`` (``H27.01-261121-0007``): the
  receiving agency's electronic identifier, the receipt date and a per-agency, per-day sequence;
* a dossier received outside office hours (or on a day off) counts as received at the start of
  the next working period (:func:`effective_receipt`);
* a limit of N working days ends at the close of the N-th working day after the (effective)
  receipt day, which itself does not count (:func:`appointment`); a limit in working hours is
  counted within office hours from the exact (effective) receipt;
* a request for a supplement stops the clock; :func:`resume_after_supplement` gives the new
  appointment, restarting the whole time or only what was left (:func:`time_left`, so that a
  dossier stopped twice keeps one clock);
* linked procedures (liên thông) add their steps' limits (:func:`chain_appointment`) and
  :func:`chain_delays` says which step at which agency ran late.

Internally a moment is a working day plus the office time (µs) already elapsed on it, so every
computation is a few :class:`~cchc_core.workcal.WorkCalendar` look-ups: no per-day loop.
Datetimes are naive local Vietnam time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from cchc_core.identifiers import IdentifierError, canonical
from cchc_core.messages import Message
from cchc_core.workcal import WorkCalendar

__all__ = [
    "EARLY",
    "LATE",
    "ON_TIME",
    "RESTART_FULL",
    "RESTART_REMAINING",
    "ChainStep",
    "OfficeHours",
    "OneStopError",
    "appointment",
    "chain_appointment",
    "chain_delays",
    "dossier_code",
    "effective_receipt",
    "parse_dossier_code",
    "resume_after_supplement",
    "step_deadlines",
    "time_left",
    "timeliness",
]

EARLY = "early"  # sớm hạn
ON_TIME = "on_time"  # đúng hạn
LATE = "late"  # trễ hạn

RESTART_FULL = "full"
RESTART_REMAINING = "remaining"

_US_PER_HOUR = 3_600_000_000


class OneStopError(ValueError):
    """A value the one-stop rules cannot work with; the message (a :class:`Message`) says why."""


def _time_us(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


@dataclass(frozen=True)
class OfficeHours:
    """Office periods of a working day, in order (default 7:30–11:30 and 13:30–17:00)."""

    periods: tuple[tuple[time, time], ...] = (
        (time(7, 30), time(11, 30)),
        (time(13, 30), time(17, 0)),
    )
    # Precomputed in µs since midnight so that the hot paths do integer arithmetic only.
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _ends: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _before: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _day: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        periods = tuple(tuple(p) for p in self.periods)
        if not periods:
            raise OneStopError(Message("office hours need at least one period"))
        starts, ends, before, total, previous_end = [], [], [], 0, -1
        for period in periods:
            if (
                len(period) != 2
                or not all(isinstance(t, time) and t.tzinfo is None for t in period)
                or not period[0] < period[1]
            ):
                raise OneStopError(
                    Message(
                        "an office period must be two local times, start before end: %(period)s",
                        period=repr(period),
                    )
                )
            start, end = _time_us(period[0]), _time_us(period[1])
            if start < previous_end:
                raise OneStopError(Message("office periods must be in order and must not overlap"))
            starts.append(start)
            ends.append(end)
            before.append(total)
            total += end - start
            previous_end = end
        # Bypass frozen: these are caches derived from ``periods``.
        object.__setattr__(self, "periods", periods)
        object.__setattr__(self, "_starts", tuple(starts))
        object.__setattr__(self, "_ends", tuple(ends))
        object.__setattr__(self, "_before", tuple(before))
        object.__setattr__(self, "_day", total)

    @property
    def day_length(self) -> timedelta:
        """Office time of one working day (7 h 30 min by default)."""
        return timedelta(microseconds=self._day)

    def elapsed(self, at: time | int) -> int:
        """Office µs of a working day before clock ``at`` (the whole day after closing)."""
        us = at if isinstance(at, int) else _time_us(at)
        for start, end, before in zip(self._starts, self._ends, self._before, strict=True):
            if us < end:
                return before + max(0, us - start)
        return self._day

    def clock(self, elapsed: int, *, end_inclusive: bool) -> int:
        """µs since midnight once ``elapsed`` office µs of the day have passed.

        At a boundary between two periods ``end_inclusive`` picks the end of the earlier one
        (a deadline) rather than the start of the next one (a starting moment).
        """
        for start, end, before in zip(self._starts, self._ends, self._before, strict=True):
            left = elapsed - before
            if left < end - start or (end_inclusive and left == end - start):
                return start + left
        return self._ends[-1]


DEFAULT_OFFICE = OfficeHours()


# --------------------------------------------------------------------------------------------
# Dossier codes

_CODE_RE = re.compile(r"([A-Z0-9.]+)-([0-9]{6})-([0-9]{4})")


def dossier_code(agency_identifier: str, received: date, sequence: int) -> str:
    """``<identifier>-<yymmdd>-<NNNN>``, e.g. ``dossier_code("H27.01", date(2026, 11, 21), 7)``."""
    try:
        ident = canonical(agency_identifier)
    except (IdentifierError, AttributeError):
        raise OneStopError(
            Message("not an agency identifier: %(identifier)s", identifier=repr(agency_identifier))
        )
    if isinstance(sequence, bool) or not isinstance(sequence, int) or not 1 <= sequence <= 9999:
        raise OneStopError(
            Message("the dossier sequence must be 1 to 9999, got %(sequence)s", sequence=sequence)
        )
    if not isinstance(received, date):
        raise OneStopError(Message("the receipt date is not a date: %(value)r", value=received))
    # yymmdd only round-trips within one century.
    if not 2000 <= received.year <= 2099:
        raise OneStopError(
            Message("the receipt year must be 2000 to 2099, got %(year)s", year=received.year)
        )
    return f"{ident}-{received:%y%m%d}-{sequence:04d}"


def parse_dossier_code(code: str) -> tuple[str, date, int]:
    """``(identifier, receipt date, sequence)`` of a code made by :func:`dossier_code`."""
    text = code.strip().upper() if isinstance(code, str) else ""
    match = _CODE_RE.fullmatch(text)
    if match is None:
        raise OneStopError(Message("not a dossier code: %(code)s", code=repr(code)))
    ident, day, seq = match.groups()
    try:
        canonical_ident = canonical(ident)
        # Not strptime: its %y puts 69–99 in the 1900s, and dossier_code writes 2000–2099.
        received = date(2000 + int(day[:2]), int(day[2:4]), int(day[4:]))
    except (IdentifierError, ValueError):
        raise OneStopError(Message("not a dossier code: %(code)s", code=repr(code)))
    # A code is a key: only the canonical identifier shape makes the same code twice.
    if canonical_ident != ident or seq == "0000":
        raise OneStopError(Message("not a dossier code: %(code)s", code=repr(code)))
    return ident, received, int(seq)


# --------------------------------------------------------------------------------------------
# Working time


def _check_moment(value: datetime, what: str) -> None:
    if not isinstance(value, datetime):
        raise OneStopError(
            Message("%(what)s must be a date and time, got %(value)r", what=what, value=value)
        )
    if value.tzinfo is not None:
        raise OneStopError(
            Message("%(what)s must be naive local time, got %(value)s", what=what, value=value)
        )


def _amount(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise OneStopError(
            Message("%(what)s must be a number, got %(value)r", what=what, value=value)
        )
    if value < 0:
        raise OneStopError(
            Message("%(what)s must not be negative, got %(value)s", what=what, value=value)
        )
    return value


def _locate(at: datetime, calendar: WorkCalendar, office: OfficeHours) -> tuple[date, int]:
    """The working day and office µs elapsed on it at ``at`` (``elapsed < day length``)."""
    day = at.date()
    if calendar.is_working_day(day):
        elapsed = office.elapsed(_time_us(at.time()))
        if elapsed < office._day:
            return day, elapsed
    return calendar.add_working_days(day, 1), 0


def _advance(
    calendar: WorkCalendar, office: OfficeHours, day: date, elapsed: int, amount: int
) -> tuple[date, int]:
    """``amount`` office µs after (working ``day``, ``elapsed``); a day's end stays on that day."""
    total = elapsed + amount
    length = office._day
    if total <= length:
        return day, total
    whole = (total - 1) // length
    return calendar.add_working_days(day, whole), total - whole * length


def _at(office: OfficeHours, day: date, elapsed: int, *, end_inclusive: bool = True) -> datetime:
    us = office.clock(elapsed, end_inclusive=end_inclusive)
    return datetime(day.year, day.month, day.day) + timedelta(microseconds=us)


def _limit_us(days: float, hours: float, office: OfficeHours) -> int:
    return round(days * office._day) + round(hours * _US_PER_HOUR)


def _due(
    start: tuple[date, int], days: float, hours: float, calendar: WorkCalendar, office: OfficeHours
) -> tuple[date, int]:
    day, elapsed = start
    if hours:
        # An hour limit runs from the moment of receipt.
        return _advance(calendar, office, day, elapsed, _limit_us(days, hours, office))
    # A day limit runs from the close of the receipt day: that day does not count.
    return _advance(calendar, office, day, office._day, _limit_us(days, 0, office))


def effective_receipt(
    received: datetime, calendar: WorkCalendar, hours: OfficeHours = DEFAULT_OFFICE
) -> datetime:
    """``received`` inside office hours, else the start of the next office period."""
    _check_moment(received, "the receipt time")
    # Inside a period this gives ``received`` back to the microsecond.
    return _at(hours, *_locate(received, calendar, hours), end_inclusive=False)


def appointment(
    received: datetime,
    days: float = 0,
    hours: float = 0,
    *,
    calendar: WorkCalendar,
    office: OfficeHours = DEFAULT_OFFICE,
) -> datetime:
    """The appointment (ngày hẹn trả kết quả) of a dossier received at ``received``.

    A day limit (``hours == 0``) ends at the close of the ``days``-th working day after the
    effective receipt day (17:00 by default); ``days=0`` means the same day. A fractional day
    is that share of the office day. Any ``hours`` make it an hour limit counted within office
    hours from the effective receipt, with ``days`` adding whole office days.
    """
    _check_moment(received, "the receipt time")
    days = _amount(days, "the number of working days")
    hours = _amount(hours, "the number of working hours")
    due = _due(_locate(received, calendar, office), days, hours, calendar, office)
    return _at(office, *due)


def _left_us(
    original_received: datetime,
    stopped_at: datetime,
    days: float,
    hours: float,
    calendar: WorkCalendar,
    office: OfficeHours,
) -> int:
    """Office µs of the limit still unused at ``stopped_at`` (never negative)."""
    length = office._day
    first_day, first_elapsed = _locate(original_received, calendar, office)
    if hours:
        stop_day, stop_elapsed = _locate(stopped_at, calendar, office)
    else:
        # Day granularity: the clock started at the close of the receipt day and the stop day
        # is used up whole (the last working day on or before it).
        first_elapsed = length
        stop_day = stopped_at.date()
        if not calendar.is_working_day(stop_day):
            stop_day = calendar.add_working_days(stop_day, -1)
        stop_elapsed = length
    used = calendar.count_working_days(first_day, stop_day) * length + stop_elapsed - first_elapsed
    return max(0, _limit_us(days, hours, office) - max(0, used))


def time_left(
    received: datetime,
    stopped_at: datetime,
    days: float = 0,
    hours: float = 0,
    *,
    calendar: WorkCalendar,
    office: OfficeHours = DEFAULT_OFFICE,
) -> float:
    """What is left of a limit that ran from ``received`` when the clock stops at ``stopped_at``.

    In working days for a day limit (``hours == 0``), in working hours for an hour limit, with
    the same counting as :func:`resume_after_supplement` (the stop day of a day limit is used
    up). ``appointment(resumed, time_left(...))`` gives the appointment after a supplement, so
    a dossier stopped twice keeps one clock: (last restart, time left).
    """
    _check_moment(received, "the receipt time")
    _check_moment(stopped_at, "the stop time")
    days = _amount(days, "the number of working days")
    hours = _amount(hours, "the number of working hours")
    if stopped_at < received:
        raise OneStopError(Message("the receipt and the stop must come in that order"))
    left = _left_us(received, stopped_at, days, hours, calendar, office)
    if hours:
        return left / _US_PER_HOUR
    return left / office._day


def resume_after_supplement(
    original_received: datetime,
    stopped_at: datetime,
    supplement_received: datetime,
    days: float = 0,
    hours: float = 0,
    restart: str = RESTART_FULL,
    *,
    calendar: WorkCalendar,
    office: OfficeHours = DEFAULT_OFFICE,
) -> datetime:
    """The new appointment once the supplement requested at ``stopped_at`` has arrived.

    ``restart="full"``: the whole processing time runs again from the supplement's effective
    receipt (a dossier found incomplete at receipt). ``restart="remaining"``: only the time
    left at the stop runs again (a supplement requested during processing). For a day limit
    the day of the stop counts as used, so resuming on that same day keeps the appointment.
    """
    _check_moment(original_received, "the receipt time")
    _check_moment(stopped_at, "the stop time")
    _check_moment(supplement_received, "the supplement time")
    days = _amount(days, "the number of working days")
    hours = _amount(hours, "the number of working hours")
    if not original_received <= stopped_at <= supplement_received:
        raise OneStopError(
            Message("the receipt, the stop and the supplement must come in that order")
        )
    resumed = _locate(supplement_received, calendar, office)
    if restart == RESTART_FULL:
        return _at(office, *_due(resumed, days, hours, calendar, office))
    if restart != RESTART_REMAINING:
        raise OneStopError(
            Message('restart must be "full" or "remaining", got %(restart)r', restart=restart)
        )
    left = _left_us(original_received, stopped_at, days, hours, calendar, office)
    day, elapsed = resumed
    if not hours:
        elapsed = office._day
    # With no time left the appointment is the resumption itself, not the end of the period
    # before it (the same working-time moment).
    return _at(office, *_advance(calendar, office, day, elapsed, left), end_inclusive=left > 0)


def step_deadlines(
    start: datetime,
    step_days: Sequence[float],
    *,
    calendar: WorkCalendar,
    office: OfficeHours = DEFAULT_OFFICE,
    hours: bool = False,
) -> list[datetime]:
    """Deadline of each internal step, one after the other from the effective ``start``.

    Step ``i`` ends ``sum(step_days[:i + 1])`` working days after the start day (fractions are
    shares of the office day), so the last deadline is the dossier's appointment. With
    ``hours=True`` the amounts are working hours counted from the exact effective start, as an
    hour limit is (:func:`appointment` with ``hours``).
    """
    _check_moment(start, "the start time")
    day, elapsed = _locate(start, calendar, office)
    if not hours:
        elapsed = office._day
    what = "the number of working hours" if hours else "the number of working days"
    result, total = [], 0
    for amount in step_days:
        # Sum µs, not floats, so that the steps add up exactly to the whole limit.
        amount = _amount(amount, what)
        total += _limit_us(0, amount, office) if hours else _limit_us(amount, 0, office)
        result.append(_at(office, *_advance(calendar, office, day, elapsed, total)))
    return result


def timeliness(resolved: datetime, due: datetime, hour_limit: bool = False) -> str:
    """``"early"``, ``"on_time"`` or ``"late"`` (sớm hạn, đúng hạn, trễ hạn).

    A day limit compares days: resolved before the appointment day is early, on it on time.
    An hour limit compares to the minute, as the desk records times.
    """
    if hour_limit:
        a = resolved.replace(second=0, microsecond=0)
        b = due.replace(second=0, microsecond=0)
    else:
        a, b = resolved.date(), due.date()
    if a < b:
        return EARLY
    return ON_TIME if a == b else LATE


# --------------------------------------------------------------------------------------------
# Linked procedures (liên thông)


@dataclass
class ChainStep:
    """One procedure of a linked chain, handled by ``agency`` within ``days`` working days."""

    key: object
    agency: object
    days: float
    started: datetime | None = None
    finished: datetime | None = None
    # The step's own deadline when it is known (moved by a supplement, say): it then wins
    # over ``started + days``.
    due: datetime | None = None


def chain_appointment(
    received: datetime,
    steps: Sequence[ChainStep],
    *,
    calendar: WorkCalendar,
    office: OfficeHours = DEFAULT_OFFICE,
) -> datetime:
    """The overall appointment of a linked chain: the steps' limits added from ``received``."""
    if not steps:
        raise OneStopError(Message("a linked procedure needs at least one step"))
    return step_deadlines(received, [s.days for s in steps], calendar=calendar, office=office)[-1]


def chain_delays(
    steps: Sequence[ChainStep],
    *,
    calendar: WorkCalendar,
    office: OfficeHours = DEFAULT_OFFICE,
    now: datetime | None = None,
) -> list[tuple[object, object, int]]:
    """``(key, agency, working days late)`` of each step that overran its own limit.

    A step's limit runs from its ``started`` (or, if unset, the previous step's ``finished``),
    unless the step carries its own ``due``. An unfinished step is judged at ``now`` when
    given, so an open chain already shows the step that holds it up. Lateness is at day
    granularity and at least one working day.
    """
    delays = []
    previous_finish = None
    for step in steps:
        start = step.started or previous_finish
        end = step.finished or now
        previous_finish = step.finished
        if end is None or (start is None and step.due is None):
            continue
        if step.due is not None:
            _check_moment(step.due, "the step deadline")
            due = step.due
        else:
            due = appointment(start, step.days, calendar=calendar, office=office)
        if end.date() > due.date():
            late = calendar.count_working_days(due.date(), end.date())
            # Finishing on a weekend after a Friday deadline is still late.
            delays.append((step.key, step.agency, max(1, late)))
    return delays
