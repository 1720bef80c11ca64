from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.cchc_base.tools.protect import unlocked

from .common import CchcOnestopCase, at, local


@tagged("post_install", "-at_install")
class TestDossierReceipt(CchcOnestopCase):
    def test_receipt_after_hours_before_tet_counts_from_after_tet(self):
        # Friday 13/2/2026 at 17:05, after closing; 16–20/2 is Tết, 14–15 and 21–22 weekends.
        with at(2026, 2, 13, 17, 5):
            dossier = self._received()
        self.assertEqual(dossier.state, "received")
        # The code and the receipt date are the day the desk received it; the clock counts
        # from the first working period after it.
        self.assertEqual(dossier.name, "X01.03-260213-0001", "the code carries the receipt day")
        self.assertEqual(dossier.received_datetime, local(2026, 2, 13, 17, 5))
        self.assertEqual(dossier.received_date, date(2026, 2, 13))
        self.assertEqual(dossier.effective_received_datetime, local(2026, 2, 23, 7, 30))
        # Five working days after Monday 23/2 (which does not count): Monday 2/3 at closing.
        self.assertEqual(dossier.appointment_datetime, local(2026, 3, 2, 17, 0))
        self.assertEqual(dossier.appointment_date, date(2026, 3, 2))
        steps = self._steps(dossier)
        self.assertEqual(
            steps.mapped("deadline"),
            [
                local(2026, 2, 24, 11, 15),
                local(2026, 2, 27, 11, 15),
                local(2026, 3, 2, 11, 15),
                local(2026, 3, 2, 17, 0),
            ],
        )
        # The handler of the step due on Monday 2/3 is reminded on Friday 27/2.
        self.assertEqual(steps[2].remind_datetime, local(2026, 2, 27, 11, 15))
        self.assertEqual(steps.mapped("state"), ["in_progress", "pending", "pending", "pending"])
        self.assertEqual(dossier.current_step_id, steps[0])
        self.assertEqual(dossier.current_handler_id, self.desk)
        self.assertEqual(steps.agency_id, self.justice, "steps without an agency: the desk's")

    def test_a_new_dossier_has_no_note_and_no_follower_until_received(self):
        dossier = self._new()
        # A desk creates hundreds a day: no "created" note, the clerk does not follow each one.
        self.assertFalse(dossier.message_ids)
        self.assertFalse(dossier.message_follower_ids)
        dossier.with_user(self.desk).action_receive()
        # The system's log lines (a "created" note would be one of them): the receipt's only.
        logs = dossier.message_ids.filtered(lambda m: m.message_type == "notification")
        self.assertEqual(len(logs), 1, "the receipt's own line")
        self.assertIn(dossier.name, logs.body)
        first = dossier.current_step_id
        self.assertTrue(first.activity_id)
        # The handler of the running step follows (their activity).
        self.assertIn(first.handler_id.partner_id, dossier.message_partner_ids)
        self.assertTrue(all(dossier.step_ids.mapped("remind_datetime")))

    def test_receipt_inside_office_hours_keeps_the_time(self):
        with at(2026, 3, 2, 9, 0):
            dossier = self._received()
        self.assertEqual(dossier.name, "X01.03-260302-0001")
        self.assertEqual(dossier.effective_received_datetime, local(2026, 3, 2, 9, 0))
        self.assertEqual(dossier.appointment_datetime, local(2026, 3, 9, 17, 0))
        self.assertEqual(dossier.first_appointment_datetime, dossier.appointment_datetime)
        self.assertEqual(dossier.online_mode, "full")
        self.assertEqual((dossier.time_unit, dossier.time_limit), ("day", 5))

    def test_codes_run_per_agency_and_per_day(self):
        with at(2026, 3, 2, 9, 0):
            first = self._received()
            batch = self._new() | self._new() | self._new(applicant_name="Trần Thị Bình")
            batch._receive()
            commune = self._received(self.certify, self.commune_desk)
        self.assertEqual(first.name, "X01.03-260302-0001")
        self.assertEqual(
            sorted(batch.mapped("name")),
            ["X01.03-260302-0002", "X01.03-260302-0003", "X01.03-260302-0004"],
        )
        self.assertEqual(commune.name, "X01.31-260302-0001", "another agency has its own numbers")
        with at(2026, 3, 3, 8, 0):
            next_day = self._received()
        self.assertEqual(next_day.name, "X01.03-260303-0001", "numbers restart every day")
        counter = self.env["cchc.onestop.counter"].search(
            [("agency_id", "=", self.justice.id), ("day", "=", date(2026, 3, 2))]
        )
        self.assertEqual(counter.mapped("number"), [4, 3, 2, 1])

    def test_hour_limit(self):
        # Four working hours from Friday 16:00: one hour on Friday, three on Monday.
        with at(2026, 3, 6, 16, 0):
            dossier = self._received(self.certify, self.commune_desk)
        self.assertEqual(dossier.appointment_datetime, local(2026, 3, 9, 10, 30))
        self.assertEqual(dossier.step_ids.name, "Processing the dossier")
        self.assertEqual(dossier.step_ids.agency_id, self.commune)
        self.assertEqual(dossier.step_ids.deadline, dossier.appointment_datetime)

    def test_procedure_not_handled_by_the_agency_is_refused(self):
        Dossier = self.env["cchc.onestop.dossier"]
        with self.assertRaises(ValidationError) as err:
            self._new(self.certify, self.desk)
        self.assertIn("does not receive dossiers", str(err.exception))
        self.assertFalse(Dossier.search([("procedure_id", "=", self.certify.id)]))
        self.assertFalse(self.env["cchc.onestop.applicant"].search([("dossier_ids", "=", False)]))

    def test_missing_required_documents_are_refused(self):
        dossier = self._new(provide=False)
        dossier.document_ids.filtered(lambda d: "Tờ khai" in d.name).provided = True
        with at(2026, 3, 2, 9, 0), self.assertRaises(UserError) as err:
            dossier._receive()
        self.assertIn("Bản chụp Căn cước công dân", str(err.exception))
        self.assertNotIn("Văn bản ủy quyền", str(err.exception), "an optional document")
        self.assertEqual(dossier.state, "draft")
        self.assertFalse(dossier.name)
        self.assertFalse(dossier.step_ids)
        self.assertFalse(self.env["cchc.onestop.counter"].search([]), "no number was taken")

    def test_the_desk_fills_in_a_new_dossier_in_the_form(self):
        with at(2026, 3, 2, 9, 0):
            form = Form(self.env["cchc.onestop.dossier"].with_user(self.desk))
            self.assertEqual(form.agency_id, self.justice, "the desk's own agency")
            form.procedure_id = self.procedure
            self.assertEqual(len(form.document_ids), 3, "the checklist of the procedure")
            form.applicant_name = "Võ Thị Hoa"
            form.applicant_id_number = "086301009999"
            form.applicant_phone = "0911 000 111"
            for index in range(2):
                with form.document_ids.edit(index) as line:
                    line.provided = True
            dossier = form.save()
            dossier.action_receive()
        self.assertEqual(dossier.state, "received")
        self.assertEqual(dossier.document_ids.mapped("required"), [True, True, False])
        self.assertEqual(dossier.document_ids.procedure_document_id, self.procedure.document_ids)
        self.assertEqual(dossier.applicant_id.id_number, "086301009999")
        self.assertEqual(dossier.with_user(self.desk).applicant_phone, "0911 000 111")
        self.assertTrue(dossier.with_user(self.desk).applicant_can_read)

    def test_the_procedure_decides_what_is_required(self):
        # A checklist sent without its required flags (or with a line deleted) does not get a
        # dossier received without the procedure's required documents.
        dossier = self._new()
        dossier.document_ids.write({"required": False})
        dossier.document_ids.filtered(lambda d: "Tờ khai" in d.name).unlink()
        with at(2026, 3, 2, 9, 0), self.assertRaises(UserError) as err:
            dossier._receive()
        self.assertIn("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", str(err.exception))
        self.assertEqual(dossier.state, "draft")

    def test_checklist_comes_from_the_procedure(self):
        dossier = self._new(provide=False)
        self.assertEqual(
            dossier.document_ids.mapped("name"),
            [
                "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
                "Bản chụp Căn cước công dân",
                "Văn bản ủy quyền",
            ],
        )
        self.assertEqual(dossier.document_ids.mapped("required"), [True, True, False])
        self.assertEqual(dossier.missing_document_count, 2)

    def test_a_procedure_without_processing_time_cannot_be_received(self):
        self.procedure.step_ids.unlink()
        self.procedure.time_unit = False
        with self.assertRaises(UserError) as err:
            self._received()
        self.assertIn("processing time", str(err.exception))

    def test_receipt_time_is_the_systems(self):
        with at(2026, 3, 2, 9, 0):
            # Nobody types the time of receipt in, not even the desk.
            with self.assertRaises(AccessError):
                self._new(received_datetime=local(2026, 3, 1, 9, 0))
            dossier = self._new()
            self.assertFalse(dossier.received_datetime)
            with self.assertRaises(AccessError):
                dossier.with_user(self.desk).received_datetime = local(2026, 3, 1, 9, 0)
            # Server code recording a receipt after the fact cannot date it in the future.
            with self.assertRaises(UserError):
                dossier._receive(at=local(2026, 3, 3, 9, 0))
            self.assertEqual(dossier.state, "draft")
            dossier._receive()
        self.assertEqual(dossier.received_datetime, local(2026, 3, 2, 9, 0))
        self.assertEqual(dossier.received_by_id, self.desk)

    def test_state_and_agency_cannot_be_written_directly(self):
        with at(2026, 3, 2, 9, 0):
            dossier = self._received()
        with self.assertRaises(UserError):
            dossier.state = "returned"
        with self.assertRaises(UserError):
            dossier.agency_id = self.commune
        with self.assertRaises(UserError):
            dossier.step_ids[0].state = "done"
        # The measured times cannot be typed in either.
        with self.assertRaises(UserError):
            dossier.with_user(self.desk).appointment_datetime = local(2026, 3, 20, 17, 0)
        with self.assertRaises(UserError):
            dossier.with_user(self.desk).timeliness = "early"
        with self.assertRaises(UserError):
            dossier.with_user(self.desk).channel = "online"
        with self.assertRaises(UserError):
            dossier.step_ids[0].with_user(self.desk).deadline = local(2026, 3, 20, 17, 0)
        self.assertEqual(dossier.appointment_datetime, local(2026, 3, 9, 17, 0))
        # What the desk may still correct: the handler of a step, the result document.
        dossier.step_ids[1].with_user(self.justice_leader).handler_id = self.justice_leader
        dossier.with_user(self.desk).result_note = "Phiếu số 1"
        with self.assertRaises(UserError):
            dossier.unlink()

    def test_refused_at_receipt(self):
        dossier = self._new(provide=False)
        with at(2026, 3, 2, 9, 0):
            dossier._refuse_at_receipt("Thủ tục thuộc thẩm quyền của Công an tỉnh.")
        self.assertEqual(dossier.state, "refused")
        self.assertFalse(dossier.name, "a refused dossier takes no number")
        with self.assertRaises(UserError):
            dossier._receive()
        with self.assertRaises(UserError):
            self._new()._refuse_at_receipt("  ")
        html = self._render("cchc_onestop.report_refusal", dossier)
        self.assertIn("Thủ tục thuộc thẩm quyền của Công an tỉnh.", html)
        self.assertIn("Nguyễn Văn An", html)

    def test_a_holiday_typed_in_odoo_calendar_moves_the_next_appointment(self):
        """The clock is kept in the registry's cache: a public holiday added in Odoo's own
        calendar (Time Off, Working Hours), not as a cchc.holiday, moves the next appointment."""
        calendar = self.env.ref("cchc_base.resource_calendar_administrative")
        with at(2026, 3, 2, 9, 0):
            before = self._received()
        self.assertEqual(before.appointment_datetime, local(2026, 3, 9, 17, 0))
        # Thursday 5/3/2026, the whole day in Ha Noi.
        leave = self.env["resource.calendar.leaves"].create(
            {
                "name": "Nghỉ lễ của tỉnh",
                "calendar_id": calendar.id,
                "date_from": local(2026, 3, 5, 0, 0),
                "date_to": local(2026, 3, 5, 23, 59, 59),
            }
        )
        with at(2026, 3, 2, 9, 0):
            after = self._received()
        self.assertEqual(after.appointment_datetime, local(2026, 3, 10, 17, 0))
        self.assertEqual(before.appointment_datetime, local(2026, 3, 9, 17, 0), "promised")
        leave.write({"date_from": local(2026, 3, 12, 0, 0), "date_to": local(2026, 3, 12, 23, 59)})
        with at(2026, 3, 2, 9, 0):
            moved = self._received()
        self.assertEqual(moved.appointment_datetime, local(2026, 3, 9, 17, 0))
        leave.write({"date_from": local(2026, 3, 9, 0, 0), "date_to": local(2026, 3, 9, 23, 59)})
        with at(2026, 3, 2, 9, 0):
            self.assertEqual(self._received().appointment_datetime, local(2026, 3, 10, 17, 0))
        leave.unlink()
        with at(2026, 3, 2, 9, 0):
            self.assertEqual(self._received().appointment_datetime, local(2026, 3, 9, 17, 0))


