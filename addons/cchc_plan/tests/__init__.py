from . import test_plan
from . import test_task
from . import test_report
from . import test_import
from . import test_xlsx
from . import test_tour
from . import test_invariants_rpc
from . import test_archive_limits
