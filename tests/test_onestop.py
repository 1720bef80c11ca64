"""Tests for cchc_core.onestop (one-stop desk appointments, Nghị định 118/2025/NĐ-CP)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_core.messages import Message
from cchc_core.onestop import (
    ChainStep,
    OfficeHours,
    OneStopError,
    appointment,
    chain_appointment,
    chain_delays,
    dossier_code,
    effective_receipt,
    parse_dossier_code,
    resume_after_supplement,
    step_deadlines,
    time_left,
    timeliness,
)
from cchc_core.workcal import WorkCalendar

DT = datetime
CAL = WorkCalendar.vietnam(range(2025, 2028))
OFFICE = OfficeHours()


def due(received: datetime, days: float = 0, hours: float = 0, **kw) -> datetime:
    return appointment(received, days, hours, calendar=CAL, **kw)


# --------------------------------------------------------------------------------------------
# Dossier codes


def test_dossier_code_shape():
    assert dossier_code("H27.01", date(2026, 11, 21), 7) == "H27.01-261121-0007"
    assert dossier_code("H27", date(2025, 1, 2), 9999) == "H27-250102-9999"


def test_dossier_code_canonicalises_the_identifier():
    # QCVN 102:2016 shape (lowest level first) and lower case give the stored shape.
    assert dossier_code("000.00.01.H27", date(2026, 11, 21), 1) == "H27.01-261121-0001"
    assert dossier_code("h27.01.00", date(2026, 11, 21), 1) == "H27.01-261121-0001"


def test_dossier_code_accepts_a_datetime_as_the_day():
    assert dossier_code("H27.01", DT(2026, 3, 2, 16, 59), 12) == "H27.01-260302-0012"


@pytest.mark.parametrize("sequence", [0, -1, 10000, True, 1.0, "7"])
def test_dossier_code_rejects_bad_sequences(sequence):
    with pytest.raises(OneStopError) as err:
        dossier_code("H27.01", date(2026, 11, 21), sequence)
    assert isinstance(err.value.args[0], Message)
    assert err.value.args[0].template.startswith("the dossier sequence must be 1 to 9999")


@pytest.mark.parametrize("identifier", ["", "27.01", "H27.1", "H27.01.02.03.04", None])
def test_dossier_code_rejects_bad_identifiers(identifier):
    with pytest.raises(OneStopError, match="not an agency identifier"):
        dossier_code(identifier, date(2026, 11, 21), 1)


def test_dossier_code_rejects_years_outside_the_century():
    with pytest.raises(OneStopError, match="2000 to 2099"):
        dossier_code("H27", date(1999, 12, 31), 1)
    with pytest.raises(OneStopError, match="not a date"):
        dossier_code("H27", "2026-11-21", 1)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("H27.01-261121-0007", ("H27.01", date(2026, 11, 21), 7)),
        ("G22-250101-9999", ("G22", date(2025, 1, 1), 9999)),
        ("H27.01.02.003-000229-0001", ("H27.01.02.003", date(2000, 2, 29), 1)),
        (" h27.01-261121-0007 ", ("H27.01", date(2026, 11, 21), 7)),
    ],
)
def test_parse_dossier_code(code, expected):
    assert parse_dossier_code(code) == expected


@pytest.mark.parametrize(
    "code",
    [
        "",
        "H27.01",
        "H27.01-261121",
        "H27.01-261121-007",
        "H27.01-261121-00007",
        "H27.01-261121-0000",
        "H27.01-261321-0001",  # month 13
        "H27.01-260230-0001",  # 30 February
        "H27.01.00-261121-0001",  # not the canonical shape
        "000.00.01.H27-261121-0001",
        "X-261121-0001",
        "H27.01-26112A-0001",
        "H27.01-2611２1-0001",  # a full-width digit
        "H２7.01-261121-0001",
        "H27.01_261121_0001",
        None,
    ],
)
def test_parse_dossier_code_rejects_malformed_codes(code):
    with pytest.raises(OneStopError, match="not a dossier code"):
        parse_dossier_code(code)


@given(
    ident=st.sampled_from(["H27", "H27.01", "G22.05.03", "H01.99.10.123"]),
    day=st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    sequence=st.integers(1, 9999),
)
def test_dossier_code_round_trip(ident, day, sequence):
    assert parse_dossier_code(dossier_code(ident, day, sequence)) == (ident, day, sequence)


# --------------------------------------------------------------------------------------------
# Office hours and effective receipt


def test_office_hours_default():
    assert OFFICE.day_length == timedelta(hours=7, minutes=30)
    assert OfficeHours() == OFFICE


@pytest.mark.parametrize(
    "periods",
    [
        (),
        ((time(13, 30), time(17)), (time(7, 30), time(11, 30))),  # out of order
        ((time(7, 30), time(12)), (time(11, 30), time(17))),  # overlapping
        ((time(8), time(8)),),
        ((time(8),),),
        ((time(8), "17:00"),),
    ],
)
def test_office_hours_rejects_bad_periods(periods):
    with pytest.raises(OneStopError):
        OfficeHours(periods)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (DT(2026, 3, 6, 9, 15, 42, 7), DT(2026, 3, 6, 9, 15, 42, 7)),  # inside: unchanged
        (DT(2026, 3, 6, 7, 30), DT(2026, 3, 6, 7, 30)),
        (DT(2026, 3, 6, 6, 0), DT(2026, 3, 6, 7, 30)),  # before opening
        (DT(2026, 3, 6, 11, 30), DT(2026, 3, 6, 13, 30)),  # lunch break
        (DT(2026, 3, 6, 12, 45), DT(2026, 3, 6, 13, 30)),
        (DT(2026, 3, 6, 16, 59), DT(2026, 3, 6, 16, 59)),
        (DT(2026, 3, 6, 17, 0), DT(2026, 3, 9, 7, 30)),  # Friday closing -> Monday
        (DT(2026, 3, 6, 17, 30), DT(2026, 3, 9, 7, 30)),
        (DT(2026, 3, 7, 9, 0), DT(2026, 3, 9, 7, 30)),  # Saturday
        (DT(2026, 2, 13, 17, 5), DT(2026, 2, 23, 7, 30)),  # into the Tết 2026 holiday
        (DT(2026, 2, 18, 10, 0), DT(2026, 2, 23, 7, 30)),  # during Tết
    ],
)
def test_effective_receipt(received, expected):
    assert effective_receipt(received, CAL) == expected


def test_effective_receipt_with_custom_hours():
    office = OfficeHours(((time(8), time(12)), (time(13), time(16, 30))))
    assert effective_receipt(DT(2026, 3, 6, 7, 45), CAL, office) == DT(2026, 3, 6, 8, 0)
    assert effective_receipt(DT(2026, 3, 6, 16, 45), CAL, office) == DT(2026, 3, 9, 8, 0)


def test_moments_must_be_naive_datetimes():
    with pytest.raises(OneStopError, match="date and time"):
        effective_receipt(date(2026, 3, 6), CAL)
    aware = DT(2026, 3, 6, 9, tzinfo=UTC)
    with pytest.raises(OneStopError, match="naive local time"):
        due(aware, 3)


# --------------------------------------------------------------------------------------------
# Appointments


def test_friday_afternoon_three_days_is_wednesday_close():
    assert due(DT(2026, 3, 6, 16, 30), 3) == DT(2026, 3, 11, 17, 0)


def test_friday_after_hours_counts_from_monday():
    assert due(DT(2026, 3, 6, 17, 30), 3) == DT(2026, 3, 12, 17, 0)


def test_received_on_saturday():
    # Effective receipt Monday 9/3; the receipt day does not count.
    assert due(DT(2026, 3, 7, 10, 0), 3) == DT(2026, 3, 12, 17, 0)
    assert due(DT(2026, 3, 8, 23, 59), 1) == DT(2026, 3, 10, 17, 0)


def test_across_tet_2026():
    # 16–20/2/2026 are days off; the week after Tết has five working days.
    assert due(DT(2026, 2, 13, 10, 0), 5) == DT(2026, 2, 27, 17, 0)
    assert due(DT(2026, 2, 13, 10, 0), 1) == DT(2026, 2, 23, 17, 0)


def test_same_day_limit():
    assert due(DT(2026, 3, 6, 9, 0), 0) == DT(2026, 3, 6, 17, 0)
    assert due(DT(2026, 3, 6, 17, 1), 0) == DT(2026, 3, 9, 17, 0)


def test_four_working_hours_from_friday_afternoon():
    assert due(DT(2026, 3, 6, 16, 0), hours=4) == DT(2026, 3, 9, 10, 30)


@pytest.mark.parametrize(
    ("received", "hours", "expected"),
    [
        (DT(2026, 3, 2, 7, 30), 4, DT(2026, 3, 2, 11, 30)),  # ends with the morning
        (DT(2026, 3, 2, 10, 0), 2, DT(2026, 3, 2, 14, 0)),  # over the lunch break
        (DT(2026, 3, 2, 12, 0), 1.5, DT(2026, 3, 2, 15, 0)),  # received at lunch
        (DT(2026, 3, 2, 7, 30), 7.5, DT(2026, 3, 2, 17, 0)),  # one whole office day
        (DT(2026, 3, 2, 7, 30), 8, DT(2026, 3, 3, 8, 0)),
        (DT(2026, 3, 2, 18, 0), 0.25, DT(2026, 3, 3, 7, 45)),
        (DT(2026, 2, 13, 15, 0), 4, DT(2026, 2, 23, 9, 30)),  # over Tết
        (DT(2026, 3, 2, 9, 0), 22.5, DT(2026, 3, 5, 9, 0)),  # three office days
    ],
)
def test_hour_limits(received, hours, expected):
    assert due(received, hours=hours) == expected


def test_days_and_hours_together_make_an_hour_limit():
    # One office day (7.5 h) plus 1 h from Monday 9:00 -> Tuesday 10:00.
    assert due(DT(2026, 3, 2, 9, 0), 1, 1) == DT(2026, 3, 3, 10, 0)


def test_fractional_day_limit_is_a_share_of_the_office_day():
    # Half a day (3 h 45) after the close of Monday: Tuesday 11:15.
    assert due(DT(2026, 3, 2, 9, 0), 0.5) == DT(2026, 3, 3, 11, 15)


def test_appointment_with_custom_office_hours():
    office = OfficeHours(((time(8), time(12)), (time(13), time(17))))
    assert due(DT(2026, 3, 6, 16, 0), hours=4, office=office) == DT(2026, 3, 9, 11, 0)
    assert due(DT(2026, 3, 6, 16, 0), 2, office=office) == DT(2026, 3, 10, 17, 0)


@pytest.mark.parametrize(
    ("days", "hours"), [(-1, 0), (0, -0.5), (float("nan"), 0), (0, float("inf")), ("3", 0)]
)
def test_appointment_rejects_bad_limits(days, hours):
    with pytest.raises(OneStopError):
        due(DT(2026, 3, 2, 9), days, hours)


# --------------------------------------------------------------------------------------------
# Supplements


MONDAY_9 = DT(2026, 3, 2, 9, 0)


def resume(stopped, supplied, days=0, hours=0, restart="full", received=MONDAY_9):
    return resume_after_supplement(
        received, stopped, supplied, days, hours, restart, calendar=CAL, office=OFFICE
    )


def test_supplement_full_restart():
    # Received Mon 2/3 with 5 days (due Mon 9/3); stopped Wed 4/3; supplement Thu 12/3.
    assert resume(DT(2026, 3, 4, 10), DT(2026, 3, 12, 14), 5) == DT(2026, 3, 19, 17, 0)


def test_supplement_remaining_days():
    # Tue and Wed (the stop day) are used: 3 days are left from Thu 12/3.
    got = resume(DT(2026, 3, 4, 10), DT(2026, 3, 12, 14), 5, restart="remaining")
    assert got == DT(2026, 3, 17, 17, 0)


def test_supplement_after_hours_counts_from_the_next_day():
    got = resume(DT(2026, 3, 4, 10), DT(2026, 3, 12, 17, 30), 5, restart="remaining")
    assert got == DT(2026, 3, 18, 17, 0)
    assert resume(DT(2026, 3, 4, 10), DT(2026, 3, 14, 9), 5) == DT(2026, 3, 23, 17, 0)


def test_supplement_same_day_keeps_the_appointment():
    original = due(DT(2026, 3, 2, 9, 0), 5)
    got = resume(DT(2026, 3, 4, 10), DT(2026, 3, 4, 15), 5, restart="remaining")
    assert got == original == DT(2026, 3, 9, 17, 0)


def test_supplement_stop_on_a_weekend_uses_the_whole_week():
    # Tue–Fri used (4 of 5); one day left from Tue 10/3.
    got = resume(DT(2026, 3, 7, 10), DT(2026, 3, 10, 9), 5, restart="remaining")
    assert got == DT(2026, 3, 11, 17, 0)


def test_supplement_stop_on_the_receipt_day_uses_nothing():
    got = resume(DT(2026, 3, 2, 15), DT(2026, 3, 5, 9), 5, restart="remaining")
    assert got == due(DT(2026, 3, 5, 9), 5) == DT(2026, 3, 12, 17, 0)


def test_supplement_after_the_time_ran_out():
    got = resume(DT(2026, 3, 11, 10), DT(2026, 3, 13, 9), 5, restart="remaining")
    assert got == DT(2026, 3, 13, 17, 0)


def test_supplement_hour_limits():
    received = DT(2026, 3, 2, 8, 0)
    assert due(received, hours=8) == DT(2026, 3, 3, 8, 30)
    # Stopped Mon 14:30 after 4 h 30 of work; 3 h 30 left from Wed 16:00.
    stop, supplied = DT(2026, 3, 2, 14, 30), DT(2026, 3, 4, 16, 0)
    got = resume(stop, supplied, hours=8, restart="remaining", received=received)
    assert got == DT(2026, 3, 5, 10, 0)
    assert resume(stop, supplied, hours=8, received=received) == DT(2026, 3, 5, 16, 30)
    later = DT(2026, 3, 4, 17, 30)
    got = resume(stop, later, hours=8, restart="remaining", received=received)
    assert got == DT(2026, 3, 5, 11, 0)


def test_supplement_rejects_bad_input():
    with pytest.raises(OneStopError, match="full"):
        resume(DT(2026, 3, 4, 10), DT(2026, 3, 5, 9), 5, restart="half")
    with pytest.raises(OneStopError, match="in that order"):
        resume(DT(2026, 3, 4, 10), DT(2026, 3, 3, 9), 5)
    with pytest.raises(OneStopError, match="in that order"):
        resume(DT(2026, 3, 1, 10), DT(2026, 3, 3, 9), 5)


def test_time_left_days():
    # Received Mon 2/3 with 5 days; stopped Wed 4/3: Tue and Wed are used, 3 days are left.
    assert time_left(MONDAY_9, DT(2026, 3, 4, 10), 5, calendar=CAL) == 3
    # Stopped on the receipt day: nothing is used.
    assert time_left(MONDAY_9, DT(2026, 3, 2, 15), 5, calendar=CAL) == 5
    # Stopped on Saturday: the whole week is used.
    assert time_left(MONDAY_9, DT(2026, 3, 7, 10), 5, calendar=CAL) == 1
    # Past the appointment nothing is left, never a negative amount.
    assert time_left(MONDAY_9, DT(2026, 3, 20, 10), 5, calendar=CAL) == 0


def test_time_left_hours():
    # 4 h 30 of office time from Mon 8:00 to 14:30 (the lunch break does not count).
    assert time_left(DT(2026, 3, 2, 8, 0), DT(2026, 3, 2, 14, 30), hours=8, calendar=CAL) == 3.5


def test_time_left_rejects_a_stop_before_the_receipt():
    with pytest.raises(OneStopError, match="in that order"):
        time_left(MONDAY_9, DT(2026, 3, 1, 9), 5, calendar=CAL)


def test_second_supplement_with_the_time_left():
    # First stop Wed 4/3, supplement Thu 12/3: 3 days left, due Tue 17/3.
    first = resume(DT(2026, 3, 4, 10), DT(2026, 3, 12, 14), 5, restart="remaining")
    left = time_left(MONDAY_9, DT(2026, 3, 4, 10), 5, calendar=CAL)
    assert due(DT(2026, 3, 12, 14), left) == first == DT(2026, 3, 17, 17, 0)
    # Second stop Fri 13/3 (Fri used: 2 left), supplement Wed 18/3: due Fri 20/3.
    second = resume_after_supplement(
        DT(2026, 3, 12, 14),
        DT(2026, 3, 13, 9),
        DT(2026, 3, 18, 10),
        left,
        restart="remaining",
        calendar=CAL,
    )
    assert second == DT(2026, 3, 20, 17, 0)


# --------------------------------------------------------------------------------------------
# Internal steps


def test_step_deadlines_chain():
    # Receipt 0.5, specialist 2, head of unit 1, leader 0.5, return 1 => 5 days in all.
    got = step_deadlines(DT(2026, 3, 6, 16, 30), [0.5, 2, 1, 0.5, 1], calendar=CAL)
    assert got == [
        DT(2026, 3, 9, 11, 15),
        DT(2026, 3, 11, 11, 15),
        DT(2026, 3, 12, 11, 15),
        DT(2026, 3, 12, 17, 0),
        DT(2026, 3, 13, 17, 0),
    ]
    assert got[-1] == due(DT(2026, 3, 6, 16, 30), 5)


def test_step_deadlines_from_after_hours_and_over_tet():
    got = step_deadlines(DT(2026, 2, 12, 17, 30), [1, 1, 3], calendar=CAL)
    assert got == [DT(2026, 2, 23, 17, 0), DT(2026, 2, 24, 17, 0), DT(2026, 2, 27, 17, 0)]


def test_step_deadlines_thirds_add_up_exactly():
    got = step_deadlines(DT(2026, 3, 2, 9), [1 / 3] * 6, calendar=CAL)
    assert got[2] == DT(2026, 3, 3, 17, 0)
    assert got[-1] == DT(2026, 3, 4, 17, 0)


def test_step_deadlines_in_hours():
    # 2 h + 3 h + 3 h from Friday 16:00 (one hour left on Friday): Monday 8:30, 11:30 (the
    # end of the morning, not 13:30) and 16:30.
    got = step_deadlines(DT(2026, 3, 6, 16, 0), [2, 3, 3], calendar=CAL, hours=True)
    assert got == [DT(2026, 3, 9, 8, 30), DT(2026, 3, 9, 11, 30), DT(2026, 3, 9, 16, 30)]
    assert got[-1] == due(DT(2026, 3, 6, 16, 0), hours=8)


def test_step_deadlines_in_hours_from_after_hours():
    got = step_deadlines(DT(2026, 2, 13, 17, 30), [1, 0.5], calendar=CAL, hours=True)
    assert got == [DT(2026, 2, 23, 8, 30), DT(2026, 2, 23, 9, 0)]


def test_step_deadlines_empty_and_negative():
    assert step_deadlines(DT(2026, 3, 2, 9), [], calendar=CAL) == []
    with pytest.raises(OneStopError, match="negative"):
        step_deadlines(DT(2026, 3, 2, 9), [1, -1], calendar=CAL)


# --------------------------------------------------------------------------------------------
# Timeliness


@pytest.mark.parametrize(
    ("resolved", "expected"),
    [
        (DT(2026, 3, 10, 16, 59), "early"),
        (DT(2026, 3, 11, 7, 0), "on_time"),
        (DT(2026, 3, 11, 17, 0), "on_time"),
        (DT(2026, 3, 11, 19, 0), "on_time"),  # same day, even after closing
        (DT(2026, 3, 12, 7, 30), "late"),
    ],
)
def test_timeliness_day_limit(resolved, expected):
    assert timeliness(resolved, DT(2026, 3, 11, 17, 0)) == expected


@pytest.mark.parametrize(
    ("resolved", "expected"),
    [
        (DT(2026, 3, 9, 10, 29), "early"),
        (DT(2026, 3, 9, 10, 30), "on_time"),
        (DT(2026, 3, 9, 10, 30, 59), "on_time"),
        (DT(2026, 3, 9, 10, 31), "late"),
        (DT(2026, 3, 9, 16, 0), "late"),  # same day, but hours count
    ],
)
def test_timeliness_hour_limit(resolved, expected):
    assert timeliness(resolved, DT(2026, 3, 9, 10, 30), hour_limit=True) == expected


# --------------------------------------------------------------------------------------------
# Linked procedures


def land_chain() -> list[ChainStep]:
    return [
        ChainStep("investment_policy", "H27.10", 15),
        ChainStep("land_allocation", "H27.14", 10),
        ChainStep("land_certificate", "H27.14.01", 5),
        ChainStep("land_tax", "G12.27", 3),
    ]


def test_chain_appointment_is_the_sum_of_the_steps():
    steps = land_chain()
    received = DT(2026, 3, 2, 9, 0)
    assert chain_appointment(received, steps, calendar=CAL) == DT(2026, 4, 16, 17, 0)
    assert chain_appointment(received, steps, calendar=CAL) == due(received, 33)


def test_chain_appointment_needs_steps():
    with pytest.raises(OneStopError, match="at least one step"):
        chain_appointment(DT(2026, 3, 2, 9), [], calendar=CAL)


def test_chain_delays_names_the_late_step_and_its_agency():
    steps = land_chain()
    steps[0].started, steps[0].finished = DT(2026, 3, 2, 9), DT(2026, 3, 25, 10)  # due 23/3
    steps[1].started, steps[1].finished = DT(2026, 3, 25, 14), DT(2026, 4, 7, 16)  # due 8/4
    steps[2].finished = DT(2026, 4, 14, 16)  # starts when step 1 finished; due 14/4
    assert chain_delays(steps, calendar=CAL) == [("investment_policy", "H27.10", 2)]
    # The tax step (from 14/4 16:00, due 17/4) is still open on Monday 20/4.
    got = chain_delays(steps, calendar=CAL, now=DT(2026, 4, 20, 9))
    assert got == [("investment_policy", "H27.10", 2), ("land_tax", "G12.27", 1)]
    assert chain_delays(steps, calendar=CAL, now=DT(2026, 4, 17, 16)) == got[:1]


def test_chain_delays_uses_a_known_deadline():
    # Due Fri 6/3 by its limit, but a supplement moved the deadline to Wed 11/3.
    step = ChainStep("a", "H27", 4, DT(2026, 3, 2, 9), DT(2026, 3, 10, 10))
    assert chain_delays([step], calendar=CAL) == [("a", "H27", 2)]
    step.due = DT(2026, 3, 11, 17, 0)
    assert chain_delays([step], calendar=CAL) == []
    # A step with a deadline needs no start to be judged.
    open_step = ChainStep("b", "G12", 3, due=DT(2026, 3, 11, 17, 0))
    assert chain_delays([open_step], calendar=CAL, now=DT(2026, 3, 13, 9)) == [("b", "G12", 2)]


def test_chain_delays_weekend_finish_is_still_late():
    steps = [ChainStep("a", "H27", 4, DT(2026, 3, 2, 9), DT(2026, 3, 7, 10))]  # due Fri 6/3
    assert chain_delays(steps, calendar=CAL) == [("a", "H27", 1)]


def test_chain_delays_skips_steps_without_times():
    steps = land_chain()
    assert chain_delays(steps, calendar=CAL, now=DT(2027, 1, 1)) == []


# --------------------------------------------------------------------------------------------
# Properties against a slow reference


def naive_hours(received: datetime, hours: float) -> datetime:
    """Walk office periods one by one; an exhausted limit ends inside (or at the end of) one."""
    left = timedelta(hours=hours)
    day = received.date()
    while True:
        if CAL.is_working_day(day):
            for start, end in OFFICE.periods:
                a = max(datetime.combine(day, start), received)
                b = datetime.combine(day, end)
                if a >= b:
                    continue
                if left <= b - a:
                    return a + left
                left -= b - a
        day += timedelta(days=1)


def naive_days(received: datetime, days: int) -> datetime:
    moment = received
    while not CAL.is_working_day(moment.date()) or not any(
        s <= moment.time() < e for s, e in OFFICE.periods
    ):
        moment = moment + timedelta(minutes=1)
    day = moment.date()
    while days:
        day += timedelta(days=1)
        days -= CAL.is_working_day(day)
    return datetime.combine(day, time(17))


receipts = st.datetimes(DT(2025, 1, 1), DT(2027, 10, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
quarter_hours = st.integers(1, 200).map(lambda q: q / 4)


@settings(max_examples=300, deadline=None)
@given(received=receipts, hours=quarter_hours)
def test_hour_limit_matches_reference(received, hours):
    assert due(received, hours=hours) == naive_hours(received, hours)


@settings(max_examples=200, deadline=None)
@given(received=receipts, days=st.integers(0, 40))
def test_day_limit_matches_reference(received, days):
    assert due(received, days) == naive_days(received, days)


def within_office_hours(moment: datetime) -> bool:
    return CAL.is_working_day(moment.date()) and any(
        s <= moment.time() <= e for s, e in OFFICE.periods
    )


limits = st.one_of(
    st.tuples(st.integers(0, 60), st.just(0)),
    st.tuples(st.just(0), quarter_hours),
    st.tuples(st.integers(0, 20).map(lambda n: n / 2), st.just(0)),
)


@settings(max_examples=300, deadline=None)
@given(received=receipts, limit=limits)
def test_appointment_is_within_office_hours_on_a_working_day(received, limit):
    got = due(received, *limit)
    assert within_office_hours(got)
    assert got > received
    assert within_office_hours(effective_receipt(received, CAL))


@settings(max_examples=300, deadline=None)
@given(a=receipts, b=receipts, limit=limits)
def test_later_receipt_never_gives_an_earlier_appointment(a, b, limit):
    first, second = sorted((a, b))
    assert due(first, *limit) <= due(second, *limit)


@settings(max_examples=200, deadline=None)
@given(received=receipts, days=st.integers(0, 30), gap=st.integers(0, 20 * 24 * 60))
def test_resume_on_the_stop_moment_keeps_the_appointment(received, days, gap):
    stop = effective_receipt(received + timedelta(minutes=gap), CAL)
    original = due(received, days)
    got = resume_after_supplement(
        received, stop, stop, days, restart="remaining", calendar=CAL, office=OFFICE
    )
    # Nothing is lost while the time lasts; once it ran out the appointment is the stop day.
    assert got == max(original, datetime.combine(stop.date(), time(17)))


@settings(max_examples=200, deadline=None)
@given(received=receipts, hours=quarter_hours, gap=st.integers(0, 5 * 24 * 60))
def test_resume_hours_on_the_stop_moment_keeps_the_appointment(received, hours, gap):
    stop = effective_receipt(received + timedelta(minutes=gap), CAL)
    original = due(received, hours=hours)
    got = resume_after_supplement(
        received, stop, stop, hours=hours, restart="remaining", calendar=CAL, office=OFFICE
    )
    assert got == max(original, stop)


@settings(max_examples=200, deadline=None)
@given(
    received=receipts,
    days=st.integers(1, 30),
    stop_gap=st.integers(0, 30 * 24 * 60),
    resume_gap=st.integers(0, 20 * 24 * 60),
)
def test_time_left_restarts_the_same_clock(received, days, stop_gap, resume_gap):
    stop = received + timedelta(minutes=stop_gap)
    resumed = stop + timedelta(minutes=resume_gap)
    left = time_left(received, stop, days, calendar=CAL)
    got = resume_after_supplement(
        received, stop, resumed, days, restart="remaining", calendar=CAL, office=OFFICE
    )
    assert due(resumed, left) == got
