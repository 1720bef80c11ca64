from . import cchc_document_assign
from . import cchc_edxml_import
from . import cchc_document_complete
