from . import (
    cchc_onestop_procedure,
    cchc_onestop_procedure_document,
    cchc_onestop_dossier,
    cchc_portal_submission,
    cchc_portal_submission_document,
    cchc_portal_rating,
    cchc_portal_feedback,
    cchc_portal_rate_limit,
    res_users,
)
