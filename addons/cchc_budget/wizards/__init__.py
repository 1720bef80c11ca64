from . import cchc_budget_settle
from . import cchc_plan_import
