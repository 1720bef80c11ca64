from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    cchc_plan_id = fields.Many2one("cchc.plan", string="Reform plan", index=True, copy=False)
