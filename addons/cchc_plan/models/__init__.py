from . import cchc_plan
from . import cchc_plan_section
from . import cchc_plan_period
from . import project_task
from . import cchc_plan_report
from . import cchc_indicator
from . import cchc_plan_agency_stat
from . import cchc_home
