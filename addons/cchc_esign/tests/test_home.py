from odoo.tests import tagged

from odoo.addons.cchc_base.tests.home import HomeCardsCase

from .test_document import PASSPHRASE, SigningFixtures


@tagged("post_install", "-at_install")
class TestEsignHomeCards(SigningFixtures, HomeCardsCase):
    """Documents awaiting a leader's signature and documents a clerk must issue, counted over
    JSON-RPC as that user: only his own, and the card opens exactly those."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_signing()
        cls.leader2 = cls._user("esh_leader2", "cchc_base.group_cchc_leader", cls.agency)
        cls.agency.leader_ids |= cls.leader2  # signers are chosen among the agency's leaders
        cls.other_clerk = cls._user("esh_oclerk", "cchc_base.group_cchc_clerk", cls.other_agency)

    def test_leader_and_clerk_cards(self):
        mine = self._document() | self._document(name="Kế hoạch thử")
        theirs = self._document(signer_id=self.leader2.id)
        signed = self._document(name="Quyết định đã ký")
        signed.with_user(self.leader)._sign_as_leader(
            self.certs["leader"].with_user(self.leader), PASSPHRASE
        )
        self.assertEqual(set((mine | theirs).mapped("state")), {"to_sign"})

        cards = self._cards(self.leader)
        self.assertEqual(self._ids(cards["esign_to_sign"]), set(mine.ids))
        self.assertEqual(cards["esign_to_sign"]["tone"], "danger")
        cards = self._cards(self.leader2)
        self.assertEqual(self._ids(cards["esign_to_sign"]), set(theirs.ids))

        cards = self._cards(self.clerk)
        self.assertEqual(self._ids(cards["esign_to_issue"]), set(signed.ids))
        self.assertNotIn("esign_to_sign", cards)
        # Another agency's clerk never counts them.
        self.assertEqual(self._cards(self.other_clerk)["esign_to_issue"]["count"], 0)
        self.assertNotIn("esign_to_issue", self._cards(self.drafter))
