from datetime import date

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.cchc_base.tools.protect import unlocked

# Bình Phước plan 3406/QĐ-UBND: reports before 5/3 (quarter I), 5/6 (6 months), 5/9 (quarter III)
# and 1/12 (year). Each period covers the year up to its end; the due date falls before the end
# because the province consolidates for the Ministry in the last weeks of the period.
DEFAULT_SCHEDULE = [
    ("quarter", "Quý I", 3, (3, 5)),
    ("semiannual", "6 tháng", 6, (6, 5)),
    ("quarter", "Quý III", 9, (9, 5)),
    ("annual", "Năm", 12, (12, 1)),
]


class CchcPlan(models.Model):
    _name = "cchc.plan"
    _description = "Reform plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "cchc.protected.mixin"]
    _order = "date_issued desc, id desc"
    _rec_names_search = ["number", "name"]
    # The state changes only through the coordinator's actions; a closed plan is kept as closed.
    _cchc_protected_fields = frozenset({"state", "closing_note", "project_id"})

    name = fields.Char(string="Title", required=True, tracking=True)
    number = fields.Char(
        required=True,
        tracking=True,
        help="Number and notation as issued, e.g. 3406/QĐ-UBND or 1365/KH-UBND.",
    )
    issuing_agency_id = fields.Many2one(
        "cchc.agency", string="Issuing agency", required=True, tracking=True
    )
    date_issued = fields.Date(string="Date", required=True, tracking=True)
    year_from = fields.Integer(string="From year", required=True)
    year_to = fields.Integer(string="To year", required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("in_force", "In force"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
        readonly=True,
    )
    section_ids = fields.One2many("cchc.plan.section", "plan_id", string="Sections")
    period_ids = fields.One2many("cchc.plan.period", "plan_id", string="Reporting schedule")
    indicator_ids = fields.One2many("cchc.indicator", "plan_id", string="Targets")
    project_id = fields.Many2one("project.project", readonly=True, copy=False, index=True)
    task_ids = fields.One2many("project.task", "cchc_plan_id", string="Tasks")
    task_count = fields.Integer(compute="_compute_task_stats")
    overdue_count = fields.Integer(compute="_compute_task_stats")
    progress = fields.Float(compute="_compute_task_stats", string="Progress (%)")
    document_ids = fields.Many2many(
        "ir.attachment", string="Plan documents", help="The signed plan and its appendices."
    )
    closing_note = fields.Html(readonly=True, copy=False)

    _sql_constraints = [
        (
            "number_unique",
            "UNIQUE(number, issuing_agency_id)",
            "This agency already has a plan with this number.",
        ),
    ]

    @api.depends("number", "name")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = f"{plan.number} – {plan.name}" if plan.number else plan.name

    def _compute_task_stats(self):
        Task = self.env["project.task"]
        stats = {
            plan: (count, progress)
            for plan, count, progress in Task._read_group(
                [("cchc_plan_id", "in", self.ids)],
                ["cchc_plan_id"],
                ["__count", "cchc_progress:avg"],
            )
        }
        overdue = dict(
            Task._read_group(
                [("cchc_plan_id", "in", self.ids), ("cchc_status", "=", "overdue")],
                ["cchc_plan_id"],
                ["__count"],
            )
        )
        for plan in self:
            count, progress = stats.get(plan, (0, 0.0))
            plan.task_count = count
            plan.progress = progress or 0.0
            plan.overdue_count = overdue.get(plan, 0)

    @api.constrains("year_from", "year_to")
    def _check_years(self):
        for plan in self:
            if not 1990 <= plan.year_from <= plan.year_to <= 2100:
                raise ValidationError(
                    self.env._(
                        "The period of plan %(plan)s is not a valid range of years.",
                        plan=plan.number,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        for plan in plans:
            project = self.env["project.project"].sudo().create(plan._project_vals())
            with unlocked(self):
                plan.project_id = project
            if not plan.period_ids:
                plan._create_default_schedule()
        return plans

    def write(self, vals):
        res = super().write(vals)
        if {"name", "number"} & set(vals):
            for plan in self.filtered("project_id"):
                plan.project_id.sudo().name = plan.display_name
        return res

    def _cchc_is_frozen(self):
        return self.state == "closed"

    def _cchc_protection_hint(self):
        return self.env._(
            "The state of a plan changes only through the reform coordinator's actions."
        )

    def _cchc_frozen_hint(self):
        return self.env._("The plan is closed and is kept as it was closed.")

    def action_put_in_force(self):
        self._check_coordinator()
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("Only a draft plan can be put in force."))
        self._set_state("in_force")

    def action_reset_to_draft(self):
        self._check_coordinator()
        for plan in self:
            if plan.state != "in_force":
                raise UserError(self.env._("Only a plan in force can go back to draft."))
        self._set_state("draft")

    def _set_state(self, state, **vals):
        self.check_access("write")
        with unlocked(self):
            self.write(dict(vals, state=state))

    def _check_coordinator(self):
        if not self.env.user.has_group("cchc_base.group_cchc_coordinator"):
            raise AccessError(
                self.env._("Only the reform coordinator changes the state of a plan.")
            )

    def action_close(self):
        self.ensure_one()
        self._check_coordinator()
        if self.state != "in_force":
            raise UserError(self.env._("Only a plan in force can be closed."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close plan %s", self.number),
            "res_model": "cchc.plan.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    def action_view_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cchc_plan.cchc_task_action")
        action["domain"] = [("cchc_plan_id", "=", self.id)]
        action["context"] = {
            "default_project_id": self.project_id.id,
            "search_default_group_section": 1,
        }
        return action

    def action_import_tasks(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import the task appendix"),
            "res_model": "cchc.plan.import",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    def action_export_xlsx(self):
        self.ensure_one()
        return self.env.ref("cchc_plan.action_report_plan_appendix_xlsx").report_action(
            self, config=False
        )

    def unfinished_tasks(self):
        self.ensure_one()
        return self.task_ids.filtered(lambda t: t.cchc_status not in ("done_on_time", "done_late"))

    def _check_not_closed(self, fnames=True):
        if fnames and any(plan.state == "closed" for plan in self):
            raise UserError(
                self.env._(
                    "Plan %(plan)s is closed: it can no longer be changed.",
                    plan=self.filtered(lambda p: p.state == "closed")[:1].number,
                )
            )

    def _project_vals(self):
        self.ensure_one()
        return {
            "name": self.display_name,
            "privacy_visibility": "followers",
            "cchc_plan_id": self.id,
            "type_ids": [Command.set(self._default_stage_ids())],
        }

    def _default_stage_ids(self):
        stages = self.env.ref("cchc_plan.task_stage_todo", raise_if_not_found=False)
        if not stages:
            return []
        return [
            self.env.ref(f"cchc_plan.task_stage_{name}").id for name in ("todo", "doing", "done")
        ]

    def _create_default_schedule(self):
        self.ensure_one()
        vals_list = []
        for year in range(self.year_from, self.year_to + 1):
            for kind, label, end_month, (due_month, due_day) in DEFAULT_SCHEDULE:
                end = date(year, end_month, 1)
                vals_list.append(
                    {
                        "plan_id": self.id,
                        "name": f"{label}/{year}",
                        "kind": kind,
                        "date_from": date(year, 1, 1),
                        "date_to": fields.Date.end_of(end, "month"),
                        "due_date": date(year, due_month, due_day),
                    }
                )
        self.env["cchc.plan.period"].create(vals_list)
