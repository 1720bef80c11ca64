"""Moved to :mod:`cchc_core.appendix.cells` (agency and budget cells): this path stays for the
addons that import it."""

from cchc_core.appendix.cells import AgencyPart, Budget, parse_budget, split_agencies

__all__ = ["AgencyPart", "Budget", "parse_budget", "split_agencies"]
