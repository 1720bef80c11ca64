"""The messages of cchc_core.onestop and cchc_core.catalogue, listed for translation.

The pure package speaks English and raises :class:`cchc_core.messages.Message` strings that keep
their template; ``cchc_base.tools.translate.translate(env, message, "cchc_onestop",
terms=ONESTOP_TERMS)`` shows them in the user's language. A pure test
(tests/test_appendix_messages.py) checks that these lists and the package agree.
"""

from contextlib import contextmanager

from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from odoo.addons.cchc_base.tools.translate import sentence, translate

from cchc_core.onestop import OneStopError

_lt = LazyTranslate(__name__)

ONESTOP_MESSAGES = (
    _lt("%(what)s must be a date and time, got %(value)r"),
    _lt("%(what)s must be a number, got %(value)r"),
    _lt("%(what)s must be naive local time, got %(value)s"),
    _lt("%(what)s must not be negative, got %(value)s"),
    _lt("a linked procedure needs at least one step"),
    _lt("an office period must be two local times, start before end: %(period)s"),
    _lt("not a dossier code: %(code)s"),
    _lt("not an agency identifier: %(identifier)s"),
    _lt("office hours need at least one period"),
    _lt("office periods must be in order and must not overlap"),
    _lt('restart must be "full" or "remaining", got %(restart)r'),
    _lt("the dossier sequence must be 1 to 9999, got %(sequence)s"),
    _lt("the receipt and the stop must come in that order"),
    _lt("the receipt date is not a date: %(value)r"),
    _lt("the receipt year must be 2000 to 2099, got %(year)s"),
    _lt("the receipt, the stop and the supplement must come in that order"),
)

# What the "%(what)s" of the messages above names.
ONESTOP_TERMS = (
    _lt("the number of working days"),
    _lt("the number of working hours"),
    _lt("the receipt time"),
    _lt("the start time"),
    _lt("the step deadline"),
    _lt("the stop time"),
    _lt("the supplement time"),
)

CATALOGUE_MESSAGES = (
    _lt("could not decode the file: save it as UTF-8"),
    _lt("could not read sheet '%(sheet)s': %(error)s"),
    _lt("could not read the CSV file: %(error)s"),
    _lt("could not read the XLSX file: %(error)s"),
    _lt(
        "no header row found: the list needs columns named like 'TT', 'Tên thủ tục' and 'Lĩnh vực' near the top"  # noqa: E501
    ),
    _lt("reading .xlsx files needs the openpyxl package"),
    _lt("row %(row)s: '%(code)s' is not a procedure code"),
    _lt(
        "row %(row)s: cannot read the processing time '%(text)s': write it like '05 ngày làm việc', '08 giờ làm việc' or 'Trong ngày'"  # noqa: E501
    ),
    _lt("row %(row)s: no procedure name"),
    _lt("row %(row)s: text in a column without a header: %(text)s"),
    _lt("row %(row)s: the code %(code)s is already on row %(other)s"),
    _lt("row %(row)s: write 'Có' or 'Không' for the postal service, not '%(text)s'"),
    _lt("the file is larger than %(size)s MB"),
    _lt("the list has a header but no procedure rows"),
    _lt("the list has more than %(rows)s rows"),
    _lt("the list is empty"),
    _lt("the workbook has no sheets"),
    _lt("unknown column(s) %(columns)s: the columns a list may have are %(known)s"),
    _lt("unsupported file type '%(type)s': use .xlsx or .csv"),
)


@contextmanager
def user_errors(env):
    """The errors of cchc_core.onestop raised inside become UserErrors in the user's language."""
    try:
        yield
    except OneStopError as exc:
        raise UserError(
            sentence(translate(env, exc.args[0], "cchc_onestop", terms=ONESTOP_TERMS))
        ) from exc
