import base64
import io
import zipfile

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CchcOnestopCase


def zero_bomb(megabytes):
    """An XLSX-shaped archive of about 150 KB whose sheet expands to ``megabytes`` of zeros."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            zero = bytes(1024 * 1024)
            for _ in range(megabytes):
                member.write(zero)
    return buf.getvalue()


@tagged("post_install", "-at_install")
class TestProcedureImportArchiveLimits(CchcOnestopCase):
    """The procedure list import refuses a decompression bomb, in the user's language."""

    def test_bomb_refused_in_vietnamese(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        wizard = (
            self.env["cchc.onestop.procedure.import"]
            .with_user(self.coordinator)
            .with_context(lang="vi_VN")
            .create({"file": base64.b64encode(zero_bomb(150)), "filename": "danh-muc.xlsx"})
        )
        count = self.env["cchc.onestop.procedure"].search_count([])
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        self.assertIn("tệp nén khi giải nén lớn hơn 100 MB", str(caught.exception))
        self.assertEqual(self.env["cchc.onestop.procedure"].search_count([]), count)
