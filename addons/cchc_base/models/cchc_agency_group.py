from odoo import api, fields, models

from cchc_core.text import fold

from .cchc_agency import AGENCY_KINDS


class CchcAgencyGroup(models.Model):
    """A set of agencies as plans name it: 'Các sở, ban, ngành', 'UBND cấp xã'.

    Members are the agencies of the chosen kinds under the chosen parent, plus those listed by hand.
    """

    _name = "cchc.agency.group"
    _description = "Group of agencies"
    _order = "name"

    name = fields.Char(required=True)
    name_key = fields.Char(compute="_compute_name_key", store=True, index=True)
    kind_department = fields.Boolean(string="Department-level agencies")
    kind_commune = fields.Boolean(string="Commune People's Committees")
    kind_public_service = fields.Boolean(string="Public service units")
    kind_other = fields.Boolean(string="Other agencies")
    parent_id = fields.Many2one(
        "cchc.agency",
        string="Under agency",
        help="Only agencies directly under this one (e.g. the provincial People's Committee).",
    )
    agency_ids = fields.Many2many("cchc.agency", string="Agencies added by hand")
    alias_ids = fields.One2many("cchc.agency.alias", "group_id", string="Aliases")
    member_ids = fields.Many2many("cchc.agency", compute="_compute_member_ids", string="Members")
    member_count = fields.Integer(compute="_compute_member_ids")

    _sql_constraints = [
        ("name_key_unique", "UNIQUE(name_key)", "A group of agencies with this name exists."),
    ]

    @api.depends("name")
    def _compute_name_key(self):
        for group in self:
            group.name_key = fold(group.name)

    @api.depends(
        "kind_department",
        "kind_commune",
        "kind_public_service",
        "kind_other",
        "parent_id",
        "agency_ids",
    )
    def _compute_member_ids(self):
        Agency = self.env["cchc.agency"]
        for group in self:
            members = group.agency_ids
            kinds = group._selected_kinds()
            if kinds:
                domain = [("kind", "in", kinds)]
                if group.parent_id:
                    domain.append(("parent_id", "=", group.parent_id.id))
                members |= Agency.search(domain)
            group.member_ids = members
            group.member_count = len(members)

    def _selected_kinds(self):
        self.ensure_one()
        return [
            kind
            for kind, _label in AGENCY_KINDS
            if kind != "province_committee" and self[f"kind_{kind}"]
        ]
