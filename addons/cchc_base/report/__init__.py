from . import xlsx_abstract
