from datetime import date

from odoo import Command
from odoo.tests import tagged

from .rpc import OLD_GUARD_KEYS, RpcCase

# Groups that would give a new officer more than README's role table says ("Agency user:
# records of the own agency"), whichever addons are installed.
TOO_MUCH = (
    "base.group_system",
    "base.group_erp_manager",
    "cchc_base.group_cchc_leader",
    "cchc_base.group_cchc_coordinator",
    "cchc_base.group_cchc_accountant",
    "project.group_project_manager",
    "account.group_account_invoice",
    "account.group_account_manager",
)


@tagged("post_install", "-at_install")
class TestNewAgencyUserRpc(RpcCase):
    """A user an administrator creates with only the Agency user role, tried over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Agency = cls.env["cchc.agency"]
        cls.own = Agency.create({"name": "Sở Mới", "identifier": "X07.01"})
        cls.other = Agency.create({"name": "Sở Khác", "identifier": "X07.02"})
        cls.indicator = cls.env["cchc.indicator"].create(
            {"code": "NU-1", "name": "Tỷ lệ hồ sơ đúng hạn", "target_value": 98}
        )
        cls.other_indicator = cls.env["cchc.indicator"].create(
            {"code": "NU-2", "name": "Chỉ tiêu riêng", "target_value": 1, "agency_id": cls.other.id}
        )
        Value = cls.env["cchc.indicator.value"]
        period = {"indicator_id": cls.indicator.id, "date_from": date(2026, 1, 1)}
        cls.own_value = Value.create(
            dict(period, agency_id=cls.own.id, date_to=date(2026, 3, 31), value=90)
        )
        cls.other_value = Value.create(
            dict(period, agency_id=cls.other.id, date_to=date(2026, 3, 31), value=80)
        )

    def setUp(self):
        super().setUp()
        # The administrator creates the officer as the user form does: the template's default
        # groups plus the role, and the agency.
        self.authenticate("admin", "admin")
        role = self.env.ref("cchc_base.group_cchc_user")
        defaults = self.env["res.users"].default_get(["groups_id"]).get("groups_id") or []
        default_ids = set()
        for command in defaults:
            if command[0] == Command.SET:
                default_ids |= set(command[2])
            elif command[0] == Command.LINK:
                default_ids.add(command[1])
        user_id = self.assertRpcOk(
            "res.users",
            "create",
            [
                {
                    "name": "Chuyên viên mới",
                    "login": "nu_officer",
                    "password": "nu_officer",
                    "groups_id": [Command.set(sorted(default_ids | {role.id}))],
                    "cchc_agency_id": self.own.id,
                }
            ],
        )
        self.user = self.env["res.users"].browse(user_id)
        self.rpc_login(self.user)

    def test_holds_no_more_than_the_role(self):
        self.assertTrue(self.user.has_group("cchc_base.group_cchc_user"))
        for xmlid in TOO_MUCH:
            group = self.env.ref(xmlid, raise_if_not_found=False)
            if group:
                with self.subTest(group=xmlid):
                    self.assertNotIn(group, self.user.groups_id)

    def test_reads_agencies_and_calendar_changes_neither(self):
        found = self.assertRpcOk(
            "cchc.agency", "search", [[("id", "in", (self.own | self.other).ids)]]
        )
        self.assertEqual(set(found), set((self.own | self.other).ids))
        self.assertRpcRefused(
            "cchc.agency", "write", [self.own.ids, {"name": "Đổi tên"}], error="AccessError"
        )
        self.assertRpcRefused("cchc.agency", "create", [{"name": "Sở Tự Lập"}])
        self.assertRpcOk("cchc.holiday", "search_read", [[], ["name"]], {"limit": 1})
        self.assertRpcRefused(
            "cchc.holiday",
            "create",
            [{"name": "Nghỉ", "date_from": "2026-06-01", "date_to": "2026-06-01"}],
        )
        self.assertRpcRefused("cchc.holiday", "generate_statutory", [[2030]])

    def test_sees_and_types_only_the_own_agencys_values(self):
        values = self.assertRpcOk("cchc.indicator.value", "search_read", [[], ["agency_id"]])
        self.assertEqual({v["agency_id"][0] for v in values}, {self.own.id})
        groups = self.assertRpcOk(
            "cchc.indicator.value", "read_group", [[], ["value:avg"], ["agency_id"]]
        )
        self.assertEqual([g["agency_id"][0] for g in groups], [self.own.id])
        self.assertRpcRefused("cchc.indicator.value", "read", [self.other_value.ids, ["value"]])
        self.assertRpcRefused(
            "cchc.indicator.value",
            "write",
            [self.other_value.ids, {"value": 100}],
            context=OLD_GUARD_KEYS,
        )
        self.assertRpcOk("cchc.indicator.value", "write", [self.own_value.ids, {"value": 95}])
        self.other_value.invalidate_recordset()
        self.own_value.invalidate_recordset()
        self.assertEqual((self.own_value.value, self.other_value.value), (95, 80))
        self.assertEqual(self.own_value.entered_by_id, self.user)

    def test_indicators_read_only_and_not_computed_on_demand(self):
        found = self.assertRpcOk(
            "cchc.indicator",
            "search",
            [[("id", "in", (self.indicator | self.other_indicator).ids)]],
        )
        self.assertEqual(found, self.indicator.ids, "province-wide and own targets only")
        self.assertRpcRefused("cchc.indicator", "write", [self.indicator.ids, {"target_value": 1}])
        self.assertRpcRefused(
            "cchc.indicator", "action_compute_current_quarter", [self.indicator.ids]
        )
        self.assertRpcRefused(
            "cchc.indicator",
            "_compute_values",
            [self.indicator.ids, "2026-01-01", "2026-03-31"],
        )
        self.indicator.invalidate_recordset()
        self.assertEqual(self.indicator.target_value, 98)
