from datetime import datetime, time

from odoo import Command, api, fields, models


class CchcTaskChange(models.TransientModel):
    """The coordinator changes what the plan assigns to a task, and says why (in the chatter)."""

    _name = "cchc.task.change"
    _description = "Change the assignment of a plan task"

    task_id = fields.Many2one("project.task", required=True, readonly=True)
    plan_id = fields.Many2one(related="task_id.cchc_plan_id")
    # Start from the task's values: only what the coordinator changes is written.
    lead_agency_id = fields.Many2one(
        "cchc.agency",
        string="Lead agency",
        compute="_compute_from_task",
        store=True,
        readonly=False,
        precompute=True,
    )
    coordinating_agency_ids = fields.Many2many(
        "cchc.agency",
        string="Coordinating agencies",
        compute="_compute_from_task",
        store=True,
        readonly=False,
        precompute=True,
    )
    completion_phrase = fields.Char(
        string="Completion time",
        compute="_compute_from_task",
        store=True,
        readonly=False,
        precompute=True,
    )
    deadline = fields.Date(
        compute="_compute_from_task", store=True, readonly=False, precompute=True
    )
    done_date = fields.Date(
        string="Completed on",
        compute="_compute_from_task",
        store=True,
        readonly=False,
        precompute=True,
    )
    reason = fields.Text(required=True)

    @api.depends("task_id")
    def _compute_from_task(self):
        for wizard in self:
            task = wizard.task_id
            wizard.lead_agency_id = task.lead_agency_id
            wizard.coordinating_agency_ids = task.coordinating_agency_ids
            wizard.completion_phrase = task.cchc_completion_phrase
            wizard.deadline = task.date_deadline and task.date_deadline.date()
            wizard.done_date = task.cchc_done_date

    def action_confirm(self):
        self.ensure_one()
        task = self.task_id
        vals = {}
        if self.lead_agency_id != task.lead_agency_id:
            vals["lead_agency_id"] = self.lead_agency_id.id
        if self.coordinating_agency_ids != task.coordinating_agency_ids:
            vals["coordinating_agency_ids"] = [Command.set(self.coordinating_agency_ids.ids)]
        if (self.completion_phrase or "") != (task.cchc_completion_phrase or ""):
            vals["cchc_completion_phrase"] = self.completion_phrase
        old_deadline = task.date_deadline and task.date_deadline.date()
        if self.deadline != old_deadline:
            # 10:00 UTC is 17:00 in Vietnam: the end of the office day of the due date.
            vals["date_deadline"] = self.deadline and datetime.combine(self.deadline, time(10, 0))
        if self.done_date != task.cchc_done_date:
            vals["cchc_done_date"] = self.done_date
        if vals:
            task._cchc_change(vals, self.reason)
        return {"type": "ir.actions.act_window_close"}
