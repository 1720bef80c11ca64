from . import cchc_certificate
from . import cchc_document
from . import signing_messages