@tagged("post_install", "-at_install")
class TestDossierProcessing(CchcOnestopCase):
    def setUp(self):
        super().setUp()
        with at(2026, 3, 2, 9, 0):  # Monday; due Monday 9/3 at 17:00
            self.dossier = self._received()

    def test_steps_follow_each_other(self):
        steps = self._steps(self.dossier)
        with at(2026, 3, 2, 10, 0), self.assertRaises(UserError) as err:
            steps[2].with_user(self.justice_leader).action_done()
        self.assertIn("cannot be finished before step 'Tiếp nhận hồ sơ'", str(err.exception))
        self.assertEqual(steps[2].state, "pending")
        with at(2026, 3, 2, 10, 0):
            steps[0].with_user(self.desk).action_done()
        self.assertEqual(self.dossier.state, "processing")
        self.assertEqual(steps[0].state, "done")
        self.assertEqual(steps[0].done_datetime, local(2026, 3, 2, 10, 0))
        self.assertEqual(steps[0].timeliness, "early")
        self.assertEqual(steps[1].state, "in_progress")
        self.assertEqual(steps[1].started_datetime, local(2026, 3, 2, 10, 0))
        self.assertEqual(self.dossier.current_handler_id, self.justice_user)
        with self.assertRaises(UserError):
            steps[0].with_user(self.desk).action_done()

    def test_only_the_agency_of_a_step_moves_it(self):
        with self.assertRaises(AccessError):
            self.dossier.step_ids[0].with_user(self.tax_user).action_done()
        self.assertEqual(self.dossier.step_ids[0].state, "in_progress")

    def test_resolve_needs_the_steps_before_the_last(self):
        with at(2026, 3, 3, 9, 0), self.assertRaises(UserError) as err:
            self.dossier._resolve("approved", "Phiếu lý lịch tư pháp số 12/2026")
        self.assertIn("Tiếp nhận hồ sơ", str(err.exception))
        self.assertEqual(self.dossier.state, "received")
        with at(2026, 3, 3, 9, 0):
            self._finish_steps(self.dossier, 3)
            self.dossier._resolve("approved", "Phiếu lý lịch tư pháp số 12/2026")
        self.assertEqual(self.dossier.state, "resolved")
        self.assertEqual(self._steps(self.dossier)[-1].state, "done", "the last step closes")
        self.assertEqual(self.dossier.timeliness, "early")
        self.assertEqual(self.dossier.processing_days, 1)

    def _resolve_on(self, *when, note="Phiếu lý lịch tư pháp số 12/2026"):
        with at(*when):
            self._finish_steps(self.dossier, 3)
            self.dossier._resolve("approved", note)

    def test_on_time_on_the_appointment_day(self):
        self._resolve_on(2026, 3, 9, 16, 30)
        self.assertEqual(self.dossier.timeliness, "on_time")
        self.assertEqual(self.dossier.resolved_date, date(2026, 3, 9))
        self.assertEqual(self.dossier.processing_days, 5)
        with at(2026, 3, 10, 8, 0):
            self.dossier.with_user(self.desk).action_return()
        self.assertEqual(self.dossier.state, "returned")
        self.assertEqual(self.dossier.returned_datetime, local(2026, 3, 10, 8, 0))

    def test_only_the_desk_receives_and_returns(self):
        self._resolve_on(2026, 3, 5, 9, 0)
        with self.assertRaises(AccessError):
            self.dossier.with_user(self.justice_user).action_return()
        self.assertEqual(self.dossier.state, "resolved")
        with at(2026, 3, 5, 10, 0):
            draft = self._new()
            with self.assertRaises(AccessError):
                draft.with_user(self.justice_leader).action_receive()
        self.assertEqual(draft.state, "draft")

    def test_return_without_result_is_refused(self):
        self._resolve_on(2026, 3, 5, 9, 0, note=False)
        with self.assertRaises(UserError) as err:
            self.dossier.with_user(self.desk).action_return()
        self.assertIn("no result to return", str(err.exception))
        self.assertEqual(self.dossier.state, "resolved")
        self.dossier.with_user(self.desk).result_note = "Phiếu lý lịch tư pháp số 15/2026"
        self.dossier.with_user(self.desk).action_return()
        self.assertEqual(self.dossier.state, "returned")

    def test_late_return_needs_an_apology_letter(self):
        self._resolve_on(2026, 3, 11, 9, 0)
        self.assertEqual(self.dossier.timeliness, "late")
        with at(2026, 3, 11, 10, 0), self.assertRaises(UserError) as err:
            self.dossier.with_user(self.desk).action_return()
        self.assertIn("apology letter", str(err.exception))
        self.assertEqual(self.dossier.state, "resolved")
        with at(2026, 3, 11, 10, 0):
            with self.assertRaises(ValidationError):
                self.dossier.with_user(self.desk)._apologise("Chậm tra cứu", date(2026, 3, 9))
            apology = self.dossier.with_user(self.desk)._apologise(
                "Phải xác minh thông tin tại Công an tỉnh.", date(2026, 3, 13)
            )
            self.dossier.with_user(self.desk).action_return()
        self.assertEqual(self.dossier.state, "returned")
        self.assertEqual(self.dossier.timeliness, "late", "an apology does not make it on time")
        self.assertEqual(self.dossier.promised_date, date(2026, 3, 13))
        self.assertEqual(apology.issued_date, date(2026, 3, 11))
        html = self._render("cchc_onestop.report_apology", self.dossier)
        self.assertIn("13/03/2026", html)
        self.assertIn("Phải xác minh thông tin tại Công an tỉnh.", html)
        self.assertIn(self.dossier.name, html)

    def test_denied_result_starts_nothing_and_is_returned(self):
        with at(2026, 3, 4, 9, 0):
            self._finish_steps(self.dossier, 3)
            self.dossier._resolve("denied", "Văn bản trả lời số 5/STP")
            self.dossier._return()
        self.assertEqual((self.dossier.state, self.dossier.result), ("returned", "denied"))

    def test_supplement_stops_the_clock(self):
        with at(2026, 3, 2, 10, 0):
            self._finish_steps(self.dossier, 1)
        current = self.dossier.current_step_id
        self.assertTrue(current.activity_id)
        with at(2026, 3, 4, 10, 0):
            self.dossier.with_user(self.justice_user)._request_supplement(
                "Thiếu bản sao giấy khai sinh.", "Bản sao Giấy khai sinh"
            )
        self.assertEqual(self.dossier.state, "supplement")
        self.assertEqual(current.state, "paused")
        self.assertFalse(current.activity_id, "nothing to do while the applicant supplements")
        with at(2026, 3, 4, 10, 0), self.assertRaises(UserError):
            current.with_user(self.justice_user).action_done()
        with at(2026, 3, 4, 10, 0), self.assertRaises(UserError):
            self.dossier._resolve("approved", "x")
        html = self._render("cchc_onestop.report_supplement", self.dossier)
        self.assertIn("Thiếu bản sao giấy khai sinh.", html)
        # Back on Thursday 12/3: Tuesday and Wednesday were used, three days are left.
        with at(2026, 3, 12, 14, 0):
            self.dossier.with_user(self.desk).action_supplement_received()
        self.assertEqual(self.dossier.state, "processing")
        self.assertEqual(self.dossier.appointment_datetime, local(2026, 3, 17, 17, 0))
        self.assertEqual(self.dossier.first_appointment_datetime, local(2026, 3, 9, 17, 0))
        self.assertEqual(self.dossier.clock_left, 3)
        self.assertEqual(current.state, "in_progress")
        self.assertTrue(current.activity_id)
        self.assertEqual(
            self._steps(self.dossier)[1:].mapped("deadline"),
            [local(2026, 3, 16, 11, 15), local(2026, 3, 17, 11, 15), local(2026, 3, 17, 17, 0)],
        )
        self.assertEqual(current.activity_id.date_deadline, date(2026, 3, 16))
        request = self.dossier.supplement_ids
        self.assertEqual(request.old_appointment_datetime, local(2026, 3, 9, 17, 0))
        self.assertEqual(request.new_appointment_datetime, local(2026, 3, 17, 17, 0))
        # Resolved on the new appointment day: on time.
        self._resolve_on(2026, 3, 17, 15, 0)
        self.assertEqual(self.dossier.timeliness, "on_time")

    def test_a_second_supplement_keeps_one_clock(self):
        with at(2026, 3, 4, 10, 0):
            self.dossier._request_supplement("Thiếu tờ khai.")
        with at(2026, 3, 12, 14, 0):
            self.dossier._resume_after_supplement()
        # Stopped again on Friday 13/3 (used), back on Wednesday 18/3: two days are left.
        with at(2026, 3, 13, 9, 0):
            self.dossier._request_supplement("Thiếu ảnh.")
        with at(2026, 3, 18, 10, 0):
            self.dossier._resume_after_supplement()
        self.assertEqual(self.dossier.appointment_datetime, local(2026, 3, 20, 17, 0))
        self.assertEqual(len(self.dossier.supplement_ids), 2)

    def test_supplement_restarting_the_whole_time(self):
        self.procedure.supplement_restart = "full"
        with at(2026, 3, 4, 10, 0):
            self.dossier._request_supplement("Hồ sơ phải làm lại.")
        with at(2026, 3, 12, 14, 0):
            self.dossier._resume_after_supplement()
        self.assertEqual(self.dossier.appointment_datetime, local(2026, 3, 19, 17, 0))
        self.assertEqual(self.dossier.clock_left, 5)

    def test_stop_and_withdraw(self):
        with at(2026, 3, 3, 9, 0):
            self.dossier._close("stopped", "Người yêu cầu chết.")
        self.assertEqual(self.dossier.state, "stopped")
        self.assertEqual(set(self.dossier.step_ids.mapped("state")), {"cancelled"})
        self.assertFalse(self.dossier.activity_ids)
        html = self._render("cchc_onestop.report_stop", self.dossier)
        self.assertIn("Người yêu cầu chết.", html)
        with self.assertRaises(UserError):
            self.dossier._close("withdrawn", "Rút hồ sơ")
        with at(2026, 3, 3, 9, 0):
            other = self._received()
            other._close("withdrawn", "Công dân xin rút hồ sơ.")
        self.assertEqual(other.state, "withdrawn")
        self.assertEqual(other.withdraw_reason, "Công dân xin rút hồ sơ.")
        with self.assertRaises(UserError):
            other._close("stopped", "")

    def test_rating_only_after_return(self):
        with self.assertRaises(UserError):
            self.dossier._rate(5)
        with self.assertRaises(UserError):
            self.dossier.write({"rating": 5})
        self._resolve_on(2026, 3, 5, 9, 0)
        self.dossier._return()
        with self.assertRaises(UserError):
            self.dossier._rate(6)
        with self.assertRaises(UserError):
            self.dossier._rate(0)
        wizard = (
            self.env["cchc.onestop.dossier.action"]
            .with_user(self.desk)
            .create(
                {
                    "dossier_id": self.dossier.id,
                    "kind": "rate",
                    "rating": "4",
                    "comment": "Cán bộ tận tình.",
                }
            )
        )
        with at(2026, 3, 6, 9, 0):
            wizard.action_confirm()
        self.assertEqual(self.dossier.rating, 4)
        self.assertEqual(self.dossier.rating_comment, "Cán bộ tận tình.")
        self.assertEqual(self.dossier.rated_date, date(2026, 3, 6))

    def test_wizard_resolve_and_forms(self):
        with at(2026, 3, 3, 9, 0):
            self._finish_steps(self.dossier, 3)
            action = (
                self.env["cchc.onestop.dossier.action"]
                .with_user(self.justice_leader)
                .create(
                    {
                        "dossier_id": self.dossier.id,
                        "kind": "resolve",
                        "result": "approved",
                        "result_note": "Phiếu lý lịch tư pháp số 20/2026",
                    }
                )
                .action_confirm()
            )
        self.assertEqual(action["type"], "ir.actions.act_window_close")
        self.assertEqual(self.dossier.result_note, "Phiếu lý lịch tư pháp số 20/2026")
        receipt = self._render("cchc_onestop.report_receipt", self.dossier)
        self.assertIn("X01.03-260302-0001", receipt)
        self.assertIn("Nguyễn Văn An", receipt)
        self.assertIn("17:00 on 09/03/2026", receipt)
        self.assertIn("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", receipt)
        self.assertIn("SOCIALIST REPUBLIC OF VIETNAM", receipt)
        control = self._render("cchc_onestop.report_control", self.dossier)
        self.assertIn("Thẩm định, tra cứu", control)
        self.assertIn("Phòng Lý lịch tư pháp", control)
        register = self._render("cchc_onestop.report_register", self.dossier)
        self.assertIn("X01.03-260302-0001", register)
        self.assertIn("12 Lê Lợi", register)

    def test_receipt_action_prints_the_slip(self):
        with at(2026, 3, 2, 11, 0):
            dossier = self._new()
            action = dossier.with_user(self.desk).action_receive()
        self.assertEqual(action["report_name"], "cchc_onestop.report_receipt")
        self.assertEqual(dossier.state, "received")


@tagged("post_install", "-at_install")
class TestStepTimes(CchcOnestopCase):
    def test_a_step_never_ends_before_it_starts(self):
        # Received after hours: the clock counts from Monday, but the desk hands the dossier
        # on at once and may finish its step the same evening.
        with at(2026, 3, 6, 17, 5):
            dossier = self._received()
        first = self._steps(dossier)[0]
        self.assertEqual(first.started_datetime, local(2026, 3, 6, 17, 5))
        self.assertEqual(dossier.effective_received_datetime, local(2026, 3, 9, 7, 30))
        with at(2026, 3, 6, 17, 10):
            first.with_user(self.desk).action_done()
        self.assertEqual(first.done_datetime, local(2026, 3, 6, 17, 10))
        second = self._steps(dossier)[1]
        self.assertEqual(second.started_datetime, first.done_datetime)
        # Whatever server code asks, an end before the start is refused.
        with self.assertRaises(ValidationError), unlocked(second):
            second.write({"done_datetime": local(2026, 3, 6, 9, 0)})
        # Server code finishing a step at a moment before its start records it at its start.
        with at(2026, 3, 9, 9, 0):
            second._finish(local(2026, 3, 5, 9, 0))
        self.assertEqual(second.done_datetime, second.started_datetime)
