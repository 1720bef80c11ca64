import json

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.protect import is_unlocked, unlocked
from .cchc_indicator import is_met, rollup

# The aggregates a pivot, graph or grouped list asks of ``value``; all show the rollup.
VALUE_AGGREGATES = frozenset({"value:sum", "value:avg", "value:min", "value:max"})


def _rollup_or_false(values):
    number = rollup(values)
    return number if number is not None else False


class CchcIndicatorValue(models.Model):
    """A measured value for one agency and one period, and where it comes from."""

    _name = "cchc.indicator.value"
    _description = "Indicator value"
    _inherit = ["cchc.protected.mixin"]
    _order = "date_to desc, indicator_id, agency_id"

    indicator_id = fields.Many2one("cchc.indicator", required=True, ondelete="cascade", index=True)
    agency_id = fields.Many2one("cchc.agency", required=True, index=True, ondelete="restrict")
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True, index=True)
    # Group rows show ``rollup`` of their values (see ``_read_group_select``), never a plain sum.
    value = fields.Float(required=True, aggregator="sum")
    numerator = fields.Float(readonly=True, aggregator="sum", help="What the rate counts.")
    denominator = fields.Float(
        readonly=True, aggregator="sum", help="What the rate counts among. Empty: not a rate."
    )
    factor = fields.Float(
        readonly=True, aggregator=None, help="100 for a percentage, 1 for an average."
    )
    res_model = fields.Char(string="Counted model", readonly=True)
    res_domain = fields.Char(string="Counted records", readonly=True)
    unit = fields.Char(related="indicator_id.unit")
    target_value = fields.Float(related="indicator_id.target_value")
    comparison = fields.Selection(related="indicator_id.comparison")
    is_met = fields.Boolean(compute="_compute_is_met", store=True, string="Met")
    provenance = fields.Selection(
        [("manual", "Typed in"), ("computed", "Computed")],
        required=True,
        default="manual",
        readonly=True,
    )
    entered_by_id = fields.Many2one(
        "res.users", string="Typed by", readonly=True, default=lambda self: self.env.user
    )
    source_id = fields.Many2one("cchc.indicator.source", string="Computed by", readonly=True)
    computed_at = fields.Datetime(readonly=True)
    note = fields.Text()

    _sql_constraints = [
        (
            "period_unique",
            "UNIQUE(indicator_id, agency_id, date_from, date_to)",
            "This indicator already has a value for this agency and period.",
        ),
    ]

    @api.depends("value", "indicator_id.target_value", "indicator_id.comparison")
    def _compute_is_met(self):
        for rec in self:
            rec.is_met = is_met(rec.value, rec.target_value, rec.comparison)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for rec in self:
            if rec.date_to < rec.date_from:
                raise ValidationError(self.env._("The period of a value ends before it starts."))

    @api.constrains("indicator_id", "provenance")
    def _check_manual_allowed(self):
        for rec in self:
            if rec.provenance == "manual" and rec.indicator_id.source_id:
                raise ValidationError(
                    self.env._(
                        "%(indicator)s is computed by %(source_name)s: its values are measured, "
                        "not typed in.",
                        indicator=rec.indicator_id.name,
                        source_name=rec.indicator_id.source_id.name,
                    )
                )

    # Who measured or typed the value, and whether it is met, are the server's to say.
    _cchc_protected_fields = frozenset(
        {
            "provenance",
            "source_id",
            "computed_at",
            "entered_by_id",
            "is_met",
            "numerator",
            "denominator",
            "factor",
            "res_model",
            "res_domain",
        }
    )

    def _read_group_select(self, aggregate_spec, query):
        # A group's value is ``rollup`` of its records, not an SQL aggregate: fetch the ids
        # (as a recordset) and compute it in _read_group_postprocess_aggregate.
        if aggregate_spec in VALUE_AGGREGATES:
            return super()._read_group_select("id:recordset", query)
        return super()._read_group_select(aggregate_spec, query)

    def _read_group_postprocess_aggregate(self, aggregate_spec, raw_values):
        if aggregate_spec in VALUE_AGGREGATES:
            column = super()._read_group_postprocess_aggregate("id:recordset", raw_values)
            return (_rollup_or_false(values) for values in column)
        return super()._read_group_postprocess_aggregate(aggregate_spec, raw_values)

    def action_open_records(self):
        """Open the records a measured value counts, as the user may see them."""
        self.ensure_one()
        if not (self.res_model and self.res_domain) or self.res_model not in self.env:
            raise UserError(self.env._("This value does not name the records it counts."))
        self.env[self.res_model].check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(indicator)s: %(agency)s",
                indicator=self.indicator_id.name,
                agency=self.agency_id.name,
            ),
            "res_model": self.res_model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": json.loads(self.res_domain),
            "target": "current",
        }

    def _cchc_is_frozen(self):
        # A measured value is written only by its source.
        return self.provenance == "computed"

    def _cchc_protection_hint(self):
        return self.env._(
            "Computed values are written only by their indicator source; a typed value records "
            "who typed it."
        )

    def _cchc_frozen_hint(self):
        return self.env._("It was measured by its source; recompute the indicator instead.")

    def write(self, vals):
        if "value" in vals and not is_unlocked(self):
            self._cchc_check_write(vals)
            # A person changing a number makes it theirs.
            vals = dict(vals, provenance="manual", entered_by_id=self.env.uid, source_id=False)
            with unlocked(self):
                return super().write(vals)
        return super().write(vals)
