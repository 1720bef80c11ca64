from . import cchc_budget_settle
