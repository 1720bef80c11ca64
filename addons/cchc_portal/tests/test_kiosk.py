import re

from odoo.tests import tagged

from .common import PortalHttpCase


@tagged("post_install", "-at_install")
class TestKioskAndFeedback(PortalHttpCase):
    """The counter tablet opens the rating of a returned dossier of its own desk only; the
    feedback form creates feedback with a deadline, published once answered."""

    def _token(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _returned(self):
        dossier = self._desk_dossier()
        dossier.with_user(self.handler)._resolve("approved", "Phiếu số 7")
        dossier.with_user(self.desk).action_return()
        return dossier

    def test_kiosk_rates_a_returned_dossier_of_its_desk(self):
        dossier = self._returned()
        open_one = self._desk_dossier()
        token = self._token("/dvc/quay/P09.03")
        for code, secret in (
            (dossier.name, "WRONGWRONG"),
            (open_one.name, open_one.portal_secret),  # not returned yet
        ):
            response = self.url_open(
                "/dvc/quay/P09.03", data={"csrf_token": token, "ma": code, "bi_mat": secret}
            )
            self.assertEqual(response.status_code, 404)
        # Another desk's tablet does not open it.
        other = self.url_open(
            "/dvc/quay/P09.08",
            data={
                "csrf_token": self._token("/dvc/quay/P09.08"),
                "ma": dossier.name,
                "bi_mat": dossier.portal_secret,
            },
        )
        self.assertEqual(other.status_code, 404)
        self.assertEqual(self.url_open("/dvc/quay/NOPE").status_code, 404)
        response = self.url_open(
            "/dvc/quay/P09.03",
            data={"csrf_token": token, "ma": dossier.name, "bi_mat": dossier.portal_secret},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"/dvc/danh-gia/{dossier.portal_rating_token}", response.url)
        form_token = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
        scores = dict.fromkeys(
            ("score_access", "score_procedure", "score_officer", "score_result", "score_feedback"),
            "4",
        )
        rated = self.url_open(response.url, data=dict(scores, csrf_token=form_token))
        self.assertEqual(rated.status_code, 200)
        self.assertEqual(dossier.portal_rating_id.channel, "kiosk")
        self.assertIn("/dvc/quay/P09.03", rated.text)

    def test_rating_refused_out_of_range_and_unknown_token(self):
        dossier = self._returned()
        url = f"/dvc/danh-gia/{dossier.portal_rating_token}"
        token = self._token(url)
        scores = dict.fromkeys(
            ("score_access", "score_procedure", "score_officer", "score_result"), "5"
        )
        response = self.url_open(url, data=dict(scores, score_feedback="9", csrf_token=token))
        self.assertEqual(response.status_code, 400)
        self.assertFalse(dossier.portal_rating_id)
        self.assertEqual(self.url_open("/dvc/danh-gia/not-a-token").status_code, 404)
        # An open dossier has no rating link at all.
        self.assertFalse(self._desk_dossier().portal_rating_token)

    def test_feedback_sent_and_published_when_answered(self):
        token = self._token("/dvc/phan-anh")
        response = self.url_open(
            "/dvc/phan-anh",
            data={
                "csrf_token": token,
                "kind": "proposal",
                "agency_id": str(self.justice.id),
                "name": "Thêm quầy lý lịch tư pháp",
                "content": "Đề nghị thêm quầy vào sáng thứ Hai.",
                "author_email": "nguoidan@example.com",
            },
        )
        self.assertEqual(response.status_code, 200)
        feedback = self.env["cchc.portal.feedback"].search(
            [("name", "=", "Thêm quầy lý lịch tư pháp")]
        )
        self.assertEqual(feedback.kind, "proposal")
        self.assertTrue(feedback.deadline_date > feedback.received_date)
        self.assertNotIn("Đề nghị thêm quầy", self.url_open("/dvc/phan-anh").text)
        feedback.answer = "Đã bố trí thêm quầy."
        feedback.with_user(self.handler).action_answer()
        page = self.url_open("/dvc/phan-anh").text
        self.assertIn("Đã bố trí thêm quầy.", page)
        self.assertNotIn("nguoidan@example.com", page)
        missing = self.url_open(
            "/dvc/phan-anh", data={"csrf_token": token, "agency_id": str(self.justice.id)}
        )
        self.assertEqual(missing.status_code, 400)
