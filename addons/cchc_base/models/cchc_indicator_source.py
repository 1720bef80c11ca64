import json

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

SOURCE_METHOD_PREFIX = "_cchc_indicator_"


class CchcIndicatorSource(models.Model):
    """A named computation that measures an indicator from the system's own data.

    Addons register a source as data: the model and the method to call. The method is called as
    ``env[model].<method>(agencies, date_from, date_to)`` and returns, per agency id, one of:

    - a number: the value itself (a count, a number of days);
    - ``(numerator, denominator)``: a percentage, stored as both counts and
      ``100 * numerator / denominator``;
    - a dict with ``numerator`` and ``denominator`` (and ``factor``: 100 for a percentage, the
      default, 1 for an average such as days per dossier) or ``value``, and optionally
      ``domain`` (and ``model``, by default the source's model): the records the value counts,
      which the value opens (drill-down).

    A missing key, ``None`` or a zero denominator means "no data for that agency". Groups of
    agencies add numerators and denominators, never values. The method's name must start with
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
        return {
            agency_id: measure["value"]
            for agency_id, measure in self._measure(agencies, date_from, date_to).items()
        }

    def _measure(self, agencies, date_from, date_to):
        """Call the source; returns ``{agency_id: measure}`` for the agencies that have data,
        a measure being a dict with ``value``, ``numerator``, ``denominator`` and ``factor``
        (``False`` for a plain value), ``res_model`` and ``res_domain`` (``False`` when the
        source names no records).

        Private: a source counts records of every agency, past record rules."""
        self.ensure_one()
        if date_to < date_from:
            raise UserError(self.env._("The period ends before it starts."))
        model = self.env[self.model_name]
        result = getattr(model, self.method_name)(agencies, date_from, date_to) or {}
        measures = {}
        for agency_id, raw in result.items():
            if agency_id not in agencies.ids:
                continue
            measure = self._normalise(raw)
            if measure is not None:
                measures[agency_id] = measure
        return measures

    def _normalise(self, raw):
        if raw is None:
            return None
        if isinstance(raw, tuple | list):
            raw = {"numerator": raw[0], "denominator": raw[1]}
        elif not isinstance(raw, dict):
            raw = {"value": raw}
        domain = raw.get("domain")
        measure = {
            "numerator": False,
            "denominator": False,
            "factor": False,
            "res_model": (raw.get("model") or self.model_name) if domain is not None else False,
            "res_domain": json.dumps(list(domain), default=str) if domain is not None else False,
        }
        if raw.get("denominator") is not None:
            denominator = float(raw["denominator"])
            if not denominator:
                return None
            factor = float(raw.get("factor", 100.0))
            numerator = float(raw["numerator"])
            measure.update(
                numerator=numerator,
                denominator=denominator,
                factor=factor,
                value=factor * numerator / denominator,
            )
        elif raw.get("value") is None:
            return None
        else:
            measure["value"] = float(raw["value"])
        return measure
