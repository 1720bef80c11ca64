from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.cchc_base.tools.protect import unlocked
from odoo.addons.cchc_plan.models.project_task import DONE_STATUSES

from .cchc_assessment_campaign import GRADES

STATES = [
    ("draft", "Self-assessment"),
    ("submitted", "Submitted"),
    ("proposed", "Proposed by the council"),
    ("answered", "Answered"),
    ("final", "Final"),
    ("published", "Published"),
]


class CchcAssessmentScorecard(models.Model):
    """An agency's scorecard in a campaign: one score line per scored item of its set.

    Self-assessment (draft) → the leader submits (locked for the agency) → the council adjusts
    and proposes → the agency may answer within the campaign's working days → the council
    finalises → the coordinator publishes. Every change is logged in ``cchc.assessment.log``.
    """

    _name = "cchc.assessment.scorecard"
    _description = "Reform index scorecard"
    _inherit = ["mail.thread", "cchc.protected.mixin"]
    _order = "campaign_id desc, rank, agency_id"
    _rec_name = "agency_id"

    campaign_id = fields.Many2one(
        "cchc.assessment.campaign", required=True, index=True, ondelete="cascade", readonly=True
    )
    set_id = fields.Many2one(
        "cchc.assessment.set", string="Criteria set", required=True, readonly=True
    )
    agency_id = fields.Many2one(
        "cchc.agency", required=True, index=True, ondelete="restrict", readonly=True
    )
    agency_kind = fields.Selection(related="agency_id.kind", store=True, string="Kind of agency")
    year = fields.Integer(related="campaign_id.year", store=True)
    state = fields.Selection(STATES, default="draft", required=True, tracking=True, index=True)
    line_ids = fields.One2many("cchc.assessment.score", "scorecard_id", string="Scores")
    log_ids = fields.One2many("cchc.assessment.log", "scorecard_id", string="Changes")
    deadline_date = fields.Date(related="campaign_id.deadline_date", string="Due")
    submitted_by_id = fields.Many2one("res.users", string="Submitted by", readonly=True)
    submitted_on = fields.Datetime(readonly=True)
    answer_deadline = fields.Date(
        string="Answer by", readonly=True, help="The agency may answer the council until then."
    )
    answer_note = fields.Text(
        string="Agency's answer",
        help="The agency's answer to the proposed scores, written by the agency while it may "
        "answer.",
    )
    answered_by_id = fields.Many2one("res.users", string="Answered by", readonly=True)
    max_total = fields.Float(string="Maximum", readonly=True, digits=(6, 2), aggregator="avg")
    self_total = fields.Float(string="Self-assessed", readonly=True, digits=(6, 2))
    final_total = fields.Float(string="Score", readonly=True, digits=(6, 2), aggregator="avg")
    percentage = fields.Float(string="Index (%)", readonly=True, digits=(5, 2), aggregator="avg")
    rank = fields.Integer(readonly=True, aggregator=None)
    rank_count = fields.Integer(string="Ranked agencies", readonly=True, aggregator=None)
    grade = fields.Selection(GRADES, string="Group", readonly=True)
    previous_percentage = fields.Float(
        string="Last year (%)", readonly=True, digits=(5, 2), aggregator="avg"
    )
    percentage_change = fields.Float(
        string="Change (points of %)", readonly=True, digits=(5, 2), aggregator="avg"
    )
    task_rate = fields.Float(
        string="Assigned tasks done (%)", readonly=True, digits=(5, 2), aggregator="avg"
    )
    task_rule_breached = fields.Boolean(
        string="Under the task threshold",
        readonly=True,
        help="Fewer of the agency's assigned reform tasks of the year are done than the "
        "campaign requires: the agency cannot be rated 'completed well'.",
    )
    area_summary = fields.Html(
        string="Results per area", compute="_compute_area_summary", sanitize=False
    )
    can_answer = fields.Boolean(compute="_compute_roles")
    is_council = fields.Boolean(compute="_compute_roles")
    is_agency_leader = fields.Boolean(compute="_compute_roles")

    _cchc_protected_fields = frozenset(
        {
            "campaign_id",
            "set_id",
            "agency_id",
            "state",
            "submitted_by_id",
            "submitted_on",
            "answer_deadline",
            "answered_by_id",
            "max_total",
            "self_total",
            "final_total",
            "percentage",
            "rank",
            "rank_count",
            "grade",
            "previous_percentage",
            "percentage_change",
            "task_rate",
            "task_rule_breached",
        }
    )

    _sql_constraints = [
        (
            "agency_unique",
            "UNIQUE(campaign_id, agency_id)",
            "An agency has one scorecard per campaign.",
        ),
    ]

    def _compute_area_summary(self):
        for card in self:
            card.area_summary = self.env["ir.qweb"]._render(
                "cchc_assessment.scorecard_area_table", {"areas": card._area_results()}
            )

    @api.depends("state", "agency_id")
    @api.depends_context("uid")
    def _compute_roles(self):
        user = self.env.user
        council = user.has_group("cchc_assessment.group_cchc_assessment_council") or (
            user.has_group("cchc_base.group_cchc_coordinator")
        )
        for card in self:
            member = card._user_is_member(user)
            card.is_council = council
            card.is_agency_leader = member and user.has_group("cchc_base.group_cchc_leader")
            card.can_answer = member and card.state == "proposed"

    def _cchc_is_frozen(self):
        return self.state in ("final", "published")

    def _cchc_protection_hint(self):
        return self.env._(
            "A scorecard changes through its own steps: the leader submits, the council "
            "proposes and finalises, the coordinator publishes."
        )

    def _cchc_frozen_hint(self):
        return self.env._("The council has finalised it.")

    def write(self, vals):
        if "answer_note" in vals:
            for card in self:
                card._check_may_answer()
        return super().write(vals)

    # ------------------------------------------------------------------ actions

    def action_submit(self):
        """The agency's leader submits the self-assessment; the agency can no longer change it."""
        for card in self:
            card._check_leader()
            if card.state != "draft":
                raise UserError(
                    self.env._("%(agency)s: already submitted.", agency=card.agency_id.name)
                )
            card.line_ids._check_evidence()
        with unlocked(self, "cchc.assessment.log"):
            self.sudo().write(
                {"submitted_by_id": self.env.uid, "submitted_on": fields.Datetime.now()}
            )
            self.sudo()._set_state("submitted")
        self.sudo()._update_totals()
        return True

    def action_propose(self):
        """The council sends its proposed scores; the agency may answer within N working days."""
        self._check_council()
        for card in self:
            if card.state != "submitted":
                raise UserError(
                    self.env._(
                        "%(agency)s: only a submitted scorecard is proposed.",
                        agency=card.agency_id.name,
                    )
                )
        today = fields.Date.context_today(self)
        with unlocked(self, "cchc.assessment.log"):
            for card in self:
                card.sudo().answer_deadline = self.env["cchc.holiday"].add_working_days(
                    today, card.campaign_id.answer_days
                )
            self.sudo()._set_state("proposed")
        return True

    def action_answer(self):
        """The agency sends its answer to the proposed scores."""
        for card in self:
            card._check_may_answer()
            if not (card.answer_note or "").strip():
                raise UserError(self.env._("Write the agency's answer before sending it."))
        with unlocked(self, "cchc.assessment.log"):
            for card in self:
                card.sudo().answered_by_id = self.env.uid
                card.sudo()._log("answer", "", "", card.answer_note)
            self.sudo()._set_state("answered")
        return True

    def action_finalise(self):
        """The council's scores become final once the agency answered or its time ran out."""
        self._check_council()
        today = fields.Date.context_today(self)
        for card in self:
            if card.state == "proposed" and card.answer_deadline and today <= card.answer_deadline:
                raise UserError(
                    self.env._(
                        "%(agency)s may still answer until %(date)s.",
                        agency=card.agency_id.name,
                        date=card.answer_deadline.strftime("%d/%m/%Y"),
                    )
                )
            if card.state not in ("proposed", "answered"):
                raise UserError(
                    self.env._(
                        "%(agency)s: the council finalises proposed scores.",
                        agency=card.agency_id.name,
                    )
                )
        with unlocked(self, "cchc.assessment.log"):
            self.sudo()._set_state("final")
        self.sudo()._update_totals()
        return True

    def action_view_logs(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Changes"),
            "res_model": "cchc.assessment.log",
            "view_mode": "list",
            "domain": [("scorecard_id", "=", self.id)],
        }

    def action_view_areas(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cchc_assessment.cchc_assessment_score_area_action"
        )
        action["domain"] = [("scorecard_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------ business

    def _area_results(self):
        """[(area, maximum, self-assessed, current score, %)] in the set's order."""
        self.ensure_one()
        rows = {}
        for line in self.line_ids:
            area = line.area_id
            maximum, own, final = rows.get(area, (0.0, 0.0, 0.0))
            rows[area] = (
                maximum + line.max_points,
                own + (line.self_score or 0.0),
                final + (line.final_score or 0.0),
            )
        return [
            (area, mx, own, final, round(100 * final / mx, 2) if mx else 0.0)
            for area, (mx, own, final) in sorted(
                rows.items(), key=lambda item: (item[0].sequence, item[0].id)
            )
        ]

    def _user_is_member(self, user):
        self.ensure_one()
        agency = user.cchc_agency_id
        return bool(agency) and self.agency_id.parent_path.startswith(agency.parent_path)

    def _check_leader(self):
        user = self.env.user
        if user.has_group("cchc_base.group_cchc_coordinator"):
            return
        if not (user.has_group("cchc_base.group_cchc_leader") and self._user_is_member(user)):
            raise AccessError(self.env._("Only a leader of the agency submits its scorecard."))

    def _check_council(self):
        user = self.env.user
        if not (
            user.has_group("cchc_assessment.group_cchc_assessment_council")
            or user.has_group("cchc_base.group_cchc_coordinator")
        ):
            raise AccessError(self.env._("Only the appraisal council does this."))

    def _check_may_answer(self):
        self.ensure_one()
        if not self._user_is_member(self.env.user):
            raise AccessError(self.env._("Only the agency answers the council."))
        if self.state != "proposed":
            raise UserError(
                self.env._("The agency answers while the council's scores are proposed.")
            )
        if self.answer_deadline and fields.Date.context_today(self) > self.answer_deadline:
            raise UserError(
                self.env._(
                    "The time to answer ended on %(date)s.",
                    date=self.answer_deadline.strftime("%d/%m/%Y"),
                )
            )

    def _set_state(self, state):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for card in self:
            card._log("state", labels.get(card.state), labels.get(state), "")
        self.write({"state": state})

    def _log(self, kind, old, new, reason, score=None):
        self.ensure_one()
        with unlocked("cchc.assessment.log"):
            self.env["cchc.assessment.log"].sudo().create(
                {
                    "scorecard_id": self.id,
                    "score_id": score.id if score else False,
                    "user_id": self.env.uid,
                    "kind": kind,
                    "old_value": old or "",
                    "new_value": new or "",
                    "reason": reason or "",
                }
            )

    def _update_totals(self):
        """Maximum, self-assessed and current totals and the percentage, in one statement."""
        if not self:
            return
        self.env.flush_all()
        self.env.execute_query(
            SQL(
                """UPDATE cchc_assessment_scorecard c
                      SET max_total = t.max_total, self_total = t.self_total,
                          final_total = t.final_total,
                          percentage = CASE
                              WHEN t.max_total > 0
                              THEN ROUND((100 * t.final_total / t.max_total)::numeric, 2)
                              ELSE 0 END
                     FROM (SELECT scorecard_id,
                                  SUM(max_points) AS max_total,
                                  SUM(COALESCE(self_score, 0)) AS self_total,
                                  SUM(COALESCE(final_score, 0)) AS final_total
                             FROM cchc_assessment_score
                            WHERE scorecard_id = ANY(%s)
                            GROUP BY scorecard_id) t
                    WHERE c.id = t.scorecard_id""",
                self.ids,
            )
        )
        self.invalidate_recordset(["max_total", "self_total", "final_total", "percentage"])

    @api.model
    def _tasks_due_and_done(self, agencies, date_from, date_to):
        """The domain of the plan tasks the agencies lead that are due in the period, and per
        agency the count of those tasks and of those done."""
        Task = self.env["project.task"].sudo()
        domain = [
            ("cchc_plan_id", "!=", False),
            ("lead_agency_id", "in", agencies.ids),
            ("date_deadline", ">=", date_from),
            ("date_deadline", "<=", f"{date_to} 23:59:59"),
        ]
        totals = dict(Task._read_group(domain, ["lead_agency_id"], ["__count"]))
        done = dict(
            Task._read_group(
                domain + [("cchc_status", "in", DONE_STATUSES)], ["lead_agency_id"], ["__count"]
            )
        )
        return domain, totals, done

    @api.model
    def _task_completion(self, agencies, date_from, date_to):
        """{agency_id: % of the plan tasks it leads, due in the period, that are done}."""
        _domain, totals, done = self._tasks_due_and_done(agencies, date_from, date_to)
        return {
            agency.id: round(100.0 * done.get(agency, 0) / count, 2)
            for agency, count in totals.items()
            if count
        }

    # ------------------------------------------------------------------ indicator sources

    @api.model
    def _cchc_indicator_task_completion_rate(self, agencies, date_from, date_to):
        """% of the plan tasks the agency leads, due in the period, that are done: done tasks
        over tasks due, the tasks due opened by the value."""
        domain, totals, done = self._tasks_due_and_done(agencies, date_from, date_to)
        return {
            agency.id: {
                "numerator": done.get(agency, 0),
                "denominator": count,
                "model": "project.task",
                "domain": [("lead_agency_id", "=", agency.id), *domain[2:], domain[0]],
            }
            for agency, count in totals.items()
            if count
        }

    @api.model
    def _cchc_indicator_report_on_time_rate(self, agencies, date_from, date_to):
        """% of the agency's periodic reports due in the period submitted by their due date."""
        Report = self.env["cchc.plan.report"].sudo()
        domain = [
            ("agency_id", "in", agencies.ids),
            ("is_consolidated", "=", False),
            ("due_date", ">=", date_from),
            ("due_date", "<=", date_to),
        ]
        rows = Report.search_read(domain, ["agency_id", "due_date", "submitted_on", "state"])
        counts = {}
        for row in rows:
            agency_id = row["agency_id"][0]
            total, on_time = counts.get(agency_id, (0, 0))
            submitted = row["submitted_on"]
            ok = bool(submitted) and submitted.date() <= row["due_date"]
            counts[agency_id] = (total + 1, on_time + ok)
        return {
            agency_id: {
                "numerator": ok,
                "denominator": total,
                "model": "cchc.plan.report",
                "domain": [("agency_id", "=", agency_id), *domain[1:]],
            }
            for agency_id, (total, ok) in counts.items()
            if total
        }

    @api.model
    def _cchc_assessment_evidence(self, source, agency_id, date_from, date_to):
        if source.method_name == "_cchc_indicator_task_completion_rate":
            return "project.task", repr(
                [
                    ("cchc_plan_id", "!=", False),
                    ("lead_agency_id", "=", agency_id),
                    ("date_deadline", ">=", str(date_from)),
                    ("date_deadline", "<=", f"{date_to} 23:59:59"),
                ]
            )
        if source.method_name == "_cchc_indicator_report_on_time_rate":
            return "cchc.plan.report", repr(
                [
                    ("agency_id", "=", agency_id),
                    ("is_consolidated", "=", False),
                    ("due_date", ">=", str(date_from)),
                    ("due_date", "<=", str(date_to)),
                ]
            )
        return None
