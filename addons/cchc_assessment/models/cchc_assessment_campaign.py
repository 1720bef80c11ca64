import ast
import json
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.cchc_base.tools.protect import unlocked

GRADES = [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]


class CchcAssessmentCampaign(models.Model):
    """One year's assessment: opened by the coordinator, every agency of the sets' kinds gets a
    scorecard; results are ranked and published once the council has finalised them."""

    _name = "cchc.assessment.campaign"
    _description = "Reform index campaign"
    _inherit = ["mail.thread", "cchc.protected.mixin"]
    _order = "year desc, id desc"

    name = fields.Char(required=True, tracking=True)
    year = fields.Integer(
        required=True, index=True, tracking=True, help="The year whose work is assessed."
    )
    set_ids = fields.Many2many(
        "cchc.assessment.set",
        string="Criteria sets",
        required=True,
        help="One set per kind of agency; every agency of these kinds gets a scorecard.",
    )
    deadline_days = fields.Integer(
        string="Self-assessment (working days)",
        default=15,
        required=True,
        help="Agencies submit their self-assessment within this many working days of opening.",
    )
    answer_days = fields.Integer(
        string="Answer (working days)",
        default=5,
        required=True,
        help="After the council proposes its scores, the agency may answer within this many "
        "working days.",
    )
    grade_a_min = fields.Float(string="Group A from (%)", default=90.0)
    grade_b_min = fields.Float(string="Group B from (%)", default=80.0)
    grade_c_min = fields.Float(string="Group C from (%)", default=70.0)
    task_rate_min = fields.Float(
        string="Assigned tasks completed at least (%)",
        default=90.0,
        help="An agency that completes fewer of its assigned reform tasks of the year cannot "
        "be rated 'completed well'.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("open", "Open"),
            ("ranked", "Ranked"),
            ("published", "Published"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    date_open = fields.Date(string="Opened on", readonly=True, tracking=True)
    deadline_date = fields.Date(string="Self-assessment due", readonly=True, tracking=True)
    date_published = fields.Date(string="Published on", readonly=True, tracking=True)
    scorecard_ids = fields.One2many("cchc.assessment.scorecard", "campaign_id", string="Scorecards")
    scorecard_count = fields.Integer(compute="_compute_scorecard_count")

    _cchc_protected_fields = frozenset({"state", "date_open", "deadline_date", "date_published"})
    _cchc_frozen_writable = frozenset({"name"})

    _sql_constraints = [
        ("deadline_positive", "CHECK(deadline_days > 0)", "The deadline is at least one day."),
        ("answer_positive", "CHECK(answer_days > 0)", "The answer period is at least one day."),
    ]

    def _compute_scorecard_count(self):
        counts = dict(
            self.env["cchc.assessment.scorecard"]._read_group(
                [("campaign_id", "in", self.ids)], ["campaign_id"], ["__count"]
            )
        )
        for campaign in self:
            campaign.scorecard_count = counts.get(campaign, 0)

    @api.constrains("set_ids", "year")
    def _check_sets(self):
        for campaign in self:
            kinds = campaign.set_ids.mapped("agency_kind")
            if len(kinds) != len(set(kinds)):
                raise ValidationError(
                    self.env._("A campaign uses one criteria set per kind of agency.")
                )
            if any(s.year != campaign.year for s in campaign.set_ids):
                raise ValidationError(
                    self.env._("The criteria sets must be those of the campaign's year.")
                )

    @api.constrains("grade_a_min", "grade_b_min", "grade_c_min")
    def _check_grades(self):
        for campaign in self:
            if not 100 >= campaign.grade_a_min > campaign.grade_b_min > campaign.grade_c_min >= 0:
                raise ValidationError(
                    self.env._("The groups' thresholds must go down from A to C, within 0–100%.")
                )

    def _cchc_is_frozen(self):
        return self.state == "published"

    def _cchc_protection_hint(self):
        return self.env._("The coordinator opens, ranks and publishes the campaign.")

    def write(self, vals):
        fixed = {"year", "set_ids", "deadline_days"} & set(vals)
        if fixed and any(campaign.state != "draft" for campaign in self):
            raise UserError(
                self.env._(
                    "The year, the criteria sets and the self-assessment period of an opened "
                    "campaign do not change: its scorecards were made from them."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------ actions

    def action_open(self):
        """Lock the sets and give every agency of their kinds a scorecard."""
        self.ensure_one()
        self._check_coordinator()
        if self.state != "draft":
            raise UserError(self.env._("The campaign is already open."))
        self.set_ids._lock()
        today = fields.Date.context_today(self)
        Scorecard = self.env["cchc.assessment.scorecard"]
        with unlocked(self, Scorecard, "cchc.assessment.score"):
            self.write(
                {
                    "state": "open",
                    "date_open": today,
                    "deadline_date": self.env["cchc.holiday"].add_working_days(
                        today, self.deadline_days
                    ),
                }
            )
            self._create_scorecards()
        self._compute_lines()
        self.message_post(
            body=self.env._(
                "Opened: %(count)s scorecards, self-assessment due %(deadline)s.",
                count=self.scorecard_count,
                deadline=self.deadline_date.strftime("%d/%m/%Y"),
            )
        )
        return True

    def action_compute(self):
        """Fill the computed sub-criteria again from the system's data."""
        self.ensure_one()
        self._check_coordinator()
        if self.state != "open":
            raise UserError(self.env._("Only an open campaign is computed."))
        self._compute_lines()
        return True

    def action_rank(self):
        """Totals, percentages, ranks, groups, last year and the task rule of every scorecard."""
        self.ensure_one()
        self._check_coordinator()
        if self.state not in ("open", "ranked"):
            raise UserError(self.env._("Rank an open campaign."))
        self._rank()
        with unlocked(self):
            self.state = "ranked"
        return True

    def action_publish(self):
        self.ensure_one()
        self._check_coordinator()
        if self.state != "ranked":
            raise UserError(self.env._("Rank the campaign before publishing it."))
        pending = self.scorecard_ids.filtered(lambda s: s.state != "final")
        if pending:
            raise UserError(
                self.env._(
                    "The council has not finalised every scorecard yet: %(agencies)s.",
                    agencies=", ".join(pending[:10].agency_id.mapped("name")),
                )
            )
        self._rank()
        Scorecard = self.env["cchc.assessment.scorecard"]
        with unlocked(self, Scorecard, "cchc.assessment.log"):
            self.scorecard_ids._set_state("published")
            self.write({"state": "published", "date_published": fields.Date.context_today(self)})
        self.message_post(body=self.env._("Results published."))
        return True

    def action_view_scorecards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cchc_assessment.cchc_assessment_scorecard_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action

    def action_view_ranking(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cchc_assessment.cchc_assessment_ranking_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_export_xlsx(self):
        self.ensure_one()
        return self.env.ref("cchc_assessment.action_report_ranking_xlsx").report_action(
            self, config=False
        )

    def action_improve(self):
        self.ensure_one()
        self._check_coordinator()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Improvement tasks"),
            "res_model": "cchc.assessment.improve",
            "view_mode": "form",
            "target": "new",
            "context": {"default_campaign_id": self.id},
        }

    # ------------------------------------------------------------------ business

    def _check_coordinator(self):
        if not self.env.user.has_group("cchc_base.group_cchc_coordinator"):
            raise UserError(self.env._("Only the reform coordinator runs the campaign."))

    def _period(self):
        return date(self.year, 1, 1), date(self.year, 12, 31)

    def _create_scorecards(self):
        self.ensure_one()
        agencies_by_kind = {}
        for agency in self.env["cchc.agency"].search(
            [("kind", "in", self.set_ids.mapped("agency_kind"))], order="id"
        ):
            agencies_by_kind.setdefault(agency.kind, []).append(agency.id)
        Scorecard = self.env["cchc.assessment.scorecard"].sudo()
        for set_ in self.set_ids:
            agency_ids = agencies_by_kind.get(set_.agency_kind, [])
            if agency_ids:
                Scorecard.create(
                    [
                        {"campaign_id": self.id, "set_id": set_.id, "agency_id": agency_id}
                        for agency_id in agency_ids
                    ]
                )
        # One line per scored item of each scorecard's set: 90,000 lines for 1,000 agencies
        # are one statement (the ORM would take minutes, beyond a request's time limit).
        self.env.flush_all()
        self.env.execute_query(
            SQL(
                """INSERT INTO cchc_assessment_score
                          (scorecard_id, criterion_id, campaign_id, agency_id, area_id,
                           max_points, self_score, final_score, council_score,
                           council_changed, has_figure,
                           create_uid, create_date, write_uid, write_date)
                   SELECT c.id, cr.id, c.campaign_id, c.agency_id, cr.area_id,
                          cr.max_points, 0, 0, 0, FALSE, FALSE,
                          %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                     FROM cchc_assessment_scorecard c
                     JOIN cchc_assessment_criterion cr
                       ON cr.set_id = c.set_id AND cr.is_leaf
                    WHERE c.campaign_id = %(campaign)s
                    ORDER BY c.id, cr.id""",
                uid=self.env.uid,
                campaign=self.id,
            )
        )
        self.env["cchc.assessment.scorecard"].invalidate_model(["line_ids"])

    def _compute_lines(self):
        """Every computed line of the scorecards still in self-assessment: the figure from its
        indicator source, the points from the criterion's table, and the domain of the records
        behind the figure. One call per source, one UPDATE in all. A submitted scorecard keeps
        the figures, points and evidence its agency submitted: the council appraises those,
        and changes them only with a reason (logged)."""
        self.ensure_one()
        date_from, date_to = self._period()
        cards = self.env["cchc.assessment.scorecard"].search(
            [("campaign_id", "=", self.id), ("state", "=", "draft")]
        )
        if not cards:
            return
        criteria = self.set_ids.criterion_ids.filtered(
            lambda c: c.is_leaf and c.method == "computed" and c.source_id
        )
        measures = {}
        for source in criteria.source_id:
            agencies = cards.agency_id
            measures[source.id] = source.sudo()._measure(agencies, date_from, date_to)
        tables = {c.id: c._band_table() for c in criteria}
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """SELECT s.id, s.criterion_id, c.agency_id
                     FROM cchc_assessment_score s
                     JOIN cchc_assessment_scorecard c ON c.id = s.scorecard_id
                    WHERE s.scorecard_id = ANY(%s) AND s.criterion_id = ANY(%s)""",
                cards.ids,
                criteria.ids,
            )
        )
        source_of = {c.id: c.source_id for c in criteria}
        ids, values, points, models_, domains = [], [], [], [], []
        Criterion = self.env["cchc.assessment.criterion"]
        domain_cache = {}
        facts_cache = {}
        evidence = []
        for score_id, criterion_id, agency_id in rows:
            source = source_of[criterion_id]
            measure = measures[source.id].get(agency_id)
            figure = measure["value"] if measure else None
            ids.append(score_id)
            values.append(figure)
            points.append(Criterion._points_for(figure, tables[criterion_id]))
            key = (source.id, agency_id)
            if key not in domain_cache:
                domain_cache[key] = self._evidence_domain(
                    source, agency_id, date_from, date_to, measure
                )
            model, domain = domain_cache[key]
            if key not in facts_cache:
                facts_cache[key] = self._evidence_records(source, model, domain, measure)
            if facts_cache[key]:
                evidence.append((score_id, agency_id, key))
            # NULL, not False: in a varchar[] parameter False becomes the text 'false'.
            models_.append(model or None)
            domains.append(domain or None)
        now = fields.Datetime.now()
        self.env.execute_query(
            SQL(
                """UPDATE cchc_assessment_score s
                      SET figure = v.figure, self_score = v.points,
                          final_score = CASE WHEN s.council_changed THEN s.council_score
                                             ELSE v.points END,
                          evidence_model = v.model, evidence_domain = v.domain,
                          figure_computed_at = %s, has_figure = v.figure IS NOT NULL
                     FROM unnest(%s::int[], %s::float8[], %s::float8[], %s::varchar[],
                                 %s::varchar[]) AS v(id, figure, points, model, domain)
                    WHERE s.id = v.id""",
                now,
                ids,
                values,
                points,
                models_,
                domains,
            )
        )
        self._store_evidence(ids, self._evidence_facts(facts_cache, evidence))
        self.env["cchc.assessment.score"].invalidate_model()
        cards._update_totals()

    def _evidence_records(self, source, model, domain, measure):
        """The records a figure was measured from: only those the source named with it."""
        named = measure and (
            measure["res_domain"]
            or hasattr(self.env[source.model_name], "_cchc_assessment_evidence")
        )
        if not (named and model and domain):
            return None
        return self.env[model].sudo().search(ast.literal_eval(domain), order="id")

    def _evidence_facts(self, records_of, lines):
        """``[(score_id, agency_id, fact)]`` of the ``lines`` (score, agency, source key): what
        each model's ``_cchc_evidence_facts`` keeps of a record (no personal data), else only
        its kind and id. One call per source and model, for every agency at once."""
        union = {}
        for (source_id, _agency), records in records_of.items():
            if records:
                key = (source_id, records._name)
                union[key] = union.get(key, records.browse()) | records
        facts = {}
        Source = self.env["cchc.indicator.source"]
        for (source_id, model), records in union.items():
            if hasattr(records, "_cchc_evidence_facts"):
                method = Source.browse(source_id).method_name
                facts[source_id, model] = records._cchc_evidence_facts(method)
        result = []
        for score_id, agency_id, key in lines:
            records = records_of[key]
            kept = facts.get((key[0], records._name), {})
            for rid in records.ids:
                fact = kept.get(rid) or {"code": f"#{rid}"}
                result.append(
                    (score_id, agency_id, {"res_model": records._name, "res_id": rid, **fact})
                )
        return result

    def _store_evidence(self, score_ids, evidence):
        """Replace the evidence of the computed lines by the records of this computation."""
        self.env.execute_query(
            SQL("DELETE FROM cchc_assessment_evidence WHERE score_id = ANY(%s)", score_ids)
        )
        if not evidence:
            return
        columns = {
            "score_id": [],
            "agency_id": [],
            "res_model": [],
            "res_id": [],
            "code": [],
            "detail": [],
            "date_due": [],
            "date_done": [],
            "met": [],
        }
        for score_id, agency_id, fact in evidence:
            met = fact.get("met")
            columns["score_id"].append(score_id)
            columns["agency_id"].append(agency_id)
            columns["res_model"].append(fact["res_model"])
            columns["res_id"].append(fact["res_id"])
            columns["code"].append(fact.get("code") or None)
            columns["detail"].append(fact.get("detail") or None)
            columns["date_due"].append(fact.get("date_due") or None)
            columns["date_done"].append(fact.get("date_done") or None)
            columns["met"].append(None if met is None else ("yes" if met else "no"))
        self.env.execute_query(
            SQL(
                """INSERT INTO cchc_assessment_evidence
                          (score_id, agency_id, res_model, res_id, code, detail, date_due,
                           date_done, met, create_uid, create_date, write_uid, write_date)
                   SELECT v.*, %s, NOW() AT TIME ZONE 'UTC', %s, NOW() AT TIME ZONE 'UTC'
                     FROM unnest(%s::int[], %s::int[], %s::varchar[], %s::int[],
                                 %s::varchar[], %s::varchar[], %s::date[], %s::date[],
                                 %s::varchar[])
                          AS v(score_id, agency_id, res_model, res_id, code, detail, date_due,
                               date_done, met)""",
                self.env.uid,
                self.env.uid,
                *columns.values(),
            )
        )
        self.env["cchc.assessment.evidence"].invalidate_model()

    def _evidence_domain(self, source, agency_id, date_from, date_to, measure):
        """The model and domain of the records a source's figure is measured from: those the
        source names with its figure (the records it counted, in the period), else the model's
        hook; without either, every record of the agency when there is a figure, nothing when
        the agency has no data (its other years' records are not behind any figure)."""
        if measure and measure["res_domain"]:
            # The source's domain is JSON (``false``, ``null``): the action's domain is Python.
            return measure["res_model"], repr(json.loads(measure["res_domain"]))
        model = self.env[source.model_name]
        hook = getattr(model, "_cchc_assessment_evidence", None)
        if hook:
            found = hook(source, agency_id, date_from, date_to)
            if found:
                return found
        if not measure:
            return False, False
        for fname in ("agency_id", "lead_agency_id", "receiving_agency_id"):
            if fname in model._fields:
                return source.model_name, repr([(fname, "=", agency_id)])
        return False, False

    def _rank(self):
        """Percentages, ranks among agencies of the same kind, groups, last year's figure and
        the task rule, in a few statements for the whole campaign."""
        self.ensure_one()
        cards = self.scorecard_ids
        cards._update_totals()
        self.env.flush_all()
        self.env.execute_query(
            SQL(
                """UPDATE cchc_assessment_scorecard c
                      SET rank = r.rank, rank_count = r.n,
                          grade = CASE WHEN c.percentage >= %s THEN 'A'
                                       WHEN c.percentage >= %s THEN 'B'
                                       WHEN c.percentage >= %s THEN 'C' ELSE 'D' END
                     FROM (SELECT id,
                                  RANK() OVER (PARTITION BY agency_kind
                                               ORDER BY percentage DESC) AS rank,
                                  COUNT(*) OVER (PARTITION BY agency_kind) AS n
                             FROM cchc_assessment_scorecard
                            WHERE campaign_id = %s) r
                    WHERE c.id = r.id""",
                self.grade_a_min,
                self.grade_b_min,
                self.grade_c_min,
                self.id,
            )
        )
        self.env.execute_query(
            SQL(
                """UPDATE cchc_assessment_scorecard c
                      SET previous_percentage = p.percentage,
                          percentage_change = c.percentage - p.percentage
                     FROM cchc_assessment_scorecard p
                     JOIN cchc_assessment_campaign pc ON pc.id = p.campaign_id
                    WHERE c.campaign_id = %s AND pc.year = %s AND pc.state = 'published'
                      AND p.agency_id = c.agency_id""",
                self.id,
                self.year - 1,
            )
        )
        self._update_task_rule()
        self.env["cchc.assessment.scorecard"].invalidate_model()

    def _update_task_rule(self):
        """The share of the agency's assigned plan tasks due in the year that are done."""
        date_from, date_to = self._period()
        cards = self.scorecard_ids
        rates = self.env["cchc.assessment.scorecard"]._task_completion(
            cards.agency_id, date_from, date_to
        )
        ids = cards.ids
        agency_of = {card.id: card.agency_id.id for card in cards}
        values = [rates.get(agency_of[card_id]) for card_id in ids]
        self.env.execute_query(
            SQL(
                """UPDATE cchc_assessment_scorecard c
                      SET task_rate = v.rate,
                          task_rule_breached = v.rate IS NOT NULL AND v.rate < %s
                     FROM unnest(%s::int[], %s::float8[]) AS v(id, rate)
                    WHERE c.id = v.id""",
                self.task_rate_min,
                ids,
                values,
            )
        )

    def _ranking_rows(self):
        """The scorecards the user may read, by kind of agency then rank."""
        self.ensure_one()
        cards = self.env["cchc.assessment.scorecard"].search(
            [("campaign_id", "=", self.id)], order="agency_kind, rank, id"
        )
        kinds = dict(cards._fields["agency_kind"]._description_selection(self.env))
        groups = {}
        for card in cards:
            groups.setdefault(kinds.get(card.agency_kind, ""), []).append(card)
        return groups
