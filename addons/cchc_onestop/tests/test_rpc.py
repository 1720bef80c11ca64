import base64
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.cchc_base.tests.rpc import OLD_GUARD_KEYS, RpcCase
from odoo.addons.cchc_onestop.models.cchc_onestop_dossier import MASK
from odoo.addons.cchc_onestop.tools.onestop_clock import OnestopClock

from .common import CchcOnestopCase

DOSSIER = "cchc.onestop.dossier"
STEP = "cchc.onestop.dossier.step"
ID_NUMBER = "079201001234"
ADDRESS = "12 Lê Lợi"


@tagged("post_install", "-at_install")
class TestOnestopOverRpc(RpcCase, CchcOnestopCase):
    """The one-stop rules, tried as each low-privilege user would: plain JSON-RPC calls with
    any arguments and the context keys that used to be guards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_justice_user = cls._user("os_tp_rpc2", "cchc_base.group_cchc_user", cls.justice)
        cls.dossier = cls._received()
        cls.commune_dossier = cls._received(
            cls.certify, cls.commune_desk, applicant_name="Lê Thị Cúc"
        )
        # The commune's applicant is another citizen.
        cls.commune_dossier.applicant_id.sudo().write(
            {"id_number": "001099009999", "address": "9 Trần Phú"}
        )
        cls.step1, cls.step2, cls.step3, cls.step4 = cls.dossier.step_ids.sorted("sequence")
        cls.attachment = cls.env["ir.attachment"].create(
            {
                "name": "cccd.pdf",
                "raw": b"%PDF-1.4 scan",
                "mimetype": "application/pdf",
                "res_model": DOSSIER,
                "res_id": cls.dossier.id,
            }
        )

    def _snapshot(self, record, names):
        record.invalidate_recordset()
        return {name: record[name] for name in names}

    # ---------------------------------------------------------------- state machine

    def test_state_times_and_codes_only_through_the_actions(self):
        names = [
            "state",
            "timeliness",
            "appointment_datetime",
            "processing_days",
            "received_datetime",
            "received_date",
            "name",
            "is_overdue",
            "result",
        ]
        before = self._snapshot(self.dossier, names)
        forged = {
            "state": "returned",
            "timeliness": "early",
            "appointment_datetime": "2030-01-01 10:00:00",
            "processing_days": 1,
            "received_datetime": "2020-01-01 01:00:00",
            "name": "X01.03-200101-0001",
            "is_overdue": False,
            "result": "approved",
        }
        for user in (self.desk, self.justice_user, self.justice_leader):
            self.rpc_login(user)
            for context in (None, OLD_GUARD_KEYS):
                for field, value in forged.items():
                    message = self.assertRpcRefused(
                        DOSSIER,
                        "write",
                        [[self.dossier.id], {field: value}],
                        context=context,
                        error="AccessError",
                    )
                    self.assertIn("cannot be set directly", message)
        self.assertEqual(self._snapshot(self.dossier, names), before)
        # Nor at creation: a dossier is born new, without code, times or applicant link.
        self.rpc_login(self.desk)
        for context in (None, OLD_GUARD_KEYS):
            for field in ("state", "received_datetime", "name", "timeliness"):
                self.assertRpcRefused(
                    DOSSIER,
                    "create",
                    [
                        {
                            "procedure_id": self.procedure.id,
                            "agency_id": self.justice.id,
                            "applicant_name": "Giả Mạo",
                            field: forged[field],
                        }
                    ],
                    context=context,
                    error="AccessError",
                )
        self.assertFalse(self.env[DOSSIER].search([("applicant_name", "=", "Giả Mạo")]))

    def test_step_state_and_times_only_through_the_actions(self):
        names = ["state", "deadline", "started_datetime", "done_datetime", "timeliness"]
        before = self._snapshot(self.step1, names)
        self.rpc_login(self.desk)
        for context in (None, OLD_GUARD_KEYS):
            for field, value in (
                ("state", "done"),
                ("done_datetime", "2026-01-01 01:00:00"),
                ("deadline", "2030-01-01 01:00:00"),
                ("timeliness", "early"),
                ("agency_id", self.commune.id),
            ):
                self.assertRpcRefused(
                    STEP, "write", [[self.step1.id], {field: value}], context=context
                )
        self.assertEqual(self._snapshot(self.step1, names), before)

    def test_private_methods_are_not_callable(self):
        self.rpc_login(self.desk)
        for method, args in (
            ("_receive", []),
            ("_set_state", ["returned"]),
            ("_resolve", ["approved", "x"]),
            ("_rate", [5]),
        ):
            self.assertRpcRefused(DOSSIER, method, [[self.dossier.id], *args])
        self.assertRpcRefused(STEP, "_finish", [[self.step1.id], "2026-01-01 01:00:00"])
        self.assertEqual(self.dossier.state, "received")

    def test_transitions_check_the_caller(self):
        wizard = "cchc.onestop.dossier.action"
        for user in (self.tax_user, self.coordinator):
            self.rpc_login(user)
            for kind in ("stop", "supplement", "withdraw"):
                wizard_id, err = self.call_kw(
                    wizard,
                    "create",
                    [{"dossier_id": self.dossier.id, "kind": kind, "reason": "Giả mạo"}],
                    context=OLD_GUARD_KEYS,
                )
                if err is None:
                    self.assertRpcRefused(
                        wizard, "action_confirm", [[wizard_id]], context=OLD_GUARD_KEYS
                    )
            self.assertRpcRefused(DOSSIER, "action_return", [[self.dossier.id]])
            self.assertRpcRefused(DOSSIER, "action_supplement_received", [[self.dossier.id]])
        self.assertEqual(self.dossier.state, "received")
        self.assertFalse(self.dossier.supplement_ids)
        # Letters, requests and steps are the transitions' own records.
        self.rpc_login(self.desk)
        for model, vals in (
            (
                "cchc.onestop.apology",
                {
                    "dossier_id": self.dossier.id,
                    "reason": "x",
                    "new_date": "2030-01-01",
                    "responsible_agency_id": self.justice.id,
                },
            ),
            (
                "cchc.onestop.supplement",
                {
                    "dossier_id": self.dossier.id,
                    "reason": "x",
                    "requested_datetime": "2026-01-01 01:00:00",
                },
            ),
            (
                STEP,
                {"dossier_id": self.dossier.id, "name": "Thêm", "agency_id": self.justice.id},
            ),
        ):
            self.assertRpcRefused(model, "create", [vals], context=OLD_GUARD_KEYS)
        self.assertFalse(self.dossier.apology_ids)
        self.assertEqual(len(self.dossier.step_ids), 4)

    # ---------------------------------------------------------------- personal data

    def test_the_applicant_link_is_fixed_at_receipt(self):
        theirs = self.commune_dossier.applicant_id
        mine = self.dossier.applicant_id
        self.rpc_login(self.desk)
        for context in (None, OLD_GUARD_KEYS):
            self.assertRpcRefused(
                DOSSIER,
                "write",
                [[self.dossier.id], {"applicant_id": theirs.id}],
                context=context,
                error="AccessError",
            )
        # Nor from the applicant's side: linking another dossier to the desk's own applicant.
        self.assertRpcRefused(
            "cchc.onestop.applicant",
            "write",
            [[mine.id], {"dossier_ids": [Command.link(self.commune_dossier.id)]}],
            context=OLD_GUARD_KEYS,
        )
        self.assertEqual(self.dossier.applicant_id, mine)
        self.assertEqual(self.commune_dossier.applicant_id, theirs)
        # A new dossier cannot be pointed at them either.
        self.assertRpcRefused(
            DOSSIER,
            "create",
            [
                {
                    "procedure_id": self.procedure.id,
                    "agency_id": self.justice.id,
                    "applicant_name": "Lê Thị Cúc",
                    "applicant_id": theirs.id,
                }
            ],
        )
        # And the other citizen's data stays out of reach.
        self.assertRpcRefused("cchc.onestop.applicant", "read", [[theirs.id], ["id_number"]])
        found = self.assertRpcOk(
            "cchc.onestop.applicant", "search_read", [[]], {"fields": ["id_number"]}
        )
        self.assertNotIn("001099009999", str(found))
        self.assertEqual({row["id"] for row in found}, {mine.id})

    def test_handlers_only_among_the_steps_agency(self):
        # The coordinator sees every dossier but handles none of another agency's.
        self.rpc_login(self.coordinator)
        for context in (None, OLD_GUARD_KEYS):
            self.assertRpcRefused(
                STEP,
                "write",
                [[self.step2.id], {"handler_id": self.coordinator.id}],
                context=context,
            )
        self.assertEqual(self.step2.handler_id, self.justice_user)
        read = self.assertRpcOk(
            DOSSIER, "read", [[self.dossier.id], ["applicant_id_number", "applicant_address"]]
        )
        self.assertEqual(
            (read[0]["applicant_id_number"], read[0]["applicant_address"]), (MASK, MASK)
        )
        # The leader of the agency assigns one of his people, not somebody of another agency.
        self.rpc_login(self.justice_leader)
        self.assertRpcRefused(
            STEP,
            "write",
            [[self.step2.id], {"handler_id": self.tax_user.id}],
            error="ValidationError",
        )
        self.assertRpcRefused(STEP, "write", [[self.step2.id], {"handler_id": self.coordinator.id}])
        self.assertRpcOk(
            STEP, "write", [[self.step2.id], {"handler_id": self.other_justice_user.id}]
        )
        self.assertEqual(self.step2.handler_id, self.other_justice_user)
        # A colleague who is neither the handler nor a leader does not reassign the step.
        self.rpc_login(self.justice_user)
        self.assertRpcRefused(
            STEP,
            "write",
            [[self.step2.id], {"handler_id": self.justice_user.id}],
            error="AccessError",
        )
        self.assertEqual(self.step2.handler_id, self.other_justice_user)

    def test_personal_data_masked_through_every_read(self):
        # Allowed to export (the right Odoo asks of /web/export): what they export is masked.
        export = self.env.ref("base.group_allow_export")
        (self.coordinator | self.other_justice_user).groups_id = [Command.link(export.id)]
        for user in (self.coordinator, self.other_justice_user, self.commune_desk):
            self.rpc_login(user)
            readable = user != self.commune_desk
            if readable:
                rows = self.assertRpcOk(
                    DOSSIER,
                    "search_read",
                    [[("id", "=", self.dossier.id)]],
                    {"fields": ["applicant_id_number", "applicant_phone", "applicant_id"]},
                )
                self.assertEqual(len(rows), 1, user.login)
                self.assertEqual(rows[0]["applicant_id_number"], MASK)
                self.assertEqual(rows[0]["applicant_phone"], MASK)
                self.assertNotIn(ID_NUMBER, str(rows))
                web = self.assertRpcOk(
                    DOSSIER,
                    "web_read",
                    [[self.dossier.id]],
                    {"specification": {"applicant_address": {}, "applicant_email": {}}},
                )
                self.assertNotIn(ADDRESS, str(web))
                exported = self.assertRpcOk(
                    DOSSIER, "export_data", [[self.dossier.id], ["name", "applicant_id_number"]]
                )
                self.assertNotIn(ID_NUMBER, str(exported))
                # Following the link itself is refused.
                self.assertRpcRefused(
                    DOSSIER, "export_data", [[self.dossier.id], ["applicant_id/id_number"]]
                )
                groups = self.assertRpcOk(
                    DOSSIER,
                    "read_group",
                    [[], ["applicant_id"], ["applicant_id"]],
                    {"lazy": False},
                )
                self.assertNotIn(ID_NUMBER, str(groups))
            else:
                self.assertRpcRefused(DOSSIER, "read", [[self.dossier.id], ["applicant_phone"]])
            # Searching by the number or following the link finds nothing to read.
            self.assertFalse(
                self.assertRpcOk(DOSSIER, "search", [[("applicant_id_number", "=", ID_NUMBER)]])
            )
            self.assertFalse(
                self.assertRpcOk(DOSSIER, "search", [[("applicant_id.id_number", "=", ID_NUMBER)]])
            )
            self.assertNotIn(
                self.dossier.id,
                [i for i, _n in self.assertRpcOk(DOSSIER, "name_search", [ID_NUMBER])],
            )
            applicants = self.assertRpcOk(
                "cchc.onestop.applicant", "search_read", [[]], {"fields": ["id_number"]}
            )
            self.assertNotIn(ID_NUMBER, str(applicants))
            self.assertNotIn(self.dossier.applicant_id.id, [a["id"] for a in applicants])
            # The printed register masks it, or refuses.
            with mute_logger("odoo.http"):
                response = self.url_open(
                    f"/report/html/cchc_onestop.report_register/{self.dossier.id}"
                )
            self.assertNotIn(ADDRESS, response.text)
            self.assertNotIn(ID_NUMBER, response.text)
        # The desk that received it and its handler read it.
        for user in (self.desk, self.justice_user):
            self.rpc_login(user)
            rows = self.assertRpcOk(DOSSIER, "read", [[self.dossier.id], ["applicant_id_number"]])
            self.assertEqual(rows[0]["applicant_id_number"], ID_NUMBER)
            response = self.url_open(f"/report/html/cchc_onestop.report_register/{self.dossier.id}")
            self.assertIn(ADDRESS, response.text)

    def test_record_rules_of_another_agency(self):
        self.rpc_login(self.tax_user)
        for model in (
            DOSSIER,
            STEP,
            "cchc.onestop.dossier.document",
            "cchc.onestop.applicant",
            "cchc.onestop.supplement",
            "cchc.onestop.apology",
            "cchc.onestop.stat",
        ):
            self.assertFalse(
                self.assertRpcOk(model, "search_read", [[]], {"fields": ["id"]}), model
            )
        self.assertFalse(
            self.assertRpcOk(
                "cchc.onestop.stat", "read_group", [[], ["received_count"], ["agency_id"]]
            )
        )
        self.assertRpcRefused(STEP, "read", [[self.step1.id], ["name"]])
        self.assertRpcRefused(
            "cchc.onestop.dossier.document", "read", [self.dossier.document_ids.ids, ["name"]]
        )
        # The chatter and the attachments of the dossier follow it.
        messages = self.assertRpcOk(
            "mail.message",
            "search_read",
            [[("model", "=", DOSSIER), ("res_id", "=", self.dossier.id)]],
            {"fields": ["body"]},
        )
        self.assertFalse(messages)
        self.assertRpcRefused("ir.attachment", "read", [[self.attachment.id], ["datas"]])
        response = self.url_open(f"/web/content/{self.attachment.id}?download=true")
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(b"%PDF-1.4 scan", response.content)
        # The desk that received it opens it.
        self.rpc_login(self.desk)
        response = self.url_open(f"/web/content/{self.attachment.id}?download=true")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"%PDF-1.4 scan")
        # The desk of another agency does not.
        self.rpc_login(self.commune_desk)
        response = self.url_open(f"/web/content/{self.attachment.id}?download=true")
        self.assertNotEqual(response.status_code, 200)
        data = self.assertRpcOk(
            "ir.attachment", "search_read", [[("res_model", "=", DOSSIER)]], {"fields": ["datas"]}
        )
        self.assertNotIn(base64.b64encode(b"%PDF-1.4 scan").decode(), str(data))

    def test_uploads_become_the_dossiers(self):
        self.rpc_login(self.desk)
        dossier_id = self.assertRpcOk(
            DOSSIER,
            "create",
            [
                {
                    "procedure_id": self.procedure.id,
                    "agency_id": self.justice.id,
                    "applicant_name": "Hồ Văn Quét",
                }
            ],
        )
        dossier = self.env[DOSSIER].browse(dossier_id)
        line = dossier.document_ids[:1]
        # As the web client uploads on a line not saved yet: no owner record.
        upload = self.assertRpcOk(
            "ir.attachment",
            "create",
            [
                {
                    "name": "to-khai.pdf",
                    "datas": base64.b64encode(b"%PDF-1.4 form").decode(),
                    "res_model": "cchc.onestop.dossier.document",
                    "res_id": 0,
                }
            ],
        )
        self.assertRpcOk(
            "cchc.onestop.dossier.document",
            "write",
            [line.ids, {"attachment_ids": [Command.set([upload])], "provided": True}],
        )
        attachment = self.env["ir.attachment"].browse(upload)
        self.assertEqual((attachment.res_model, attachment.res_id), (DOSSIER, dossier_id))
        dossier.document_ids.write({"provided": True})
        dossier.with_user(self.desk)._receive()
        # The handler of the dossier opens it, another agency's desk does not.
        self.rpc_login(self.justice_user)
        self.assertEqual(self.url_open(f"/web/content/{upload}").content, b"%PDF-1.4 form")
        self.rpc_login(self.commune_desk)
        self.assertNotEqual(self.url_open(f"/web/content/{upload}").status_code, 200)
        # Somebody else's loose upload is not adopted by linking it.
        loose = self.env["ir.attachment"].create({"name": "x.pdf", "raw": b"x", "res_id": 0})
        self.rpc_login(self.desk)
        draft = self._new(applicant_name="Người Khác")
        draft.document_ids[:1].with_user(self.desk).attachment_ids = loose
        self.assertFalse(loose.res_id)

    # ---------------------------------------------------------------- one-stop rules

    def test_only_the_handler_or_the_agency_leader_closes_a_step(self):
        # Step 1 is the desk's: another officer of the agency, or the coordinator, may not.
        for user in (self.other_justice_user, self.coordinator, self.tax_user):
            self.rpc_login(user)
            self.assertRpcRefused(STEP, "action_done", [[self.step1.id]])
        self.assertEqual(self.step1.state, "in_progress")
        self.rpc_login(self.desk)
        self.assertRpcOk(STEP, "action_done", [[self.step1.id]])
        self.assertEqual(self.step1.state, "done")
        # Step 2 is justice_user's: the desk does not close it; the agency's leader may.
        self.assertRpcRefused(STEP, "action_done", [[self.step2.id]], error="AccessError")
        self.rpc_login(self.justice_leader)
        self.assertRpcOk(STEP, "action_done", [[self.step2.id]])
        self.assertEqual(self.step2.state, "done")
        self.assertGreaterEqual(self.step2.done_datetime, self.step2.started_datetime)

    def test_receipt_time_and_code_date_are_the_systems(self):
        self.rpc_login(self.desk)
        vals = {
            "procedure_id": self.procedure.id,
            "agency_id": self.justice.id,
            "applicant_name": "Phan Văn Giờ",
        }
        self.assertRpcRefused(
            DOSSIER,
            "create",
            [dict(vals, received_datetime="2026-01-05 02:00:00")],
            context=OLD_GUARD_KEYS,
        )
        dossier_id = self.assertRpcOk(DOSSIER, "create", [vals])
        dossier = self.env[DOSSIER].browse(dossier_id)
        dossier.document_ids.write({"provided": True})
        self.assertRpcRefused(
            DOSSIER, "write", [[dossier_id], {"received_datetime": "2026-01-05 02:00:00"}]
        )
        before = fields.Datetime.now().replace(microsecond=0)
        self.assertRpcOk(DOSSIER, "action_receive", [[dossier_id]])
        dossier.invalidate_recordset()
        self.assertGreaterEqual(dossier.received_datetime, before - timedelta(seconds=1))
        day = dossier._clock().local_date(dossier.received_datetime)
        self.assertEqual(dossier.received_date, day)
        self.assertEqual(dossier.name.split("-")[1], day.strftime("%y%m%d"))
        self.assertRpcRefused(
            DOSSIER, "write", [[dossier_id], {"received_datetime": "2026-01-05 02:00:00"}]
        )

    def test_a_late_dossier_is_flagged(self):
        # Received 60 days ago (recorded after the fact by server code), still processing.
        late = self._new(applicant_name="Trễ Hạn")
        late._receive(at=fields.Datetime.now() - timedelta(days=60))
        self.assertTrue(late.is_overdue, "marked at receipt, before any scan")
        self.rpc_login(self.desk)
        row = self.assertRpcOk(
            DOSSIER, "read", [[late.id, self.dossier.id], ["is_overdue", "is_past_due"]]
        )
        flags = {r["id"]: (r["is_overdue"], r["is_past_due"]) for r in row}
        self.assertEqual(flags[late.id], (True, True))
        self.assertEqual(flags[self.dossier.id], (False, False))
        # The "Overdue" filter of the search view finds it, and only it.
        view = self.assertRpcOk(DOSSIER, "get_views", [[[False, "search"], [False, "list"]]])
        search_arch = view["views"]["search"]["arch"]
        self.assertIn("is_past_due", search_arch)
        self.assertIn("is_past_due", view["views"]["list"]["arch"])
        found = self.assertRpcOk(DOSSIER, "search", [[("is_past_due", "=", True)]])
        self.assertEqual(found, [late.id])
        self.assertNotIn(
            late.id, self.assertRpcOk(DOSSIER, "search", [[("is_past_due", "=", False)]])
        )
        # Even when the overdue mark was lost, the filter and the list still see it late;
        # the scan puts the mark back.
        self.env.cr.execute(
            "UPDATE cchc_onestop_dossier SET is_overdue = FALSE WHERE id = %s", [late.id]
        )
        late.invalidate_recordset()
        self.assertEqual(
            self.assertRpcOk(DOSSIER, "search", [[("is_past_due", "=", True)]]), [late.id]
        )
        today = late._clock().local_date(fields.Datetime.now())
        figures = self.env[DOSSIER]._week_figures(today, today)
        self.assertEqual(figures[self.justice.id]["overdue"], 1, "the leaders' weekly figures")
        self.env[DOSSIER]._cron_overdue_scan()
        self.assertTrue(late.is_overdue)

    def test_the_returning_desk_sees_the_whole_chain(self):
        investment = self._received(self.investment, self.finance_desk)
        scan = self.env["ir.attachment"].create(
            {
                "name": "don-dang-ky.pdf",
                "raw": b"%PDF-1.4 land",
                "res_model": DOSSIER,
                "res_id": investment.id,
            }
        )
        land_line = investment.document_ids.filtered(lambda d: d.name == "Đơn đăng ký đất đai")
        land_line.sudo().attachment_ids = scan
        for _ in range(2):
            step = investment.current_step_id
            step.with_user(step.handler_id).action_done()
        investment.with_user(self.finance_user)._resolve("approved", "QĐ 45/QĐ-UBND")
        allocation = investment.sudo().next_dossier_ids
        # The next agency gets its own copy of the scan: it may not read the investment.
        copied = allocation.document_ids.attachment_ids.filtered(lambda a: a.name == scan.name)
        self.assertEqual((copied.res_model, copied.res_id), (DOSSIER, allocation.id))
        self.rpc_login(self.land_user)
        self.assertEqual(self.url_open(f"/web/content/{copied.id}").content, b"%PDF-1.4 land")
        self.assertNotEqual(self.url_open(f"/web/content/{scan.id}").status_code, 200)
        for _ in range(2):
            step = allocation.current_step_id
            step.with_user(step.handler_id).action_done()
        certificate = allocation.next_dossier_ids
        self.assertTrue(certificate)
        self.assertNotEqual(certificate.agency_id, self.finance)
        self.rpc_login(self.finance_desk)
        rows = self.assertRpcOk(
            DOSSIER,
            "search_read",
            [[("chain_root_id", "=", investment.id)]],
            {"fields": ["applicant_id_number"]},
        )
        self.assertEqual({r["id"] for r in rows}, {investment.id, allocation.id, certificate.id})
        self.assertNotIn(MASK, str(rows), "the returning desk hands the result to the applicant")
        self.assertRpcOk(
            STEP, "search_read", [[("dossier_id", "=", certificate.id)]], {"fields": ["name"]}
        )
        # The desk of another agency still sees none of it.
        self.rpc_login(self.commune_desk)
        self.assertFalse(
            self.assertRpcOk(DOSSIER, "search", [[("chain_root_id", "=", investment.id)]])
        )

    def test_the_clock_is_kept_until_the_office_hours_change(self):
        calls = []
        original = OnestopClock._office_hours

        def counting(resource):
            calls.append(resource)
            return original(resource)

        spec = {
            "delay_summary": {},
            "chain_dossier_ids": {"fields": {"appointment_datetime": {}}},
            "delay_agency_ids": {"fields": {"display_name": {}}},
            "step_ids": {"fields": {"remind_datetime": {}, "deadline": {}}},
            "appointment_datetime": {},
        }
        calendar = self.env.ref("cchc_base.resource_calendar_administrative")
        self.env.registry.clear_cache()
        self.rpc_login(self.desk)
        with patch.object(OnestopClock, "_office_hours", staticmethod(counting)):
            self.assertRpcOk(DOSSIER, "web_read", [[self.dossier.id]], {"specification": spec})
            self.assertEqual(len(calls), 1, "the form's computed fields share one clock")
            self.assertRpcOk(DOSSIER, "web_read", [[self.dossier.id]], {"specification": spec})
            self.assertEqual(len(calls), 1, "kept between requests: no query for the hours")
            # The province shortens Monday afternoon: the next request counts with it.
            monday_pm = calendar.attendance_ids.filtered(
                lambda a: a.dayofweek == "0" and a.day_period == "afternoon" and not a.date_from
            )
            monday_pm.hour_to = 16.5
            self.assertRpcOk(DOSSIER, "web_read", [[self.dossier.id]], {"specification": spec})
            self.assertEqual(len(calls), 2, "built again after the office hours changed")
            self.assertEqual(self.dossier._clock().office.periods[-1][1].hour, 16)
            calendar.tz = "Asia/Bangkok"
            self.assertEqual(self.dossier._clock().tz.zone, "Asia/Bangkok")
            self.assertEqual(len(calls), 3, "built again after the time zone changed")
            # Another calendar's hours are not the clock's.
            other = self.env["resource.calendar"].create({"name": "Ca đêm"})
            other.attendance_ids[:1].hour_to = 23.0
            self.dossier._clock()
            self.assertEqual(len(calls), 3)
