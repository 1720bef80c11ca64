from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from cchc_core.deadlines import describe, parse_deadline

CCHC_STATUSES = [
    ("not_started", "Not started"),
    ("in_progress", "In progress"),
    ("done_on_time", "Done on time"),
    ("done_late", "Done late"),
    ("overdue", "Overdue"),
]
DONE_STATUSES = ("done_on_time", "done_late")
# What the plan decides; an agency updates progress, results and evidence, not the assignment.
COORDINATOR_FIELDS = {
    "lead_agency_id",
    "coordinating_agency_ids",
    "monitoring_agency_ids",
    "cchc_completion_phrase",
    "cchc_section_id",
    "cchc_number",
    "project_id",
}


class ProjectProject(models.Model):
    _inherit = "project.project"

    cchc_plan_id = fields.Many2one("cchc.plan", string="Reform plan", index=True, copy=False)


class ProjectTask(models.Model):
    _inherit = "project.task"

    cchc_plan_id = fields.Many2one(
        "cchc.plan",
        string="Reform plan",
        related="project_id.cchc_plan_id",
        store=True,
        index=True,
    )
    cchc_section_id = fields.Many2one(
        "cchc.plan.section", string="Section", index=True, ondelete="restrict"
    )
    cchc_number = fields.Char(string="No.", help="The number (STT) the plan gives the task.")
    lead_agency_id = fields.Many2one(
        "cchc.agency", string="Lead agency", index=True, tracking=True, ondelete="restrict"
    )
    coordinating_agency_ids = fields.Many2many(
        "cchc.agency",
        "cchc_task_coordinating_agency_rel",
        "task_id",
        "agency_id",
        string="Coordinating agencies",
    )
    monitoring_agency_ids = fields.Many2many(
        "cchc.agency",
        "cchc_task_monitoring_agency_rel",
        "task_id",
        "agency_id",
        string="Monitoring agencies",
        help="Cơ quan theo dõi: the agencies the plan charges with following the task up.",
    )
    cchc_lead_text = fields.Char(
        string="Lead (as written)", help="The lead agency cell of the plan, verbatim."
    )
    cchc_coordinating_text = fields.Text(
        string="Coordinating (as written)",
        help="The coordinating agencies cell of the plan, verbatim.",
    )
    cchc_completion_phrase = fields.Char(
        string="Completion time",
        tracking=True,
        help="As the plan writes it, kept verbatim: 'Quý I/2018', 'Thường xuyên trong năm'.",
    )
    cchc_deadline_kind = fields.Selection(
        [
            ("date", "Date"),
            ("recurring", "Recurring"),
            ("open", "On an event"),
            ("unknown", "Not understood"),
        ],
        string="Deadline kind",
        readonly=True,
    )
    cchc_deadline_label = fields.Char(string="Derived deadline", readonly=True)
    cchc_deadline_start = fields.Date(string="Starts", readonly=True)
    cchc_needs_review = fields.Boolean(
        string="Deadline to check",
        readonly=True,
        help="The completion time was not understood: a person must set the deadline.",
    )
    cchc_recurrence = fields.Char(string="Plan recurrence", readonly=True)
    checkpoint_ids = fields.One2many("cchc.task.checkpoint", "task_id", string="Checkpoints")
    cchc_monitoring_text = fields.Text(
        string="Monitoring (as written)", help="The monitoring agencies cell of the plan, verbatim."
    )
    cchc_output = fields.Text(string="Output", help="Sản phẩm: what the task delivers.")
    cchc_budget_text = fields.Char(
        string="Budget (as written)", help="Kinh phí: the budget cell of the plan, verbatim."
    )
    cchc_budget_amount = fields.Float(
        string="Budget estimate (VND)",
        digits=(16, 0),
        help="The amount read from the budget cell ('45 tr/ huyện' is 45,000,000), when it gives "
        "one; per unit when the cell says so.",
    )
    cchc_budget_per = fields.Char(
        string="Budget per", help="The unit the amount is for ('huyện' in '45 tr/ huyện')."
    )
    cchc_note = fields.Text(string="Plan note")
    cchc_progress = fields.Integer(string="Progress (%)", tracking=True, aggregator="avg")
    cchc_done_date = fields.Date(string="Completed on", tracking=True)
    cchc_status = fields.Selection(
        CCHC_STATUSES,
        string="Status",
        compute="_compute_cchc_status",
        store=True,
        index=True,
    )
    cchc_result = fields.Text(string="Results")
    evidence_ids = fields.Many2many(
        "ir.attachment", "cchc_task_evidence_rel", "task_id", "attachment_id"
    )

    cchc_can_assign = fields.Boolean(compute="_compute_cchc_can_assign")

    @api.depends_context("uid")
    def _compute_cchc_can_assign(self):
        can = self.env.user.has_group("cchc_base.group_cchc_coordinator")
        for task in self:
            task.cchc_can_assign = can

    @api.depends(
        "cchc_progress",
        "cchc_done_date",
        "date_deadline",
        "checkpoint_ids.done",
        "checkpoint_ids.deadline",
        "cchc_plan_id",
    )
    def _compute_cchc_status(self):
        today = fields.Date.context_today(self)
        for task in self:
            if not task.cchc_plan_id:
                task.cchc_status = False
                continue
            task.cchc_status = task._cchc_status_on(today)

    def _cchc_status_on(self, today):
        deadline = self.date_deadline.date() if self.date_deadline else None
        if self.cchc_progress >= 100:
            done = self.cchc_done_date or today
            return "done_late" if deadline and done > deadline else "done_on_time"
        late_checkpoint = any(not cp.done and cp.deadline < today for cp in self.checkpoint_ids)
        if (deadline and deadline < today) or late_checkpoint:
            return "overdue"
        return "in_progress" if self.cchc_progress > 0 else "not_started"

    @api.constrains("cchc_progress")
    def _check_progress(self):
        for task in self:
            if not 0 <= task.cchc_progress <= 100:
                raise ValidationError(self.env._("Progress is a percentage from 0 to 100."))

    @api.model_create_multi
    def create(self, vals_list):
        plans = {}
        checkpoints = []
        for vals in vals_list:
            self._cchc_prepare_vals(vals)
            if vals.get("cchc_completion_phrase") and vals.get("project_id"):
                project_id = vals["project_id"]
                if project_id not in plans:
                    plans[project_id] = self.env["project.project"].browse(project_id).cchc_plan_id
                deadline_vals, days = self._cchc_deadline_vals(
                    vals["cchc_completion_phrase"], plans[project_id]
                )
                vals.update(deadline_vals)
                checkpoints.append(days)
            else:
                checkpoints.append(())
        tasks = super().create(vals_list)
        self.env["cchc.task.checkpoint"].create(
            [
                {"task_id": task.id, "deadline": day}
                for task, days in zip(tasks, checkpoints, strict=True)
                for day in days
            ]
        )
        return tasks

    def write(self, vals):
        plan_tasks = self.filtered("cchc_plan_id")
        if plan_tasks:
            plan_tasks.cchc_plan_id._check_not_closed()
            if (
                COORDINATOR_FIELDS & set(vals)
                and not self.env.su
                and not self.env.user.has_group("cchc_base.group_cchc_coordinator")
            ):
                raise AccessError(
                    self.env._(
                        "Only the reform coordinator changes what the plan assigns (agencies, "
                        "completion time, section, number)."
                    )
                )
        self._cchc_prepare_vals(vals)
        res = super().write(vals)
        if "cchc_completion_phrase" in vals:
            self._cchc_apply_deadline()
        return res

    def _cchc_prepare_vals(self, vals):
        if "cchc_progress" in vals:
            progress = vals["cchc_progress"] or 0
            if progress >= 100 and not vals.get("cchc_done_date"):
                vals["cchc_done_date"] = fields.Date.context_today(self)
            elif progress < 100:
                vals["cchc_done_date"] = False

    @api.model
    def _cchc_deadline_vals(self, phrase, plan):
        """Field values derived from a completion phrase, and the checkpoint dates."""
        deadline = parse_deadline(
            phrase or "",
            plan_date=plan.date_issued or None,
            period=(plan.year_from, plan.year_to) if plan else None,
        )
        due = deadline.due
        vals = {
            "cchc_deadline_kind": deadline.kind,
            "cchc_deadline_label": describe(deadline),
            "cchc_deadline_start": deadline.start,
            "cchc_needs_review": deadline.needs_review,
            "cchc_recurrence": deadline.recurrence or False,
            # 10:00 UTC is 17:00 in Vietnam: the end of the office day of the due date.
            "date_deadline": datetime.combine(due, time(10, 0)) if due else False,
        }
        return vals, deadline.checkpoints

    def _cchc_apply_deadline(self):
        """Derive the deadline from the completion phrase; never guess one."""
        for task in self:
            vals, days = self._cchc_deadline_vals(task.cchc_completion_phrase, task.cchc_plan_id)
            task.checkpoint_ids.unlink()
            super(ProjectTask, task).write(vals)
            self.env["cchc.task.checkpoint"].create(
                [{"task_id": task.id, "deadline": day} for day in days]
            )
        return True

    @api.model
    def _cron_update_cchc_status(self):
        """Statuses depend on today's date: refresh those that may have changed."""
        tasks = self.search(
            [("cchc_plan_id", "!=", False), ("cchc_status", "not in", DONE_STATUSES)]
        )
        self.env.add_to_compute(self._fields["cchc_status"], tasks)
        tasks._recompute_recordset(["cchc_status"])


class CchcTaskCheckpoint(models.Model):
    """One period of a recurring task ('Hàng quý', 'Thường xuyên'): reported on by its deadline."""

    _name = "cchc.task.checkpoint"
    _description = "Task checkpoint"
    _order = "deadline"

    task_id = fields.Many2one("project.task", required=True, ondelete="cascade", index=True)
    deadline = fields.Date(required=True)
    done = fields.Boolean()
    note = fields.Char()
