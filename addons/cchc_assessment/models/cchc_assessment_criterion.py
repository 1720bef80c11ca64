from odoo import api, fields, models
from odoo.exceptions import ValidationError

METHODS = [
    ("self", "Self-scored with evidence"),
    ("computed", "Computed from the system's data"),
    ("survey", "Survey"),
]
LEVELS = [("area", "Area"), ("criterion", "Criterion"), ("sub", "Sub-criterion")]


class CchcAssessmentCriterion(models.Model):
    """An area, criterion or sub-criterion of a set, with its maximum points.

    The leaves of the tree (a sub-criterion, or a criterion without sub-criteria) are scored:
    by the agency with evidence, from an indicator source through a points table, or by a
    survey the council enters.
    """

    _name = "cchc.assessment.criterion"
    _description = "Reform index criterion"
    _inherit = ["cchc.protected.mixin"]
    _parent_store = True
    _order = "set_id, sort_key, id"
    _rec_name = "complete_name"

    set_id = fields.Many2one(
        "cchc.assessment.set", string="Criteria set", required=True, index=True, ondelete="cascade"
    )
    parent_id = fields.Many2one(
        "cchc.assessment.criterion",
        string="Part of",
        index=True,
        ondelete="cascade",
        domain="[('set_id', '=', set_id)]",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("cchc.assessment.criterion", "parent_id", string="Items")
    sequence = fields.Integer(default=10)
    sort_key = fields.Char(
        compute="_compute_sort_key",
        store=True,
        recursive=True,
        index=True,
        help="The position in the tree: areas in order, each followed by its items.",
    )
    code = fields.Char(string="No.", help="STT as the decision numbers it: I, 1, 1.1…")
    name = fields.Char(string="Criterion", required=True)
    complete_name = fields.Char(compute="_compute_complete_name")
    level = fields.Selection(LEVELS, compute="_compute_level", store=True, recursive=True)
    is_leaf = fields.Boolean(string="Scored", compute="_compute_is_leaf", store=True)
    area_id = fields.Many2one(
        "cchc.assessment.criterion",
        compute="_compute_area_id",
        store=True,
        recursive=True,
        index=True,
    )
    max_points = fields.Float(string="Maximum points", digits=(6, 2), required=True)
    method = fields.Selection(METHODS, string="Scoring method", default="self", required=True)
    source_id = fields.Many2one(
        "cchc.indicator.source",
        string="Indicator source",
        ondelete="restrict",
        help="The measure the points are computed from, over the campaign's year.",
    )
    band_ids = fields.One2many(
        "cchc.assessment.criterion.band", "criterion_id", string="Points table", copy=True
    )
    guidance = fields.Text(help="How to score it and which evidence the council expects.")

    @api.depends("code", "name")
    def _compute_complete_name(self):
        for criterion in self:
            criterion.complete_name = (
                f"{criterion.code}. {criterion.name}" if criterion.code else criterion.name
            )

    @api.depends("sequence", "parent_id.sort_key")
    def _compute_sort_key(self):
        for criterion in self:
            own = f"{criterion.sequence:06d}-{criterion.id or 0:09d}"
            parent = criterion.parent_id.sort_key
            criterion.sort_key = f"{parent}/{own}" if parent else own

    @api.depends("parent_id.level")
    def _compute_level(self):
        for criterion in self:
            parent = criterion.parent_id
            if not parent:
                criterion.level = "area"
            elif not parent.parent_id:
                criterion.level = "criterion"
            else:
                criterion.level = "sub"

    @api.depends("child_ids")
    def _compute_is_leaf(self):
        for criterion in self:
            criterion.is_leaf = not criterion.child_ids

    @api.depends("parent_id.area_id")
    def _compute_area_id(self):
        for criterion in self:
            criterion.area_id = criterion.parent_id.area_id if criterion.parent_id else criterion

    @api.constrains("parent_id", "set_id")
    def _check_parent(self):
        for criterion in self:
            if criterion.parent_id and criterion.parent_id.set_id != criterion.set_id:
                raise ValidationError(
                    self.env._("A criterion belongs to the same set as the item it is part of.")
                )
            if criterion.level == "sub" and criterion.parent_id.parent_id.parent_id:
                raise ValidationError(
                    self.env._("A set has three levels: areas, criteria and sub-criteria.")
                )
        if self._has_cycle():
            raise ValidationError(self.env._("A criterion cannot be part of itself."))

    @api.constrains("max_points")
    def _check_max_points(self):
        for criterion in self:
            if criterion.max_points < 0:
                raise ValidationError(self.env._("Maximum points cannot be negative."))

    def _cchc_is_frozen(self):
        return self.set_id.state == "locked"

    def _cchc_frozen_hint(self):
        return self.env._(
            "A campaign uses its set; copy the set to change the criteria for another year."
        )

    @api.model_create_multi
    def create(self, vals_list):
        set_ids = {vals.get("set_id") for vals in vals_list}
        locked = self.env["cchc.assessment.set"].browse(list(filter(None, set_ids)))
        for set_ in locked.filtered(lambda s: s.state == "locked"):
            self._cchc_refuse_frozen(set_)
        return super().create(vals_list)

    def points_for(self, figure):
        """Points of the table for a measured figure: the highest band the figure reaches."""
        self.ensure_one()
        return self._points_for(figure, self._band_table())

    def _band_table(self):
        return sorted(((b.threshold, b.points) for b in self.band_ids), reverse=True)

    @staticmethod
    def _points_for(figure, table):
        if figure is None:
            return 0.0
        for threshold, points in table:
            if figure >= threshold:
                return points
        return 0.0
