from odoo import fields, models, tools
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

# rate: (numerator fields, denominator field, factor). A rate of a group is the ratio of the
# group's sums, never the sum or the average of the rows' rates.
RATES = {
    "on_time_rate": (("early_count", "on_time_count"), "resolved_count", 100.0),
    "online_rate": (("online_count",), "online_eligible_count", 100.0),
    "digitisation_rate": (("digitised_count",), "resolved_count", 100.0),
    "average_days": (("processing_days",), "resolved_count", 1.0),
    "satisfaction": (("rating_sum",), "rating_count", 1.0),
}


class CchcOnestopStat(models.Model):
    """The one-stop figures per agency, field, procedure and day, for the dashboard.

    One row per (agency, procedure, day, event): dossiers received that day, resolved that day
    (early, on time, late, digitised, working days taken), rated that day, apology letters
    issued that day. The view is a UNION ALL of grouped queries without a window function, so
    a filter on the agency and the date reaches the dossiers' indexes.
    """

    _name = "cchc.onestop.stat"
    _description = "One-stop figures"
    _auto = False
    _order = "date desc, agency_id"

    date = fields.Date(readonly=True)
    agency_id = fields.Many2one("cchc.agency", readonly=True)
    field_id = fields.Many2one("cchc.onestop.field", readonly=True)
    procedure_id = fields.Many2one("cchc.onestop.procedure", readonly=True)
    received_count = fields.Integer(string="Received", readonly=True)
    resolved_count = fields.Integer(string="Resolved", readonly=True)
    early_count = fields.Integer(string="Early", readonly=True)
    on_time_count = fields.Integer(string="On time", readonly=True)
    late_count = fields.Integer(string="Late", readonly=True)
    online_eligible_count = fields.Integer(
        string="Received for fully-online procedures", readonly=True
    )
    online_count = fields.Integer(string="Received fully online", readonly=True)
    digitised_count = fields.Integer(string="Resolved and digitised", readonly=True)
    processing_days = fields.Float(string="Working days taken", readonly=True)
    rating_count = fields.Integer(string="Ratings", readonly=True)
    rating_sum = fields.Integer(string="Sum of ratings", readonly=True)
    apology_count = fields.Integer(string="Apology letters", readonly=True)
    on_time_rate = fields.Float(string="On time (%)", readonly=True, aggregator="avg")
    online_rate = fields.Float(string="Fully online (%)", readonly=True, aggregator="avg")
    digitisation_rate = fields.Float(string="Digitised (%)", readonly=True, aggregator="avg")
    average_days = fields.Float(string="Average working days", readonly=True, aggregator="avg")
    satisfaction = fields.Float(string="Satisfaction (1-5)", readonly=True, aggregator="avg")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        dossier = SQL.identifier(self.env["cchc.onestop.dossier"]._table)
        apology = SQL.identifier(self.env["cchc.onestop.apology"]._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %(view)s AS (
                SELECT ((agency_id::bigint * 100000 + procedure_id) * 100000
                        + (date - DATE '1900-01-01')) * 4 + kind AS id,
                       date, agency_id, field_id, procedure_id,
                       received_count, resolved_count, early_count, on_time_count, late_count,
                       online_eligible_count, online_count, digitised_count, processing_days,
                       rating_count, rating_sum, apology_count,
                       CASE WHEN resolved_count > 0
                            THEN 100.0 * (early_count + on_time_count) / resolved_count
                       END AS on_time_rate,
                       CASE WHEN online_eligible_count > 0
                            THEN 100.0 * online_count / online_eligible_count
                       END AS online_rate,
                       CASE WHEN resolved_count > 0
                            THEN 100.0 * digitised_count / resolved_count
                       END AS digitisation_rate,
                       CASE WHEN resolved_count > 0
                            THEN processing_days / resolved_count
                       END AS average_days,
                       CASE WHEN rating_count > 0
                            THEN rating_sum::numeric / rating_count
                       END AS satisfaction
                  FROM (
                    SELECT 0 AS kind, d.received_date AS date, d.agency_id, d.field_id,
                           d.procedure_id,
                           count(*) AS received_count,
                           0 AS resolved_count, 0 AS early_count, 0 AS on_time_count,
                           0 AS late_count,
                           count(*) FILTER (WHERE d.online_mode = 'full')
                               AS online_eligible_count,
                           count(*) FILTER (WHERE d.online_mode = 'full'
                                              AND d.channel = 'online') AS online_count,
                           0 AS digitised_count, 0.0 AS processing_days,
                           0 AS rating_count, 0 AS rating_sum, 0 AS apology_count
                      FROM %(dossier)s d
                     WHERE d.received_date IS NOT NULL
                       AND d.state NOT IN ('draft', 'refused')
                     GROUP BY d.received_date, d.agency_id, d.field_id, d.procedure_id
                    UNION ALL
                    SELECT 1, d.resolved_date, d.agency_id, d.field_id, d.procedure_id,
                           0, count(*),
                           count(*) FILTER (WHERE d.timeliness = 'early'),
                           count(*) FILTER (WHERE d.timeliness = 'on_time'),
                           count(*) FILTER (WHERE d.timeliness = 'late'),
                           0, 0,
                           count(*) FILTER (WHERE d.is_digitised),
                           coalesce(sum(d.processing_days), 0.0),
                           0, 0, 0
                      FROM %(dossier)s d
                     WHERE d.resolved_date IS NOT NULL
                       AND d.state IN ('resolved', 'returned')
                     GROUP BY d.resolved_date, d.agency_id, d.field_id, d.procedure_id
                    UNION ALL
                    SELECT 2, d.rated_date, d.agency_id, d.field_id, d.procedure_id,
                           0, 0, 0, 0, 0, 0, 0, 0, 0.0,
                           count(*), sum(d.rating), 0
                      FROM %(dossier)s d
                     WHERE d.rated_date IS NOT NULL AND d.rating > 0
                     GROUP BY d.rated_date, d.agency_id, d.field_id, d.procedure_id
                    UNION ALL
                    SELECT 3, a.issued_date, d.agency_id, d.field_id, d.procedure_id,
                           0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0, 0, count(*)
                      FROM %(apology)s a
                      JOIN %(dossier)s d ON d.id = a.dossier_id
                     GROUP BY a.issued_date, d.agency_id, d.field_id, d.procedure_id
                  ) events
            )
            """,
                view=SQL.identifier(self._table),
                dossier=dossier,
                apology=apology,
            )
        )

    def _read_group_select(self, aggregate_spec, query):
        """A rate of a group is the ratio of the group's sums (pivot, graph, grouped lists)."""
        fname, __, func = parse_read_group_spec(aggregate_spec)
        if fname not in RATES or func in ("count", "count_distinct", "array_agg", "recordset"):
            return super()._read_group_select(aggregate_spec, query)
        numerators, denominator, factor = RATES[fname]

        def total(name):
            return SQL("SUM(%s)", self._field_to_sql(self._table, name, query))

        return SQL(
            "CASE WHEN %(total)s > 0 THEN %(factor)s * (%(value)s) / %(total)s END",
            total=total(denominator),
            factor=factor,
            value=SQL(" + ").join(total(name) for name in numerators),
        )
