from datetime import UTC, timedelta, timezone

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.cchc_base.tools.protect import unlocked

from .project_task import CCHC_STATUSES

REMINDER_DAYS = 5
# The day a report was submitted is the day in Vietnam (UTC+7), whoever's browser sent it.
VIETNAM = timezone(timedelta(hours=7))
# Written only by the report's transitions (submit, reopen, consolidate).
REPORT_STATE_FIELDS = frozenset({"state", "submitted_by_id", "submitted_on", "is_consolidated"})
# Derived from the submission date and the period's due date; never typed.
LATENESS_FIELDS = frozenset({"is_late", "days_late"})


class CchcPlanReport(models.Model):
    """An agency's periodic report on the plan, or the province report consolidated from them."""

    _name = "cchc.plan.report"
    _description = "Periodic report"
    _inherit = ["mail.thread", "mail.activity.mixin", "cchc.protected.mixin"]
    _order = "due_date desc, agency_id"
    # Found by its period or its agency, as its name shows them (a report has no name field:
    # without this, typing in a field that picks a report found nothing).
    _rec_names_search = ["period_id.name", "agency_id.name"]
    # Which agency and period a report is for is set when the coordinator creates it; a
    # submitted report is frozen until the coordinator reopens it with a logged reason.
    _cchc_protected_fields = REPORT_STATE_FIELDS | LATENESS_FIELDS | {"agency_id", "period_id"}
    _cchc_frozen_writable = frozenset({"activity_ids"})

    period_id = fields.Many2one("cchc.plan.period", required=True, ondelete="cascade", index=True)
    plan_id = fields.Many2one(related="period_id.plan_id", store=True, index=True)
    agency_id = fields.Many2one("cchc.agency", required=True, index=True, ondelete="restrict")
    is_consolidated = fields.Boolean(string="Province report", readonly=True)
    due_date = fields.Date(related="period_id.due_date", store=True)
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    line_ids = fields.One2many("cchc.plan.report.line", "report_id", string="Tasks")
    results = fields.Text()
    difficulties = fields.Text()
    proposals = fields.Text()
    submitted_by_id = fields.Many2one("res.users", string="Submitted by", readonly=True)
    submitted_on = fields.Datetime(readonly=True)
    is_late = fields.Boolean(
        string="Submitted late",
        compute="_compute_lateness",
        store=True,
        help="Nộp muộn: the report was submitted after its period's due date.",
    )
    days_late = fields.Integer(
        string="Working days late",
        compute="_compute_lateness",
        store=True,
        help="Working days (the province's working calendar) from the due date to the day the "
        "report was submitted.",
    )
    task_count = fields.Integer(compute="_compute_counts")
    done_count = fields.Integer(compute="_compute_counts")

    _sql_constraints = [
        (
            "agency_period_unique",
            "UNIQUE(period_id, agency_id, is_consolidated)",
            "This agency already has a report for this period.",
        ),
    ]

    @api.depends("period_id.name", "agency_id.name", "is_consolidated")
    def _compute_display_name(self):
        for report in self:
            who = self.env._("Province") if report.is_consolidated else report.agency_id.name
            report.display_name = f"{report.period_id.name} – {who}"

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for report in self:
            report.is_overdue = report.state == "draft" and report.due_date < today

    def _search_is_overdue(self, operator, value):
        today = fields.Date.context_today(self)
        domain = [("state", "=", "draft"), ("due_date", "<", today)]
        positive = (operator == "=") == bool(value)
        return domain if positive else ["!", "&", *domain]

    @api.depends("state", "submitted_on", "due_date")
    def _compute_lateness(self):
        Holiday = self.env["cchc.holiday"]
        for report in self:
            days = 0
            if report.state == "submitted" and report.submitted_on and report.due_date:
                submitted = report._submitted_date_local()
                if submitted > report.due_date:
                    days = Holiday.count_working_days(report.due_date, submitted)
            report.days_late = days
            report.is_late = days > 0

    def _submitted_date_local(self):
        """The day (in Vietnam) the report was submitted, or None."""
        self.ensure_one()
        if not self.submitted_on:
            return None
        return self.submitted_on.replace(tzinfo=UTC).astimezone(VIETNAM).date()

    @api.depends("line_ids.status")
    def _compute_counts(self):
        for report in self:
            report.task_count = len(report.line_ids)
            report.done_count = len(
                report.line_ids.filtered(lambda line: line.status in ("done_on_time", "done_late"))
            )

    def write(self, vals):
        if set(vals) - {"activity_ids"} - REPORT_STATE_FIELDS:
            self.plan_id._check_not_closed()
        return super().write(vals)

    def _cchc_check_create(self, vals):
        # The coordinator creates reports for an agency and a period (action_generate_reports);
        # their state is the server's.
        if self.env.user.has_group("cchc_base.group_cchc_coordinator"):
            vals = {k: v for k, v in vals.items() if k not in ("agency_id", "period_id")}
        return super()._cchc_check_create(vals)

    def _cchc_is_frozen(self):
        return self.state == "submitted"

    def _cchc_protection_hint(self):
        return self.env._(
            "A report is submitted by a leader of its agency and reopened only by the reform "
            "coordinator, giving a reason."
        )

    def _cchc_frozen_hint(self):
        return self.env._(
            "It was submitted and is locked. The coordinator may reopen it, giving a reason."
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(report.state == "submitted" for report in self):
            raise UserError(self.env._("A submitted report cannot be deleted."))

    def action_refresh_lines(self):
        """Take a snapshot of the status of the agency's tasks (lead or coordinating).

        One SQL statement for all the reports: an agency that coordinates every task of a
        2,000-task plan ('Các sở, ban, ngành' on every row) gets 2,000 lines, and the ORM would
        spend seconds per report creating them. Results typed on existing lines are kept.
        """
        if not self:
            return True
        if any(report.state == "submitted" for report in self):
            raise UserError(self.env._("A submitted report cannot be refreshed."))
        self.check_access("write")
        self.env["project.task"].flush_model()
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                WITH pairs AS (
                    -- Joins, not an OR with a correlated EXISTS: whatever the planner believes
                    -- of the tables' sizes (a new database has no statistics), each part is an
                    -- index or hash join, never a scan of the links per task and report.
                    SELECT r.id AS report_id, t.id AS task_id,
                           CASE WHEN t.lead_agency_id = r.agency_id
                                THEN 'lead' ELSE 'coord' END AS role
                      FROM cchc_plan_report r
                      JOIN project_task t ON t.cchc_plan_id = r.plan_id AND t.active
                     WHERE r.id IN %(ids)s
                       AND (r.is_consolidated OR t.lead_agency_id = r.agency_id)
                    UNION ALL
                    SELECT r.id, t.id, 'coord'
                      FROM cchc_plan_report r
                      JOIN cchc_task_coordinating_agency_rel c ON c.agency_id = r.agency_id
                      JOIN project_task t ON t.id = c.task_id
                                         AND t.cchc_plan_id = r.plan_id AND t.active
                     WHERE r.id IN %(ids)s
                       AND r.is_consolidated IS NOT TRUE
                       AND t.lead_agency_id IS DISTINCT FROM r.agency_id
                ),
                target AS (
                    SELECT p.report_id, p.task_id, p.role,
                           t.cchc_status AS status, t.cchc_progress AS progress,
                           t.cchc_result AS result, t.cchc_section_id AS section_id
                      FROM pairs p
                      JOIN project_task t ON t.id = p.task_id
                ),
                removed AS (
                    DELETE FROM cchc_plan_report_line l
                     WHERE l.report_id IN %(ids)s
                       AND NOT EXISTS (SELECT 1 FROM target
                                        WHERE target.report_id = l.report_id
                                          AND target.task_id = l.task_id)
                ),
                updated AS (
                    UPDATE cchc_plan_report_line l
                       SET role = target.role, status = target.status,
                           progress = target.progress, write_uid = %(uid)s,
                           write_date = %(now)s
                      FROM target
                     WHERE target.report_id = l.report_id AND target.task_id = l.task_id
                )
                INSERT INTO cchc_plan_report_line
                       (report_id, task_id, role, status, progress, result,
                        create_uid, create_date, write_uid, write_date)
                SELECT target.report_id, target.task_id, target.role, target.status,
                       target.progress, target.result, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM target
                 WHERE NOT EXISTS (SELECT 1 FROM cchc_plan_report_line l
                                    WHERE l.report_id = target.report_id
                                      AND l.task_id = target.task_id)
                 ORDER BY target.report_id, target.section_id NULLS FIRST, target.task_id
                """,
                ids=tuple(self.ids),
                uid=self.env.uid,
                now=fields.Datetime.now(),
            )
        )
        self.env["cchc.plan.report.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])
        return True

    def action_export_xlsx(self):
        self.ensure_one()
        return self.env.ref("cchc_plan.action_report_plan_report_xlsx").report_action(
            self, config=False
        )

    def action_submit(self):
        for report in self:
            if report.state == "submitted":
                raise UserError(
                    self.env._(
                        "Report %(report)s has already been submitted.", report=report.display_name
                    )
                )
            report._check_can_submit()
        self.check_access("write")
        # The snapshot frozen by the submission is the tasks' state of this moment.
        self.env["cchc.plan.report.line"]._cchc_follow_tasks(self.line_ids.task_id, reports=self)
        with unlocked(self):
            self.write(
                {
                    "state": "submitted",
                    "submitted_by_id": self.env.uid,
                    "submitted_on": fields.Datetime.now(),
                }
            )
        self.activity_ids.action_feedback(feedback=self.env._("Report submitted."))
        return True

    def action_reopen(self, reason):
        if not self.env.user.has_group("cchc_base.group_cchc_coordinator"):
            raise AccessError(self.env._("Only the reform coordinator may reopen a report."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for reopening the report."))
        for report in self:
            if report.state != "submitted":
                raise UserError(self.env._("Only a submitted report can be reopened."))
            report.plan_id._check_not_closed()
        self.check_access("write")
        with unlocked(self):
            self.write({"state": "draft"})
        # Open again, the report follows its tasks again.
        self.env["cchc.plan.report.line"]._cchc_follow_tasks(self.line_ids.task_id, reports=self)
        for report in self:
            report.message_post(
                body=Markup("%s<br/>%s") % (self.env._("Report reopened."), reason),
                subtype_xmlid="mail.mt_note",
            )

    def _check_can_submit(self):
        self.ensure_one()
        user = self.env.user
        if user.has_group("cchc_base.group_cchc_coordinator"):
            return
        if self.is_consolidated or not (
            user.has_group("cchc_base.group_cchc_leader")
            and self.agency_id
            in self.env["cchc.agency"].search([("id", "child_of", user.cchc_agency_id.id)])
        ):
            raise AccessError(
                self.env._(
                    "Only a leader of %(agency)s may submit this report.",
                    agency=self.agency_id.name,
                )
            )

    @api.model
    def _consolidate(self, period):
        """The province report of a period: every task, and what each agency reported."""
        coordinator = self.env.user.has_group("cchc_base.group_cchc_coordinator")
        if not coordinator:
            raise AccessError(self.env._("Only the reform coordinator consolidates reports."))
        period.plan_id._check_not_closed()
        report = self.search(
            [("period_id", "=", period.id), ("is_consolidated", "=", True)], limit=1
        )
        if report.state == "submitted":
            raise UserError(self.env._("The province report was submitted; reopen it first."))
        if not report:
            with unlocked(self):
                report = self.create(
                    {
                        "period_id": period.id,
                        "agency_id": period.plan_id.issuing_agency_id.id,
                        "is_consolidated": True,
                    }
                )
        agency_reports = self.search(
            [("period_id", "=", period.id), ("is_consolidated", "=", False)], order="agency_id"
        )
        texts = {}
        for field in ("results", "difficulties", "proposals"):
            parts = [
                f"{r.agency_id.name}{'' if r.state == 'submitted' else ' *'}:\n{r[field]}"
                for r in agency_reports
                if r[field]
            ]
            texts[field] = "\n\n".join(parts) or False
        report.write(texts)
        report.action_refresh_lines()
        missing = agency_reports.filtered(lambda r: r.state != "submitted")
        if missing:
            report.message_post(
                body=Markup("%s<ul>%s</ul>")
                % (
                    self.env._("Not submitted yet (marked * in the texts):"),
                    Markup().join(
                        Markup("<li>%s</li>") % escape(r.agency_id.name) for r in missing
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return report

    @api.model
    def _cron_remind(self):
        """Activities and mail for the leaders of agencies whose report is due soon or late."""
        today = fields.Date.context_today(self)
        reports = self.search(
            [
                ("state", "=", "draft"),
                ("is_consolidated", "=", False),
                ("due_date", "<=", today + timedelta(days=REMINDER_DAYS)),
                ("plan_id.state", "=", "in_force"),
            ]
        )
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        template = self.env.ref("cchc_plan.mail_template_report_reminder")
        for report in reports:
            leaders = report.agency_id.leader_ids
            if report.activity_ids or not leaders:
                continue
            for leader in leaders:
                # The job runs as the system user: the summary in the leader's language.
                report.activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=report.due_date,
                    user_id=leader.id,
                    summary=self.with_context(lang=leader.lang or self.env.lang).env._(
                        "Submit the periodic report"
                    ),
                )
            template.send_mail(report.id)


class CchcPlanReportLine(models.Model):
    _name = "cchc.plan.report.line"
    _description = "Periodic report line"
    _inherit = ["cchc.protected.mixin"]
    _order = "report_id, id"
    # The snapshot of the task is taken by the server (action_refresh_lines); the agency types
    # its result on a line of a draft report.
    _cchc_protected_fields = frozenset({"report_id", "task_id", "role", "status", "progress"})

    report_id = fields.Many2one("cchc.plan.report", required=True, ondelete="cascade", index=True)
    task_id = fields.Many2one("project.task", required=True, ondelete="cascade", index=True)
    section_id = fields.Many2one(related="task_id.cchc_section_id")
    number = fields.Char(related="task_id.cchc_number")
    lead_agency_id = fields.Many2one(related="task_id.lead_agency_id")
    role = fields.Selection([("lead", "Lead"), ("coord", "Coordinating")])
    status = fields.Selection(CCHC_STATUSES)
    progress = fields.Integer(string="Progress (%)")
    result = fields.Text()

    # One line per task and report. Its index is also what keeps the refresh statement fast
    # whatever the planner believes: without it, a database without statistics yet (just
    # created, or right after a bulk import) probed lines by report only, 25 times slower.
    _sql_constraints = [
        (
            "task_unique",
            "UNIQUE(report_id, task_id)",
            "A report has one line per task.",
        ),
    ]

    def _cchc_is_frozen(self):
        return self.report_id.state == "submitted"

    def _cchc_protection_hint(self):
        return self.env._("The lines are a snapshot of the tasks, taken by Update tasks.")

    def _cchc_frozen_hint(self):
        return self.env._(
            "Its report was submitted and is locked. The coordinator may reopen it, giving a "
            "reason."
        )

    @api.model
    def _cchc_follow_tasks(self, tasks, results=False, reports=None):
        """Lines of reports not yet submitted take the tasks' status and progress (and their
        results when ``results``): until it is submitted, a report shows what the agencies last
        reported on their tasks. A submitted report keeps its snapshot.

        Server code only (the lines' snapshot fields are protected): one statement whatever the
        number of reports a task is on."""
        if not tasks:
            return
        tasks.flush_recordset(["cchc_status", "cchc_progress", "cchc_result"])
        self.flush_model(["status", "progress", "result", "report_id", "task_id"])
        self.env["cchc.plan.report"].flush_model(["state"])
        result_sql = SQL(", result = t.cchc_result") if results else SQL()
        result_diff = SQL(" OR l.result IS DISTINCT FROM t.cchc_result") if results else SQL()
        report_filter = SQL(" AND r.id IN %s", tuple(reports.ids)) if reports else SQL()
        self.env.cr.execute(
            SQL(
                """
                UPDATE cchc_plan_report_line l
                   SET status = t.cchc_status, progress = t.cchc_progress%(result_sql)s,
                       write_uid = %(uid)s, write_date = %(now)s
                  FROM project_task t, cchc_plan_report r
                 WHERE l.task_id = t.id AND l.report_id = r.id
                   AND r.state = 'draft' AND t.id IN %(ids)s%(report_filter)s
                   AND (l.status IS DISTINCT FROM t.cchc_status
                        OR l.progress IS DISTINCT FROM t.cchc_progress%(result_diff)s)
                """,
                result_sql=result_sql,
                result_diff=result_diff,
                report_filter=report_filter,
                uid=self.env.uid,
                now=fields.Datetime.now(),
                ids=tuple(tasks.ids),
            )
        )
        if self.env.cr.rowcount:
            self.invalidate_model(["status", "progress", "result", "write_uid", "write_date"])
            self.env["cchc.plan.report"].invalidate_model(["task_count", "done_count"])
