from odoo import api, fields, models

APPLICANT_KINDS = [("person", "Person"), ("business", "Business or organisation")]
# The applicant's data that only the desk and the handlers of the dossier may read.
PERSONAL_FIELDS = ("id_number", "birth_date", "phone", "email", "address", "representative")


class CchcOnestopApplicant(models.Model):
    """The personal data of a dossier's applicant, kept apart from the dossier.

    One record per dossier (a linked dossier gets its own copy): its record rules let the desk
    of the receiving agency and the handlers of the dossier's steps read it, and nobody else,
    while the dossier itself (code, procedure, applicant's name, dates) stays visible to the
    leaders who follow the statistics. The dossier shows these fields masked to the others.
    """

    _name = "cchc.onestop.applicant"
    _description = "Personal data of an applicant"
    _order = "id desc"

    dossier_ids = fields.One2many("cchc.onestop.dossier", "applicant_id", string="Dossiers")
    id_number = fields.Char(
        string="Identity number",
        index="btree_not_null",
        help="Citizen identity number (CCCD) of a person, tax code of a business.",
    )
    birth_date = fields.Date(string="Date of birth")
    phone = fields.Char()
    email = fields.Char()
    address = fields.Char()
    representative = fields.Char(help="Who acts for a business or for another person.")

    @api.depends("dossier_ids.name")
    def _compute_display_name(self):
        # Many2one values show the display name even to those who cannot read the record:
        # it must say nothing personal.
        for applicant in self:
            applicant.display_name = self.env._(
                "Applicant of %(dossier)s",
                dossier=applicant.sudo().dossier_ids[:1].display_name or applicant.id,
            )
