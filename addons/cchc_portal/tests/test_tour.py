from datetime import datetime, time

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.cchc_base.tools.protect import unlocked

from .common import PDF, PortalFixtures, path


@tagged("post_install", "-at_install")
class TestPortalTour(PortalFixtures, HttpCase):
    """In Chromium on a phone-sized, touch screen: a citizen (a prepared portal account: the
    e-mail verification is proven in test_filing.TestSignup) finds a procedure, files it with
    two files, answers the supplement the handler asks for, rates the returned result; then
    anyone opens the tracking page from the slip's QR link."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._portal_setup()
        cls.citizen.name = "Trần Thị Công Dân"

    def test_citizen_files_answers_and_rates(self):
        Submission = self.env["cchc.portal.submission"]
        self.start_tour("/dvc", "cchc_portal_citizen_files", login="pt_citizen")
        submission = Submission.search([("partner_id", "=", self.citizen.partner_id.id)])
        dossier = submission.dossier_id
        self.assertEqual(submission.state, "submitted")
        self.assertEqual(dossier.state, "draft")
        self.assertEqual(dossier.channel, "online")
        self.assertEqual(len(dossier.document_ids.attachment_ids), 2)
        self.assertEqual(
            sorted(dossier.document_ids.attachment_ids.mapped("mimetype")),
            ["application/pdf", "image/png"],
        )

        # The desk receives it (as filed two working days ago: the clock runs whatever day
        # the test runs), the handler asks for a supplement.
        clock = dossier._clock()
        day = clock.calendar.add_working_days(clock.now_local().date(), -2)
        with unlocked(dossier):  # the citizen's submission, as the system recorded it
            dossier.received_datetime = clock.utc(datetime.combine(day, time(9)))
        dossier.with_user(self.desk).action_receive()
        appointment = dossier.appointment_datetime
        dossier.with_user(self.handler)._request_supplement(
            "Bổ sung bản sao giấy khai sinh", "Giấy khai sinh"
        )
        self.start_tour("/my/ho-so", "cchc_portal_citizen_supplements", login="pt_citizen")
        self.assertIn(dossier.state, ("received", "processing"))
        self.assertTrue(dossier.supplement_ids.received_datetime)
        self.assertGreaterEqual(dossier.appointment_datetime, appointment)
        self.assertEqual(dossier.portal_online_level, "full")

        # The result as a file, returned at the desk.
        result = self.env["ir.attachment"].create(
            {"name": "phieu.pdf", "raw": PDF, "res_model": dossier._name, "res_id": dossier.id}
        )
        dossier.with_user(self.handler).write({"result_attachment_ids": [Command.set(result.ids)]})
        dossier.with_user(self.handler)._resolve("approved", "Phiếu số 1")
        dossier.with_user(self.desk).action_return()
        self.start_tour("/my/ho-so", "cchc_portal_citizen_rates", login="pt_citizen")
        rating = dossier.portal_rating_id
        self.assertEqual(
            [rating.score_access, rating.score_procedure, rating.score_officer],
            [5, 5, 5],
        )
        self.assertEqual(rating.comment, "Nộp trực tuyến rất nhanh")
        self.assertEqual(dossier.portal_online_level, "full")

        # Anyone with the slip's QR code.
        self.start_tour(path(dossier._portal_track_url()), "cchc_portal_track_by_qr")
