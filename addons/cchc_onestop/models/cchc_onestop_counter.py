from odoo import api, fields, models
from odoo.tools import SQL


class CchcOnestopCounter(models.Model):
    """The last dossier number given by an agency on a day (the NNNN of the dossier code).

    One row per agency and day, bumped with ``INSERT … ON CONFLICT DO UPDATE … RETURNING``
    in the receiving transaction: a failed receipt gives its numbers back, desks of other
    agencies (or of the same agency on another day) never wait, and no sequence object or
    table lock is involved. Two desks receiving for the same agency at the same moment queue
    on that one row; Odoo's transactions are REPEATABLE READ, so the second one fails with a
    serialization error once the first commits, and Odoo runs its request again (as for any
    concurrent update), which then takes the next number. Two dossiers never share one.
    """

    _name = "cchc.onestop.counter"
    _description = "Dossier numbers given per agency and day"
    _log_access = False
    _order = "day desc, agency_id"

    agency_id = fields.Many2one("cchc.agency", required=True, ondelete="cascade", readonly=True)
    day = fields.Date(required=True, readonly=True)
    last_number = fields.Integer(required=True, readonly=True)

    _sql_constraints = [
        ("agency_day_unique", "UNIQUE(agency_id, day)", "One counter per agency and day."),
        ("last_number_positive", "CHECK(last_number > 0)", "Dossier numbers start at 1."),
    ]

    @api.model
    def _reserve(self, agency_id, day, count=1):
        """Reserve ``count`` consecutive numbers; returns the first one."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO %(table)s AS counter (agency_id, day, last_number)
                VALUES (%(agency)s, %(day)s, %(count)s)
                ON CONFLICT (agency_id, day)
                DO UPDATE SET last_number = counter.last_number + EXCLUDED.last_number
                RETURNING counter.last_number
                """,
                table=SQL.identifier(self._table),
                agency=agency_id,
                day=day,
                count=count,
            ),
            # A concurrent receipt is expected here and retried by Odoo: not a bad query.
            log_exceptions=False,
        )
        last = self.env.cr.fetchone()[0]
        self.invalidate_model(["last_number"])
        return last - count + 1
