from . import ranking_xlsx
