from datetime import date

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from .common import PortalFixtures, local

Q1 = (date(2026, 1, 1), date(2026, 3, 31))


@tagged("post_install", "-at_install")
class TestIndicators(PortalFixtures, TransactionCase):
    """Each indicator of the portal computed by hand on a small quarter of the justice desk:
    four dossiers (two at the desk, two online of which one had a paper supplement), two
    ratings, three feedbacks, three procedures of which one is public and complete."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._portal_setup()

    def _sources(self, code):
        source = self.env.ref(f"cchc_portal.indicator_source_{code}")
        return source._compute_values(self.justice | self.other_agency, *Q1)

    def _returned(self, dossier, at):
        with freeze_time(at):
            dossier.with_user(self.handler)._resolve("approved", "Phiếu số 1")
            dossier.with_user(self.desk).action_return()

    def setUp(self):
        super().setUp()
        with freeze_time(local(2026, 2, 2, 9, 0)):
            self.desk1 = self._desk_dossier()
            self.desk2 = self._desk_dossier()
            self.online_full = self._submission(self.citizen).dossier_id
            self.online_paper = self._submission(self.citizen2).dossier_id
            (self.online_full | self.online_paper).with_user(self.desk).action_receive()
        with freeze_time(local(2026, 2, 3, 9, 0)):
            self.online_paper.with_user(self.handler)._request_supplement("Thiếu giấy tờ")
            self.online_paper.with_user(self.desk).action_supplement_received()
        self._returned(self.desk1, local(2026, 2, 5, 9, 0))
        self._returned(self.desk2, local(2026, 2, 5, 10, 0))
        Rating = self.env["cchc.portal.rating"]
        keys = (
            "score_access",
            "score_procedure",
            "score_officer",
            "score_result",
            "score_feedback",
        )
        with freeze_time(local(2026, 2, 6, 9, 0)):
            Rating._portal_rate(
                self.desk1, dict(zip(keys, (5, 4, 5, 5, 3), strict=True)), "", "online"
            )
            Rating._portal_rate(
                self.desk2, dict(zip(keys, (3, 4, 2, 5, 4), strict=True)), "", "kiosk"
            )
        Feedback = self.env["cchc.portal.feedback"]
        values = {"name": "Chậm trả", "content": "Nội dung", "agency_id": self.justice.id}
        with freeze_time(local(2026, 3, 2, 9, 0)):  # Monday: 10 working days → 16/03
            on_time, late, open_ = (Feedback._portal_create(dict(values)) for _i in range(3))
        self.assertEqual(on_time.deadline_date, date(2026, 3, 16))
        on_time.answer = late.answer = "Trả lời"
        with freeze_time(local(2026, 3, 13, 9, 0)):
            on_time.with_user(self.handler).action_answer()
        with freeze_time(local(2026, 3, 18, 9, 0)):
            late.with_user(self.handler).action_answer()

    def test_online_shares(self):
        self.assertEqual(self.online_full.portal_online_level, "full")
        self.assertEqual(self.online_paper.portal_online_level, "partial")
        self.assertAlmostEqual(self._sources("online_share")[self.justice.id], 50.0)
        self.assertAlmostEqual(self._sources("full_level_share")[self.justice.id], 25.0)
        self.assertNotIn(self.other_agency.id, self._sources("online_share"))

    def test_satisfaction_per_factor_and_overall(self):
        expected = {
            "sipas_access": 50.0,
            "sipas_procedure": 100.0,
            "sipas_officer": 50.0,
            "sipas_result": 100.0,
            "sipas_feedback": 50.0,
            "sipas_overall": 70.0,
            "qd766_satisfaction": 12.6,
        }
        for code, value in expected.items():
            self.assertAlmostEqual(self._sources(code)[self.justice.id], value, msg=code)
        # Another quarter has no rating.
        source = self.env.ref("cchc_portal.indicator_source_sipas_overall")
        self.assertEqual(
            source._compute_values(self.justice, date(2026, 4, 1), date(2026, 6, 30)), {}
        )

    def test_feedback_answered_on_time(self):
        self.assertAlmostEqual(self._sources("feedback_on_time")[self.justice.id], 100.0 / 3)

    def test_publicity_and_online_points(self):
        # Three active procedures of the justice department; one published, in force, complete.
        self.assertTrue(self.procedure.portal_complete)
        self.assertAlmostEqual(self._sources("complete_info")[self.justice.id], 100.0 / 3)
        self.assertAlmostEqual(self._sources("qd766_publicity")[self.justice.id], 6.0)
        # 22 × (½ × 100% offered online + ½ × 50% filed online).
        self.assertAlmostEqual(self._sources("qd766_online")[self.justice.id], 16.5)
