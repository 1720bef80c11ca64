from odoo import fields, models, tools
from odoo.tools import SQL


class CchcPlanAgencyStat(models.Model):
    """Tasks of each plan per lead agency, for the coordinator's ranking of agencies."""

    _name = "cchc.plan.agency.stat"
    _description = "Plan results per agency"
    _auto = False
    _order = "on_time_rate desc, task_count desc"

    plan_id = fields.Many2one("cchc.plan", readonly=True)
    agency_id = fields.Many2one("cchc.agency", string="Lead agency", readonly=True)
    task_count = fields.Integer(string="Tasks", readonly=True)
    done_on_time_count = fields.Integer(string="Done on time", readonly=True)
    done_late_count = fields.Integer(string="Done late", readonly=True)
    overdue_count = fields.Integer(string="Overdue", readonly=True)
    open_count = fields.Integer(string="Not finished", readonly=True)
    progress = fields.Float(string="Average progress (%)", readonly=True, aggregator="avg")
    on_time_rate = fields.Float(string="Done on time (%)", readonly=True, aggregator="avg")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %s AS (
                SELECT row_number() OVER () AS id,
                       t.cchc_plan_id AS plan_id,
                       t.lead_agency_id AS agency_id,
                       count(*) AS task_count,
                       count(*) FILTER (WHERE t.cchc_status = 'done_on_time') AS done_on_time_count,
                       count(*) FILTER (WHERE t.cchc_status = 'done_late') AS done_late_count,
                       count(*) FILTER (WHERE t.cchc_status = 'overdue') AS overdue_count,
                       count(*) FILTER (
                           WHERE t.cchc_status NOT IN ('done_on_time', 'done_late')
                       ) AS open_count,
                       avg(t.cchc_progress) AS progress,
                       100.0 * count(*) FILTER (WHERE t.cchc_status = 'done_on_time')
                           / count(*) AS on_time_rate
                  FROM project_task t
                 WHERE t.cchc_plan_id IS NOT NULL
                   AND t.lead_agency_id IS NOT NULL
                   AND t.active
                 GROUP BY t.cchc_plan_id, t.lead_agency_id
            )
            """,
                SQL.identifier(self._table),
            )
        )
