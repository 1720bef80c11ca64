from odoo import fields, models

ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}


class Base(models.AbstractModel):
    _inherit = "base"

    def _read_group_format_result(self, rows_dict, lazy_groupby):
        """Quarters as the reader's language writes them: 'Quý III/2026', not Babel's 'Q3 2026'
        (pivots and lists grouped by quarter)."""
        result = super()._read_group_format_result(rows_dict, lazy_groupby)
        for group in lazy_groupby:
            if not group.endswith(":quarter"):
                continue
            for row in rows_dict:
                bounds = (row.get("__range") or {}).get(group)
                if not bounds:
                    continue
                start = fields.Datetime.to_datetime(bounds["from"])
                if len(bounds["from"]) > 10:
                    # A datetime group's bounds are in UTC: back to the reader's day.
                    start = fields.Datetime.context_timestamp(self, start)
                quarter = (start.month - 1) // 3 + 1
                row[group] = self.env._(
                    "Q%(number)s %(year)s",
                    number=quarter,
                    roman=ROMAN_QUARTERS[quarter],
                    year=start.year,
                )
        return result
