"""Download an XLSX report over HTTP as the logged-in user, as the Print menu does.

``/report/xlsx/<report>/<ids>`` is OCA ``report_xlsx``'s route: the workbook is written in the
request of that user, so a test that logs in as a low-privilege user proves the file holds only
what the user may read.
"""

import io
import json
from urllib.parse import unquote

import openpyxl

from odoo import http
from odoo.tests.common import HttpCase


class XlsxReportCase(HttpCase):
    def xlsx_url(self, report_name, records):
        return f"/report/xlsx/{report_name}/{','.join(str(i) for i in records.ids)}"

    def xlsx_download(self, report_name, records):
        """The response of the report route (``authenticate`` first)."""
        return self.url_open(self.xlsx_url(report_name, records))

    def xlsx_workbook(self, report_name, records):
        """The downloaded workbook, read back with openpyxl; fails unless the server sent one."""
        response = self.xlsx_download(report_name, records)
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertTrue(response.content.startswith(b"PK"), "an .xlsx file is a zip archive")
        return openpyxl.load_workbook(io.BytesIO(response.content))

    def xlsx_sheet(self, report_name, records):
        return self.xlsx_workbook(report_name, records).active

    def xlsx_filename(self, report_name, records):
        """The file name the browser saves, asked through ``/report/download`` as the web client
        does from the Print menu or a button."""
        response = self.url_open(
            "/report/download",
            data={
                "data": json.dumps([self.xlsx_url(report_name, records), "xlsx"]),
                "context": "{}",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        disposition = response.headers.get("Content-Disposition", "")
        self.assertIn("filename*=UTF-8''", disposition, response.text[:500])
        return unquote(disposition.split("filename*=UTF-8''", 1)[1])
