from odoo import fields, models

from odoo.addons.cchc_plan.models.project_task import DONE_STATUSES


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

    def _cchc_evidence_facts(self, method_name):
        """What the reform index keeps of each task behind a figure: its number, title,
        deadline, completion date and whether it counted as done."""
        return {
            task.id: {
                "code": task.cchc_number or "",
                "detail": task.name,
                "date_due": task.date_deadline and task.date_deadline.date(),
                "date_done": task.cchc_done_date,
                "met": task.cchc_status in DONE_STATUSES,
            }
            for task in self
        }
