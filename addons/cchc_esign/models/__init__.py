from . import cchc_agency
from . import cchc_certificate
from . import cchc_document
from . import cchc_document_verification
from . import ir_attachment
from . import signing_messages
from . import cchc_home
