from . import cchc_onestop_dossier_action
from . import cchc_onestop_procedure_import
