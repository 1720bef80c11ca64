from . import cchc_document_revoke
from . import cchc_document_sign
