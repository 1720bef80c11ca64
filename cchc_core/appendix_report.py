"""Moved to :mod:`cchc_core.appendix.report` (the appendix as plain data): this path stays for
the addons that import it."""

from cchc_core.appendix.report import appendix_data, row_data

__all__ = ["appendix_data", "row_data"]
