from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.cchc_base.tests.rpc import OLD_GUARD_KEYS, RpcCase

from .common import PortalFixtures


@tagged("post_install", "-at_install")
class TestAccess(PortalFixtures, RpcCase):
    """What the portal adds holds against any JSON-RPC client: citizens read only their own
    applications and no staff record; the secret, the rating link, the ratings and the
    measured feedback dates are written by the server only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._portal_setup()

    def setUp(self):
        super().setUp()
        self.mine = self._submission(self.citizen)
        self.theirs = self._submission(self.citizen2)
        self.dossier = self.mine.dossier_id
        self.dossier.with_user(self.desk).action_receive()

    def test_citizen_reads_only_own_application(self):
        self.rpc_login(self.citizen)
        found = self.assertRpcOk("cchc.portal.submission", "search_read", [[]], {"fields": ["id"]})
        self.assertEqual([row["id"] for row in found], [self.mine.id])
        self.assertRpcRefused(
            "cchc.portal.submission", "read", [[self.theirs.id]], {"fields": ["applicant_name"]}
        )

    def test_citizen_cannot_touch_staff_records(self):
        self.rpc_login(self.citizen)
        for model in ("cchc.onestop.dossier", "cchc.onestop.applicant", "cchc.portal.rating"):
            self.assertRpcRefused(
                model, "search_read", [[]], {"fields": ["id"]}, error="AccessError"
            )
        self.assertRpcRefused(
            "cchc.onestop.dossier",
            "read",
            [[self.dossier.id]],
            {"fields": ["portal_secret"]},
            error="AccessError",
        )

    def test_citizen_cannot_submit_or_forge_through_rpc(self):
        self.rpc_login(self.citizen)
        draft = self.env["cchc.portal.submission"]._portal_draft(
            self.citizen.partner_id, self.procedure
        )
        for method, args in (
            ("write", [[draft.id], {"state": "submitted"}]),
            ("write", [[draft.id], {"applicant_name": "X"}]),
            (
                "create",
                [{"partner_id": self.citizen2.partner_id.id, "procedure_id": self.procedure.id}],
            ),
            ("unlink", [[self.mine.id]]),
            ("_portal_submit", [[draft.id]]),
        ):
            self.assertRpcRefused("cchc.portal.submission", method, args, context=OLD_GUARD_KEYS)
        self.assertEqual(draft.state, "draft")

    def test_secret_and_rating_token_written_by_server_only(self):
        for user in (self.desk, self.coordinator):
            self.rpc_login(user)
            for field, value in (
                ("portal_secret", "AAAAAAAAAA"),
                ("portal_rating_token", "known-token"),
                ("portal_partner_id", self.citizen2.partner_id.id),
                ("portal_paper_step", True),
            ):
                self.assertRpcRefused(
                    "cchc.onestop.dossier",
                    "write",
                    [[self.dossier.id], {field: value}],
                    context=OLD_GUARD_KEYS,
                )
        # Not even the superuser's own code outside the server's transitions.
        with self.assertRaises(AccessError):
            self.dossier.sudo().write({"portal_secret": "AAAAAAAAAA"})
        self.assertNotEqual(self.dossier.portal_secret, "AAAAAAAAAA")

    def test_ratings_and_feedback_dates_written_by_server_only(self):
        self.rpc_login(self.coordinator)
        self.assertRpcRefused(
            "cchc.portal.rating",
            "create",
            [
                {
                    "dossier_id": self.dossier.id,
                    "rated_date": "2026-01-01",
                    "channel": "online",
                    "score_access": 5,
                    "score_procedure": 5,
                    "score_officer": 5,
                    "score_result": 5,
                    "score_feedback": 5,
                }
            ],
            context=OLD_GUARD_KEYS,
        )
        feedback = self.env["cchc.portal.feedback"]._portal_create(
            {"name": "Hỏi", "content": "Nội dung", "agency_id": self.justice.id}
        )
        self.rpc_login(self.handler)
        for vals in (
            {"state": "answered"},
            {"deadline_date": "2099-01-01"},
            {"on_time": True},
            {"content": "Sửa nội dung"},
        ):
            self.assertRpcRefused(
                "cchc.portal.feedback", "write", [[feedback.id], vals], context=OLD_GUARD_KEYS
            )
        # Another agency's desk cannot answer it.
        self.rpc_login(self.other_desk)
        self.assertRpcRefused("cchc.portal.feedback", "action_answer", [[feedback.id]])
        # The agency's handler answers; then it is frozen and published.
        self.rpc_login(self.handler)
        self.assertRpcOk("cchc.portal.feedback", "write", [[feedback.id], {"answer": "Đã xử lý"}])
        self.assertRpcOk("cchc.portal.feedback", "action_answer", [[feedback.id]])
        self.assertTrue(feedback.website_published)
        self.assertRpcRefused(
            "cchc.portal.feedback", "write", [[feedback.id], {"answer": "Sửa lại"}]
        )
