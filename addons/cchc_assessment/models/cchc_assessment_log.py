from odoo import fields, models

KINDS = [
    ("self_score", "Self-assessed score"),
    ("council_score", "Council's score"),
    ("state", "Stage"),
    ("answer", "Agency's answer"),
]


class CchcAssessmentLog(models.Model):
    """Who changed what on a scorecard, when, from what to what, and why. Written only by the
    scorecard's own steps; nobody edits or deletes an entry."""

    _name = "cchc.assessment.log"
    _description = "Reform index change log"
    _inherit = ["cchc.protected.mixin"]
    _order = "id desc"

    scorecard_id = fields.Many2one(
        "cchc.assessment.scorecard", required=True, index=True, ondelete="cascade", readonly=True
    )
    score_id = fields.Many2one(
        "cchc.assessment.score", index=True, ondelete="cascade", readonly=True
    )
    criterion_id = fields.Many2one(related="score_id.criterion_id", store=True, string="Item")
    campaign_id = fields.Many2one(related="scorecard_id.campaign_id", store=True, index=True)
    agency_id = fields.Many2one(related="scorecard_id.agency_id", store=True, index=True)
    user_id = fields.Many2one("res.users", string="By", required=True, readonly=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    kind = fields.Selection(KINDS, string="Change", required=True, readonly=True)
    old_value = fields.Char(string="From", readonly=True)
    new_value = fields.Char(string="To", readonly=True)
    reason = fields.Text(readonly=True)

    _cchc_protected_fields = frozenset(
        {
            "scorecard_id",
            "score_id",
            "user_id",
            "date",
            "kind",
            "old_value",
            "new_value",
            "reason",
        }
    )

    def _cchc_is_frozen(self):
        return True

    def _cchc_protection_hint(self):
        return self.env._("The log is written by the scorecard's own steps.")

    def _cchc_frozen_hint(self):
        return self.env._("A log entry is kept as it was written.")
