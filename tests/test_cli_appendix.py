"""``cchc appendix``: dates and periods as plans write them, clear messages, the JSON shape."""

import json
from pathlib import Path

import pytest

from cchc_core.cli import main

PLANS = Path(__file__).parent / "data" / "plans"
WHOLE = PLANS / "bentre-2021-kh1365-whole.txt"


def test_missing_file_directory_and_unreadable(tmp_path, capsys):
    assert main(["appendix", str(tmp_path / "none.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["appendix", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
    locked = tmp_path / "locked.txt"
    locked.write_text("x")
    locked.chmod(0)
    try:
        locked.read_bytes()
    except PermissionError:
        assert main(["appendix", str(locked)]) == 2
        assert "cannot read" in capsys.readouterr().err
    finally:
        locked.chmod(0o600)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plan-date", "32/3/2021"], "not a date"),
        (["--plan-date", "2021-02-30"], "not a date"),
        (["--period", "2025–2021"], "ends before it starts"),
        (["--period", "2021-2022-2023"], "not a period"),
        (["--period", "năm 2021"], "not a period"),
    ],
)
def test_bad_options_are_refused_without_traceback(args, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["appendix", str(WHOLE), *args])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("period", ["2021–2025", "2021 - 2025", "2021—2025", "2021-2025"])
@pytest.mark.parametrize("plan_date", ["19/03/2021", "2021-03-19", "19/3/2021"])
def test_whole_decision_as_json(period, plan_date, capsys):
    assert (
        main(["appendix", str(WHOLE), "--plan-date", plan_date, "--period", period, "--json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"sections", "rows", "unread"}
    assert len(data["rows"]) == 11
    first = data["rows"][0]
    assert set(first) >= {
        "section", "number", "content", "output", "lead", "coordinating", "monitoring",
        "completion", "deadline", "budget", "note", "inherited", "problems",
    }  # fmt: skip
    assert set(first["deadline"]) >= {"kind", "due", "recurrence", "checkpoints", "reason"}
    assert first["number"] == "1"
    assert first["coordinating"] == ["Các sở, ban, ngành tỉnh", "UBND cấp huyện", "UBND cấp xã"]
    assert (first["completion"], first["deadline"]["due"]) == ("Cuối năm 2021", "2021-12-31")
    # The cover letter and articles before "PHỤ LỤC" are reported, not read as tasks.
    assert any("before the table" in part["reason"] for part in data["unread"])


def test_text_output_lists_tasks_and_unread_parts(capsys):
    assert main(["appendix", str(WHOLE), "--period", "2021-2025"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.strip().split("\n")
    assert len(lines) == 11
    assert lines[0].split("\t")[:5] == [
        "-", "1", "Sở TT&TT; VP.UBND tỉnh", "Cuối năm 2021", "2021-12-31"
    ]  # fmt: skip
    assert "11 rows from 1 table(s), 1 parts not read" in captured.err


def test_deadline_takes_the_same_dates_and_periods(capsys):
    assert main(["deadline", "Định kỳ 06 tháng và năm", "--period", "2021–2025"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["recurrence"], data["due"]) == ("semiannual", "2025-12-31")
    phrase = "chậm nhất sau 15 ngày, kể từ ngày tỉnh ban hành Kế hoạch"
    assert main(["deadline", phrase, "--plan-date", "12/08/2021"]) == 0
    assert json.loads(capsys.readouterr().out)["due"] == "2021-08-27"
