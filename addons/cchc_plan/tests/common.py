from datetime import date

from odoo import Command

from odoo.addons.cchc_base.tests.common import AgencyUsers, CchcBaseCase


class PlanData(AgencyUsers):
    """Agencies, users and a plan for any test case."""

    @classmethod
    def _plan_2026(cls, number, name):
        """A plan for 2026 that ``cls.province`` issued on 15 January 2026."""
        return cls.env["cchc.plan"].create(
            {
                "number": number,
                "name": name,
                "issuing_agency_id": cls.province.id,
                "date_issued": date(2026, 1, 15),
                "year_from": 2026,
                "year_to": 2026,
            }
        )


class CchcPlanCase(PlanData, CchcBaseCase):
    """cchc_base's agencies and users, two more agencies, and a 2026 plan; no demo data."""

    # Statuses depend on today's date: the tests live on 1 February 2026.
    freeze_time = "2026-02-01"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Agency = cls.env["cchc.agency"]
        cls.science = Agency.create(
            {
                "name": "Sở Khoa học và Công nghệ",
                "short_name": "Sở KH&CN",
                "identifier": "X01.05",
                "parent_id": cls.province.id,
                "alias_ids": [Command.create({"name": "Sở TT&TT"})],
            }
        )
        cls.office = Agency.create(
            {
                "name": "Văn phòng UBND tỉnh",
                "short_name": "VP.UBND tỉnh",
                "identifier": "X01.01",
                "parent_id": cls.province.id,
            }
        )
        cls.science_user = cls._user("p_kh_user", "cchc_base.group_cchc_user", cls.science)
        cls.justice.leader_ids = cls.justice_leader
        cls.env["cchc.holiday"].generate_statutory([2026])
        cls.plan = cls._plan_2026("99/KH-UBND", "Kế hoạch cải cách hành chính năm 2026")
        cls.section = cls.env["cchc.plan.section"].create(
            {"plan_id": cls.plan.id, "roman": "I", "name": "Cải cách thể chế"}
        )

    @classmethod
    def _task(cls, name, lead, phrase="Quý II/2026", coordinating=(), **vals):
        return cls.env["project.task"].create(
            {
                "name": name,
                "project_id": cls.plan.project_id.id,
                "cchc_section_id": cls.section.id,
                "lead_agency_id": lead.id,
                "coordinating_agency_ids": [Command.set([a.id for a in coordinating])],
                "cchc_completion_phrase": phrase,
                **vals,
            }
        )
