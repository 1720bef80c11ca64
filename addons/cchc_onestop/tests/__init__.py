from . import test_catalogue
from . import test_dossier
from . import test_linked
from . import test_activity
from . import test_indicator
from . import test_access
from . import test_counter
from . import test_translation
