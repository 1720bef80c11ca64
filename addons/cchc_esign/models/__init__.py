from . import cchc_agency
from . import cchc_certificate
from . import cchc_document
from . import cchc_exchange
from . import cchc_document_exchange
from . import ir_attachment
from . import exchange_messages
from . import signing_messages
