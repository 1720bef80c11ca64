from collections import defaultdict
from datetime import datetime

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.cchc_base.tools.protect import is_unlocked, unlocked
from odoo.addons.cchc_base.tools.refs import data_record

from cchc_core.onestop import timeliness

from .cchc_onestop_dossier import RUNNING_STATES, TIMELINESS

STEP_STATES = [
    ("pending", "Waiting"),
    ("in_progress", "In progress"),
    ("paused", "Paused for a supplement"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
OPEN_STEP_STATES = ("pending", "in_progress", "paused")
# Written by the dossier's transitions and the overdue scan only.
PROTECTED_FIELDS = frozenset(
    {
        "name",
        "unit",
        "procedure_step_id",
        "state",
        "deadline",
        "started_datetime",
        "done_datetime",
        "timeliness",
        "is_overdue",
        "escalated",
        "reminded",
        "activity_id",
        "dossier_id",
        "agency_id",
        "sequence",
        "time_limit",
    }
)


class CchcOnestopDossierStep(models.Model):
    """One internal step of a dossier: agency, handler, deadline and what actually happened.

    Steps run one after the other. Starting one schedules an activity for its handler, due on
    its deadline; finishing it closes the activity and starts the next step (and the linked
    procedures that follow it). A late step names its agency as the one that delayed the
    dossier (cchc_core.onestop.chain_delays).
    """

    _name = "cchc.onestop.dossier.step"
    _description = "Step of a dossier"
    _inherit = ["cchc.protected.mixin"]
    _order = "dossier_id, sequence, id"
    _cchc_protected_fields = PROTECTED_FIELDS

    dossier_id = fields.Many2one(
        "cchc.onestop.dossier", required=True, ondelete="cascade", index=True
    )
    dossier_state = fields.Selection(related="dossier_id.state", string="Dossier state")
    sequence = fields.Integer(readonly=True)
    name = fields.Char(string="Step", required=True, readonly=True)
    agency_id = fields.Many2one("cchc.agency", required=True, index=True, readonly=True)
    unit = fields.Char(readonly=True)
    handler_id = fields.Many2one(
        "res.users",
        index="btree_not_null",
        help="The person in charge of the step; an activity due on the deadline is scheduled "
        "for them when the step starts.",
    )
    time_limit = fields.Float(string="Time", readonly=True)
    deadline = fields.Datetime(readonly=True, index=True)
    remind_datetime = fields.Datetime(
        string="Reminder",
        compute="_compute_remind_datetime",
        store=True,
        # In the steps' INSERT at receipt, not an UPDATE after it.
        precompute=True,
        index="btree_not_null",
        help="The working day before the deadline, at the same time: when the handler is reminded.",
    )
    started_datetime = fields.Datetime(string="Started", readonly=True)
    done_datetime = fields.Datetime(string="Done", readonly=True)
    state = fields.Selection(
        STEP_STATES, required=True, default="pending", readonly=True, index=True
    )
    timeliness = fields.Selection(TIMELINESS, readonly=True)
    is_overdue = fields.Boolean(string="Overdue", readonly=True, default=False)
    escalated = fields.Boolean(
        readonly=True, default=False, help="The agency's leaders were told the step is late."
    )
    reminded = fields.Boolean(readonly=True, default=False)
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")
    procedure_step_id = fields.Many2one(
        "cchc.onestop.procedure.step", readonly=True, ondelete="set null"
    )
    note = fields.Text(help="The handler's opinion or what was done.")

    def init(self):
        # The overdue scan reads only the running steps not yet marked.
        tools.create_index(
            self.env.cr,
            f"{self._table}_overdue_scan_idx",
            self._table,
            ["deadline"],
            where="state = 'in_progress' AND NOT is_overdue",
        )

    # ---------------------------------------------------------------- compute

    @api.depends("deadline")
    def _compute_remind_datetime(self):
        clock = self.env["cchc.onestop.dossier"]._clock() if self else None
        for step in self:
            if not step.deadline:
                step.remind_datetime = False
                continue
            due = clock.local(step.deadline)
            day = clock.calendar.add_working_days(due.date(), -1)
            step.remind_datetime = clock.utc(datetime.combine(day, due.time()))

    # ---------------------------------------------------------------- constraints

    @api.constrains("handler_id", "agency_id")
    def _check_handler_agency(self):
        """A handler works at the step's agency (or a unit under it): the step opens the
        applicant's personal data to them."""
        for step in self.filtered("handler_id"):
            agency = step.handler_id.sudo().cchc_agency_id
            if not agency or not (agency.parent_path or "").startswith(
                step.agency_id.sudo().parent_path or "-"
            ):
                raise ValidationError(
                    self.env._(
                        "%(user)s does not work at %(agency)s: the handler of step '%(step)s' "
                        "is one of its people.",
                        user=step.handler_id.name,
                        agency=step.agency_id.display_name,
                        step=step.name,
                    )
                )

    @api.constrains("started_datetime", "done_datetime")
    def _check_dates(self):
        for step in self:
            if (
                step.started_datetime
                and step.done_datetime
                and step.done_datetime < step.started_datetime
            ):
                raise ValidationError(
                    self.env._("Step '%(step)s' cannot end before it starts.", step=step.name)
                )

    # ---------------------------------------------------------------- CRUD

    def write(self, vals):
        if "handler_id" in vals:
            if self.filtered(lambda s: s.state not in OPEN_STEP_STATES):
                raise UserError(self.env._("The handler of a finished step cannot change."))
            self._check_assigner()
        res = super().write(vals)
        if "handler_id" in vals:
            self._reassign_activities()
        return res

    def _cchc_protection_hint(self):
        return self.env._(
            "A step's state and times change only through the buttons of its dossier; its "
            "handler is assigned by the leaders of its agency, its handler or the receiving desk."
        )

    # ---------------------------------------------------------------- actions

    def action_done(self):
        """Finish the step: only the current step of a running dossier can be finished, by its
        handler or a leader of its agency."""
        self.ensure_one()
        dossier = self.dossier_id
        self._check_closer()
        if dossier.state not in RUNNING_STATES:
            raise UserError(
                self.env._(
                    "%(dossier)s is not being processed: its steps cannot move.",
                    dossier=dossier.display_name,
                )
            )
        if self.state != "in_progress":
            current = dossier.current_step_id
            if self.state == "pending" and current:
                raise UserError(
                    self.env._(
                        "Step '%(step)s' cannot be finished before step '%(current)s': the "
                        "steps of a dossier follow each other.",
                        step=self.name,
                        current=current.name,
                    )
                )
            raise UserError(self.env._("Step '%(step)s' is not in progress.", step=self.name))
        self.sudo()._finish(fields.Datetime.now())
        return True

    # ---------------------------------------------------------------- transitions

    def _set(self, vals):
        with unlocked(self):
            self.write(vals)

    def _start(self, at_by_step, schedule=True):
        """Start the steps at the given UTC moments and give their handlers an activity (the
        caller schedules them itself without ``schedule``)."""
        # One write per moment, not per step: a batch received together starts together.
        by_moment = defaultdict(list)
        for step in self:
            by_moment[at_by_step[step.id]].append(step.id)
        for at, ids in by_moment.items():
            self.browse(ids)._set({"state": "in_progress", "started_datetime": at})
        if schedule:
            self._schedule_activities()

    def _finish(self, at):
        self.ensure_one()
        # Work done before the clock started (a dossier received after hours, finished
        # before the next working period) counts at the clock's start: no time was used.
        if self.started_datetime and at < self.started_datetime:
            at = self.started_datetime
        clock = self.dossier_id._clock()
        vals = {"state": "done", "done_datetime": at, "is_overdue": False}
        if self.deadline:
            vals["timeliness"] = timeliness(
                clock.local(at),
                clock.local(self.deadline),
                hour_limit=self.dossier_id.time_unit == "hour",
            )
        self._set(vals)
        self._close_activities(feedback=True)
        self.dossier_id._after_step(self, at)

    def _pause(self):
        self._set({"state": "paused"})
        self._close_activities()

    def _resume(self):
        self._set({"state": "in_progress"})
        self._schedule_activities()

    def _cancel(self):
        self._set({"state": "cancelled"})
        self._close_activities()

    # ---------------------------------------------------------------- checks

    def _is_agency_leader(self, user):
        self.ensure_one()
        agency = self.agency_id.sudo()
        return user in agency.leader_ids or (
            user.has_group("cchc_base.group_cchc_leader") and user.cchc_agency_id == agency
        )

    def _check_closer(self):
        """Only the step's handler, or a leader of its agency, closes it."""
        user = self.env.user
        if self.env.su or user.has_group("cchc_base.group_cchc_manager"):
            return
        for step in self:
            if step.handler_id != user and not step._is_agency_leader(user):
                raise AccessError(
                    self.env._(
                        "Step '%(step)s' of %(dossier)s is closed by its handler (%(handler)s) "
                        "or a leader of %(agency)s.",
                        step=step.name,
                        dossier=step.dossier_id.display_name,
                        handler=step.handler_id.name or self.env._("not assigned"),
                        agency=step.agency_id.display_name,
                    )
                )

    def _check_assigner(self):
        """The handler is chosen by the leaders of the step's agency, its present handler or
        the desk that received the dossier."""
        user = self.env.user
        if self.env.su or is_unlocked(self) or user.has_group("cchc_base.group_cchc_manager"):
            return
        desk = user.has_group("cchc_base.group_cchc_onestop")
        for step in self:
            receiving = step.dossier_id.agency_id | step.dossier_id.chain_root_id.agency_id
            if not (
                step.handler_id == user
                or step._is_agency_leader(user)
                or (desk and user.cchc_agency_id in receiving)
            ):
                raise AccessError(
                    self.env._(
                        "The handler of step '%(step)s' is assigned by the leaders of "
                        "%(agency)s, its handler or the desk that received the dossier.",
                        step=step.name,
                        agency=step.agency_id.display_name,
                    )
                )

    # ---------------------------------------------------------------- activities

    def _schedule_activities(self):
        todo = self.filtered(
            lambda s: s.state == "in_progress" and s.handler_id and not s.activity_id
        )
        if not todo:
            return
        clock = self.dossier_id._clock()
        activity_type = data_record(self.env, "cchc_onestop.mail_activity_type_dossier_step")
        model_id = self.env["ir.model"]._get_id("cchc.onestop.dossier")
        # Created by the system: the handler may work at another agency than the user
        # moving the dossier on; the activity appears in the handler's activity menu.
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": step.dossier_id.id,
                        "activity_type_id": activity_type.id,
                        "user_id": step.handler_id.id,
                        "date_deadline": clock.local_date(step.deadline)
                        or fields.Date.context_today(self),
                        # In the handler's language, whoever moved the dossier on.
                        "summary": step.with_context(
                            lang=step.handler_id.lang or self.env.lang
                        ).env._("%(step)s: %(code)s", step=step.name, code=step.dossier_id.name),
                    }
                    for step in todo
                ]
            )
        )
        for step, activity in zip(todo, activities, strict=True):
            step.sudo()._set({"activity_id": activity.id})

    def _close_activities(self, feedback=False):
        for step in self.filtered("activity_id"):
            activity = step.activity_id.sudo()
            step.sudo()._set({"activity_id": False})
            if feedback:
                activity.action_feedback(
                    feedback=self.env._("Step finished by %(user)s.", user=self.env.user.name)
                )
            else:
                activity.unlink()

    def _reassign_activities(self):
        for step in self.filtered(lambda s: s.state == "in_progress"):
            if step.activity_id and step.handler_id:
                step.activity_id.sudo().user_id = step.handler_id
            elif step.activity_id:
                step._close_activities()
        self._schedule_activities()

    # ---------------------------------------------------------------- reminders, escalation

    def _remind_due_soon(self):
        """Tell the handlers of these running steps that they are due on the next working day."""
        # Run by a scheduled job (in English): written in the province's language.
        tr = self.with_context(lang=self.env["cchc.onestop.dossier"]._report_lang()).env
        steps = self.filtered(
            lambda s: s.state == "in_progress" and s.handler_id and not s.reminded
        )
        for step in steps:
            step.dossier_id.message_post(
                body=tr._(
                    "Reminder: step '%(step)s' is due %(deadline)s.",
                    step=step.name,
                    deadline=step.dossier_id._format_moment(step.deadline),
                ),
                partner_ids=step.handler_id.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
        steps.sudo()._set({"reminded": True})
        return steps

    def _escalate_overdue(self):
        """Tell the leaders of the late steps' agencies, once per step."""
        # Run by a scheduled job (in English): written in the province's language.
        tr = self.with_context(lang=self.env["cchc.onestop.dossier"]._report_lang()).env
        now = fields.Datetime.now()
        steps = self.filtered(
            lambda s: (
                s.state == "in_progress" and not s.escalated and s.deadline and s.deadline < now
            )
        )
        if not steps:
            return steps
        activity_type = self.env.ref("cchc_onestop.mail_activity_type_dossier_overdue")
        model_id = self.env["ir.model"]._get_id("cchc.onestop.dossier")
        today = fields.Date.context_today(self)
        leaders_of = {}
        vals_list = []
        for step in steps:
            agency = step.agency_id
            if agency not in leaders_of:
                leaders_of[agency] = self._leaders(agency)
            leaders = leaders_of[agency]
            dossier = step.dossier_id
            summary = tr._("Overdue: %(step)s of %(code)s", step=step.name, code=dossier.name)
            note = tr._(
                "Step '%(step)s' of dossier %(code)s (%(procedure)s) at %(agency)s was due "
                "%(deadline)s; handler: %(handler)s.",
                step=step.name,
                code=dossier.name,
                procedure=dossier.procedure_id.display_name,
                agency=agency.display_name,
                deadline=dossier._format_moment(step.deadline),
                handler=step.handler_id.name or tr._("not assigned"),
            )
            vals_list += [
                {
                    "res_model_id": model_id,
                    "res_id": dossier.id,
                    "activity_type_id": activity_type.id,
                    "user_id": leader.id,
                    "date_deadline": today,
                    "summary": summary,
                    "note": note,
                }
                for leader in leaders
            ]
            dossier.sudo().message_post(
                body=note,
                partner_ids=leaders.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            vals_list
        )
        steps.sudo()._set({"escalated": True, "is_overdue": True})
        return steps

    @api.model
    def _leaders(self, agency):
        """The agency's leaders, or those of the nearest agency above it that has some."""
        Users = self.env["res.users"].sudo()
        while agency:
            leaders = agency.sudo().leader_ids or Users.search(
                [
                    ("cchc_agency_id", "=", agency.id),
                    ("groups_id", "in", self.env.ref("cchc_base.group_cchc_leader").id),
                ]
            )
            if leaders:
                return leaders
            agency = agency.parent_id
        return Users
