from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class AgencyUsers:
    """Agencies and their users for any test case, a ``TransactionCase`` or an ``RpcCase``."""

    @classmethod
    def _agency_tree(cls, province, *departments):
        """The province ``(name, identifier)`` and its ``departments`` under it, in order."""
        Agency = cls.env["cchc.agency"]
        top = Agency.create({"name": province[0], "identifier": province[1]})
        children = Agency.create(
            [{"name": name, "identifier": code, "parent_id": top.id} for name, code in departments]
        )
        return (top, *children)

    @classmethod
    def _user(cls, login, group, agency):
        user = new_test_user(cls.env, login=login, groups=f"base.group_user,{group}")
        user.cchc_agency_id = agency
        return user


class CchcBaseCase(AgencyUsers, TransactionCase):
    """A small agency tree and one user per role; no demo data needed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Agency = cls.env["cchc.agency"]
        cls.province = Agency.create(
            {"name": "Ủy ban nhân dân tỉnh Thử", "identifier": "X01", "kind": "province_committee"}
        )
        cls.home_affairs = Agency.create(
            {
                "name": "Sở Nội vụ",
                "short_name": "SNV",
                "identifier": "X01.02",
                "parent_id": cls.province.id,
            }
        )
        cls.justice = Agency.create(
            {"name": "Sở Tư pháp", "identifier": "000.00.03.X01", "parent_id": cls.province.id}
        )
        cls.justice_unit = Agency.create(
            {
                "name": "Trung tâm Trợ giúp pháp lý",
                "identifier": "X01.03.01",
                "kind": "public_service",
                "parent_id": cls.justice.id,
            }
        )
        cls.commune = Agency.create(
            {
                "name": "UBND xã Thử Nghiệm",
                "identifier": "X01.31",
                "kind": "commune",
                "parent_id": cls.province.id,
            }
        )
        cls.justice_user = cls._user("tp_user", "cchc_base.group_cchc_user", cls.justice)
        cls.justice_leader = cls._user("tp_leader", "cchc_base.group_cchc_leader", cls.justice)
        cls.unit_user = cls._user("tt_user", "cchc_base.group_cchc_user", cls.justice_unit)
        cls.coordinator = cls._user(
            "nv_coord", "cchc_base.group_cchc_coordinator", cls.home_affairs
        )
        cls.outsider = cls._user("nv_user", "cchc_base.group_cchc_user", cls.home_affairs)
