from odoo import fields, models
from odoo.tools import SQL

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

    assessment_evidence = fields.Boolean(
        string="Reform index evidence",
        compute="_compute_assessment_evidence",
        search="_search_assessment_evidence",
        help="Linked by an agency as evidence of a self-scored item of the reform index: the "
        "appraisal council reads it.",
    )

    def _compute_assessment_evidence(self):
        linked = set(self._assessment_evidence_ids())
        for task in self:
            task.assessment_evidence = task.id in linked

    def _search_assessment_evidence(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", self._assessment_evidence_ids())]

    def _assessment_evidence_ids(self):
        """The tasks linked as evidence on a score line (the relation's rows, as they are:
        whoever linked them, the record rules of the lines decided)."""
        rows = self.env.execute_query(
            SQL("SELECT DISTINCT task_id FROM cchc_assessment_score_task_rel")
        )
        return [task_id for (task_id,) in rows]

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
