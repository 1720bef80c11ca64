from . import test_assessment_demo
from . import test_exchange_demo
from . import test_assessment_evidence_links
