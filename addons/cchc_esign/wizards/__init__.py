from . import cchc_document_sign
