from . import test_assessment
from . import test_import
from . import test_access
from . import test_tour
from . import test_evidence_links
