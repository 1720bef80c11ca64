from odoo import api, models


class CchcHome(models.AbstractModel):
    _inherit = "cchc.home"

    @api.model
    def _cchc_home_cards_leader(self):
        return [
            self._cchc_card(
                "esign_to_sign",
                self.env._("Documents awaiting your signature"),
                "cchc.document",
                [("state", "=", "to_sign"), ("signer_id", "=", self.env.uid)],
                tone="danger",
                sequence=1,
            ),
            *super()._cchc_home_cards_leader(),
        ]

    @api.model
    def _cchc_home_cards_clerk(self):
        return [
            *super()._cchc_home_cards_clerk(),
            self._cchc_card(
                "esign_to_issue",
                self.env._("Signed documents to issue"),
                "cchc.document",
                [("state", "=", "signed")],
                tone="warning",
                hint=self.env._("Number, date and send them"),
                sequence=1,
            ),
        ]
