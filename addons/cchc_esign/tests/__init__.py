from . import test_document
from . import test_rpc_invariants
from . import test_roles
from . import test_tour
from . import test_home
from . import test_issued_document
from . import test_language
from . import test_verification_panel
