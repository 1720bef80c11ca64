from odoo import fields, models


class CchcAssessmentEvidence(models.Model):
    """One record behind a computed figure, as it stood when the figure was computed.

    The council appraises scorecards of other agencies whose dossiers, reports, tasks and
    documents their record rules hide (dossiers hold citizens' personal data): the line keeps
    what the figure was measured from — the record's reference, its code, what it is, the
    dates that decided it and whether it counted as met — and nothing personal. It is read by
    whoever may read the score line and replaced only when the figure is computed again.
    """

    _name = "cchc.assessment.evidence"
    _description = "Record behind a reform index figure"
    _order = "score_id, id"
    _rec_name = "code"

    score_id = fields.Many2one(
        "cchc.assessment.score", required=True, index=True, ondelete="cascade", readonly=True
    )
    agency_id = fields.Many2one("cchc.agency", required=True, index=True, readonly=True)
    res_model = fields.Char(string="Kind of record", required=True, readonly=True)
    res_id = fields.Integer(string="Record id", required=True, readonly=True)
    code = fields.Char(readonly=True)
    detail = fields.Char(string="Subject", readonly=True)
    date_due = fields.Date(string="Due", readonly=True)
    date_done = fields.Date(string="Done on", readonly=True)
    met = fields.Selection([("yes", "Met"), ("no", "Not met")], string="Counted as", readonly=True)
