from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

SOURCE_METHOD_PREFIX = "_cchc_indicator_"


class CchcIndicatorSource(models.Model):
    """A named computation that measures an indicator from the system's own data.

    Addons register a source as data: the model and the method to call. The method is called as
    ``env[model].<method>(agencies, date_from, date_to)`` and returns ``{agency_id: value}``
    (a missing key or ``None`` means "no data for that agency"). Its name must start with
    ``_cchc_indicator_`` so that no other method can be reached through a source record.
    """

    _name = "cchc.indicator.source"
    _description = "Indicator source"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    model_name = fields.Char(string="Model", required=True)
    method_name = fields.Char(string="Method", required=True)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "The code of an indicator source must be unique."),
    ]

    @api.constrains("model_name", "method_name")
    def _check_method(self):
        for source in self:
            if not source.method_name.startswith(SOURCE_METHOD_PREFIX):
                raise ValidationError(
                    self.env._(
                        "The method of an indicator source must start with %(prefix)s.",
                        prefix=SOURCE_METHOD_PREFIX,
                    )
                )
            if source.model_name not in self.env or not hasattr(
                self.env[source.model_name], source.method_name
            ):
                raise ValidationError(
                    self.env._(
                        "The indicator source %(source_name)s points at %(model)s.%(method)s, "
                        "which does not exist.",
                        source_name=source.name,
                        model=source.model_name,
                        method=source.method_name,
                    )
                )

    def _compute_values(self, agencies, date_from, date_to):
        """Call the source; returns ``{agency_id: float}`` for the agencies that have data.

        Private: a source counts records of every agency, past record rules."""
        self.ensure_one()
        if date_to < date_from:
            raise UserError(self.env._("The period ends before it starts."))
        model = self.env[self.model_name]
        result = getattr(model, self.method_name)(agencies, date_from, date_to) or {}
        return {
            agency_id: float(value)
            for agency_id, value in result.items()
            if value is not None and agency_id in agencies.ids
        }
