from datetime import datetime, time

from odoo import api, models

from .project_task import DONE_STATUSES


class CchcHome(models.AbstractModel):
    _inherit = "cchc.home"

    @api.model
    def _cchc_home_plan_tasks(self):
        return [("cchc_plan_id", "!=", False)]

    @api.model
    def _cchc_home_task_views(self):
        """The plan's own task list and form (the deadline as a date), not the project app's."""
        return [
            [self.env.ref("cchc_plan.cchc_task_view_list").id, "list"],
            [self.env.ref("cchc_plan.cchc_task_view_form").id, "form"],
        ]

    @api.model
    def _cchc_home_cards_leader(self):
        cards = super()._cchc_home_cards_leader()
        agency = self.env.user.cchc_agency_id
        if not agency:
            return cards
        return cards + [
            self._cchc_card(
                "plan_agency_overdue",
                self.env._("Overdue tasks of your agency"),
                "project.task",
                [
                    *self._cchc_home_plan_tasks(),
                    ("lead_agency_id", "child_of", agency.id),
                    ("cchc_status", "=", "overdue"),
                ],
                tone="danger",
                hint=self.env._("Reform plan tasks led by your agency or the agencies under it"),
                views=self._cchc_home_task_views(),
                sequence=10,
            ),
            self._cchc_card(
                "plan_agency_reports_due",
                self.env._("Reports to submit"),
                "cchc.plan.report",
                [("agency_id", "=", agency.id), ("state", "=", "draft")],
                tone="warning",
                hint=self.env._("Your agency's periodic reports not submitted yet"),
                sequence=20,
            ),
        ]

    @api.model
    def _cchc_home_cards_coordinator(self):
        cards = super()._cchc_home_cards_coordinator()
        return cards + [
            self._cchc_card(
                "plan_province_overdue",
                self.env._("Overdue tasks in the province"),
                "project.task",
                [*self._cchc_home_plan_tasks(), ("cchc_status", "=", "overdue")],
                tone="danger",
                hint=self.env._("Reform plan tasks of every agency"),
                views=self._cchc_home_task_views(),
                sequence=10,
            ),
            self._cchc_card(
                "plan_reports_late",
                self.env._("Late reports"),
                "cchc.plan.report",
                [("is_overdue", "=", True)],
                tone="danger",
                hint=self.env._("Past their due date and not submitted"),
                sequence=11,
            ),
            self._cchc_card(
                "plan_tasks_open",
                self.env._("Tasks in progress"),
                "project.task",
                [*self._cchc_home_plan_tasks(), ("cchc_status", "not in", DONE_STATUSES)],
                tone="info",
                hint=self.env._("Not finished yet, of every agency"),
                views=self._cchc_home_task_views(),
                sequence=20,
            ),
            self._cchc_card(
                "plan_ranking",
                self.env._("Agency ranking"),
                "cchc.plan.agency.stat",
                [],
                tone="info",
                hint=self.env._("Tasks done on time, per lead agency"),
                sequence=40,
            ),
        ]

    @api.model
    def _cchc_home_cards_officer(self):
        cards = super()._cchc_home_cards_officer()
        week_end = datetime.combine(self._cchc_week_end(), time.max).replace(microsecond=0)
        mine = [
            *self._cchc_home_plan_tasks(),
            ("user_ids", "in", self.env.uid),
            ("cchc_status", "not in", DONE_STATUSES),
        ]
        return cards + [
            self._cchc_card(
                "plan_my_overdue",
                self.env._("My overdue tasks"),
                "project.task",
                [*mine, ("cchc_status", "=", "overdue")],
                tone="danger",
                views=self._cchc_home_task_views(),
                sequence=10,
            ),
            self._cchc_card(
                "plan_my_week",
                self.env._("My tasks due this week"),
                "project.task",
                [*mine, ("cchc_status", "!=", "overdue"), ("date_deadline", "<=", week_end)],
                tone="warning",
                views=self._cchc_home_task_views(),
                sequence=11,
            ),
        ]
