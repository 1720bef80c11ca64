from odoo import fields, models


class CchcTaskCheckpoint(models.Model):
    """One period of a recurring task ('Hàng quý', 'Thường xuyên'): reported on by its deadline.

    The checkpoints come from the task's completion phrase; the lead agency ticks them."""

    _name = "cchc.task.checkpoint"
    _description = "Task checkpoint"
    _inherit = ["cchc.protected.mixin"]
    _order = "deadline"
    _cchc_protected_fields = frozenset({"task_id", "deadline"})

    task_id = fields.Many2one("project.task", required=True, ondelete="cascade", index=True)
    deadline = fields.Date(required=True)
    done = fields.Boolean()
    note = fields.Char()

    def write(self, vals):
        res = super().write(vals)
        if "done" in vals:
            self.env["cchc.plan.report.line"]._cchc_follow_tasks(self.task_id)
        return res

    def _cchc_protection_hint(self):
        return self.env._(
            "Checkpoints follow from the task's completion time; the lead agency ticks them."
        )
