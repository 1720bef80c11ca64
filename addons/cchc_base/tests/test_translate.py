from odoo.tests import TransactionCase, tagged

from odoo.addons.cchc_base.tools.translate import translate

from cchc_core.messages import Message


@tagged("post_install", "-at_install")
class TestTranslate(TransactionCase):
    """One helper shows the pure core's messages of every addon in the user's language. The
    addons' vi.po files are read from the addons path, so the addons need not be installed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.vi = cls.env(context=dict(cls.env.context, lang="vi_VN"))

    def test_each_addon_in_vietnamese(self):
        cases = [
            (Message("the table is empty"), ("cchc_plan",), "bảng trống"),
            (
                Message("the PDF has no page %(page)s", page=3),
                ("cchc_esign",),
                "tệp PDF không có trang 3",
            ),
            (
                Message("missing element %(element)s", element="edXML:Code"),
                ("cchc_exchange", "cchc_esign"),
                "thiếu phần tử edXML:Code",
            ),
            (
                Message("could not read the XLSX file: %(error)s", error="bad zip"),
                ("cchc_onestop",),
                "không đọc được tệp XLSX: bad zip",
            ),
        ]
        for message, modules, vietnamese in cases:
            with self.subTest(template=message.template):
                self.assertEqual(translate(self.vi, message, *modules), vietnamese)

    def test_modules_in_order(self):
        """The exchange shows the certificate refusals it shares with signing: cchc_exchange has
        no translation of them, the next module named, cchc_esign, has one."""
        message = Message(
            "the certificate of %(name)s expired on %(date)s", name="Sở Nội vụ", date="2025-01-01"
        )
        self.assertEqual(
            translate(self.vi, message, "cchc_exchange", "cchc_esign"),
            "chứng thư số của Sở Nội vụ đã hết hạn vào ngày 2025-01-01",
        )
        # Without cchc_esign named, nothing translates it: English, values filled in.
        self.assertEqual(translate(self.vi, message, "cchc_exchange"), str(message))

    def test_nested_message(self):
        message = Message(
            "%(where)s not read: %(reason)s",
            where=Message("sheet '%(sheet)s'", sheet="KH 2026"),
            reason=Message("the table is empty"),
        )
        self.assertEqual(
            translate(self.vi, message, "cchc_plan"),
            "trang tính 'KH 2026' không được đọc: bảng trống",
        )

    def test_terms(self):
        """A value that is a listed term is translated; unlisted, it is not."""
        message = Message(
            "%(what)s must be a date and time, got %(value)r",
            what="the receipt time",
            value="today",
        )
        self.assertEqual(
            translate(self.vi, message, "cchc_onestop", terms=["the receipt time"]),
            "thời điểm tiếp nhận phải là ngày và giờ, nhận được 'today'",
        )
        self.assertEqual(
            translate(self.vi, message, "cchc_onestop"),
            "the receipt time phải là ngày và giờ, nhận được 'today'",
        )

    def test_archive_messages_from_any_addon(self):
        """The archives' refusals are cchc_base's: found whichever addon shows them."""
        message = Message("the archive expands to more than %(limit)s MB", limit=200)
        for modules in [(), ("cchc_plan",), ("cchc_exchange", "cchc_esign")]:
            with self.subTest(modules=modules):
                self.assertEqual(
                    translate(self.vi, message, *modules),
                    "tệp nén khi giải nén lớn hơn 200 MB",
                )

    def test_unknown_template_in_english(self):
        message = Message("no such message %(n)s (%(why)s)", n=7, why=Message("the table is empty"))
        self.assertEqual(translate(self.vi, message, "cchc_plan"), "no such message 7 (bảng trống)")

    def test_english_and_plain_text(self):
        message = Message("the PDF has no page %(page)s", page=3)
        self.assertEqual(
            translate(self.env(context={"lang": "en_US"}), message, "cchc_esign"), str(message)
        )
        self.assertEqual(translate(self.vi, "plain text", "cchc_esign"), "plain text")
        self.assertEqual(translate(self.vi, ValueError("boom"), "cchc_esign"), "boom")
