import re
from datetime import date, datetime, timedelta

from werkzeug.urls import url_encode

from odoo import Command
from odoo.tests import HttpCase, new_test_user

# A tiny valid-looking file of each accepted kind (the content decides, not the name).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00" + b"\x00" * 32
VN = timedelta(hours=7)


def local(*args):
    """A naive UTC datetime for a local Vietnam time."""
    return datetime(*args) - VN


def strip_tokens(html):
    """The page without what differs on every render (CSRF tokens)."""
    html = re.sub(r'name="csrf_token" value="[^"]*"', "", html)
    html = re.sub(r'csrf_token: "[^"]*"', "", html)
    # The language selector repeats the address asked, query included.
    return re.sub(r'href="/(?:en|vi)/[^"]*"', "", html)


def query(url, **params):
    return f"{url}?{url_encode(params)}"


def path(url):
    """The path and query of an absolute URL of the portal."""
    return url[url.index("/", url.index("//") + 2) :]


class PortalFixtures:
    """An agency with its desk, a published procedure offered fully online, an unpublished
    one, and two citizens with portal accounts. Works for TransactionCase and HttpCase."""

    @classmethod
    def _portal_setup(cls):
        env = cls.env
        today = date.today()
        env["cchc.holiday"].generate_statutory([today.year - 1, today.year, today.year + 1])
        env["res.lang"]._activate_lang("vi_VN")
        env["ir.module.module"]._load_module_terms(
            ["cchc_base", "cchc_onestop", "cchc_portal"], ["vi_VN"], overwrite=True
        )
        env["cchc.portal.rate.limit"].sudo().search([]).unlink()
        Agency = env["cchc.agency"]
        cls.province = Agency.create(
            {"name": "UBND tỉnh Cổng", "identifier": "P09", "kind": "province_committee"}
        )
        cls.justice = Agency.create(
            {"name": "Sở Tư pháp Cổng", "identifier": "P09.03", "parent_id": cls.province.id}
        )
        cls.other_agency = Agency.create(
            {"name": "Sở Xây dựng Cổng", "identifier": "P09.08", "parent_id": cls.province.id}
        )
        cls.desk = cls._staff("pt_desk", "cchc_base.group_cchc_onestop", cls.justice)
        cls.handler = cls._staff("pt_handler", "cchc_base.group_cchc_user", cls.justice)
        cls.other_desk = cls._staff("pt_desk_xd", "cchc_base.group_cchc_onestop", cls.other_agency)
        cls.coordinator = cls._staff("pt_coord", "cchc_base.group_cchc_coordinator", cls.province)
        cls.field = env["cchc.onestop.field"].create({"name": "Lý lịch tư pháp"})
        Procedure = env["cchc.onestop.procedure"]
        cls.procedure = Procedure.create(
            {
                "code": "P.000001",
                "name": "Cấp Phiếu lý lịch tư pháp cho công dân",
                "field_id": cls.field.id,
                "competent_agency_id": cls.justice.id,
                "time_unit": "day",
                "time_limit": 5,
                "fee_text": "200.000 đồng/Phiếu",
                "online_mode": "full",
                "legal_basis": "Luật Lý lịch tư pháp năm 2009",
                "portal_published": True,
                "portal_place": "Trung tâm Phục vụ hành chính công tỉnh",
                "date_effective": date(2025, 1, 1),
                "document_ids": [
                    Command.create({"name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp"}),
                    Command.create({"name": "Bản chụp Căn cước công dân"}),
                    Command.create({"name": "Văn bản ủy quyền", "required": False}),
                ],
                "step_ids": [
                    Command.create(
                        {
                            "name": "Thẩm định, tra cứu",
                            "time_limit": 5,
                            "handler_id": cls.handler.id,
                            "sequence": 1,
                        }
                    ),
                ],
            }
        )
        cls.hidden = Procedure.create(
            {
                "code": "P.000002",
                "name": "Cấp Phiếu lý lịch tư pháp số 2 chưa công bố",
                "field_id": cls.field.id,
                "competent_agency_id": cls.justice.id,
                "time_unit": "day",
                "time_limit": 3,
                "online_mode": "full",
            }
        )
        cls.expired = Procedure.create(
            {
                "code": "P.000003",
                "name": "Cấp Phiếu lý lịch tư pháp hết hiệu lực",
                "field_id": cls.field.id,
                "competent_agency_id": cls.justice.id,
                "time_unit": "day",
                "time_limit": 3,
                "portal_published": True,
                "date_expiry": today - timedelta(days=1),
            }
        )
        cls.citizen = new_test_user(
            env, login="pt_citizen", groups="base.group_portal", email="citizen@example.com"
        )
        cls.citizen2 = new_test_user(
            env, login="pt_citizen2", groups="base.group_portal", email="citizen2@example.com"
        )

    @classmethod
    def _staff(cls, login, group, agency):
        user = new_test_user(cls.env, login=login, groups=f"base.group_user,{group}")
        user.cchc_agency_id = agency
        return user

    def _desk_dossier(self, **vals):
        """A dossier received at the desk, its documents provided."""
        Dossier = self.env["cchc.onestop.dossier"].with_user(self.desk)
        dossier = Dossier.create(
            dict(
                {
                    "agency_id": self.justice.id,
                    "procedure_id": self.procedure.id,
                    "applicant_name": "Nguyễn Văn Bí Mật",
                    "applicant_id_number": "001099012345",
                    "applicant_email": "nvbm@example.com",
                },
                **vals,
            )
        )
        dossier.document_ids.write({"provided": True})
        dossier._receive()
        return dossier

    def _submission(self, user=None, procedure=None):
        """A submitted online application of ``user`` (the first citizen): its dossier waits."""
        user = user or self.citizen
        procedure = procedure or self.procedure
        Submission = self.env["cchc.portal.submission"]
        draft = Submission._portal_draft(user.partner_id, procedure)
        lines = draft.line_ids
        draft._portal_save(
            {
                "applicant_name": user.name,
                "applicant_id_number": "079200001111",
                "applicant_email": user.email,
                "agency_id": str(self.justice.id),
            },
            {lines[0].id: ("to-khai.pdf", PDF), lines[1].id: ("cccd.png", PNG)},
        )
        draft._portal_submit()
        return draft

    def _outbox(self, email):
        return self.env["mail.mail"].sudo().search([("email_to", "ilike", email)], order="id")


class PortalHttpCase(PortalFixtures, HttpCase):
    """The portal's fixtures over HTTP; each test starts with no request counted against the
    rate limits."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._portal_setup()

    def setUp(self):
        super().setUp()
        self.env["cchc.portal.rate.limit"].sudo().search([]).unlink()
