from odoo.tests import tagged

from odoo.addons.cchc_base.tests.rpc import RpcCase
from odoo.addons.cchc_base.tests.screenshots import load_vietnamese, tour_screenshot

from .test_handling import HandlingFixtures

URL = "/odoo/action-cchc_exchange.cchc_document_action_incoming"


@tagged("post_install", "-at_install")
class TestReceivingTour(HandlingFixtures, RpcCase):
    """In Chromium, in Vietnamese: the receiving agency's director opens a received document,
    sees its number and signer, assigns it to an officer; the officer closes it with a note."""

    browser_size = "1440x900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_vietnamese(cls.env)
        cls._setup_handling()
        cls.leader.name = "Nguyễn Văn An"
        cls.leader_b.name = "Giám Đốc Tour"
        cls.handler_b.name = "Chuyên Viên Tour"
        (cls.leader_b | cls.handler_b).write({"lang": "vi_VN"})
        cls.incoming = cls._receive_one("Quyết định phối hợp kiểm tra công vụ")

    def test_director_assigns_officer_closes(self):
        incoming = self.incoming
        self.assertEqual(incoming.origin_code, "01/QĐ-UBND")
        # The first page of a fresh database builds the routing map for seconds: done here, not
        # while the browser's spare connection waits (and times out in the server log).
        self.url_open("/web/login")
        self.start_tour(URL, "cchc_exchange_director_assigns", login=self.leader_b.login)
        self.assertEqual(
            (incoming.handling_state, incoming.handler_id), ("assigned", self.handler_b)
        )
        expected = self.env["cchc.holiday"].add_working_days(incoming.received_date, 3)
        self.assertEqual(incoming.handling_deadline, expected)
        tour_screenshot(
            self, URL, "cchc_exchange_incoming_list", self.leader_b.login, "receiving-incoming-list"
        )
        self.start_tour(URL, "cchc_exchange_officer_closes", login=self.handler_b.login)
        self.assertEqual(incoming.handling_state, "completed")
        self.assertEqual(incoming.handling_result, "Đã tham mưu công văn trả lời")
        tour_screenshot(
            self, URL, "cchc_exchange_form_shown", self.leader_b.login, "receiving-document-form"
        )
