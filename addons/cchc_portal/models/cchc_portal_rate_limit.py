from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Defaults; ir.config_parameter cchc_portal.<kind>_limit and cchc_portal.<kind>_window
# (seconds) change them. Documented in README ("abuse limits").
DEFAULT_LIMITS = {
    "lookup": (20, 600),  # tracking lookups: 20 per 10 minutes per address
    "rating": (30, 600),  # rating and kiosk forms
    "signup": (5, 3600),  # account sign-ups
    "feedback": (10, 3600),  # feedback sent
    "filing": (120, 3600),  # saves and submissions of online applications
}


class CchcPortalRateLimit(models.Model):
    """Hits per address, kind and time window, counted in the database so that every worker
    (and every node behind the load balancer) sees the same counter."""

    _name = "cchc.portal.rate.limit"
    _description = "Public portal request counter"
    _log_access = False

    key = fields.Char(required=True)
    window_start = fields.Datetime(required=True)
    hits = fields.Integer(required=True, default=0)

    _sql_constraints = [
        ("key_window_unique", "UNIQUE(key, window_start)", "One counter per key and window."),
    ]

    @api.model
    def _hit(self, kind, address):
        """Count one request; True when it is still within the limit."""
        limit, window = self._limits(kind)
        now = fields.Datetime.now()
        start = now - timedelta(seconds=int(now.timestamp()) % window, microseconds=now.microsecond)
        self.env.cr.execute(
            SQL(
                "INSERT INTO cchc_portal_rate_limit (key, window_start, hits) "
                "VALUES (%s, %s, 1) ON CONFLICT (key, window_start) "
                "DO UPDATE SET hits = cchc_portal_rate_limit.hits + 1 RETURNING hits",
                f"{kind}:{address or '-'}",
                start,
            )
        )
        return self.env.cr.fetchone()[0] <= limit

    @api.model
    def _limits(self, kind):
        limit, window = DEFAULT_LIMITS[kind]
        get = self.env["ir.config_parameter"].sudo().get_param
        return (
            int(get(f"cchc_portal.{kind}_limit", limit)),
            max(1, int(get(f"cchc_portal.{kind}_window", window))),
        )

    @api.model
    def _gc_counters(self):
        """Drop the counters of windows long gone (cron)."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM cchc_portal_rate_limit WHERE window_start < %s",
                fields.Datetime.now() - timedelta(days=1),
            )
        )
