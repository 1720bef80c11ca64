from odoo import api, fields, models


class CchcPlanSection(models.Model):
    _name = "cchc.plan.section"
    _description = "Plan section"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one("cchc.plan", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    roman = fields.Char(string="Number", help="I, II, III… as the plan numbers it.")
    name = fields.Char(required=True)
    area_id = fields.Many2one("cchc.reform.area", string="Reform area")

    @api.depends("roman", "name")
    def _compute_display_name(self):
        for section in self:
            section.display_name = (
                f"{section.roman}. {section.name}" if section.roman else section.name
            )
