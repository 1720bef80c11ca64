from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import CchcOnestopCase


@tagged("post_install", "-at_install")
class TestLateDossierTour(HttpCase, CchcOnestopCase):
    """In Chromium, in Vietnamese, as the desk officer (not an administrator): a dossier 51
    days past its appointment is red in the list, under 'Quá hạn', and its form says so."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(
            ["cchc_base", "cchc_onestop"], ["vi_VN"], overwrite=True
        )
        cls.desk.lang = "vi_VN"
        cls.late = cls._new(applicant_name="Nguyễn Văn Trễ")
        # Received long ago (recorded after the fact): its appointment passed 51 days ago.
        cls.late._receive(at=fields.Datetime.now() - timedelta(days=51 + 30))
        cls.on_time = cls._received(applicant_name="Trần Thị Đúng")

    def test_late_dossier_flagged_at_the_desk(self):
        self.assertLess(self.late.appointment_datetime, fields.Datetime.now())
        self.assertGreater(self.on_time.appointment_datetime, fields.Datetime.now())
        self.start_tour(
            "/odoo/action-cchc_onestop.cchc_onestop_dossier_action",
            "cchc_onestop_late_dossier",
            login=self.desk.login,
        )
