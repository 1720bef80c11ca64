from odoo import fields, models


class CchcDocumentType(models.Model):
    _name = "cchc.document.type"
    _description = "Kind of document"
    _order = "sequence, id"

    name = fields.Char(required=True)
    abbreviation = fields.Char(help="QĐ, KH, BC… Empty for a công văn: 125/UBND-TH.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
