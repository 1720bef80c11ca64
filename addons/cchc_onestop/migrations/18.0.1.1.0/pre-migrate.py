"""The desk's record rules now also cover the chains of linked dossiers the desk returns.

They are declared in a ``noupdate`` block: let this update rewrite them once.
"""

RULES = (
    "cchc_onestop_dossier_rule_onestop",
    "cchc_onestop_dossier_step_rule_onestop",
    "cchc_onestop_dossier_document_rule_onestop",
    "cchc_onestop_supplement_rule_onestop",
    "cchc_onestop_apology_rule_onestop",
    "cchc_onestop_applicant_rule_onestop",
)


def migrate(cr, version):
    cr.execute(
        "UPDATE ir_model_data SET noupdate = FALSE WHERE module = 'cchc_onestop' AND name IN %s",
        [RULES],
    )
