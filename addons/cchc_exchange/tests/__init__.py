from . import test_exchange
from . import test_endpoint
from . import test_secrets
from . import test_rpc
from . import test_archive
from . import test_handling
from . import test_tour
