from odoo import api, fields, models


class CchcAssessmentAdjust(models.TransientModel):
    """The council changes one score, always with a reason."""

    _name = "cchc.assessment.adjust"
    _description = "Adjust a reform index score"

    score_id = fields.Many2one("cchc.assessment.score", required=True, ondelete="cascade")
    criterion_id = fields.Many2one(related="score_id.criterion_id")
    max_points = fields.Float(related="score_id.max_points")
    current_score = fields.Float(related="score_id.final_score", string="Current score")
    evidence_note = fields.Text(related="score_id.evidence_note")
    evidence_attachment_ids = fields.Many2many(related="score_id.evidence_attachment_ids")
    evidence_task_ids = fields.Many2many(related="score_id.evidence_task_ids")
    new_score = fields.Float(string="New score", digits=(6, 2), required=True)
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        score = self.env["cchc.assessment.score"].browse(values.get("score_id"))
        if score and "new_score" in fields_list:
            values["new_score"] = score.final_score
        return values

    def action_confirm(self):
        self.ensure_one()
        self.score_id._adjust(self.new_score, self.reason)
        return {"type": "ir.actions.act_window_close"}
