from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.cchc_base.tools.protect import unlocked

# The five SIPAS factors (Chỉ số hài lòng về sự phục vụ hành chính).
FACTORS = [
    ("score_access", "Access to the service"),
    ("score_procedure", "The administrative procedure"),
    ("score_officer", "The civil servant"),
    ("score_result", "The result"),
    ("score_feedback", "Handling of feedback"),
]
FACTOR_FIELDS = tuple(name for name, _label in FACTORS)
CHANNELS = [("online", "Online link"), ("kiosk", "Counter kiosk")]
# A score of 4 (satisfied) or 5 (very satisfied) counts as satisfied.
SATISFIED = 4


class CchcPortalRating(models.Model):
    """A citizen's SIPAS rating of a returned dossier: five factors on a 1–5 scale."""

    _name = "cchc.portal.rating"
    _description = "Satisfaction rating"
    _inherit = ["cchc.protected.mixin"]
    _order = "rated_date desc, id desc"

    _cchc_protected_fields = frozenset(
        {"dossier_id", "rated_date", "channel", "comment", *FACTOR_FIELDS}
    )

    dossier_id = fields.Many2one(
        "cchc.onestop.dossier", required=True, ondelete="cascade", readonly=True
    )
    agency_id = fields.Many2one(
        related="dossier_id.agency_id", store=True, index=True, string="Agency"
    )
    procedure_id = fields.Many2one(related="dossier_id.procedure_id", store=True)
    rated_date = fields.Date(required=True, readonly=True, index=True)
    channel = fields.Selection(CHANNELS, required=True, readonly=True)
    score_access = fields.Integer(string="Access to the service", readonly=True)
    score_procedure = fields.Integer(string="The administrative procedure", readonly=True)
    score_officer = fields.Integer(string="The civil servant", readonly=True)
    score_result = fields.Integer(string="The result", readonly=True)
    score_feedback = fields.Integer(string="Handling of feedback", readonly=True)
    score_average = fields.Float(
        string="Average", compute="_compute_score_average", store=True, aggregator="avg"
    )
    comment = fields.Text(readonly=True)

    _sql_constraints = [
        ("dossier_unique", "UNIQUE(dossier_id)", "A dossier is rated once."),
        (
            "scores_range",
            "CHECK(score_access BETWEEN 1 AND 5 AND score_procedure BETWEEN 1 AND 5 "
            "AND score_officer BETWEEN 1 AND 5 AND score_result BETWEEN 1 AND 5 "
            "AND score_feedback BETWEEN 1 AND 5)",
            "Each factor is scored 1 to 5.",
        ),
    ]

    def _cchc_is_frozen(self):
        return True

    @api.depends(*FACTOR_FIELDS)
    def _compute_score_average(self):
        for rating in self:
            rating.score_average = sum(rating[name] for name in FACTOR_FIELDS) / len(FACTOR_FIELDS)

    @api.model
    def _portal_rate(self, dossier, scores, comment, channel):
        """Record the rating of a returned dossier (once) and its overall mark on the dossier."""
        dossier = dossier.sudo()
        if dossier.state != "returned":
            raise UserError(
                self.env._("A dossier is rated only after its result has been returned.")
            )
        if self.sudo().search_count([("dossier_id", "=", dossier.id)]):
            raise UserError(self.env._("This dossier has been rated already. Thank you."))
        values = {}
        for name in FACTOR_FIELDS:
            try:
                score = int(scores.get(name) or 0)
            except (TypeError, ValueError):
                score = 0
            if not 1 <= score <= 5:
                raise UserError(self.env._("Give each of the five factors a score from 1 to 5."))
            values[name] = score
        today = dossier._clock().local_date(fields.Datetime.now())
        with unlocked(self):
            rating = self.sudo().create(
                dict(
                    values,
                    dossier_id=dossier.id,
                    rated_date=today,
                    channel=channel,
                    comment=(comment or "").strip()[:2000] or False,
                )
            )
        dossier._rate(round(rating.score_average), rating.comment)
        return rating

    # ---------------------------------------------------------------- indicators

    def _rating_domain(self, agency_ids, date_from, date_to):
        return [
            ("agency_id", "in", agency_ids),
            ("rated_date", ">=", date_from),
            ("rated_date", "<=", date_to),
        ]

    @api.model
    def _satisfied_counts(self, agencies, date_from, date_to):
        """``{agency_id: ({factor: ratings satisfied}, ratings)}`` over the ratings given in
        the period."""
        counts = defaultdict(lambda: defaultdict(int))
        totals = defaultdict(int)
        ratings = self.sudo().search(self._rating_domain(agencies.ids, date_from, date_to))
        for rating in ratings:
            totals[rating.agency_id.id] += 1
            for name in FACTOR_FIELDS:
                if rating[name] >= SATISFIED:
                    counts[rating.agency_id.id][name] += 1
        return {agency_id: (counts[agency_id], total) for agency_id, total in totals.items()}

    def _factor_source(self, factor, agencies, date_from, date_to):
        """Satisfied ratings of one factor over the ratings given, per agency."""
        return {
            agency_id: {
                "numerator": counts[factor],
                "denominator": total,
                "domain": self._rating_domain([agency_id], date_from, date_to),
            }
            for agency_id, (counts, total) in self._satisfied_counts(
                agencies, date_from, date_to
            ).items()
        }

    @api.model
    def _cchc_indicator_sipas_access(self, agencies, date_from, date_to):
        """Indicator source: % of ratings satisfied (4–5) with access to the service."""
        return self._factor_source("score_access", agencies, date_from, date_to)

    @api.model
    def _cchc_indicator_sipas_procedure(self, agencies, date_from, date_to):
        """Indicator source: % of ratings satisfied (4–5) with the procedure."""
        return self._factor_source("score_procedure", agencies, date_from, date_to)

    @api.model
    def _cchc_indicator_sipas_officer(self, agencies, date_from, date_to):
        """Indicator source: % of ratings satisfied (4–5) with the civil servant."""
        return self._factor_source("score_officer", agencies, date_from, date_to)

    @api.model
    def _cchc_indicator_sipas_result(self, agencies, date_from, date_to):
        """Indicator source: % of ratings satisfied (4–5) with the result."""
        return self._factor_source("score_result", agencies, date_from, date_to)

    @api.model
    def _cchc_indicator_sipas_feedback(self, agencies, date_from, date_to):
        """Indicator source: % of ratings satisfied (4–5) with the handling of feedback."""
        return self._factor_source("score_feedback", agencies, date_from, date_to)

    @api.model
    def _cchc_indicator_sipas_overall(self, agencies, date_from, date_to):
        """Indicator source: SIPAS overall, the satisfied answers of the five factors over all
        the answers (five per rating): the mean of the five shares, as summed counts."""
        return {
            agency_id: {
                "numerator": sum(counts.values()),
                "denominator": len(FACTOR_FIELDS) * total,
                "domain": self._rating_domain([agency_id], date_from, date_to),
            }
            for agency_id, (counts, total) in self._satisfied_counts(
                agencies, date_from, date_to
            ).items()
        }
