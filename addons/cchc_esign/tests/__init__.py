from . import test_document
from . import test_tour
