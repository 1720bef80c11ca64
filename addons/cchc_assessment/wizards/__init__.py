from . import cchc_assessment_adjust
from . import cchc_assessment_set_import
from . import cchc_assessment_improve
