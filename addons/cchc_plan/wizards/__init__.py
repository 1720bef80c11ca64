from . import cchc_plan_import
from . import cchc_plan_import_mapping
from . import cchc_plan_close
from . import cchc_plan_report_reopen
from . import cchc_task_change
