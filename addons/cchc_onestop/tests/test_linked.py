from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CchcOnestopCase, at, local


@tagged("post_install", "-at_install")
class TestLinkedProcedures(CchcOnestopCase):
    def _investment(self):
        with at(2026, 3, 2, 9, 0):
            return self._received(self.investment, self.finance_desk)

    def _approve_investment(self, dossier):
        with at(2026, 3, 16, 9, 0):
            self._finish_steps(dossier, 1)
        with at(2026, 3, 19, 9, 0):
            dossier.with_user(self.finance_user)._resolve(
                "approved", "Quyết định chấp thuận chủ trương đầu tư số 45/QĐ-UBND"
            )
        # The finance desk does not see the land agency's dossier; the test does.
        return dossier.sudo().next_dossier_ids

    def test_the_first_dossier_gets_the_appointment_of_the_whole_chain(self):
        dossier = self._investment()
        self.assertEqual(dossier.chain_root_id, dossier)
        # 15 + 10 + 5 working days from Monday 2/3/2026: Monday 13/4 at closing.
        self.assertEqual(dossier.chain_appointment_datetime, local(2026, 4, 13, 17, 0))
        self.assertEqual(dossier.appointment_datetime, local(2026, 3, 23, 17, 0))
        html = self._render("cchc_onestop.report_receipt", dossier)
        self.assertIn("17:00 on 13/04/2026", html)

    def test_resolution_starts_the_next_procedure_at_its_agency(self):
        investment = self._investment()
        allocation = self._approve_investment(investment)
        self.assertEqual(len(allocation), 1)
        self.assertEqual(allocation.agency_id, self.land)
        self.assertEqual(allocation.procedure_id, self.allocation)
        self.assertEqual(allocation.name, "X01.07-260319-0001")
        self.assertEqual(allocation.state, "received")
        self.assertEqual(allocation.previous_dossier_id, investment)
        self.assertEqual(allocation.chain_root_id, investment)
        self.assertEqual(allocation.received_datetime, local(2026, 3, 19, 9, 0))
        # Ten working days from Thursday 19/3: Thursday 2/4.
        self.assertEqual(allocation.appointment_datetime, local(2026, 4, 2, 17, 0))
        self.assertEqual(allocation.applicant_name, "Nguyễn Văn An")
        allocation_as_handler = allocation.with_user(self.land_user)
        self.assertEqual(allocation_as_handler.applicant_id_number, "079201001234")
        self.assertNotEqual(allocation.applicant_id, investment.applicant_id, "its own copy")
        documents = {line.name: line for line in allocation.document_ids}
        self.assertIn("Văn bản đề nghị thực hiện dự án đầu tư", documents)
        result = documents["Quyết định chấp thuận chủ trương đầu tư số 45/QĐ-UBND"]
        self.assertTrue(result.provided)
        self.assertIn(investment.name, result.note)
        self.assertEqual(allocation.current_handler_id, self.land_user)
        self.assertTrue(
            allocation.activity_ids.filtered(lambda a: a.user_id == self.land_user),
            "the handler at the next agency has the step in their activities",
        )

    def test_a_refusal_starts_nothing(self):
        investment = self._investment()
        with at(2026, 3, 16, 9, 0):
            self._finish_steps(investment, 1)
            investment.with_user(self.finance_user)._resolve("denied", "Văn bản từ chối số 3/STC")
        self.assertFalse(investment.sudo().next_dossier_ids)

    def test_a_step_starts_the_next_procedure_and_a_late_step_names_its_agency(self):
        investment = self._investment()
        allocation = self._approve_investment(investment)
        with at(2026, 3, 27, 9, 0):
            self._finish_steps(allocation, 1)
        self.assertFalse(allocation.next_dossier_ids, "not after the first step")
        with at(2026, 4, 1, 9, 0):
            self._finish_steps(allocation, 1)
        certificate = allocation.next_dossier_ids
        self.assertEqual(len(certificate), 1)
        self.assertEqual(certificate.agency_id, self.land_office)
        self.assertEqual(certificate.name, "X01.07.02-260401-0001")
        self.assertEqual(certificate.chain_root_id, investment)
        line = certificate.document_ids.filtered(lambda d: d.name == "Đơn đăng ký đất đai")
        self.assertTrue(line.required and line.provided, "the checklist is filled from the chain")
        self.assertEqual(self._steps(certificate).mapped("agency_id"), self.land_office | self.tax)
        with at(2026, 4, 3, 10, 0):
            self._finish_steps(certificate, 1)
        tax_step = certificate.current_step_id
        self.assertEqual(tax_step.agency_id, self.tax)
        self.assertEqual(tax_step.deadline, local(2026, 4, 7, 17, 0))
        # Thursday 9/4: the tax step is two working days late; nobody else is.
        with at(2026, 4, 9, 9, 0):
            investment.invalidate_recordset(["delay_agency_ids", "delay_summary"])
            self.assertEqual(investment.delay_agency_ids, self.tax)
            self.assertIn("Thuế tỉnh: 2 working day(s) late", investment.delay_summary)
            self.assertIn("Xác định nghĩa vụ tài chính", investment.delay_summary)
            self.assertEqual(certificate.delay_agency_ids, self.tax)
        # The chain page lists the chain's dossiers in order, with the whole chain's appointment.
        self.assertEqual(
            investment.chain_dossier_ids.ids, [investment.id, allocation.id, certificate.id]
        )
        self.assertEqual(certificate.chain_dossier_ids, investment.chain_dossier_ids)
        self.assertEqual(certificate.chain_root_appointment_datetime, local(2026, 4, 13, 17, 0))
        self.assertEqual(investment.sudo()._chain_members(), investment | allocation | certificate)
        # A handler of the land agency opens the chain's dossiers they may read, not the
        # finance department's.
        as_land = allocation.with_user(self.land_user)
        [read] = as_land.web_read({"chain_dossier_ids": {"fields": {"name": {}}}})
        names = {row["name"] for row in read["chain_dossier_ids"]}
        self.assertIn(allocation.name, names)
        self.assertNotIn(investment.name, names)

    def test_links_are_checked(self):
        with self.assertRaises(ValidationError):
            self.certificate.link_ids = [
                (0, 0, {"event": "resolved", "next_procedure_id": self.investment.id})
            ]
        with self.assertRaises(ValidationError):
            self.investment.link_ids = [
                (0, 0, {"event": "resolved", "next_procedure_id": self.investment.id})
            ]
        with self.assertRaises(ValidationError):
            self.investment.link_ids = [
                (
                    0,
                    0,
                    {
                        "event": "resolved",
                        "next_procedure_id": self.certify.id,
                        "agency_id": self.land.id,
                    },
                )
            ]
