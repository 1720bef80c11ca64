from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.cchc_base.tools.gapless import insert_next
from odoo.addons.cchc_base.tools.province_lang import in_province_lang


class CchcDocumentRegister(models.Model):
    """A register (sổ) of an agency for a year: numbers run from 01 on 1 January, gapless.

    The numbers given are rows of ``cchc.document.register.number``; the register itself is
    never updated when a document is numbered (see ``_take_number``)."""

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
    next_number = fields.Integer(compute="_compute_next_number")

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

    def _compute_next_number(self):
        # From the committed numbers and this transaction's own, whoever reads: the register's
        # own record rules already decided that the reader may see it.
        groups = (
            self.env["cchc.document.register.number"]
            .sudo()
            ._read_group([("register_id", "in", self._origin.ids)], ["register_id"], ["number:max"])
        )
        last = {register.id: number for register, number in groups}
        for reg in self:
            reg.next_number = last.get(reg._origin.id, 0) + 1

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
                          (agency_id, year, direction, secret,
                           create_uid, write_uid, create_date, write_date)
                   VALUES (%s, %s, %s, %s, %s, %s,
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
        series, as ``_get_or_create_for`` then ``_take_number`` give it. Once the register
        exists (the agency numbered a document of the year), one statement finds it and
        inserts the number."""
        register_id, number = self.env["cchc.document.register.number"]._insert_next(
            SQL(
                "SELECT id FROM cchc_document_register "
                "WHERE agency_id = %s AND year = %s AND direction = %s "
                "AND COALESCE(secret, FALSE) = %s ORDER BY id LIMIT 1",
                agency.id,
                year,
                direction,
                bool(secret),
            )
        )
        if not register_id:
            register = self._get_or_create_for(agency, year, direction, secret)
            return register, register._take_number()
        register = self.sudo().browse(register_id)
        register.invalidate_recordset(["next_number"])
        return register, number

    def _take_number(self):
        """The next number of this register, gapless and never shared; a rolled-back issue or
        registration gives its number back (see ``cchc.document.register.number``)."""
        self.ensure_one()
        self.flush_recordset()  # a register created through the ORM in this transaction
        _register_id, number = self.env["cchc.document.register.number"]._insert_next(
            SQL("SELECT %s::int AS id", self.id)
        )
        self.invalidate_recordset(["next_number"])
        return number


class CchcDocumentRegisterNumber(models.Model):
    """The numbers a register gave, one row each.

    A clerk's issue (or a registration of an incoming document) inserts the row of its number
    in its own transaction; the register's row is never updated, so two clerks of one agency
    numbering at once never fail a serialization check of Odoo's REPEATABLE READ transactions
    (one counter column, moved by every issue, made the second one fail and Odoo replay its
    whole request, the signing included). The numbers are gapless and never shared, without a
    table lock and without a replay (``cchc_base.tools.gapless``). The one-stop desk numbers its
    dossiers the same way (``cchc.onestop.counter``), Odoo its
    invoices on the unique index of the journal's move names. Rows are written only by that
    SQL: no group may create, change or delete one (access rights), and the ORM refuses it
    outside the server's own code (protected mixin)."""

    _name = "cchc.document.register.number"
    _description = "Number given by a document register"
    _inherit = ["cchc.protected.mixin"]
    _log_access = False
    _order = "register_id, number desc"
    _cchc_protected_fields = frozenset({"register_id", "number"})

    register_id = fields.Many2one(
        "cchc.document.register", required=True, ondelete="restrict", readonly=True
    )
    number = fields.Integer(required=True, readonly=True)

    _sql_constraints = [
        (
            "register_number_unique",
            "UNIQUE(register_id, number)",
            "A register gives each number once.",
        ),
        ("number_positive", "CHECK(number > 0)", "Register numbers start at 1."),
    ]

    def _cchc_is_frozen(self):
        return True

    def _cchc_protection_hint(self):
        return self.env._("The next number moves only when a clerk issues or registers a document.")

    def _cchc_frozen_hint(self):
        return self.env._("Numbers were already taken from it; a register is never rewritten.")

    @api.model
    def _insert_next(self, register):
        """Insert the next number of the register ``register`` selects (an ``SQL`` query of
        one ``id`` column); ``(register_id, number)``, or ``(None, None)`` when it selects
        none."""
        rows = insert_next(
            self.env.cr,
            lambda taken: SQL(
                """
                INSERT INTO %(table)s (register_id, number)
                SELECT reg.id,
                       coalesce((SELECT max(number) FROM %(table)s
                                  WHERE register_id = reg.id), 0)
                       + %(taken)s + 1
                  FROM (%(register)s) reg
                RETURNING register_id, number
                """,
                table=SQL.identifier(self._table),
                register=register,
                taken=taken,
            ),
        )
        if rows:
            self.invalidate_model(["number"])
        return rows[0] if rows else (None, None)
