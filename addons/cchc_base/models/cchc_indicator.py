from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_round

from ..tools.protect import unlocked

COMPARISONS = [("ge", "At least"), ("le", "At most"), ("eq", "Exactly")]


# Values are shown with two decimals: "met" is decided on the number shown.
SHOWN_DIGITS = 2


def is_met(value, target, comparison):
    value = float_round(value, precision_digits=SHOWN_DIGITS)
    if comparison == "ge":
        return value >= target
    if comparison == "le":
        return value <= target
    return abs(value - target) < 1e-9


def rollup(values):
    """The value of a group of values (agencies, periods) of ONE indicator: a rate from the
    summed numerators and denominators, a count summed; ``None`` when they cannot be put
    together (different indicators or units, rates mixed with plain values)."""
    if not values or len(values.indicator_id) != 1:
        return None
    if all(v.denominator for v in values):
        factors = set(values.mapped("factor"))
        denominator = sum(values.mapped("denominator"))
        if len(factors) != 1 or not denominator:
            return None
        return factors.pop() * sum(values.mapped("numerator")) / denominator
    if any(v.denominator for v in values):
        return None
    return sum(values.mapped("value"))


def quarter_bounds(day):
    start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return start, start + relativedelta(months=3, days=-1)


class CchcIndicator(models.Model):
    """A target such as '100% of documents between agencies are electronic, by 31/12/2025'."""

    _name = "cchc.indicator"
    _description = "Indicator"
    _inherit = ["mail.thread"]
    _order = "area_id, code"

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(required=True, tracking=True)
    area_id = fields.Many2one("cchc.reform.area", string="Reform area", index=True)
    unit = fields.Char(default="%", help="The unit of the values: %, dossiers, days…")
    target_value = fields.Float(required=True, tracking=True)
    comparison = fields.Selection(COMPARISONS, required=True, default="ge", tracking=True)
    due_date = fields.Date(tracking=True, help="When the target must be reached.")
    agency_id = fields.Many2one(
        "cchc.agency",
        index=True,
        tracking=True,
        help="The agency this target is set for. Empty: every agency is measured against it.",
    )
    source_id = fields.Many2one(
        "cchc.indicator.source",
        string="Computed by",
        help="Where the system holds the data, the values are computed by this source and not "
        "typed in.",
    )
    value_ids = fields.One2many("cchc.indicator.value", "indicator_id", string="Values")
    latest_value = fields.Float(
        compute="_compute_latest",
        string="Latest value",
        help="The last period's value for every agency measured: the summed numerators over "
        "the summed denominators for a rate.",
    )
    latest_is_met = fields.Boolean(compute="_compute_latest", string="Latest met")
    latest_date_to = fields.Date(compute="_compute_latest", string="Latest period ends")
    last_computed_at = fields.Datetime(
        compute="_compute_latest",
        string="Last computed",
        help="When its source last measured it (every day, or on the coordinator's demand).",
    )
    description = fields.Text()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "The code of an indicator must be unique."),
    ]

    @api.depends(
        "value_ids.value",
        "value_ids.numerator",
        "value_ids.denominator",
        "value_ids.date_to",
        "value_ids.computed_at",
        "target_value",
        "comparison",
    )
    def _compute_latest(self):
        for indicator in self:
            values = indicator.value_ids
            last = max(values.mapped("date_to"), default=False)
            number = rollup(values.filtered(lambda v, last=last: v.date_to == last))
            indicator.latest_date_to = last
            indicator.latest_value = number or 0.0
            indicator.latest_is_met = number is not None and is_met(
                number, indicator.target_value, indicator.comparison
            )
            indicator.last_computed_at = max(
                values.filtered("computed_at").mapped("computed_at"), default=False
            )

    def action_compute_current_quarter(self):
        if not (
            self.env.user.has_group("cchc_base.group_cchc_coordinator")
            or self.env.user.has_group("base.group_system")
        ):
            raise AccessError(
                self.env._("Only the reform coordinator or an administrator computes indicators.")
            )
        self.check_access("write")
        date_from, date_to = quarter_bounds(fields.Date.context_today(self))
        self._compute_values(date_from, date_to)
        return True

    def _compute_values(self, date_from, date_to, agencies=None):
        """Measure each indicator that has a source for the period and store the values.

        Private: it writes computed values (which nobody else may write) for any agency; the
        coordinator's action and the daily job call it."""
        computed = self.filtered("source_id")
        if not computed:
            raise UserError(self.env._("None of these indicators has a source to compute it."))
        Value = self.env["cchc.indicator.value"]
        all_agencies = self.env["cchc.agency"].search([])
        for indicator in computed:
            scope = agencies or indicator.agency_id or all_agencies
            results = indicator.source_id._measure(scope, date_from, date_to)
            existing = {
                v.agency_id.id: v
                for v in Value.search(
                    [
                        ("indicator_id", "=", indicator.id),
                        ("agency_id", "in", scope.ids),
                        ("date_from", "=", date_from),
                        ("date_to", "=", date_to),
                    ]
                )
            }
            # An agency that no longer has data for the period keeps no stale measured value.
            stale = Value.browse(
                [
                    v.id
                    for agency_id, v in existing.items()
                    if agency_id not in results and v.provenance == "computed"
                ]
            )
            with unlocked(Value):
                stale.unlink()
            now = fields.Datetime.now()
            to_create = []
            for agency_id, measure in results.items():
                vals = {
                    **measure,
                    "provenance": "computed",
                    "source_id": indicator.source_id.id,
                    "computed_at": now,
                    "entered_by_id": False,
                }
                if agency_id in existing:
                    with unlocked(Value):
                        existing[agency_id].write(vals)
                else:
                    to_create.append(
                        dict(
                            vals,
                            indicator_id=indicator.id,
                            agency_id=agency_id,
                            date_from=date_from,
                            date_to=date_to,
                        )
                    )
            with unlocked(Value):
                Value.create(to_create)
        return True

    @api.model
    def _cron_compute_current_quarter(self):
        measured = self.search([("source_id", "!=", False)])
        if not measured:
            # A database with no measured indicator yet: nothing to compute, nothing to report.
            return
        date_from, date_to = quarter_bounds(fields.Date.context_today(self))
        measured._compute_values(date_from, date_to)
