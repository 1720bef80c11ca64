from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.exchange_common import REPLAY_WINDOW


class CchcExchangeNonce(models.Model):
    """Nonces of recent requests: a request seen once is refused the second time."""

    _name = "cchc.exchange.nonce"
    _description = "Exchange request nonce"
    _log_access = False

    partner_id = fields.Many2one("cchc.exchange.partner", required=True, ondelete="cascade")
    nonce = fields.Char(required=True)
    seen_at = fields.Datetime(required=True, index=True)

    _sql_constraints = [
        ("nonce_unique", "UNIQUE(partner_id, nonce)", "This request was already received."),
    ]

    @api.model
    def _claim(self, partner, nonce):
        """True the first time a partner's nonce is seen (one INSERT, race-free)."""
        self.env.cr.execute(
            SQL(
                "INSERT INTO cchc_exchange_nonce (partner_id, nonce, seen_at) "
                "VALUES (%s, %s, now() at time zone 'UTC') "
                "ON CONFLICT (partner_id, nonce) DO NOTHING RETURNING id",
                partner.id,
                nonce,
            )
        )
        return bool(self.env.cr.fetchone())

    @api.autovacuum
    def _gc_nonces(self):
        limit = fields.Datetime.now() - timedelta(seconds=REPLAY_WINDOW * 4)
        self.env.cr.execute(SQL("DELETE FROM cchc_exchange_nonce WHERE seen_at < %s", limit))
