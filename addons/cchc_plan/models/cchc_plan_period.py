from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CchcPlanPeriod(models.Model):
    _name = "cchc.plan.period"
    _description = "Reporting period"
    _order = "plan_id, due_date, id"

    plan_id = fields.Many2one("cchc.plan", required=True, ondelete="cascade", index=True)
    name = fields.Char(required=True)
    kind = fields.Selection(
        [
            ("quarter", "Quarterly"),
            ("semiannual", "6-month"),
            ("annual", "Annual"),
            ("other", "Other"),
        ],
        required=True,
        default="quarter",
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    due_date = fields.Date(required=True, help="Agencies send their report before this date.")
    report_ids = fields.One2many("cchc.plan.report", "period_id", string="Reports")
    submitted_count = fields.Integer(compute="_compute_submission")
    expected_count = fields.Integer(compute="_compute_submission")
    late_count = fields.Integer(string="Submitted late", compute="_compute_submission")

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for period in self:
            if period.date_to < period.date_from:
                raise ValidationError(
                    self.env._(
                        "The reporting period %(name)s ends before it starts.", name=period.name
                    )
                )

    def _compute_submission(self):
        Report = self.env["cchc.plan.report"]
        counts = {
            (period, state, late): count
            for period, state, late, count in Report._read_group(
                [("period_id", "in", self.ids), ("is_consolidated", "=", False)],
                ["period_id", "state", "is_late"],
                ["__count"],
            )
        }
        for period in self:
            late = counts.get((period, "submitted", True), 0)
            submitted = late + counts.get((period, "submitted", False), 0)
            period.submitted_count = submitted
            period.late_count = late
            period.expected_count = submitted + counts.get((period, "draft", False), 0)

    def action_generate_reports(self):
        """One draft report per agency that leads or coordinates a task of the plan."""
        self.plan_id._check_coordinator()
        Report = self.env["cchc.plan.report"]
        created = Report
        for period in self:
            period.plan_id._check_not_closed()
            agencies = period.plan_id.task_ids.lead_agency_id | (
                period.plan_id.task_ids.coordinating_agency_ids
            )
            existing = Report.search(
                [("period_id", "=", period.id), ("is_consolidated", "=", False)]
            ).agency_id
            created |= Report.create(
                [{"period_id": period.id, "agency_id": agency.id} for agency in agencies - existing]
            )
        created.action_refresh_lines()
        return created

    def action_consolidate(self):
        self.ensure_one()
        report = self.env["cchc.plan.report"]._consolidate(self)
        return {
            "type": "ir.actions.act_window",
            "res_model": "cchc.plan.report",
            "res_id": report.id,
            "view_mode": "form",
        }
