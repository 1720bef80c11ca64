"""The messages of cchc_core.archives, listed so that they are extracted and translated.

Every addon that reads an uploaded XLSX, DOCX or ZIP shows these refusals; they are translated
once, here in cchc_base, where :func:`cchc_base.tools.translate.translate` always looks last.
A pure test (tests/test_archives.py) checks that this list and the package agree.
"""

from odoo.tools import LazyTranslate

_lt = LazyTranslate(__name__)

ARCHIVE_MESSAGES = (
    _lt("the archive entry %(name)s expands %(ratio)s times, more than the %(limit)s allowed"),
    _lt("the archive entry %(name)s holds more data than it declares"),
    _lt("the archive entry %(name)s is encrypted or compressed with an unsupported method"),
    _lt("the archive entry %(name)s is damaged: %(error)s"),
    _lt("the archive expands to more than %(limit)s MB"),
    _lt("the archive has %(count)s entries, more than the %(limit)s allowed"),
)
