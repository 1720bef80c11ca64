from odoo import Command, api, models

# Odoo's accounting rights. Accounting puts its Administrator group on the default user
# template when it is installed, and the template passes its groups to every internal user:
# officers would book bills on any agency's budget. In this product only accountants keep
# accounting rights (the Accountant role implies Invoicing).
ACCOUNTING_RIGHTS = (
    "account.group_account_readonly",
    "account.group_account_invoice",
    "account.group_account_basic",
    "account.group_account_user",
    "account.group_account_manager",
)


class ResUsers(models.Model):
    _inherit = "res.users"

    def _default_groups(self):
        # New users and later changes of the template never bring accounting rights.
        return super()._default_groups() - self._cchc_accounting_rights()

    @api.model
    def _cchc_accounting_rights(self):
        groups = self.env["res.groups"]
        for xmlid in ACCOUNTING_RIGHTS:
            groups |= self.env.ref(xmlid, raise_if_not_found=False) or groups
        return groups

    @api.model
    def _cchc_drop_accounting_rights(self):
        """Run at each install and update of cchc_budget: the default user template and the
        users who are neither accountants nor settings administrators lose accounting rights."""
        rights = self._cchc_accounting_rights()
        template = self.env.ref("base.default_user", raise_if_not_found=False)
        unlink = [Command.unlink(group.id) for group in rights]
        if template:
            template.sudo().write({"groups_id": unlink})
        keep = (
            self.env.ref("cchc_base.group_cchc_accountant").users
            | self.env.ref("base.group_system").users
        )
        holders = rights.users.filtered(lambda u: not u.share) - keep - template
        if holders:
            holders.sudo().write({"groups_id": unlink})
        return True

    def _cchc_budget_agencies(self):
        """The agencies whose budget lines this user may charge; None for every agency."""
        self.ensure_one()
        if self.has_group("cchc_budget.group_cchc_budget_controller"):
            return None
        Agency = self.env["cchc.agency"].sudo()
        if not (self.has_group("cchc_base.group_cchc_accountant") and self.cchc_agency_id):
            return Agency
        return Agency.search([("id", "child_of", self.cchc_agency_id.ids)])
