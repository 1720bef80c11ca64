from datetime import date

from freezegun import freeze_time

from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class CchcPlanCase(TransactionCase):
    """A province with a few agencies, one user per role, and a 2026 plan; no demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Statuses depend on today's date: the tests live on 1 February 2026.
        cls.startClassPatcher(freeze_time("2026-02-01"))
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Agency = cls.env["cchc.agency"]
        cls.province = Agency.create(
            {"name": "UBND tỉnh Thử", "identifier": "Z01", "kind": "province_committee"}
        )
        cls.home_affairs = Agency.create(
            {"name": "Sở Nội vụ", "identifier": "Z01.02", "parent_id": cls.province.id}
        )
        cls.justice = Agency.create(
            {"name": "Sở Tư pháp", "identifier": "Z01.03", "parent_id": cls.province.id}
        )
        cls.justice_unit = Agency.create(
            {
                "name": "Phòng Công chứng số 1",
                "identifier": "Z01.03.01",
                "kind": "public_service",
                "parent_id": cls.justice.id,
            }
        )
        cls.science = Agency.create(
            {
                "name": "Sở Khoa học và Công nghệ",
                "short_name": "Sở KH&CN",
                "identifier": "Z01.05",
                "parent_id": cls.province.id,
                "alias_ids": [(0, 0, {"name": "Sở TT&TT"})],
            }
        )
        cls.office = Agency.create(
            {
                "name": "Văn phòng UBND tỉnh",
                "short_name": "VP.UBND tỉnh",
                "identifier": "Z01.01",
                "parent_id": cls.province.id,
            }
        )
        cls.commune = Agency.create(
            {
                "name": "UBND xã Thử",
                "identifier": "Z01.31",
                "kind": "commune",
                "parent_id": cls.province.id,
            }
        )
        cls.coordinator = cls._user("p_coord", "cchc_base.group_cchc_coordinator", cls.home_affairs)
        cls.justice_user = cls._user("p_tp_user", "cchc_base.group_cchc_user", cls.justice)
        cls.justice_leader = cls._user("p_tp_leader", "cchc_base.group_cchc_leader", cls.justice)
        cls.justice.leader_ids = cls.justice_leader
        cls.unit_user = cls._user("p_unit_user", "cchc_base.group_cchc_user", cls.justice_unit)
        cls.science_user = cls._user("p_kh_user", "cchc_base.group_cchc_user", cls.science)
        cls.env["cchc.holiday"].generate_statutory([2026])
        cls.plan = cls.env["cchc.plan"].create(
            {
                "number": "99/KH-UBND",
                "name": "Kế hoạch cải cách hành chính năm 2026",
                "issuing_agency_id": cls.province.id,
                "date_issued": date(2026, 1, 15),
                "year_from": 2026,
                "year_to": 2026,
            }
        )
        cls.section = cls.env["cchc.plan.section"].create(
            {"plan_id": cls.plan.id, "roman": "I", "name": "Cải cách thể chế"}
        )

    @classmethod
    def _user(cls, login, group, agency):
        user = new_test_user(cls.env, login=login, groups=f"base.group_user,{group}")
        user.cchc_agency_id = agency
        return user

    @classmethod
    def _task(cls, name, lead, phrase="Quý II/2026", coordinating=(), **vals):
        return cls.env["project.task"].create(
            {
                "name": name,
                "project_id": cls.plan.project_id.id,
                "cchc_section_id": cls.section.id,
                "lead_agency_id": lead.id,
                "coordinating_agency_ids": [(6, 0, [a.id for a in coordinating])],
                "cchc_completion_phrase": phrase,
                **vals,
            }
        )
