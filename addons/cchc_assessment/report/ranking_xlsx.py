from odoo import models

from cchc_core import workbooks


class RankingXlsx(models.AbstractModel):
    _name = "report.cchc_assessment.ranking_xlsx"
    _inherit = "report.cchc_base.xlsx_abstract"
    _description = "Ranking of a reform index campaign (XLSX)"

    def _write_record(self, workbook, campaign):
        """The ranking as the announcement gives it, from the scorecards the user may read."""
        headers = (
            (self.env._("Rank"), 8),
            (self.env._("Agency"), 48),
            (self.env._("Score"), 10),
            (self.env._("Maximum"), 10),
            (self.env._("Index (%)"), 10),
            (self.env._("Group"), 8),
            (self.env._("Last year (%)"), 12),
            (self.env._("Change"), 10),
            (self.env._("Assigned tasks done (%)"), 14),
        )
        book = workbooks.Book(workbook)
        sheet = book.sheet(
            str(campaign.year),
            headers,
            self.env._("REFORM INDEX %(year)s OF THE AGENCIES", year=campaign.year),
            campaign.name,
        )
        row = 4
        for kind, cards in campaign._ranking_rows().items():
            sheet.merge_range(row, 0, row, len(headers) - 1, kind, book.section)
            row += 1
            for card in cards:
                values = (
                    card.rank or "",
                    card.agency_id.name,
                    card.final_total,
                    card.max_total,
                    card.percentage,
                    card.grade or "",
                    card.previous_percentage if card.previous_percentage else "",
                    card.percentage_change if card.previous_percentage else "",
                    card.task_rate,
                )
                for col, value in enumerate(values):
                    sheet.write(row, col, value, book.cell if col == 1 else book.center)
                row += 1
