from odoo import api, fields, models
from odoo.exceptions import ValidationError

from cchc_core import identifiers
from cchc_core.text import fold

AGENCY_KINDS = [
    ("province_committee", "Provincial People's Committee"),
    ("department", "Department-level agency"),
    ("commune", "Commune People's Committee"),
    ("public_service", "Public service unit"),
    ("other", "Other"),
]


class CchcAgency(models.Model):
    _name = "cchc.agency"
    _description = "Agency"
    _inherit = ["mail.thread"]
    _parent_store = True
    _order = "sequence, complete_name"
    _rec_name = "complete_name"
    _rec_names_search = ["name", "short_name", "identifier", "search_key"]

    name = fields.Char(required=True, tracking=True)
    short_name = fields.Char(
        help="The abbreviation used in plans and documents, e.g. 'Sở TT&TT' or 'VP.UBND tỉnh'."
    )
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    sequence = fields.Integer(default=10)
    identifier = fields.Char(
        string="Electronic identifier",
        index=True,
        copy=False,
        tracking=True,
        help="Mã định danh điện tử (QĐ 20/2020/QĐ-TTg): 'H27.01' or the QCVN 102:2016 shape "
        "'000.00.01.H27'; stored top level first.",
    )
    identifier_qcvn102 = fields.Char(
        string="Identifier (QCVN 102)", compute="_compute_identifier_qcvn102"
    )
    kind = fields.Selection(AGENCY_KINDS, required=True, default="department", tracking=True)
    parent_id = fields.Many2one(
        "cchc.agency", string="Parent agency", index=True, ondelete="restrict", tracking=True
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("cchc.agency", "parent_id", string="Child agencies")
    alias_ids = fields.One2many("cchc.agency.alias", "agency_id", string="Aliases")
    search_key = fields.Char(
        compute="_compute_search_key",
        store=True,
        help="Name, abbreviation and aliases without diacritics, for searching as people type.",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Contact", ondelete="restrict", help="Address, email and phone."
    )
    email = fields.Char(related="partner_id.email", readonly=False)
    phone = fields.Char(related="partner_id.phone", readonly=False)
    member_ids = fields.One2many("res.users", "cchc_agency_id", string="Members")
    leader_ids = fields.Many2many(
        "res.users",
        "cchc_agency_leader_rel",
        "agency_id",
        "user_id",
        string="Leaders",
        help="Leaders approve and sign for the agency; they are members of it.",
    )
    member_count = fields.Integer(compute="_compute_member_count")
    active = fields.Boolean(default=True, tracking=True)

    _sql_constraints = [
        ("identifier_unique", "UNIQUE(identifier)", "This electronic identifier is already used."),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for agency in self:
            if agency.parent_id and agency.parent_id.parent_id:
                # Below the first level the parent clarifies which unit it is (Chi cục of which Sở).
                agency.complete_name = f"{agency.name} / {agency.parent_id.complete_name}"
            else:
                agency.complete_name = agency.name

    @api.depends("identifier")
    def _compute_identifier_qcvn102(self):
        for agency in self:
            agency.identifier_qcvn102 = (
                identifiers.to_qcvn102(agency.identifier) if agency.identifier else False
            )

    @api.depends("name", "short_name", "alias_ids.name")
    def _compute_search_key(self):
        for agency in self:
            names = [agency.name, agency.short_name, *agency.alias_ids.mapped("name")]
            agency.search_key = " | ".join(fold(n) for n in names if n)

    def _compute_member_count(self):
        counts = dict(
            self.env["res.users"]._read_group(
                [("cchc_agency_id", "in", self.ids)], ["cchc_agency_id"], ["__count"]
            )
        )
        for agency in self:
            agency.member_count = counts.get(agency, 0)

    @api.constrains("parent_id")
    def _check_parent_cycle(self):
        if self._has_cycle():
            raise ValidationError(self.env._("An agency cannot be its own parent or ancestor."))

    @api.constrains("leader_ids")
    def _check_leaders_are_members(self):
        for agency in self:
            outsiders = agency.leader_ids.filtered(lambda u, a=agency: u.cchc_agency_id != a)
            if outsiders:
                raise ValidationError(
                    self.env._(
                        "Leaders of %(agency)s must be members of it: %(users)s.",
                        agency=agency.name,
                        users=", ".join(outsiders.mapped("name")),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_identifier(vals)
        agencies = super().create(vals_list)
        for agency in agencies.filtered(lambda a: not a.partner_id):
            agency.partner_id = (
                self.env["res.partner"].sudo().create({"name": agency.name, "is_company": True})
            )
        return agencies

    def write(self, vals):
        self._normalize_identifier(vals, exclude=self)
        if vals.get("parent_id"):
            parent = self.browse(vals["parent_id"])
            # Checked before writing: the parent_path update would refuse it less clearly.
            if self & self.with_context(active_test=False).search([("id", "parent_of", parent.id)]):
                raise ValidationError(self.env._("An agency cannot be its own parent or ancestor."))
        return super().write(vals)

    def action_view_members(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Members of %s", self.name),
            "res_model": "res.users",
            "view_mode": "list,form",
            "domain": [("cchc_agency_id", "=", self.id)],
            "context": {"default_cchc_agency_id": self.id},
        }

    @api.model
    def _search_display_name(self, operator, value):
        domain = super()._search_display_name(operator, value)
        if isinstance(value, str) and operator in ("ilike", "=ilike", "like", "="):
            folded = fold(value)
            if folded:
                domain = ["|", ("search_key", "ilike", folded), *domain]
            ident = self._try_canonical(value)
            if ident:
                domain = ["|", ("identifier", "=", ident), *domain]
        return domain

    @api.model
    def resolve_names(self, text):
        """Agencies named by ``text`` as a plan writes it: one agency or a group's members.

        Matches, in order: identifier, exact folded name / abbreviation / alias of an agency,
        then a group of agencies (``Các sở, ban, ngành``). Returns an empty recordset when
        nothing matches exactly: guessing is left to the caller, who can show candidates.
        """
        key = fold(text)
        if not key:
            return self.browse()
        ident = self._try_canonical(text)
        if ident:
            found = self.search([("identifier", "=", ident)], limit=1)
            if found:
                return found
        alias = self.env["cchc.agency.alias"].search([("name_key", "=", key)], limit=1)
        if alias.agency_id:
            return alias.agency_id
        if alias.group_id:
            return alias.group_id.member_ids
        for agency in self.search([("search_key", "ilike", key)]):
            if key in agency.search_key.split(" | "):
                return agency
        group = self.env["cchc.agency.group"].search([("name_key", "=", key)], limit=1)
        return group.member_ids if group else self.browse()

    @api.model
    def _normalize_identifier(self, vals, exclude=None):
        """Store the canonical shape; refuse a wrong shape or a used identifier up front."""
        if not vals.get("identifier"):
            return
        try:
            vals["identifier"] = identifiers.canonical(vals["identifier"])
        except identifiers.IdentifierError:
            raise ValidationError(
                self.env._(
                    "%(identifier)s is not an electronic identifier. Write it top level "
                    "first like H27.01, or in the QCVN 102 shape like 000.00.01.H27.",
                    identifier=vals["identifier"],
                )
            ) from None
        domain = [("identifier", "=", vals["identifier"])]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        other = self.with_context(active_test=False).sudo().search(domain, limit=1)
        if other:
            raise ValidationError(
                self.env._(
                    "The electronic identifier %(identifier)s is already used by %(agency)s.",
                    identifier=vals["identifier"],
                    agency=other.name,
                )
            )

    @api.model
    def _try_canonical(self, text):
        try:
            return identifiers.canonical(text)
        except identifiers.IdentifierError:
            return False

    @api.model
    def _cchc_indicator_working_days(self, agencies, date_from, date_to):
        """Indicator source: working days in the period by the administrative calendar."""
        days = self.env["cchc.holiday"].count_working_days(
            fields.Date.subtract(date_from, days=1), date_to
        )
        return dict.fromkeys(agencies.ids, float(days))
