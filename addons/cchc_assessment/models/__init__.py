from . import cchc_assessment_set
from . import cchc_assessment_criterion
from . import cchc_assessment_criterion_band
from . import cchc_assessment_campaign
from . import cchc_assessment_scorecard
from . import cchc_assessment_score
from . import cchc_assessment_log
from . import project_task
