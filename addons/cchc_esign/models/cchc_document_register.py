from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.cchc_base.tools.province_lang import in_province_lang


class CchcDocumentRegister(models.Model):
    """A register (sổ) of an agency for a year: numbers run from 01 on 1 January, gapless."""

    _name = "cchc.document.register"
    _description = "Document register"
    _inherit = ["cchc.protected.mixin"]
    _order = "year desc, agency_id"
    # Moves only when a document is numbered (``_take_number``).
    _cchc_protected_fields = frozenset({"next_number", "name"})

    name = fields.Char(compute="_compute_name", store=True)
    agency_id = fields.Many2one("cchc.agency", required=True, index=True)
    year = fields.Integer(required=True)
    direction = fields.Selection(
        [("out", "Outgoing"), ("in", "Incoming")], required=True, default="out"
    )
    secret = fields.Boolean(help="Secret (mật) documents have their own series.")
    next_number = fields.Integer(default=1, readonly=True)

    _sql_constraints = [
        (
            "register_unique",
            "UNIQUE(agency_id, year, direction, secret)",
            "The agency already has this register for this year.",
        ),
    ]

    @api.depends("agency_id.name", "year", "direction", "secret")
    def _compute_name(self):
        # Stored once for every reader, whoever opened the register: in the province's language.
        env = in_province_lang(self.env)
        labels = dict(self._fields["direction"]._description_selection(env))
        for reg in self:
            secret = env._(" (secret)") if reg.secret else ""
            reg.name = f"{labels.get(reg.direction, '')}{secret} {reg.year} – {reg.agency_id.name}"

    def _cchc_is_frozen(self):
        # Once a number was taken, the register's agency, year and series are history.
        return self.next_number > 1

    def _cchc_protection_hint(self):
        return self.env._("The next number moves only when a clerk issues or registers a document.")

    def _cchc_frozen_hint(self):
        return self.env._("Numbers were already taken from it; a register is never rewritten.")

    @api.model
    def _get_or_create_for(self, agency, year, direction="out", secret=False):
        """The agency's register of the year and series, created on its first document."""
        domain = [
            ("agency_id", "=", agency.id),
            ("year", "=", year),
            ("direction", "=", direction),
            ("secret", "=", secret),
        ]
        register = self.sudo().search(domain, limit=1)
        if register:
            return register
        # Two clerks issuing the agency's first document of the year at once: an ORM create
        # would meet the other's row (committed after this request's snapshot) with a unique
        # violation, an error Odoo does not replay. ``ON CONFLICT DO NOTHING`` turns it, under
        # Odoo's repeatable read, into a serialization failure: Odoo replays the request, which
        # then finds the register.
        self.env.cr.execute(
            SQL(
                """INSERT INTO cchc_document_register
                          (agency_id, year, direction, secret, next_number,
                           create_uid, write_uid, create_date, write_date)
                   VALUES (%s, %s, %s, %s, 1, %s, %s,
                           NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC')
                   ON CONFLICT DO NOTHING
                   RETURNING id""",
                agency.id,
                year,
                direction,
                bool(secret),
                self.env.uid,
                self.env.uid,
            )
        )
        row = self.env.cr.fetchone()
        if not row:  # read committed (a shell, a script): the other's row is visible now
            return self.sudo().search(domain, limit=1)
        register = self.sudo().browse(row[0])
        self.env.add_to_compute(self._fields["name"], register)
        return register

    def action_export_xlsx(self):
        self.ensure_one()
        return self.env.ref("cchc_esign.action_report_document_register_xlsx").report_action(
            self, config=False
        )

    @api.model
    def _take_number_for(self, agency, year, direction="out", secret=False):
        """``(register, number)``: the next number of the agency's register of the year and
        series, as ``_get_or_create_for`` then ``_take_number`` give it. The register exists
        once the agency has numbered a document of the year: one statement finds it, locks it
        and moves its counter."""
        self.env.cr.execute(
            SQL(
                "UPDATE cchc_document_register SET next_number = next_number + 1 "
                "WHERE id = (SELECT id FROM cchc_document_register "
                "WHERE agency_id = %s AND year = %s AND direction = %s "
                "AND COALESCE(secret, FALSE) = %s ORDER BY id LIMIT 1) "
                "RETURNING id, next_number - 1",
                agency.id,
                year,
                direction,
                bool(secret),
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            register = self._get_or_create_for(agency, year, direction, secret)
            return register, register._take_number()
        register = self.sudo().browse(row[0])
        register.invalidate_recordset(["next_number"])
        return register, row[1]

    def _take_number(self):
        """The next number, under a row lock: two clerks issuing at once get two numbers, and a
        rolled-back issue gives its number back (the counter moves in the same transaction).
        One statement: the update takes the row lock and says which number it moved past."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "UPDATE cchc_document_register SET next_number = next_number + 1 "
                "WHERE id = %s RETURNING next_number - 1",
                self.id,
            )
        )
        number = self.env.cr.fetchone()[0]
        self.invalidate_recordset(["next_number"])
        return number
