from . import cchc_plan_demo
from . import cchc_budget_demo
from . import cchc_esign_demo
from . import cchc_exchange_demo
from . import cchc_onestop_demo
from . import cchc_portal_demo
from . import cchc_assessment_demo
