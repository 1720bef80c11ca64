from datetime import datetime, time

from odoo import api, models


class CchcHome(models.AbstractModel):
    _inherit = "cchc.home"

    @api.model
    def _cchc_home_cards_leader(self):
        cards = super()._cchc_home_cards_leader()
        agency = self.env.user.cchc_agency_id
        if not agency:
            return cards
        return cards + [
            self._cchc_card(
                "onestop_agency_late",
                self.env._("Late dossiers of your agency"),
                "cchc.onestop.dossier",
                [("agency_id", "child_of", agency.id), ("is_past_due", "=", True)],
                tone="danger",
                hint=self.env._("Being processed and past their appointment"),
                sequence=12,
            ),
        ]

    @api.model
    def _cchc_home_cards_onestop(self):
        return [
            *super()._cchc_home_cards_onestop(),
            self._cchc_card(
                "onestop_to_return",
                self.env._("Results to return"),
                "cchc.onestop.dossier",
                [("state", "=", "resolved")],
                tone="warning",
                hint=self.env._("Resolved dossiers waiting for the applicant"),
                sequence=1,
            ),
            self._cchc_card(
                "onestop_late",
                self.env._("Late dossiers"),
                "cchc.onestop.dossier",
                [("is_past_due", "=", True)],
                tone="danger",
                hint=self.env._("Being processed and past their appointment"),
                sequence=2,
            ),
        ]

    @api.model
    def _cchc_home_cards_officer(self):
        week_end = datetime.combine(self._cchc_week_end(), time.max).replace(microsecond=0)
        return [
            *super()._cchc_home_cards_officer(),
            self._cchc_card(
                "onestop_my_steps",
                self.env._("My dossier steps due this week"),
                "cchc.onestop.dossier.step",
                [
                    ("handler_id", "=", self.env.uid),
                    ("state", "=", "in_progress"),
                    ("deadline", "<=", week_end),
                ],
                tone="warning",
                sequence=12,
            ),
        ]
