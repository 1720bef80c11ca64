from . import cchc_agency
from . import cchc_agency_group
from . import cchc_reform_area
from . import cchc_indicator_source
from . import cchc_indicator
from . import cchc_holiday
from . import resource_calendar
from . import res_users
