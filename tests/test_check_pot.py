"""tools/check_pot.py: a vi.po term missing from the .pot (Odoo would drop it) is reported."""

import importlib.util
from pathlib import Path

import pytest

SPEC = importlib.util.spec_from_file_location(
    "check_pot", Path(__file__).resolve().parent.parent / "tools" / "check_pot.py"
)
check_pot = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(check_pot)

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def entry(msgid, msgstr="", kind=None):
    comment = "#. module: cchc_x\n" + (f"#. {kind}\n" if kind else "")
    return f'{comment}#: code:addons/cchc_x/models/x.py:0\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n\n'


@pytest.fixture
def addon(tmp_path):
    (tmp_path / "cchc_x" / "i18n").mkdir(parents=True)
    return tmp_path / "cchc_x"


def write(addon, po, pot):
    (addon / "i18n" / "vi.po").write_text(HEADER + po, encoding="utf-8")
    (addon / "i18n" / "cchc_x.pot").write_text(HEADER + pot, encoding="utf-8")


def test_complete_pot_passes(addon):
    write(addon, entry("Year", "Năm", "odoo-python"), entry("Year", kind="odoo-python"))
    assert check_pot.problems(addon) == []


def test_term_missing_from_pot(addon):
    write(addon, entry("Year", "Năm") + entry("Quarter", "Quý"), entry("Year"))
    assert check_pot.problems(addon) == ["not in the .pot: 'Quarter'"]


def test_code_kind_missing_from_pot(addon):
    write(addon, entry("Year", "Năm", "odoo-python"), entry("Year"))
    assert check_pot.problems(addon) == ["the .pot does not mark it odoo-python: 'Year'"]


def test_entry_without_module_comment(addon):
    glued = (
        'msgid "Year"\nmsgstr "Năm"\n'
        '#: code:addons/cchc_x/models/x.py:0\nmsgid "Day"\nmsgstr "Ngày"\n'
    )
    write(addon, glued, entry("Year") + entry("Day"))
    assert check_pot.problems(addon) == [
        "no '#. module:' comment in the vi.po: 'Year'",
        "no '#. module:' comment in the vi.po: 'Day'",
    ]
