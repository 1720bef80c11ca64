from odoo import models

from cchc_core import workbooks


class CchcXlsxAbstract(models.AbstractModel):
    """What every XLSX report of the suite shares: OCA ``report_xlsx`` runs it as the user who
    prints (from the Print menu, a button or ``/report/xlsx/<report>/<ids>``), so the records
    and every row read while writing are those the user may read."""

    _name = "report.cchc_base.xlsx_abstract"
    _inherit = "report.report_xlsx.abstract"
    _description = "XLSX report of the CCHC Suite"

    def get_workbook_options(self):
        return dict(workbooks.WORKBOOK_OPTIONS)

    def generate_xlsx_report(self, workbook, data, objs):
        # Refused as a whole, before a sheet is written, when one record may not be read.
        objs.check_access("read")
        for record in objs:
            self._write_record(workbook, record)

    def _write_record(self, workbook, record):
        """Add the sheet of ``record`` to ``workbook`` (one sheet per printed record)."""
        raise NotImplementedError()
