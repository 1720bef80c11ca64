from . import test_budget
from . import test_invariants_rpc
from . import test_plan_import
