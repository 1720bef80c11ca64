from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.cchc_base.tools.protect import is_unlocked, unlocked

from .rpc import OLD_GUARD_KEYS, RpcCase


@tagged("post_install", "-at_install")
class TestProtectedOverRpc(RpcCase):
    """The protection mechanism, proven on indicator values through JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agency = cls.env["cchc.agency"].create({"name": "Sở Thử", "identifier": "X02.01"})
        cls.officer = new_test_user(
            cls.env, login="thu_officer", groups="base.group_user,cchc_base.group_cchc_user"
        )
        cls.officer.cchc_agency_id = cls.agency
        source = cls.env["cchc.indicator.source"].search([], limit=1)
        cls.typed = cls.env["cchc.indicator"].create(
            {"code": "P-1", "name": "Gõ tay", "target_value": 90}
        )
        cls.measured = cls.env["cchc.indicator"].create(
            {"code": "P-2", "name": "Đo được", "target_value": 98, "source_id": source.id}
        )
        period = {"date_from": date(2026, 1, 1), "date_to": date(2026, 3, 31)}
        cls.typed_value = cls.env["cchc.indicator.value"].create(
            dict(period, indicator_id=cls.typed.id, agency_id=cls.agency.id, value=50)
        )
        with unlocked("cchc.indicator.value"):
            cls.measured_value = cls.env["cchc.indicator.value"].create(
                dict(
                    period,
                    indicator_id=cls.measured.id,
                    agency_id=cls.agency.id,
                    value=70,
                    provenance="computed",
                    source_id=source.id,
                )
            )

    def setUp(self):
        super().setUp()
        self.rpc_login(self.officer)

    def test_token_is_scoped_to_its_block_and_model(self):
        self.assertFalse(is_unlocked("cchc.indicator.value"))
        with unlocked(self.measured_value):
            self.assertTrue(is_unlocked("cchc.indicator.value"))
            self.assertFalse(is_unlocked("cchc.indicator"))
        self.assertFalse(is_unlocked("cchc.indicator.value"))

    def test_provenance_cannot_be_forged(self):
        for context in (None, OLD_GUARD_KEYS):
            message = self.assertRpcRefused(
                "cchc.indicator.value",
                "write",
                [[self.typed_value.id], {"value": 100, "provenance": "computed"}],
                context=context,
                error="AccessError",
            )
            self.assertIn("Computed", message)
        self.typed_value.invalidate_recordset()
        self.assertEqual(self.typed_value.value, 50)
        self.assertEqual(self.typed_value.provenance, "manual")

    def test_is_met_cannot_be_flipped(self):
        self.assertRpcRefused(
            "cchc.indicator.value", "write", [[self.typed_value.id], {"is_met": True}]
        )
        self.typed_value.invalidate_recordset()
        self.assertFalse(self.typed_value.is_met)

    def test_counts_and_drill_down_cannot_be_forged(self):
        for vals in (
            {"numerator": 99, "denominator": 100},
            {"res_model": "res.users", "res_domain": "[]"},
            {"factor": 1000},
        ):
            for context in (None, OLD_GUARD_KEYS):
                self.assertRpcRefused(
                    "cchc.indicator.value",
                    "write",
                    [[self.typed_value.id], vals],
                    context=context,
                    error="AccessError",
                )
        self.typed_value.invalidate_recordset()
        self.assertFalse(self.typed_value.denominator)
        self.assertFalse(self.typed_value.res_domain)
        # A typed value names no records to open.
        self.assertRpcRefused(
            "cchc.indicator.value", "action_open_records", [[self.typed_value.id]]
        )

    def test_typed_value_records_who_typed_it(self):
        self.assertRpcOk("cchc.indicator.value", "write", [[self.typed_value.id], {"value": 91}])
        self.typed_value.invalidate_recordset()
        self.assertEqual(self.typed_value.value, 91)
        self.assertEqual(self.typed_value.entered_by_id, self.officer)
        self.assertTrue(self.typed_value.is_met)

    def test_measured_value_is_frozen(self):
        self.assertRpcRefused(
            "cchc.indicator.value", "write", [[self.measured_value.id], {"value": 99}]
        )
        self.assertRpcRefused(
            "cchc.indicator.value", "write", [[self.measured_value.id], {"note": "sửa"}]
        )
        self.assertRpcRefused("cchc.indicator.value", "unlink", [[self.measured_value.id]])
        self.measured_value.invalidate_recordset()
        self.assertEqual(self.measured_value.value, 70)

    def test_computed_value_cannot_be_created_by_a_client(self):
        result, error = self.call_kw(
            "cchc.indicator.value",
            "create",
            [
                {
                    "indicator_id": self.typed.id,
                    "agency_id": self.agency.id,
                    "date_from": "2025-01-01",
                    "date_to": "2025-03-31",
                    "value": 100,
                    "provenance": "computed",
                }
            ],
            context=OLD_GUARD_KEYS,
        )
        self.assertIsNotNone(error, result)
        self.assertFalse(
            self.env["cchc.indicator.value"].search(
                [("indicator_id", "=", self.typed.id), ("date_from", "=", date(2025, 1, 1))]
            )
        )

    def test_client_defaults_are_checked_like_typed_values(self):
        """``default_<field>`` context keys and personal ``ir.default`` values (which any user
        sets over RPC) fill what a create leaves out: they are no way around the protection,
        and a value typed equal to them is not taken as the model's default."""
        Value = self.env["cchc.indicator.value"]
        vals = {
            "indicator_id": self.typed.id,
            "agency_id": self.agency.id,
            "date_from": "2025-01-01",
            "date_to": "2025-03-31",
            "value": 100,
        }
        forged = {
            "provenance": "computed",
            "is_met": True,
            "numerator": 9,
            "source_id": self.measured.source_id.id,
        }
        for name, value in forged.items():
            with self.subTest(field=name):
                self.assertRpcRefused(
                    "cchc.indicator.value",
                    "create",
                    [vals],
                    context={f"default_{name}": value},
                    error="AccessError",
                )
                self.assertRpcRefused(
                    "cchc.indicator.value",
                    "create",
                    [dict(vals, **{name: value})],
                    context={f"default_{name}": value},
                    error="AccessError",
                )
        self.assertRpcOk(
            "ir.default", "set", ["cchc.indicator.value", "provenance", "computed", True]
        )
        self.assertRpcRefused("cchc.indicator.value", "create", [vals], error="AccessError")
        created = [("indicator_id", "=", self.typed.id), ("date_from", "=", date(2025, 1, 1))]
        self.assertFalse(Value.search(created))
        # Without them, the officer types the value: the model's own default applies.
        self.env["ir.default"].sudo().search([("user_id", "=", self.officer.id)]).unlink()
        self.assertRpcOk("cchc.indicator.value", "create", [vals])
        self.assertEqual(Value.search(created).provenance, "manual")

    def test_even_superuser_code_needs_the_token(self):
        with self.assertRaises(AccessError):
            self.measured_value.sudo().write({"value": 1})
        with unlocked(self.measured_value):
            self.measured_value.sudo().write({"value": 71})
        self.assertEqual(self.measured_value.value, 71)
