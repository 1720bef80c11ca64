from . import budget_estimate_xlsx
