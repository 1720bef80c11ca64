from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from .cchc_onestop_dossier import DONE_STATES


class CchcOnestopDossier(models.Model):
    """The one-stop indicators measured from the dossiers, per agency and period.

    The sources of the indicator register (``cchc.indicator.source`` records in
    data/cchc_indicator_data.xml, method ``_cchc_indicator_<code>``) and the weekly figures
    mailed to the agencies' leaders; the dashboard shows the same figures per day in
    ``cchc.onestop.stat``. The agency of a dossier is the one that received it.
    """

    _inherit = "cchc.onestop.dossier"

    @api.model
    def _cron_weekly_summary(self):
        """Mail each agency's leaders last week's figures of its one-stop desk."""
        today = fields.Date.context_today(self)
        date_to = today - timedelta(days=today.weekday() + 1)
        date_from = date_to - timedelta(days=6)
        figures = self._week_figures(date_from, date_to)
        template = self.env.ref("cchc_onestop.mail_template_weekly_summary")
        agencies = self.env["cchc.agency"].browse(list(figures))
        for agency in agencies.filtered("leader_ids"):
            template.with_context(cchc_onestop_summary=figures[agency.id]).send_mail(
                agency.id, email_layout_xmlid="mail.mail_notification_light"
            )
        return figures

    @api.model
    def _week_figures(self, date_from, date_to):
        """``{agency_id: figures}`` of the agencies that received or resolved in the period."""
        agencies = self.env["cchc.agency"].search([])
        received = self._cchc_indicator_received(agencies, date_from, date_to)
        resolved = self._resolved_by_timeliness(agencies, date_from, date_to)
        overdue = {
            agency.id: count
            for agency, count in self._read_group(
                [("is_past_due", "=", True)],
                ["agency_id"],
                ["__count"],
            )
        }
        result = {}
        for agency_id in set(received) | set(resolved):
            counts = resolved.get(agency_id, {})
            total = sum(counts.values())
            in_time = counts.get("early", 0) + counts.get("on_time", 0)
            result[agency_id] = {
                "date_from": date_from,
                "date_to": date_to,
                "received": int(received.get(agency_id, 0)),
                "resolved": total,
                "early": counts.get("early", 0),
                "on_time": counts.get("on_time", 0),
                "late": counts.get("late", 0),
                "on_time_rate": round(100.0 * in_time / total, 1) if total else None,
                "overdue": overdue.get(agency_id, 0),
            }
        return result

    @api.model
    def _resolved_by_timeliness(self, agencies, date_from, date_to):
        counts = defaultdict(dict)
        for agency, value, count in self._read_group(
            [
                ("agency_id", "in", agencies.ids),
                ("state", "in", DONE_STATES),
                ("resolved_date", ">=", date_from),
                ("resolved_date", "<=", date_to),
            ],
            ["agency_id", "timeliness"],
            ["__count"],
        ):
            counts[agency.id][value] = count
        return counts

    def _received_domain(self, agencies, date_from, date_to):
        return [
            ("agency_id", "in", agencies.ids),
            ("state", "not in", ("draft", "refused")),
            ("received_date", ">=", date_from),
            ("received_date", "<=", date_to),
        ]

    def _resolved_domain(self, agencies, date_from, date_to):
        return [
            ("agency_id", "in", agencies.ids),
            ("state", "in", DONE_STATES),
            ("resolved_date", ">=", date_from),
            ("resolved_date", "<=", date_to),
        ]

    @api.model
    def _cchc_indicator_received(self, agencies, date_from, date_to):
        """Indicator source: dossiers received in the period."""
        return {
            agency.id: float(count)
            for agency, count in self._read_group(
                self._received_domain(agencies, date_from, date_to), ["agency_id"], ["__count"]
            )
        }

    @api.model
    def _cchc_indicator_resolved(self, agencies, date_from, date_to):
        """Indicator source: dossiers resolved in the period."""
        return {
            agency.id: {
                "value": count,
                "domain": self._resolved_domain(agency, date_from, date_to),
            }
            for agency, count in self._read_group(
                self._resolved_domain(agencies, date_from, date_to), ["agency_id"], ["__count"]
            )
        }

    @api.model
    def _cchc_indicator_late(self, agencies, date_from, date_to):
        """Indicator source: dossiers resolved late in the period."""
        counts = self._resolved_by_timeliness(agencies, date_from, date_to)
        return {
            agency_id: {
                "value": c.get("late", 0),
                "domain": [
                    *self._resolved_domain(
                        self.env["cchc.agency"].browse(agency_id), date_from, date_to
                    ),
                    ("timeliness", "=", "late"),
                ],
            }
            for agency_id, c in counts.items()
        }

    @api.model
    def _cchc_indicator_on_time_rate(self, agencies, date_from, date_to):
        """Indicator source: % of the dossiers resolved in the period that were early or on
        time: (early + on time) / resolved, the resolved dossiers opened by the value."""
        counts = self._resolved_by_timeliness(agencies, date_from, date_to)
        return {
            agency_id: {
                "numerator": c.get("early", 0) + c.get("on_time", 0),
                "denominator": sum(c.values()),
                "domain": self._resolved_domain(
                    self.env["cchc.agency"].browse(agency_id), date_from, date_to
                ),
            }
            for agency_id, c in counts.items()
            if sum(c.values())
        }

    @api.model
    def _cchc_indicator_online_rate(self, agencies, date_from, date_to):
        """Indicator source: % of the dossiers of fully-online procedures received online."""
        counts = defaultdict(dict)
        for agency, channel, count in self._read_group(
            [*self._received_domain(agencies, date_from, date_to), ("online_mode", "=", "full")],
            ["agency_id", "channel"],
            ["__count"],
        ):
            counts[agency.id][channel] = count
        return {
            agency_id: {
                "numerator": c.get("online", 0),
                "denominator": sum(c.values()),
                "domain": [
                    *self._received_domain(
                        self.env["cchc.agency"].browse(agency_id), date_from, date_to
                    ),
                    ("online_mode", "=", "full"),
                ],
            }
            for agency_id, c in counts.items()
        }

    @api.model
    def _cchc_indicator_digitisation_rate(self, agencies, date_from, date_to):
        """Indicator source: % of the dossiers resolved in the period that are digitised."""
        counts = defaultdict(dict)
        for agency, digitised, count in self._read_group(
            self._resolved_domain(agencies, date_from, date_to),
            ["agency_id", "is_digitised"],
            ["__count"],
        ):
            counts[agency.id][bool(digitised)] = count
        return {
            agency_id: {
                "numerator": c.get(True, 0),
                "denominator": sum(c.values()),
                "domain": self._resolved_domain(
                    self.env["cchc.agency"].browse(agency_id), date_from, date_to
                ),
            }
            for agency_id, c in counts.items()
        }

    @api.model
    def _cchc_indicator_apology_letters(self, agencies, date_from, date_to):
        """Indicator source: apology letters issued in the period."""

        def domain(agency_ids):
            return [
                ("agency_id", "in", agency_ids),
                ("issued_date", ">=", date_from),
                ("issued_date", "<=", date_to),
            ]

        return {
            agency.id: {
                "value": count,
                "model": "cchc.onestop.apology",
                "domain": domain(agency.ids),
            }
            for agency, count in self.env["cchc.onestop.apology"]._read_group(
                domain(agencies.ids), ["agency_id"], ["__count"]
            )
        }

    @api.model
    def _cchc_indicator_average_days(self, agencies, date_from, date_to):
        """Indicator source: average working days from receipt to resolution, as the summed
        days over the dossiers resolved (so that groups of agencies weigh every dossier)."""
        return {
            agency.id: {
                "numerator": days,
                "denominator": count,
                "factor": 1,
                "domain": self._resolved_domain(agency, date_from, date_to),
            }
            for agency, days, count in self._read_group(
                self._resolved_domain(agencies, date_from, date_to),
                ["agency_id"],
                ["processing_days:sum", "__count"],
            )
            if count
        }

    @api.model
    def _cchc_indicator_satisfaction(self, agencies, date_from, date_to):
        """Indicator source: average satisfaction rating (1–5) given in the period, as the
        summed ratings over the dossiers rated."""

        def domain(agency_ids):
            return [
                ("agency_id", "in", agency_ids),
                ("rating", ">", 0),
                ("rated_date", ">=", date_from),
                ("rated_date", "<=", date_to),
            ]

        return {
            agency.id: {
                "numerator": total,
                "denominator": count,
                "factor": 1,
                "domain": domain(agency.ids),
            }
            for agency, total, count in self._read_group(
                domain(agencies.ids), ["agency_id"], ["rating:sum", "__count"]
            )
            if count
        }

    def _cchc_evidence_facts(self, method_name):
        """What a report on the indicators (the reform index) may keep of each dossier behind
        a figure, to show those who may not read the dossier: its code, procedure, promised
        and resolution dates and whether it counted as met for that source. Nothing of the
        applicant."""
        met_of = {
            "_cchc_indicator_on_time_rate": lambda d: d.timeliness in ("early", "on_time"),
            "_cchc_indicator_late": lambda d: d.timeliness in ("early", "on_time"),
            "_cchc_indicator_online_rate": lambda d: d.channel == "online",
            "_cchc_indicator_digitisation_rate": lambda d: bool(d.is_digitised),
        }.get(method_name, lambda d: None)
        return {
            dossier.id: {
                "code": dossier.name,
                "detail": dossier.procedure_id.name,
                "date_due": dossier.promised_date,
                "date_done": dossier.resolved_date,
                "met": met_of(dossier),
            }
            for dossier in self.sudo()
        }
