from odoo import Command


class BudgetAccounts:
    """The company's expense account (the generic chart loaded if it has none), a vendor, and
    vendor bills charged to a budget line's analytic account."""

    @classmethod
    def _setup_accounts(cls, vendor_name):
        company = cls.env.company
        Account = cls.env["account.account"]
        if not Account.search_count([("company_ids", "in", company.id)], limit=1):
            cls.env["account.chart.template"].try_loading(
                "generic_coa", company=company, install_demo=False
            )
        cls.expense = Account.search(
            [("company_ids", "in", company.id), ("account_type", "=", "expense")], limit=1
        )
        cls.vendor = cls.env["res.partner"].create({"name": vendor_name, "is_company": True})

    @classmethod
    def _bill_vals(cls, line, amount=500_000_000, invoice_date="2026-03-02"):
        return {
            "move_type": "in_invoice",
            "partner_id": cls.vendor.id,
            "invoice_date": invoice_date,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": line.name,
                        "account_id": cls.expense.id,
                        "quantity": 1,
                        "price_unit": amount,
                        "tax_ids": [Command.clear()],
                        "analytic_distribution": {str(line.analytic_account_id.id): 100},
                    }
                )
            ],
        }
