from . import plan_appendix_xlsx
from . import plan_report_xlsx
