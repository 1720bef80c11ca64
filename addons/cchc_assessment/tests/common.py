from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.cchc_base.tools.protect import unlocked

YEAR = date.today().year - 1


class AssessmentMixin:
    """A small province, one user per role and a 20-point set: two areas, one computed item
    (tasks completed), one survey item, the rest self-scored."""

    @classmethod
    def setup_assessment(cls):
        env = cls.env
        env["cchc.holiday"].generate_statutory([YEAR, YEAR + 1, date.today().year + 1])
        Agency = env["cchc.agency"]
        cls.province = Agency.create(
            {"name": "UBND tỉnh Chỉ số", "identifier": "Q01", "kind": "province_committee"}
        )
        cls.home_affairs = Agency.create(
            {"name": "Sở Nội vụ Q", "identifier": "Q01.01", "parent_id": cls.province.id}
        )
        cls.justice = Agency.create(
            {"name": "Sở Tư pháp Q", "identifier": "Q01.02", "parent_id": cls.province.id}
        )
        cls.finance = Agency.create(
            {"name": "Sở Tài chính Q", "identifier": "Q01.03", "parent_id": cls.province.id}
        )
        cls.commune = Agency.create(
            {
                "name": "UBND xã Q",
                "identifier": "Q01.31",
                "kind": "commune",
                "parent_id": cls.province.id,
            }
        )
        cls.officer = cls._user("cs_officer", "cchc_base.group_cchc_user", cls.justice)
        cls.leader = cls._user("cs_leader", "cchc_base.group_cchc_leader", cls.justice)
        cls.other = cls._user("cs_other", "cchc_base.group_cchc_user", cls.finance)
        cls.council = cls._user(
            "cs_council", "cchc_assessment.group_cchc_assessment_council", cls.finance
        )
        cls.coordinator = cls._user(
            "cs_coord", "cchc_base.group_cchc_coordinator", cls.home_affairs
        )
        source = env.ref("cchc_assessment.indicator_source_task_completion")
        cls.set = env["cchc.assessment.set"].create(
            {"name": f"Bộ chỉ số cấp sở {YEAR}", "year": YEAR, "total_points": 20}
        )
        C = env["cchc.assessment.criterion"]
        area1 = C.create({"set_id": cls.set.id, "code": "I", "name": "Chỉ đạo", "max_points": 12})
        crit11 = C.create(
            {
                "set_id": cls.set.id,
                "parent_id": area1.id,
                "code": "1",
                "name": "Kế hoạch",
                "max_points": 8,
            }
        )
        cls.self_item = C.create(
            {
                "set_id": cls.set.id,
                "parent_id": crit11.id,
                "code": "1.1",
                "name": "Ban hành kế hoạch CCHC",
                "max_points": 3,
            }
        )
        cls.computed_item = C.create(
            {
                "set_id": cls.set.id,
                "parent_id": crit11.id,
                "code": "1.2",
                "name": "Hoàn thành nhiệm vụ kế hoạch",
                "max_points": 5,
                "method": "computed",
                "source_id": source.id,
                "band_ids": [
                    Command.create({"threshold": 100, "points": 5}),
                    Command.create({"threshold": 50, "points": 2.5}),
                ],
            }
        )
        cls.self_item2 = C.create(
            {
                "set_id": cls.set.id,
                "parent_id": area1.id,
                "code": "2",
                "name": "Tuyên truyền CCHC",
                "max_points": 4,
            }
        )
        area2 = C.create({"set_id": cls.set.id, "code": "II", "name": "Hài lòng", "max_points": 8})
        cls.survey_item = C.create(
            {
                "set_id": cls.set.id,
                "parent_id": area2.id,
                "code": "3",
                "name": "Điều tra xã hội học",
                "max_points": 8,
                "method": "survey",
            }
        )
        # The justice department leads two tasks due in the year, one done.
        plan = env["cchc.plan"].create(
            {
                "name": "Kế hoạch CCHC",
                "number": "1/KH-UBND",
                "date_issued": date(YEAR, 1, 5),
                "year_from": YEAR,
                "year_to": YEAR,
                "issuing_agency_id": cls.province.id,
            }
        )
        cls.plan = plan
        Task = env["project.task"]
        cls.tasks = Task.create(
            [
                {
                    "name": "Nhiệm vụ 1",
                    "project_id": plan.project_id.id,
                    "lead_agency_id": cls.justice.id,
                    "cchc_completion_phrase": f"Quý I/{YEAR}",
                    "cchc_progress": 100,
                },
                {
                    "name": "Nhiệm vụ 2",
                    "project_id": plan.project_id.id,
                    "lead_agency_id": cls.justice.id,
                    "cchc_completion_phrase": f"Quý II/{YEAR}",
                },
            ]
        )

    @classmethod
    def _user(cls, login, group, agency):
        user = new_test_user(cls.env, login=login, groups=f"base.group_user,{group}")
        user.cchc_agency_id = agency
        return user

    @classmethod
    def open_campaign(cls):
        cls.campaign = cls.env["cchc.assessment.campaign"].create(
            {"name": f"Chỉ số CCHC {YEAR}", "year": YEAR, "set_ids": [Command.set(cls.set.ids)]}
        )
        cls.campaign.with_user(cls.coordinator).action_open()
        cls.card = cls.campaign.scorecard_ids.filtered(lambda c: c.agency_id == cls.justice)
        cls.other_card = cls.campaign.scorecard_ids.filtered(lambda c: c.agency_id == cls.finance)

    def line(self, card, criterion):
        return card.line_ids.filtered(lambda line: line.criterion_id == criterion)

    def force_state(self, card, state, **vals):
        with unlocked(card):
            card.sudo().write(dict(vals, state=state))
