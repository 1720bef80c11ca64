from datetime import datetime, time

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.cchc_base.tools.protect import is_unlocked, unlocked

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
COORDINATOR_FIELDS = frozenset(
    {
        "lead_agency_id",
        "coordinating_agency_ids",
        "monitoring_agency_ids",
        "cchc_completion_phrase",
        "cchc_section_id",
        "cchc_number",
        "project_id",
    }
)
# Derived by the server: the deadline from the completion phrase, the completion date when the
# progress reaches 100 %, the status from both.
SYSTEM_FIELDS = frozenset(
    {
        "date_deadline",
        "cchc_deadline_kind",
        "cchc_deadline_label",
        "cchc_deadline_start",
        "cchc_needs_review",
        "cchc_recurrence",
        "cchc_done_date",
        "cchc_status",
        "cchc_reported_on",
    }
)
# What an agency reports on a task: writing one of them dates the report (cchc_reported_on).
REPORT_FIELDS = ("cchc_progress", "cchc_result")
# Written, they may change what the reports not yet submitted show of the task.
STATUS_INPUTS = frozenset(
    {*REPORT_FIELDS, "cchc_done_date", "date_deadline", "cchc_completion_phrase", "active"}
)
# The coordinator sets these when adding a task to the plan; afterwards only through
# "Change assignment" (cchc.task.change), with a reason in the chatter.
CREATE_BY_COORDINATOR = COORDINATOR_FIELDS | {"date_deadline"}


def is_coordinator(env):
    return env.user.has_group("cchc_base.group_cchc_coordinator")


