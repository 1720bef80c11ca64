import base64
import io
import zipfile

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CchcPlanCase


def zero_bomb(megabytes, name="xl/worksheets/sheet1.xml"):
    """An XLSX-shaped archive of about 150 KB whose sheet expands to ``megabytes`` of zeros."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(name, "w", force_zip64=True) as member:
            zero = bytes(1024 * 1024)
            for _ in range(megabytes):
                member.write(zero)
    return buf.getvalue()


@tagged("post_install", "-at_install")
class TestImportArchiveLimits(CchcPlanCase):
    """The plan import refuses a decompression bomb before parsing, in the user's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.bomb = base64.b64encode(zero_bomb(150))

    def _parse(self, lang, filename="phu-luc.xlsx", data=None):
        wizard = (
            self.env["cchc.plan.import"]
            .with_user(self.coordinator)
            .with_context(lang=lang)
            .create(
                {
                    "plan_id": self.plan.id,
                    "source": "file",
                    "filename": filename,
                    "file": data or self.bomb,
                }
            )
        )
        with self.assertRaises(UserError) as caught:
            wizard.action_parse()
        self.assertFalse(wizard.line_ids)
        self.assertFalse(self.plan.task_ids)
        return str(caught.exception)

    def test_bomb_refused_in_english(self):
        message = self._parse("en_US")
        self.assertIn("the archive expands to more than 100 MB", message)

    def test_bomb_refused_in_vietnamese(self):
        message = self._parse("vi_VN")
        self.assertIn("tệp nén khi giải nén lớn hơn 100 MB", message)
        self.assertNotIn("the archive", message)
        docx = base64.b64encode(zero_bomb(150, name="word/document.xml"))
        message = self._parse("vi_VN", filename="phu-luc.docx", data=docx)
        self.assertIn("tệp nén khi giải nén lớn hơn 100 MB", message)
