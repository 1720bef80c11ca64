from . import document_register_xlsx
