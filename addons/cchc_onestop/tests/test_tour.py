from datetime import date

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

APPLICANT = "Công ty TNHH Nông sản Tour"


@tagged("post_install", "-at_install")
class TestOnestopTour(HttpCase):
    """In Chromium: the finance department's desk receives a dossier, the department and the
    provincial committee's office handle their steps, the desk returns the result."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["cchc.holiday"].generate_statutory([date.today().year, date.today().year + 1])
        Agency = cls.env["cchc.agency"]
        province = Agency.create(
            {"name": "UBND tỉnh Tour", "identifier": "Z07", "kind": "province_committee"}
        )
        cls.finance = Agency.create(
            {"name": "Sở Tài chính Tour", "identifier": "Z07.04", "parent_id": province.id}
        )
        cls.office = Agency.create(
            {"name": "Văn phòng UBND tỉnh Tour", "identifier": "Z07.01", "parent_id": province.id}
        )
        cls.desk = cls._user("tour_desk", "cchc_base.group_cchc_onestop", cls.finance)
        cls.finance_handler = cls._user("tour_finance", "cchc_base.group_cchc_user", cls.finance)
        cls.office_handler = cls._user("tour_office", "cchc_base.group_cchc_user", cls.office)
        cls.procedure = cls.env["cchc.onestop.procedure"].create(
            {
                "code": "Z.000101",
                "name": "Chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh",
                "competent_agency_id": cls.finance.id,
                "time_unit": "day",
                "time_limit": 5,
                "document_ids": [
                    Command.create({"name": "Văn bản đề nghị thực hiện dự án đầu tư"}),
                    Command.create({"name": "Đề xuất dự án đầu tư"}),
                    Command.create({"name": "Văn bản ủy quyền", "required": False}),
                ],
                "step_ids": [
                    Command.create(
                        {
                            "name": "Thẩm định hồ sơ dự án",
                            "time_limit": 3,
                            "handler_id": cls.finance_handler.id,
                            "sequence": 1,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Trình UBND tỉnh quyết định",
                            "agency_id": cls.office.id,
                            "time_limit": 2,
                            "handler_id": cls.office_handler.id,
                            "sequence": 2,
                        }
                    ),
                ],
            }
        )

    @classmethod
    def _user(cls, login, group, agency):
        user = new_test_user(cls.env, login=login, groups=f"base.group_user,{group}")
        user.cchc_agency_id = agency
        return user

    def test_dossier_through_two_agencies(self):
        # The receipt slip is downloaded, as on a server with wkhtmltopdf, whether this machine
        # has it or not (without it the client would open the HTML viewer instead).
        self.patch(type(self.env["ir.actions.report"]), "get_wkhtmltopdf_state", lambda _: "ok")
        Dossier = self.env["cchc.onestop.dossier"]
        self.start_tour(
            "/odoo/action-cchc_onestop.cchc_onestop_dossier_action",
            "cchc_onestop_desk_receives",
            login="tour_desk",
        )
        dossier = Dossier.search([("applicant_name", "=", APPLICANT)])
        self.assertEqual(len(dossier), 1)
        self.assertEqual(dossier.state, "received")
        self.assertEqual((dossier.agency_id, dossier.received_by_id), (self.finance, self.desk))
        self.assertTrue(dossier.name.startswith("Z07.04-"), dossier.name)
        self.assertTrue(dossier.appointment_datetime)
        self.assertEqual(dossier.applicant_kind, "business")
        self.assertEqual(
            (dossier.applicant_id.id_number, dossier.applicant_id.phone),
            ("1801234567", "0292 3812 345"),
        )
        required = dossier.document_ids.filtered("required")
        self.assertEqual(len(required), 2)
        self.assertTrue(all(required.mapped("provided")))
        first, second = dossier.step_ids.sorted("sequence")
        self.assertEqual(dossier.current_step_id, first)
        self.assertEqual(
            (dossier.current_agency_id, dossier.current_handler_id),
            (self.finance, self.finance_handler),
        )
        self.assertEqual(second.agency_id, self.office)
        self.assertEqual(second.deadline, dossier.appointment_datetime)
        slip, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "cchc_onestop.action_report_receipt", dossier.ids
        )
        self.assertIn(dossier.name, slip.decode())

        self.start_tour(
            "/odoo/action-cchc_onestop.cchc_onestop_dossier_action_my_steps",
            "cchc_onestop_finance_handles",
            login="tour_finance",
        )
        self.assertEqual(dossier.state, "processing")
        self.assertEqual((first.state, first.timeliness), ("done", "early"))
        self.assertEqual(second.state, "in_progress")
        self.assertEqual(
            (dossier.current_step_id, dossier.current_agency_id, dossier.current_handler_id),
            (second, self.office, self.office_handler),
        )
        self.assertFalse(dossier.timeliness)

        self.start_tour(
            "/odoo/action-cchc_onestop.cchc_onestop_dossier_action_my_steps",
            "cchc_onestop_office_decides",
            login="tour_office",
        )
        self.assertEqual(dossier.state, "resolved")
        self.assertEqual(dossier.result, "approved")
        self.assertEqual(
            dossier.result_note, "Quyết định chấp thuận chủ trương đầu tư số 15/QĐ-UBND"
        )
        self.assertEqual((second.state, second.timeliness), ("done", "early"))
        self.assertFalse(dossier.current_step_id)
        # Resolved days before the appointment of a 5-working-day procedure.
        self.assertEqual(dossier.timeliness, "early")
        self.assertFalse(dossier.returned_datetime)

        self.start_tour(
            "/odoo/action-cchc_onestop.cchc_onestop_dossier_action",
            "cchc_onestop_desk_returns",
            login="tour_desk",
        )
        self.assertEqual(dossier.state, "returned")
        self.assertTrue(dossier.returned_datetime)
        self.assertEqual(dossier.timeliness, "early")
