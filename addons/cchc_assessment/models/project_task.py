from odoo import fields, models


class ProjectTask(models.Model):
    _inherit = "project.task"

    assessment_criterion_id = fields.Many2one(
        "cchc.assessment.criterion",
        string="Reform index criterion",
        index="btree_not_null",
        ondelete="set null",
        help="The weak criterion of the reform index this task improves.",
    )
    assessment_score_id = fields.Many2one(
        "cchc.assessment.score",
        string="Reform index score",
        index="btree_not_null",
        ondelete="set null",
    )
