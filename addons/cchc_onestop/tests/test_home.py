from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.cchc_base.tests.home import HomeCardsCase
from odoo.addons.cchc_base.tools.protect import unlocked

from .common import CchcOnestopCase


@tagged("post_install", "-at_install")
class TestOnestopHomeCards(HomeCardsCase, CchcOnestopCase):
    """The desk's and the leader's late dossiers and a handler's steps, counted over JSON-RPC
    as that user: another agency's dossiers are never counted; a card opens what it counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dossier = cls._received()
        cls.commune_dossier = cls._received(
            cls.certify, cls.commune_desk, applicant_name="Lê Thị Cúc"
        )
        cls.on_time = cls._received(applicant_name="Trần Văn Bình")
        Dossier = cls.env["cchc.onestop.dossier"]
        # Back in the test's own environment (the desk received them).
        cls.dossier, cls.commune_dossier, cls.on_time = (
            Dossier.browse(d.id) for d in (cls.dossier, cls.commune_dossier, cls.on_time)
        )
        late = fields.Datetime.now() - timedelta(days=3)
        with unlocked(Dossier):
            (cls.dossier | cls.commune_dossier).write({"appointment_datetime": late})

    def test_desk_sees_its_late_dossiers_only(self):
        self.assertTrue(self.dossier.is_past_due)
        self.assertFalse(self.on_time.is_past_due)
        cards = self._cards(self.desk)
        self.assertEqual(cards["onestop_late"]["tone"], "danger")
        late = self._ids(cards["onestop_late"])
        self.assertIn(self.dossier.id, late)
        self.assertNotIn(self.commune_dossier.id, late)
        self.assertNotIn(self.on_time.id, late)
        self.assertIn("onestop_to_return", cards)
        late = self._ids(self._cards(self.commune_desk)["onestop_late"])
        self.assertEqual(late, {self.commune_dossier.id})

    def test_leader_sees_his_agency_late_dossiers(self):
        cards = self._cards(self.justice_leader)
        late = self._ids(cards["onestop_agency_late"])
        self.assertIn(self.dossier.id, late)
        self.assertNotIn(self.commune_dossier.id, late)
        self.assertNotIn("onestop_late", cards)

    def test_handler_sees_his_steps(self):
        step = self.dossier.current_step_id
        if step.state != "in_progress" or not step.handler_id:
            self.fail(f"the first step should be running with a handler: {step.state}")
        Step = self.env["cchc.onestop.dossier.step"]
        with unlocked(Step):
            step.write({"deadline": fields.Datetime.now()})
        cards = self._cards(step.handler_id)
        mine = self._ids(cards["onestop_my_steps"])
        self.assertIn(step.id, mine)
        self.assertFalse(
            self.env["cchc.onestop.dossier.step"]
            .browse(mine)
            .filtered(lambda s: s.handler_id != step.handler_id)
        )
