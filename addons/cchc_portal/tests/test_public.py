from odoo.tests import HttpCase, tagged

from .common import PortalFixtures, PortalHttpCase, path, query, strip_tokens


@tagged("post_install", "-at_install")
class TestCatalogue(PortalFixtures, HttpCase):
    """The public catalogue shows published procedures in force, in Vietnamese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._portal_setup()

    def test_home_and_search_without_diacritics(self):
        home = self.url_open("/dvc")
        self.assertEqual(home.status_code, 200)
        self.assertIn("Cổng dịch vụ công", home.text)
        for words in ("ly lich tu phap", "Lý lịch TƯ PHÁP", "P.000001"):
            page = self.url_open(query("/dvc/thu-tuc", q=words))
            self.assertEqual(page.status_code, 200)
            self.assertIn("/dvc/thu-tuc/P.000001", page.text, words)
            # Unpublished and expired versions are never listed.
            self.assertNotIn("P.000002", page.text)
            self.assertNotIn("P.000003", page.text)
        none = self.url_open(query("/dvc/thu-tuc", **{"q": "xay dung nha o"}))
        self.assertNotIn("/dvc/thu-tuc/P.000001", none.text)

    def test_filters_by_field_and_agency(self):
        page = self.url_open(
            query("/dvc/thu-tuc", **{"linh_vuc": self.field.id, "co_quan": "P09.03"})
        )
        self.assertIn("/dvc/thu-tuc/P.000001", page.text)
        other = self.url_open(query("/dvc/thu-tuc", **{"co_quan": "P09.08"}))
        self.assertNotIn("/dvc/thu-tuc/P.000001", other.text)

    def test_procedure_page(self):
        page = self.url_open("/dvc/thu-tuc/P.000001")
        self.assertEqual(page.status_code, 200)
        for text in (
            "200.000 đồng/Phiếu",
            "ngày làm việc",
            "Luật Lý lịch tư pháp năm 2009",
            "Bản chụp Căn cước công dân",
            "Trung tâm Phục vụ hành chính công tỉnh",
            "/dvc/nop/P.000001",
        ):
            self.assertIn(text, page.text)
        codes = ("P.000002", "P.000003", "NOPE", "x" * 200)
        for code in codes:
            self.assertEqual(self.url_open(f"/dvc/thu-tuc/{code}").status_code, 404, code)
        self.authenticate("pt_citizen", "pt_citizen")
        for code in codes:
            self.assertEqual(self.url_open(f"/dvc/nop/{code}").status_code, 404, code)

    def test_form_download_only_from_a_published_procedure(self):
        attachment = self.env["ir.attachment"].create(
            {"name": "mau-to-khai.pdf", "raw": b"%PDF-1.4 form", "mimetype": "application/pdf"}
        )
        document = self.procedure.document_ids[0]
        document.form_attachment_id = attachment
        self.hidden.document_ids = [
            (0, 0, {"name": "Tờ khai", "form_attachment_id": attachment.id})
        ]
        ok = self.url_open(f"/dvc/thu-tuc/P.000001/mau/{document.id}")
        self.assertEqual(ok.status_code, 200)
        self.assertEqual(ok.content, b"%PDF-1.4 form")
        hidden_doc = self.hidden.document_ids[0]
        self.assertEqual(
            self.url_open(f"/dvc/thu-tuc/P.000002/mau/{hidden_doc.id}").status_code, 404
        )
        # Another procedure's document through a published code: refused.
        self.assertEqual(
            self.url_open(f"/dvc/thu-tuc/P.000001/mau/{hidden_doc.id}").status_code, 404
        )


@tagged("post_install", "-at_install")
class TestTracking(PortalHttpCase):
    """Tracking by code and secret: the same answer for a wrong code and a wrong secret,
    nothing personal, rate-limited per address."""

    def setUp(self):
        super().setUp()
        self.dossier = self._desk_dossier()

    def test_secret_generated_at_receipt(self):
        secret = self.dossier.portal_secret
        self.assertEqual(len(secret), 10)
        self.assertTrue(set(secret) <= set("ABCDEFGHJKMNPQRSTUVWXYZ23456789"))
        other = self._desk_dossier()
        self.assertNotEqual(other.portal_secret, secret)

    def test_backfill_of_dossiers_received_before_the_portal(self):
        older = self._desk_dossier()
        self.env.cr.execute(
            "UPDATE cchc_onestop_dossier SET portal_secret = NULL WHERE id IN %s",
            [(older.id, self.dossier.id)],
        )
        self.env["cchc.onestop.dossier"]._portal_backfill(batch=1)
        secrets_ = (older | self.dossier).mapped("portal_secret")
        self.assertEqual([len(s) for s in secrets_], [10, 10])
        self.assertNotEqual(secrets_[0], secrets_[1])
        self.assertFalse(older.portal_rating_token)  # not returned

    def test_qr_link_opens_the_timeline(self):
        dossier = self.dossier
        url = dossier._portal_track_url()
        self.assertIn("/dvc/tra-cuu?ma=", url)
        page = self.url_open(path(url))
        self.assertEqual(page.status_code, 200)
        self.assertIn(dossier.name, page.text)
        self.assertIn("Đã tiếp nhận", page.text)
        self.assertIn("Hẹn trả kết quả", page.text)
        # Nothing personal: neither the name nor the identity number nor the e-mail.
        for personal in ("Nguyễn Văn Bí Mật", "001099012345", "nvbm@example.com"):
            self.assertNotIn(personal, page.text)
        # Typed from the slip: case and spaces do not matter.
        typed = self.url_open(
            query(
                "/dvc/tra-cuu",
                **{"ma": dossier.name.lower(), "bi_mat": " ".join(dossier.portal_secret.lower())},
            )
        )
        self.assertEqual(typed.status_code, 200)

    def test_supplement_and_apology_shown(self):
        dossier = self.dossier.with_user(self.handler)
        dossier._request_supplement("Bổ sung bản sao giấy khai sinh", "Giấy khai sinh")
        page = self.url_open(path(self.dossier._portal_track_url()))
        self.assertIn("Bổ sung bản sao giấy khai sinh", page.text)
        self.assertIn("Giấy khai sinh", page.text)

    def test_wrong_code_and_wrong_secret_answer_alike(self):
        dossier = self.dossier
        wrong_secret = self.url_open(
            query("/dvc/tra-cuu", **{"ma": dossier.name, "bi_mat": "AAAAAAAAAA"})
        )
        wrong_code = self.url_open(
            query("/dvc/tra-cuu", **{"ma": "P09.03-990101-0001", "bi_mat": dossier.portal_secret})
        )
        self.assertEqual(wrong_secret.status_code, 404)
        self.assertEqual(wrong_code.status_code, wrong_secret.status_code)
        self.assertEqual(strip_tokens(wrong_code.text), strip_tokens(wrong_secret.text))
        self.assertNotIn(dossier.procedure_id.name, wrong_secret.text)

    def test_rate_limit_per_address(self):
        self.env["ir.config_parameter"].sudo().set_param("cchc_portal.lookup_limit", "3")
        for _i in range(3):
            self.url_open(query("/dvc/tra-cuu", **{"ma": "X", "bi_mat": "Y"}))
        blocked = self.url_open(path(self.dossier._portal_track_url()))
        self.assertEqual(blocked.status_code, 429)
        self.assertIn("Quá nhiều yêu cầu", blocked.text)
        self.assertTrue(blocked.headers.get("Retry-After"))
        counter = self.env["cchc.portal.rate.limit"].sudo().search([("key", "like", "lookup:%")])
        self.assertEqual(counter.hits, 4)

    def test_forged_csrf_refused(self):
        response = self.url_open(
            "/dvc/tra-cuu",
            data={"ma": self.dossier.name, "bi_mat": self.dossier.portal_secret},
        )
        # No CSRF token in the form post: Odoo refuses it.
        self.assertEqual(response.status_code, 400)
        response = self.url_open(
            "/dvc/tra-cuu",
            data={
                "ma": self.dossier.name,
                "bi_mat": self.dossier.portal_secret,
                "csrf_token": "forged",
            },
        )
        self.assertEqual(response.status_code, 400)

    def test_draft_dossier_not_trackable(self):
        draft = (
            self.env["cchc.onestop.dossier"]
            .with_user(self.desk)
            .create(
                {
                    "agency_id": self.justice.id,
                    "procedure_id": self.procedure.id,
                    "applicant_name": "Khách",
                }
            )
        )
        self.assertFalse(draft.portal_secret)
        self.assertFalse(self.env["cchc.onestop.dossier"]._portal_track(draft.name, ""))
