import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Mục lục ngân sách nhà nước (Thông tư 324/2016/TT-BTC): the shape of each kind of code.
CODE_KINDS = [
    ("chapter", "Chapter (chương)"),
    ("type", "Type (loại)"),
    ("item", "Item (khoản)"),
    ("section", "Section (mục)"),
    ("subsection", "Sub-section (tiểu mục)"),
]
CODE_SHAPES = {
    "chapter": re.compile(r"\d{3}"),
    "type": re.compile(r"\d{3}"),
    "item": re.compile(r"\d{3}"),
    "section": re.compile(r"\d{4}"),
    "subsection": re.compile(r"\d{4}"),
}


def check_code_shape(env, kind, code):
    """Raise a translated ValidationError when ``code`` is not of the shape of ``kind``."""
    if code and not CODE_SHAPES[kind].fullmatch(code):
        digits = 3 if kind in ("chapter", "type", "item") else 4
        label = dict(env["cchc.budget.code"]._fields["kind"]._description_selection(env))[kind]
        raise ValidationError(
            env._(
                "%(code)s is not a budget classification code of kind %(kind)s: it has "
                "%(digits)s digits.",
                code=code,
                kind=label,
                digits=digits,
            )
        )


class CchcBudgetCode(models.Model):
    """A code of the state budget classification, as data: a new classification (the one in
    force from 2026) is loaded as new records with their years of validity."""

    _name = "cchc.budget.code"
    _description = "Budget classification code"
    _order = "kind, code"
    _rec_names_search = ["code", "name"]

    kind = fields.Selection(CODE_KINDS, required=True, index=True)
    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True)
    parent_id = fields.Many2one("cchc.budget.code", ondelete="restrict")
    year_from = fields.Integer(string="Valid from year", required=True, default=2017)
    year_to = fields.Integer(string="Valid to year", help="Empty: still in force.")
    reference = fields.Char(help="The circular that defines it, e.g. Thông tư 324/2016/TT-BTC.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "code_unique",
            "UNIQUE(kind, code, year_from)",
            "This code already exists for this kind and year.",
        ),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = f"{rec.code} – {rec.name}"

    @api.constrains("kind", "code")
    def _check_shape(self):
        for rec in self:
            check_code_shape(self.env, rec.kind, rec.code)
