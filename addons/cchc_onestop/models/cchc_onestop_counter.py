from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.cchc_base.tools.gapless import insert_next


class CchcOnestopCounter(models.Model):
    """The dossier numbers an agency gave on a day (the NNNN of the dossier code), one row each.

    A receipt inserts the rows of its numbers in its own transaction, as late as it can: a
    failed receipt gives them back, and desks of other agencies (or of the same agency on
    another day) never wait. The numbers are gapless and never shared, without a table lock
    and without Odoo replaying requests (``cchc_base.tools.gapless``).

    (One row per agency and day, bumped by every receipt, was the first design: Odoo's
    transactions are REPEATABLE READ, so of two overlapping receipts of one agency the second
    failed with a serialization error whenever it bumped the row, and Odoo ran its whole
    request again after a random back-off of up to seconds. Odoo numbers its invoices the same
    way as here, on the unique index of the journal's move names.)
    """

    _name = "cchc.onestop.counter"
    _description = "Dossier numbers given per agency and day"
    _log_access = False
    _order = "day desc, agency_id, number desc"

    agency_id = fields.Many2one("cchc.agency", required=True, ondelete="cascade", readonly=True)
    day = fields.Date(required=True, readonly=True)
    number = fields.Integer(required=True, readonly=True)

    _sql_constraints = [
        (
            "agency_day_number_unique",
            "UNIQUE(agency_id, day, number)",
            "A dossier number is given once per agency and day.",
        ),
        ("number_positive", "CHECK(number > 0)", "Dossier numbers start at 1."),
    ]

    @api.model
    def _reserve(self, agency_id, day, count=1):
        """Reserve ``count`` consecutive numbers; returns the first one."""
        rows = insert_next(
            self.env.cr,
            lambda taken: SQL(
                """
                INSERT INTO %(table)s (agency_id, day, number)
                SELECT %(agency)s, %(day)s,
                       last.number + %(taken)s + generate_series(1, %(count)s)
                  FROM (SELECT coalesce(max(number), 0) AS number
                          FROM %(table)s
                         WHERE agency_id = %(agency)s AND day = %(day)s) last
                RETURNING number
                """,
                table=SQL.identifier(self._table),
                agency=agency_id,
                day=day,
                taken=taken,
                count=count,
            ),
        )
        self.invalidate_model(["number"])
        return min(number for (number,) in rows)
