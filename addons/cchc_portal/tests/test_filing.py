import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import EXE, PDF, PNG, PortalFixtures, PortalHttpCase, local, path, strip_tokens


@tagged("post_install", "-at_install")
class TestFiling(PortalHttpCase):
    """A citizen files online, the desk receives, asks a supplement answered online, the
    result is returned and rated; notices go through the mail queue."""

    def _form(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200, page.text[:300])
        token = re.search(r'csrf_token: "([^"]+)"', page.text).group(1)
        return page, token

    def _post_application(self, files, action="submit"):
        page, token = self._form("/dvc/nop/P.000001")
        slots = re.findall(r'name="file_(\d+)"', page.text)
        self.assertEqual(len(slots), 3)
        data = {
            "csrf_token": token,
            "action": action,
            "applicant_kind": "person",
            "applicant_name": "Trần Thị Công Dân",
            "applicant_id_number": "079200001111",
            "applicant_phone": "0900000000",
            "applicant_email": "ttcd@example.com",
            "applicant_address": "12 Lê Lợi",
            "agency_id": str(self.justice.id),
        }
        upload = {
            f"file_{slot}": content for slot, content in zip(slots, files, strict=False) if content
        }
        return self.url_open("/dvc/nop/P.000001", data=data, files=upload)

    def test_filing_needs_an_account(self):
        response = self.url_open("/dvc/nop/P.000001", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_wrong_file_type_refused_and_nothing_kept(self):
        self.authenticate("pt_citizen", "pt_citizen")
        response = self._post_application(
            [("to-khai.pdf", EXE, "application/pdf"), ("cccd.png", PNG, "image/png")]
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("PDF, JPEG", response.text)
        submission = self.env["cchc.portal.submission"].search(
            [("partner_id", "=", self.citizen.partner_id.id)]
        )
        self.assertEqual(submission.state, "draft")
        self.assertFalse(submission.line_ids.attachment_id)
        self.assertFalse(
            self.env["cchc.onestop.dossier"].search(
                [("portal_partner_id", "=", self.citizen.partner_id.id)]
            )
        )

    def test_missing_required_document_refused(self):
        self.authenticate("pt_citizen", "pt_citizen")
        response = self._post_application([("to-khai.pdf", PDF, "application/pdf")])
        self.assertEqual(response.status_code, 400)
        self.assertIn("Bản chụp Căn cước công dân", response.text)
        # The first file is not lost with the refusal? It is: nothing is half-written.
        submission = self.env["cchc.portal.submission"].search(
            [("partner_id", "=", self.citizen.partner_id.id)]
        )
        self.assertEqual(submission.state, "draft")

    def test_draft_resumed(self):
        self.authenticate("pt_citizen", "pt_citizen")
        response = self._post_application([("to-khai.pdf", PDF, "application/pdf")], "save")
        self.assertEqual(response.status_code, 200)
        page = self.url_open("/dvc/nop/P.000001")
        self.assertIn("to-khai.pdf", page.text)
        self.assertIn("Trần Thị Công Dân", page.text)

    def test_citizen_sees_only_own_dossiers(self):
        mine = self._submission(self.citizen)
        theirs = self._submission(self.citizen2)
        self.authenticate("pt_citizen", "pt_citizen")
        self.assertEqual(self.url_open(f"/my/ho-so/{mine.id}").status_code, 200)
        self.assertEqual(self.url_open(f"/my/ho-so/{theirs.id}").status_code, 404)
        listing = self.url_open("/my/ho-so")
        self.assertIn(f"/my/ho-so/{mine.id}", listing.text)
        self.assertNotIn(f"/my/ho-so/{theirs.id}", listing.text)
        # Answering the other citizen's supplement: refused before anything is read.
        page, token = self._form(f"/my/ho-so/{mine.id}")
        response = self.url_open(
            f"/my/ho-so/{theirs.id}/bo-sung",
            data={"csrf_token": token},
            files={"files": ("x.pdf", PDF, "application/pdf")},
        )
        self.assertEqual(response.status_code, 404)

    def test_whole_online_life(self):
        Dossier = self.env["cchc.onestop.dossier"]
        with freeze_time(local(2026, 3, 2, 20, 0)):  # Monday evening, after office hours
            self.authenticate("pt_citizen", "pt_citizen")
            response = self._post_application(
                [("to-khai.pdf", PDF, "application/pdf"), ("cccd.png", PNG, "image/png")]
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("/my/ho-so/", response.url)
        dossier = Dossier.search([("portal_partner_id", "=", self.citizen.partner_id.id)])
        self.assertEqual(dossier.channel, "online")
        self.assertEqual(dossier.state, "draft")
        self.assertEqual(dossier.agency_id, self.justice)
        files = dossier.document_ids.filtered("provided").attachment_ids
        self.assertEqual(sorted(files.mapped("mimetype")), ["application/pdf", "image/png"])
        self.assertEqual(set(files.mapped("res_model")), {"cchc.onestop.dossier"})
        # The desk finds it waiting and receives it: the clock starts Tuesday morning.
        waiting = Dossier.with_user(self.desk).search(
            [("channel", "=", "online"), ("state", "=", "draft")]
        )
        self.assertEqual(waiting, dossier)
        with freeze_time(local(2026, 3, 3, 8, 30)):
            dossier.with_user(self.desk).action_receive()
        self.assertEqual(dossier.state, "received")
        self.assertEqual(dossier.effective_received_datetime, local(2026, 3, 3, 7, 30))
        received_mail = self._outbox("ttcd@example.com")
        self.assertEqual(len(received_mail), 1)
        self.assertIn(dossier.name, received_mail.subject)
        self.assertIn(dossier.portal_secret, received_mail.body_html)
        self.assertIn("đã được tiếp nhận", received_mail.subject)
        # The handler asks for a supplement; the citizen answers online.
        appointment = dossier.appointment_datetime
        with freeze_time(local(2026, 3, 4, 9, 0)):
            dossier.with_user(self.handler)._request_supplement(
                "Bổ sung bản sao giấy khai sinh", "Giấy khai sinh"
            )
        self.assertEqual(len(self._outbox("ttcd@example.com")), 2)
        submission = self.env["cchc.portal.submission"].search([("dossier_id", "=", dossier.id)])
        self.authenticate("pt_citizen", "pt_citizen")
        page, token = self._form(f"/my/ho-so/{submission.id}")
        self.assertIn("Bổ sung bản sao giấy khai sinh", page.text)
        with freeze_time(local(2026, 3, 6, 9, 0)):
            response = self.url_open(
                f"/my/ho-so/{submission.id}/bo-sung",
                data={"csrf_token": token, "note": "Gửi bổ sung"},
                files={"files": ("khai-sinh.jpg", b"\xff\xd8\xff\xe0" + b"0" * 40, "image/jpeg")},
            )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(dossier.state, "received")
        self.assertTrue(dossier.supplement_ids.received_datetime)
        self.assertIn("Gửi bổ sung", dossier.document_ids.mapped("note"))
        self.assertGreater(dossier.appointment_datetime, appointment)
        self.assertEqual(dossier.portal_online_level, "full")
        # Result as a file, returned: fully online; the rating link works once.
        result = self.env["ir.attachment"].create(
            {"name": "phieu-ltp.pdf", "raw": PDF, "res_model": dossier._name, "res_id": dossier.id}
        )
        dossier.with_user(self.handler).write({"result_attachment_ids": [Command.set(result.ids)]})
        with freeze_time(local(2026, 3, 9, 9, 0)):
            dossier.with_user(self.handler)._resolve("approved", "Phiếu số 12")
            dossier.with_user(self.desk).action_return()
        self.assertEqual(len(self._outbox("ttcd@example.com")), 3)
        self.assertEqual(dossier.portal_online_level, "full")
        # The slips the desk prints: the receipt with the tracking secret and the QR code of the
        # tracking page, the return slip with the result and the rating address.
        Report = self.env["ir.actions.report"].with_user(self.desk)
        receipt = Report._render_qweb_pdf("cchc_onestop.report_receipt", dossier.ids)[0].decode()
        self.assertIn(dossier.portal_secret, receipt)
        self.assertIn("barcode_type=QR", receipt)
        slip = Report._render_qweb_pdf("cchc_portal.report_return", dossier.ids)[0].decode()
        self.assertIn("Phiếu số 12", slip)
        self.assertIn("09/03/2026", slip)
        self.assertIn(dossier._portal_rating_url(), slip)
        token_url = path(dossier._portal_rating_url())
        page, token = self._form(token_url)
        self.assertIn("Tiếp cận dịch vụ", page.text)
        self.assertIn("Công chức giải quyết", page.text)
        scores = {
            "score_access": "5",
            "score_procedure": "4",
            "score_officer": "5",
            "score_result": "5",
            "score_feedback": "3",
        }
        response = self.url_open(token_url, data=dict(scores, csrf_token=token, comment="Tốt"))
        self.assertEqual(response.status_code, 200)
        rating = dossier.portal_rating_id
        self.assertEqual(rating.score_feedback, 3)
        self.assertEqual(rating.channel, "online")
        self.assertEqual(dossier.rating, 4)
        again = self.url_open(token_url, data=dict(scores, csrf_token=token))
        self.assertIn("đã được đánh giá", again.text)
        self.assertEqual(len(dossier.portal_rating_id), 1)

    def test_refused_online_dossier_told_to_citizen(self):
        submission = self._submission()
        dossier = submission.dossier_id
        dossier.with_user(self.desk)._refuse_at_receipt("Thủ tục không thuộc thẩm quyền")
        mail = self._outbox(self.citizen.email)
        self.assertEqual(len(mail), 1)
        self.assertIn("Thủ tục không thuộc thẩm quyền", mail.body_html)
        self.authenticate("pt_citizen", "pt_citizen")
        page = self.url_open(f"/my/ho-so/{submission.id}")
        self.assertIn("Thủ tục không thuộc thẩm quyền", page.text)

    def test_paper_supplement_makes_it_partly_online(self):
        with freeze_time(local(2026, 3, 2, 9, 0)):
            dossier = self._submission().dossier_id
            dossier.with_user(self.desk).action_receive()
        with freeze_time(local(2026, 3, 3, 9, 0)):
            dossier.with_user(self.handler)._request_supplement("Thiếu giấy tờ")
        with freeze_time(local(2026, 3, 4, 9, 0)):
            dossier.with_user(self.desk).action_supplement_received()
        self.assertEqual(dossier.portal_online_level, "partial")
        self.assertTrue(dossier.portal_paper_step)

    def test_apology_notice(self):
        dossier = self._desk_dossier()
        dossier.with_user(self.handler)._apologise(
            "Phải xác minh thêm", dossier.appointment_date + timedelta(days=7)
        )
        mail = self._outbox("nvbm@example.com").filtered(lambda m: "muộn" in (m.subject or ""))
        self.assertEqual(len(mail), 1)
        self.assertIn("Phải xác minh thêm", mail.body_html)


@tagged("post_install", "-at_install")
class TestSignup(PortalFixtures, HttpCase):
    """Sign-up: the account is usable only after the link mailed to the address is followed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._portal_setup()

    def test_signup_with_email_verification(self):
        page = self.url_open("/dvc/dang-ky")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            "/dvc/dang-ky",
            data={"csrf_token": token, "name": "Lê Văn Mới", "email": "lvm@example.com"},
        )
        self.assertEqual(response.status_code, 200)
        user = self.env["res.users"].search([("login", "=", "lvm@example.com")])
        self.assertTrue(user.has_group("base.group_portal"))
        self.assertFalse(user.has_group("base.group_user"))
        mail = self._outbox("lvm@example.com")
        self.assertEqual(len(mail), 1)
        link = re.search(r'href="([^"]*/web/signup\?[^"]+)"', mail.body_html).group(1)
        link = link.replace("&amp;", "&")
        # No password yet: the account cannot be used before the address is verified.
        self.env.cr.execute("SELECT password FROM res_users WHERE id = %s", [user.id])
        self.assertFalse(self.env.cr.fetchone()[0])
        signup = self.url_open(path(link))
        self.assertEqual(signup.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', signup.text).group(1)
        signup_token = re.search(r'name="token" value="([^"]+)"', signup.text).group(1)
        done = self.url_open(
            "/web/signup",
            data={
                "csrf_token": csrf,
                "token": signup_token,
                "login": "lvm@example.com",
                "name": "Lê Văn Mới",
                "password": "a-password-1",
                "confirm_password": "a-password-1",
                "redirect": "/my/ho-so",
            },
        )
        self.assertEqual(done.status_code, 200)
        self.authenticate("lvm@example.com", "a-password-1")
        self.assertEqual(self.url_open("/my/ho-so").status_code, 200)

    def test_existing_address_answered_alike(self):
        page = self.url_open("/dvc/dang-ky")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        answers = [
            self.url_open("/dvc/dang-ky", data={"csrf_token": token, "name": "X", "email": email})
            for email in (self.citizen.email, "new1@example.com")
        ]
        self.assertEqual(answers[0].status_code, answers[1].status_code)
        self.assertEqual(
            strip_tokens(answers[0].text).replace(self.citizen.email, "@"),
            strip_tokens(answers[1].text).replace("new1@example.com", "@"),
        )
        self.assertFalse(self._outbox(self.citizen.email))
        self.assertEqual(len(self._outbox("new1@example.com")), 1)
