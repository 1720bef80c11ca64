from . import cchc_budget_code
from . import cchc_budget_line
from . import cchc_budget_report
from . import account_move
from . import res_company
from . import cchc_plan
from . import res_users
from . import account_analytic_account
