from . import test_agency
from . import test_security
from . import test_indicator
from . import test_calendar
from . import test_ui
from . import test_protect
from . import test_coverage
from . import test_agency_user_rpc
