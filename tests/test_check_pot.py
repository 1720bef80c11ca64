"""tools/check_pot.py: a vi.po term missing from the .pot (Odoo would drop it) is reported, and so
is a ``#: code:`` reference to a file that is gone or no longer holds the term."""

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
    (tmp_path / "cchc_x" / "models").mkdir()
    (tmp_path / "cchc_x" / "models" / "x.py").write_text(
        "from odoo.tools import LazyTranslate\n_lt = LazyTranslate(__name__)\n"
        'TERMS = (_lt("Year"), _lt("Quarter"))\n\n\ndef day(env):\n    return env._("Day")\n',
        encoding="utf-8",
    )
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


def test_reference_to_a_file_that_moved(addon):
    moved = entry("Year", "Năm").replace("models/x.py", "wizards/x.py")
    write(addon, moved, entry("Year"))
    assert check_pot.problems(addon) == [
        "the vi.po refers to a file that does not exist: code:addons/cchc_x/wizards/x.py 'Year'"
    ]


def test_reference_to_a_file_without_the_term(addon):
    # The wording changed in the code; the catalogue still names the file for the old one.
    write(addon, entry("Month", "Tháng"), entry("Month") + entry("Day"))
    assert check_pot.problems(addon) == [
        "the vi.po refers to code:addons/cchc_x/models/x.py, which does not hold 'Month'",
        "the .pot refers to code:addons/cchc_x/models/x.py, which does not hold 'Month'",
    ]


def test_javascript_and_other_references(addon):
    static = addon / "static" / "src"
    static.mkdir(parents=True)
    (static / "x.js").write_text('const label = _t("Quarter");\n', encoding="utf-8")
    (static / "x.xml").write_text("<templates><t>Week</t></templates>\n", encoding="utf-8")
    js = entry("Quarter", "Quý", "odoo-javascript").replace("models/x.py", "static/src/x.js")
    xml = entry("Week", "Tuần").replace("models/x.py", "static/src/x.xml")
    write(addon, js + xml, js + xml)
    assert check_pot.problems(addon) == [], "a template is not read: its existence is enough"