class ProjectTask(models.Model):
    _name = "project.task"
    _inherit = ["project.task", "cchc.protected.mixin"]

    # Only for tasks of a reform plan: other projects' tasks are Project's business.
    _cchc_protected_fields = COORDINATOR_FIELDS | SYSTEM_FIELDS

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
        copy=False,
    )
    cchc_deadline_label = fields.Char(string="Derived deadline", readonly=True, copy=False)
    cchc_deadline_start = fields.Date(string="Starts", readonly=True, copy=False)
    cchc_needs_review = fields.Boolean(
        string="Deadline to check",
        readonly=True,
        copy=False,
        help="The completion time was not understood: a person must set the deadline.",
    )
    cchc_recurrence = fields.Char(string="Plan recurrence", readonly=True, copy=False)
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
    cchc_done_date = fields.Date(string="Completed on", tracking=True, readonly=True, copy=False)
    cchc_status = fields.Selection(
        CCHC_STATUSES,
        string="Status",
        compute="_compute_cchc_status",
        store=True,
        index=True,
    )
    cchc_result = fields.Text(string="Results")
    cchc_reported_on = fields.Date(
        string="Last reported on",
        readonly=True,
        copy=False,
        help="The day the agency last updated the task's progress or results. A checkpoint "
        "is missed only when it is not ticked and nothing was reported since the one before.",
    )
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
        "cchc_reported_on",
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
        if (deadline and deadline < today) or self._cchc_missed_checkpoint(today):
            return "overdue"
        return "in_progress" if self.cchc_progress > 0 else "not_started"

    def _cchc_missed_checkpoint(self, today):
        """A past checkpoint that was neither ticked nor reported on.

        A checkpoint covers the period since the checkpoint before it (the first one: since
        the task started). It counts as reported when the agency ticked it, or when it updated
        the task's progress or results after the previous checkpoint's deadline, even late:
        reporting late is not leaving the task unreported."""
        reported = self.cchc_reported_on
        previous = None
        for checkpoint in self.checkpoint_ids.sorted("deadline"):
            if checkpoint.deadline >= today:
                break
            covered = reported and (previous is None or reported > previous)
            if not checkpoint.done and not covered:
                return True
            previous = checkpoint.deadline
        return False

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
            project_id = (
                vals.get("project_id")
                or (vals.get("parent_id") and self.browse(vals["parent_id"]).project_id.id)
                or self.env.context.get("default_project_id")
            )
            if project_id not in plans:
                plans[project_id] = self.env["project.project"].browse(project_id).cchc_plan_id
            plan = plans[project_id]
            if plan and not is_unlocked(self):
                self._cchc_check_create(self._cchc_with_client_defaults(vals))
            self._cchc_prepare_vals(vals)
            if vals.get("cchc_completion_phrase") and plan:
                deadline_vals, days = self._cchc_deadline_vals(vals["cchc_completion_phrase"], plan)
                vals.update(deadline_vals)
                checkpoints.append(days)
            else:
                checkpoints.append(())
        with unlocked(self):
            tasks = super().create(vals_list)
        Checkpoint = self.env["cchc.task.checkpoint"]
        with unlocked(Checkpoint):
            Checkpoint.create(
                [
                    {"task_id": task.id, "deadline": day}
                    for task, days in zip(tasks, checkpoints, strict=True)
                    for day in days
                ]
            )
        return tasks

    def write(self, vals):
        plan_tasks = self.filtered("cchc_plan_id")
        if vals.get("project_id") and (
            self.env["project.project"].browse(vals["project_id"]).cchc_plan_id
        ):
            plan_tasks = self
        if plan_tasks:
            plan_tasks.cchc_plan_id._check_not_closed()
            if not is_unlocked(self):
                plan_tasks._cchc_check_write(vals)
        vals = dict(vals)
        self._cchc_prepare_vals(vals)
        if plan_tasks and any(name in vals for name in REPORT_FIELDS):
            # The agency reported on the task: its checkpoints up to today count as reported on.
            vals["cchc_reported_on"] = fields.Date.context_today(self)
        # What the client could write was checked above; the rest is derived here.
        with unlocked(self):
            res = super().write(vals)
            if "cchc_completion_phrase" in vals:
                self._cchc_apply_deadline()
        if plan_tasks and STATUS_INPUTS & set(vals):
            self.env["cchc.plan.report.line"]._cchc_follow_tasks(
                plan_tasks, results="cchc_result" in vals
            )
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_plan_task(self):
        if self.filtered("cchc_plan_id") and not (is_coordinator(self.env) or is_unlocked(self)):
            raise AccessError(self.env._("Only the reform coordinator removes tasks from a plan."))

    # ---------------------------------------------------------------- protection

    def _cchc_create_protected_fields(self):
        protected = self._cchc_protected_fields - {"project_id"}
        if is_coordinator(self.env):
            protected -= CREATE_BY_COORDINATOR
        return protected

    def _cchc_protection_hint(self):
        return self.env._(
            "The reform coordinator changes the assignment, deadline and completion date of a "
            "plan task with Change assignment, giving a reason; the status and the derived "
            "deadline are computed."
        )

    # ---------------------------------------------------------------- actions

    def action_cchc_change_assignment(self):
        self.ensure_one()
        self._cchc_check_coordinator()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change assignment"),
            "res_model": "cchc.task.change",
            "view_mode": "form",
            "target": "new",
            "context": {"default_task_id": self.id},
        }

    def _cchc_check_coordinator(self):
        if not is_coordinator(self.env):
            raise AccessError(
                self.env._(
                    "Only the reform coordinator changes what the plan assigns (agencies, "
                    "completion time, deadline, completion date)."
                )
            )

    def _cchc_import_update(self, vals):
        """The coordinator imports the plan's appendix again: the tasks take its cells."""
        self._cchc_check_coordinator()
        self.cchc_plan_id._check_not_closed()
        self.check_access("write")
        with unlocked(self):
            self.write(vals)
        note = self.env._("Assignment updated by a new import of the plan's appendix.")
        for task in self:
            task.message_post(body=note, subtype_xmlid="mail.mt_note")
        return True

    def _cchc_change(self, vals, reason):
        """The coordinator's change of what the plan assigns, logged with its reason.

        ``vals`` may hold the assignment (agencies, completion phrase, section, number), the
        deadline and the completion date; nothing else."""
        self._cchc_check_coordinator()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for the change."))
        unknown = set(vals) - CREATE_BY_COORDINATOR - {"cchc_done_date"}
        if unknown:
            raise UserError(
                self.env._("These fields are not changed this way: %s", ", ".join(sorted(unknown)))
            )
        self.filtered("cchc_plan_id").cchc_plan_id._check_not_closed()
        self.check_access("write")
        with unlocked(self):
            self.write(vals)
            if "date_deadline" in vals and "cchc_completion_phrase" in vals:
                # A date chosen by the coordinator wins over the one derived from the phrase.
                self.write({"date_deadline": vals["date_deadline"]})
        labels = ", ".join(
            sorted(self._fields[name].get_description(self.env)["string"] for name in vals)
        )
        body = Markup("<p>%s</p><p>%s</p>") % (
            self.env._("Changed by the reform coordinator: %s", labels),
            escape(reason.strip()),
        )
        for task in self:
            task.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    def _cchc_prepare_vals(self, vals):
        if "cchc_progress" in vals:
            progress = vals["cchc_progress"] or 0
            already_done = self and all(
                task.cchc_progress >= 100 and task.cchc_done_date for task in self
            )
            if progress >= 100 and not vals.get("cchc_done_date") and not already_done:
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
            Checkpoint = self.env["cchc.task.checkpoint"]
            with unlocked(Checkpoint):
                Checkpoint.create([{"task_id": task.id, "deadline": day} for day in days])
        return True

    @api.model
    def _cron_update_cchc_status(self):
        """Statuses depend on today's date: refresh those that may have changed."""
        tasks = self.search(
            [("cchc_plan_id", "!=", False), ("cchc_status", "not in", DONE_STATUSES)]
        )
        self.env.add_to_compute(self._fields["cchc_status"], tasks)
        tasks._recompute_recordset(["cchc_status"])
        self.env["cchc.plan.report.line"]._cchc_follow_tasks(tasks)
