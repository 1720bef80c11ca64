from datetime import date

from odoo.tests import tagged

from .common import CchcOnestopCase, at, local


@tagged("post_install", "-at_install")
class TestActivities(CchcOnestopCase):
    def setUp(self):
        super().setUp()
        self.step_type = self.env.ref("cchc_onestop.mail_activity_type_dossier_step")
        self.overdue_type = self.env.ref("cchc_onestop.mail_activity_type_dossier_overdue")
        with at(2026, 3, 2, 9, 0):  # due Monday 9/3 at 17:00
            self.dossier = self._received()
        self.steps = self._steps(self.dossier)

    def _activities(self, activity_type=None):
        return self.dossier.activity_ids.filtered(
            lambda a: a.activity_type_id == (activity_type or self.step_type)
        )

    def test_each_running_step_has_its_handler_activity(self):
        activity = self._activities()
        self.assertEqual(activity.user_id, self.desk)
        self.assertEqual(activity.date_deadline, date(2026, 3, 3), "the step's deadline")
        self.assertEqual(self.steps[0].activity_id, activity)
        with at(2026, 3, 2, 10, 0):
            self.steps[0].with_user(self.desk).action_done()
        self.assertFalse(activity.exists(), "finishing the step marks its activity done")
        done = self.dossier.message_ids.filtered(
            lambda m: m.mail_activity_type_id == self.step_type
        )
        self.assertTrue(done, "the done activity is logged in the chatter")
        activity = self._activities()
        self.assertEqual(activity.user_id, self.justice_user)
        self.assertEqual(activity.date_deadline, date(2026, 3, 6))
        # The leader reassigns the step: the activity follows.
        self.steps[1].with_user(self.justice_leader).handler_id = self.justice_leader
        self.assertEqual(self._activities().user_id, self.justice_leader)
        self.assertEqual(len(self._activities()), 1)

    def test_a_step_without_handler_gets_its_activity_when_assigned(self):
        self.procedure.step_ids.sorted("sequence")[0].handler_id = False
        with at(2026, 3, 2, 9, 0):
            dossier = self._received()
        first = self._steps(dossier)[0]
        self.assertFalse(first.activity_id)
        first.handler_id = self.desk
        self.assertEqual(first.activity_id.user_id, self.desk)

    def test_overdue_scan_marks_and_escalates_once(self):
        Dossier = self.env["cchc.onestop.dossier"]
        # Tuesday 3/3 at 14:00: the receipt step (due 3/3 11:15) is late; the dossier is not.
        with at(2026, 3, 3, 14, 0):
            count, steps = Dossier._cron_overdue_scan()
        self.assertEqual(count, 0)
        self.assertEqual(steps, self.steps[0])
        self.assertTrue(self.steps[0].is_overdue and self.steps[0].escalated)
        self.assertFalse(self.dossier.is_overdue)
        escalation = self._activities(self.overdue_type)
        self.assertEqual(escalation.user_id, self.justice_leader)
        self.assertIn("Tiếp nhận hồ sơ", escalation.note)
        self.assertIn(self.justice_leader.partner_id, self.dossier.message_ids.partner_ids)
        with at(2026, 3, 3, 15, 0):
            count, steps = Dossier._cron_overdue_scan()
        self.assertFalse(steps, "escalated once")
        self.assertEqual(len(self._activities(self.overdue_type)), 1)
        # Tuesday 10/3: past the appointment.
        with at(2026, 3, 10, 8, 0):
            count, _steps = Dossier._cron_overdue_scan()
        self.assertEqual(count, 1)
        self.assertTrue(self.dossier.is_overdue)
        self.assertIn(self.dossier, Dossier.search([("is_overdue", "=", True)]))

    def test_escalation_goes_up_to_the_nearest_leaders(self):
        self.justice.leader_ids = False
        self.justice_leader.cchc_agency_id = self.home_affairs
        province_leader = self._user("os_chutich", "cchc_base.group_cchc_leader", self.province)
        self.province.leader_ids = province_leader
        with at(2026, 3, 3, 14, 0):
            self.env["cchc.onestop.dossier"]._cron_overdue_scan()
        self.assertEqual(self._activities(self.overdue_type).user_id, province_leader)

    def test_automation_rules_remind_and_escalate(self):
        Automation = self.env["base.automation"]
        second = self.steps[1]
        with at(2026, 3, 2, 10, 0):
            self.steps[0].with_user(self.desk).action_done()
        # The appraisal is due Friday 6/3 at 11:15: reminded on Thursday 5/3 after 12:15.
        self.assertEqual(second.deadline, local(2026, 3, 6, 11, 15))
        self.assertEqual(second.remind_datetime, local(2026, 3, 5, 11, 15))
        with at(2026, 3, 5, 10, 0):
            Automation._check()
        self.assertFalse(second.reminded)
        with at(2026, 3, 5, 12, 30):
            Automation._check()
        self.assertTrue(second.reminded)
        reminder = self.dossier.message_ids.filtered(lambda m: "Reminder" in (m.body or ""))
        self.assertEqual(reminder.partner_ids, self.justice_user.partner_id)
        self.assertFalse(second.escalated)
        # An hour after the deadline the leaders are told.
        with at(2026, 3, 6, 12, 30):
            Automation._check()
        self.assertTrue(second.escalated)
        self.assertEqual(self._activities(self.overdue_type).user_id, self.justice_leader)

    def test_weekly_summary_to_the_leaders(self):
        with at(2026, 3, 3, 9, 0):
            other = self._received()
            self._finish_steps(other, 3)
            other._resolve("approved", "Phiếu số 1")
        with at(2026, 3, 9, 7, 0):  # Monday
            figures = self.env["cchc.onestop.dossier"]._cron_weekly_summary()
        justice = figures[self.justice.id]
        self.assertEqual(
            (justice["received"], justice["resolved"], justice["early"], justice["on_time_rate"]),
            (2, 1, 1, 100.0),
        )
        self.assertEqual(justice["date_from"], date(2026, 3, 2))
        mail = self.env["mail.mail"].search([("model", "=", "cchc.agency")], order="id desc")
        mail = mail.filtered(lambda m: m.res_id == self.justice.id)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.justice_leader.partner_id)
        self.assertIn(self.justice.name, mail.subject)
        self.assertIn("Dossiers received", mail.body_html)
        self.assertIn("100.0%", mail.body_html)
