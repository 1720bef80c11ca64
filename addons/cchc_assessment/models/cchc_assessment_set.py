from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from odoo.addons.cchc_base.models.cchc_agency import AGENCY_KINDS
from odoo.addons.cchc_base.tools.protect import unlocked


class CchcAssessmentSet(models.Model):
    """The criteria of one year's reform index for one kind of agency (a province's decision).

    Areas, criteria and sub-criteria form a tree (``cchc.assessment.criterion``): the points of
    the children of a node add up to the node's points and the areas to the set's total. A set
    is locked once a campaign uses it; next year's set starts as a copy.
    """

    _name = "cchc.assessment.set"
    _description = "Reform index criteria set"
    _inherit = ["mail.thread", "cchc.protected.mixin"]
    _order = "year desc, agency_kind, id"

    name = fields.Char(required=True, tracking=True)
    year = fields.Integer(required=True, index=True, tracking=True)
    agency_kind = fields.Selection(
        AGENCY_KINDS,
        string="Kind of agency",
        required=True,
        default="department",
        index=True,
        help="Every agency of this kind is scored with this set.",
    )
    decision = fields.Char(
        help="The decision that issued the set, e.g. 'Quyết định số 2948/QĐ-BNV'.",
    )
    total_points = fields.Float(string="Total points", default=100.0, required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("locked", "Locked")],
        default="draft",
        required=True,
        tracking=True,
        help="A set is locked once a campaign uses it.",
    )
    criterion_ids = fields.One2many("cchc.assessment.criterion", "set_id", string="Criteria")
    area_ids = fields.One2many(
        "cchc.assessment.criterion",
        "set_id",
        string="Areas",
        domain=[("parent_id", "=", False)],
    )
    area_count = fields.Integer(compute="_compute_counts")
    criterion_count = fields.Integer(compute="_compute_counts")
    leaf_count = fields.Integer(string="Scored items", compute="_compute_counts")

    _cchc_protected_fields = frozenset({"state"})

    @api.depends("criterion_ids.level")
    def _compute_counts(self):
        for set_ in self:
            levels = set_.criterion_ids.mapped("level")
            set_.area_count = levels.count("area")
            set_.criterion_count = levels.count("criterion")
            set_.leaf_count = len(set_.criterion_ids.filtered("is_leaf"))

    def _cchc_is_frozen(self):
        return self.state == "locked"

    def _cchc_protection_hint(self):
        return self.env._("A set is locked by the campaign that uses it.")

    def _cchc_frozen_hint(self):
        return self.env._(
            "A campaign uses this set; copy it to change the criteria for another year."
        )

    # ------------------------------------------------------------------ actions

    def action_check_points(self):
        self.ensure_one()
        self._check_points()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The points add up: %(areas)s areas, %(items)s scored items, %(total)s points.",
                    areas=self.area_count,
                    items=self.leaf_count,
                    total=self.total_points,
                ),
            },
        }

    def action_copy_next_year(self):
        """A draft copy of the set for the following year, with the whole tree."""
        self.ensure_one()
        self._check_coordinator()
        new_set = self._copy_set(self.year + 1)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new_set.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------ business

    def _check_coordinator(self):
        if not self.env.user.has_group("cchc_base.group_cchc_coordinator"):
            raise UserError(self.env._("Only the reform coordinator manages criteria sets."))

    def _copy_set(self, year):
        self.ensure_one()
        new_set = self.create(
            {
                "name": self.name.replace(str(self.year), str(year))
                if str(self.year) in self.name
                else f"{self.name} ({year})",
                "year": year,
                "agency_kind": self.agency_kind,
                "decision": self.decision,
                "total_points": self.total_points,
            }
        )
        Criterion = self.env["cchc.assessment.criterion"]
        mapping = {}
        # Parents before children: areas, then criteria, then sub-criteria.
        for level in ("area", "criterion", "sub"):
            olds = self.criterion_ids.filtered(lambda c, lv=level: c.level == lv)
            news = Criterion.create(
                [
                    {
                        "set_id": new_set.id,
                        "parent_id": mapping.get(old.parent_id.id, False),
                        "sequence": old.sequence,
                        "code": old.code,
                        "name": old.name,
                        "max_points": old.max_points,
                        "method": old.method,
                        "source_id": old.source_id.id,
                        "guidance": old.guidance,
                        "band_ids": [
                            Command.create({"threshold": b.threshold, "points": b.points})
                            for b in old.band_ids
                        ],
                    }
                    for old in olds
                ]
            )
            mapping.update(zip(olds.ids, news.ids, strict=True))
        return new_set

    def _points_errors(self):
        """Every way the set's points do not add up, as translated sentences."""
        self.ensure_one()
        errors = []
        criteria = self.criterion_ids
        areas = criteria.filtered(lambda c: not c.parent_id)
        if not areas:
            errors.append(self.env._("The set has no areas."))
        total = sum(areas.mapped("max_points"))
        if float_compare(total, self.total_points, precision_digits=2):
            errors.append(
                self.env._(
                    "The areas add up to %(sum)s points, the set's total is %(total)s.",
                    sum=round(total, 2),
                    total=self.total_points,
                )
            )
        for node in criteria:
            if node.child_ids:
                children = sum(node.child_ids.mapped("max_points"))
                if float_compare(children, node.max_points, precision_digits=2):
                    errors.append(
                        self.env._(
                            "%(code)s %(name)s: its items add up to %(sum)s points, not %(max)s.",
                            code=node.code or "",
                            name=node.name,
                            sum=round(children, 2),
                            max=node.max_points,
                        )
                    )
            elif node.method == "computed":
                if not node.source_id:
                    errors.append(
                        self.env._(
                            "%(code)s %(name)s is computed but has no indicator source.",
                            code=node.code or "",
                            name=node.name,
                        )
                    )
                if not node.band_ids:
                    errors.append(
                        self.env._(
                            "%(code)s %(name)s is computed but has no points table.",
                            code=node.code or "",
                            name=node.name,
                        )
                    )
            if node.max_points <= 0:
                errors.append(
                    self.env._(
                        "%(code)s %(name)s has no points.", code=node.code or "", name=node.name
                    )
                )
        return errors

    def _check_points(self):
        for set_ in self:
            errors = set_._points_errors()
            if errors:
                raise ValidationError(
                    self.env._(
                        "The points of the criteria set %(set)s do not add up:\n%(errors)s",
                        set=set_.name,
                        errors="\n".join(f"- {e}" for e in errors),
                    )
                )

    def _lock(self):
        self._check_points()
        with unlocked(self):
            self.filtered(lambda s: s.state == "draft").write({"state": "locked"})
