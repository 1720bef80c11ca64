from odoo import api, fields, models
from odoo.tools import SQL

from cchc_core.text import fold

# A procedure's public page is complete when it says all of this (QĐ 766's publicity group
# counts procedures whose information is public in full).
_COMPLETE_FIELDS = ("field_id", "time_unit", "legal_basis", "portal_place", "date_effective")


class CchcOnestopProcedure(models.Model):
    """The public side of a procedure: which version is published, since when, and the forms."""

    _inherit = "cchc.onestop.procedure"

    portal_published = fields.Boolean(
        string="Published on the portal",
        tracking=True,
        help="Only published procedures, within their effective dates, are shown to the public.",
    )
    portal_version = fields.Char(
        string="Published version", help="The decision that published this version."
    )
    date_effective = fields.Date(string="Effective from", tracking=True)
    date_expiry = fields.Date(string="Effective until", tracking=True)
    portal_place = fields.Text(
        string="Where to file",
        help="The desks and addresses where the dossier is filed, as shown on the public page.",
    )
    portal_online_filing = fields.Boolean(
        string="Online filing",
        compute="_compute_portal_online_filing",
        store=True,
        help="Dossiers can be filed on the portal: the procedure is offered fully or partly "
        "online.",
    )
    portal_complete = fields.Boolean(
        string="Public information complete",
        compute="_compute_portal_complete",
        store=True,
        help="Field, processing time, legal basis, where to file, effective date and at least "
        "one required document are all given.",
    )

    @api.depends("online_mode")
    def _compute_portal_online_filing(self):
        for procedure in self:
            procedure.portal_online_filing = procedure.online_mode in ("full", "partial")

    @api.depends(*_COMPLETE_FIELDS, "document_ids")
    def _compute_portal_complete(self):
        for procedure in self:
            procedure.portal_complete = all(procedure[name] for name in _COMPLETE_FIELDS) and bool(
                procedure.document_ids
            )

    # ---------------------------------------------------------------- public reads

    @api.model
    def _portal_domain(self, today=None):
        """Published procedures within their effective dates."""
        today = today or fields.Date.context_today(self)
        return [
            ("portal_published", "=", True),
            ("active", "=", True),
            "|",
            ("date_effective", "=", False),
            ("date_effective", "<=", today),
            "|",
            ("date_expiry", "=", False),
            ("date_expiry", ">=", today),
        ]

    @api.model
    def _portal_search(
        self, words=None, field_id=None, agency_id=None, online=None, limit=50, offset=0
    ):
        """Published procedures matching the words (with or without diacritics), the field and
        the receiving agency. Returns ``(procedures, total)``."""
        domain = self._portal_domain()
        for word in fold(words or "").split()[:8]:
            domain += ["|", ("name_key", "ilike", word), ("code", "ilike", word)]
        if field_id:
            domain.append(("field_id", "=", field_id))
        if agency_id:
            domain += [
                "|",
                ("agency_ids", "in", [agency_id]),
                ("competent_agency_id", "=", agency_id),
            ]
        if online:
            domain.append(("online_mode", "in", ("full", "partial")))
        total = self.search_count(domain)
        return self.search(domain, limit=limit, offset=offset, order="name_key, id"), total

    @api.model
    def _portal_get(self, code):
        """The published procedure with this national code, or an empty recordset."""
        if not code or len(code) > 32:
            return self.browse()
        return self.search([*self._portal_domain(), ("code", "=", code)], limit=1)

    def _portal_agencies(self):
        """The desks that receive the procedure: the receiving agencies, or the competent one."""
        self.ensure_one()
        return self.agency_ids or self.competent_agency_id

    # ---------------------------------------------------------------- indicators

    def _portal_agency_domain(self, agencies):
        return [("competent_agency_id", "in", agencies.ids), ("active", "=", True)]

    def _portal_counts(self, domain):
        return {
            agency.id: count
            for agency, count in self.sudo()._read_group(
                domain, ["competent_agency_id"], ["__count"]
            )
        }

    @api.model
    def _cchc_indicator_portal_complete_info(self, agencies, date_from, date_to):
        """Indicator source: % of an agency's procedures (it is the competent agency) that are
        published with complete public information. The period does not matter: it is the
        catalogue as it stands."""
        base = self._portal_agency_domain(agencies)
        totals = self._portal_counts(base)
        complete = self._portal_counts(
            [*base, *self._portal_domain(), ("portal_complete", "=", True)]
        )
        return {
            agency_id: 100.0 * complete.get(agency_id, 0) / total
            for agency_id, total in totals.items()
        }

    @api.model
    def _cchc_indicator_qd766_publicity_points(self, agencies, date_from, date_to):
        """Indicator source: QĐ 766 publicity points (of 18): 18 × complete-information share."""
        shares = self._cchc_indicator_portal_complete_info(agencies, date_from, date_to)
        return {agency_id: 18.0 * share / 100.0 for agency_id, share in shares.items()}

    @api.model
    def _portal_offered_shares(self, agencies):
        """``{agency_id: % of its published procedures offered online (fully or partly)}``."""
        base = [*self._portal_agency_domain(agencies), *self._portal_domain()]
        totals = self._portal_counts(base)
        online = self._portal_counts([*base, ("online_mode", "in", ("full", "partial"))])
        return {
            agency_id: 100.0 * online.get(agency_id, 0) / total
            for agency_id, total in totals.items()
        }

    def init(self):
        # The public catalogue filters on these on every request.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS cchc_onestop_procedure_portal_idx "
                "ON cchc_onestop_procedure (name_key) WHERE portal_published AND active"
            )
        )
