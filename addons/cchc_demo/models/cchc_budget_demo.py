from odoo import Command, api, fields, models


class CchcBudgetDemo(models.AbstractModel):
    """Demo budget: lines for this year's plan and real bills, so that the numbers move."""

    _name = "cchc.budget.demo"
    _description = "Budget demo data"

    @api.model
    def _demo_populate(self, plan_id):
        """Budget lines for this year's plan, and real bills so that the numbers move."""
        company = self.env.company
        if not self.env["account.account"].search_count(
            [("company_ids", "in", company.id), ("account_type", "=", "expense")], limit=1
        ):
            self.env["account.chart.template"].try_loading(
                "generic_coa", company=company, install_demo=False
            )
        vnd = self.env.ref("base.VND")
        if company.currency_id != vnd and not self.env["account.move"].search_count(
            [("company_id", "=", company.id)], limit=1
        ):
            # The generic chart brings dollars; the demo province keeps its accounts in đồng.
            vnd.active = True
            company.currency_id = vnd
        plan = self.env["cchc.plan"].browse(plan_id)
        by_section = {}
        for task in plan.task_ids:
            by_section.setdefault(task.cchc_section_id.roman, {})[task.cchc_number] = task
        year = plan.year_from
        specs = [
            (
                "I",
                "1",
                "Hội nghị triển khai kế hoạch kiểm tra",
                "hội nghị",
                2,
                15_000_000,
                30_000_000,
                "412",
                "6650",
                "6699",
            ),
            (
                "II",
                "1",
                "Thuê chuyên gia rà soát văn bản",
                "người",
                3,
                20_000_000,
                60_000_000,
                "414",
                "6750",
                "6757",
            ),
            (
                "III",
                "2",
                "Số hóa hồ sơ thủ tục hành chính",
                "hồ sơ",
                10_000,
                12_000,
                100_000_000,
                "802",
                "7000",
                "7049",
            ),
            (
                "IV",
                "1",
                "Chứng thư số và thiết bị ký số",
                "bộ",
                40,
                1_500_000,
                60_000_000,
                "419",
                "9050",
                "9062",
            ),
            (
                "IV",
                "2",
                "Nâng cấp Cổng dịch vụ công",
                "gói",
                1,
                450_000_000,
                400_000_000,
                "419",
                "9050",
                "9062",
            ),
        ]
        lines = self.env["cchc.budget.line"].create(
            [
                {
                    "plan_id": plan.id,
                    "task_id": by_section[roman][number].id,
                    "name": name,
                    "fiscal_year": year,
                    "funding_source": "provincial",
                    "chapter_code": chapter,
                    "type_code": "340",
                    "item_code": "341",
                    "section_code": section,
                    "subsection_code": subsection,
                    "unit": unit,
                    "quantity": quantity,
                    "unit_price": price,
                    "allocation": allocation,
                }
                for (
                    roman,
                    number,
                    name,
                    unit,
                    quantity,
                    price,
                    allocation,
                    chapter,
                    section,
                    subsection,
                ) in specs
                if number in by_section.get(roman, {})
            ]
        )
        vendor = self.env["res.partner"].create(
            {"name": "Công ty TNHH Dịch vụ Số Vĩnh Long", "is_company": True}
        )
        expense = self.env["account.account"].search(
            [("company_ids", "in", company.id), ("account_type", "=", "expense")], limit=1
        )
        bills = [
            (0, 24_500_000, True),
            (1, 40_000_000, True),
            (2, 35_000_000, True),
            (3, 58_000_000, True),
            (2, 15_000_000, False),
        ]
        for index, amount, post in bills:
            if index >= len(lines):
                continue
            line = lines[index]
            move = self.env["account.move"].create(
                {
                    "move_type": "in_invoice",
                    "partner_id": vendor.id,
                    "invoice_date": fields.Date.context_today(self),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": line.name,
                                "account_id": expense.id,
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                                "analytic_distribution": {str(line.analytic_account_id.id): 100},
                            }
                        )
                    ],
                }
            )
            if post:
                move.action_post()
