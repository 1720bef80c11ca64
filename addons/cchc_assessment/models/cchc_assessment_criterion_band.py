from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CchcAssessmentCriterionBand(models.Model):
    """A row of a computed criterion's points table: a figure at least ``threshold`` earns
    ``points`` (e.g. on-time rate ≥ 98% → full points, ≥ 90% → half)."""

    _name = "cchc.assessment.criterion.band"
    _description = "Points table row"
    _inherit = ["cchc.protected.mixin"]
    _order = "threshold desc, id"

    criterion_id = fields.Many2one(
        "cchc.assessment.criterion", required=True, index=True, ondelete="cascade"
    )
    threshold = fields.Float(string="Figure at least", required=True)
    points = fields.Float(required=True, digits=(6, 2))

    @api.constrains("points", "criterion_id")
    def _check_points(self):
        for band in self:
            if band.points < 0 or band.points > band.criterion_id.max_points:
                raise ValidationError(
                    self.env._(
                        "%(criterion)s: a row of the points table gives %(points)s points, "
                        "more than the maximum %(max)s.",
                        criterion=band.criterion_id.complete_name,
                        points=band.points,
                        max=band.criterion_id.max_points,
                    )
                )

    def _cchc_is_frozen(self):
        return self.criterion_id.set_id.state == "locked"

    @api.model_create_multi
    def create(self, vals_list):
        criteria = self.env["cchc.assessment.criterion"].browse(
            list({vals.get("criterion_id") for vals in vals_list if vals.get("criterion_id")})
        )
        for criterion in criteria.filtered(lambda c: c.set_id.state == "locked"):
            criterion._cchc_refuse_frozen(criterion)
        return super().create(vals_list)
