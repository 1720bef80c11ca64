from odoo import api, fields, models
from odoo.exceptions import ValidationError

LINK_EVENTS = [
    ("step", "After a step"),
    ("resolved", "When approved"),
]


class CchcOnestopProcedureLink(models.Model):
    """Liên thông: a finished step or an approved dossier starts a dossier of another procedure."""

    _name = "cchc.onestop.procedure.link"
    _description = "Linked procedure"
    _order = "procedure_id, sequence, id"

    procedure_id = fields.Many2one(
        "cchc.onestop.procedure", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    next_procedure_id = fields.Many2one(
        "cchc.onestop.procedure",
        string="Next procedure",
        required=True,
        ondelete="restrict",
        index=True,
    )
    event = fields.Selection(LINK_EVENTS, required=True, default="resolved")
    step_id = fields.Many2one(
        "cchc.onestop.procedure.step",
        string="After step",
        ondelete="cascade",
        domain="[('procedure_id', '=', procedure_id)]",
    )
    agency_id = fields.Many2one(
        "cchc.agency",
        string="Receiving agency",
        ondelete="restrict",
        help="Where the next dossier is received; empty: the next procedure's competent agency.",
    )
    note = fields.Char()

    @api.constrains("procedure_id", "next_procedure_id", "event", "step_id", "agency_id")
    def _check_link(self):
        for link in self:
            if link.next_procedure_id == link.procedure_id:
                raise ValidationError(self.env._("A procedure cannot be linked to itself."))
            if link.event == "step" and link.step_id.procedure_id != link.procedure_id:
                raise ValidationError(
                    self.env._(
                        "Choose the step of %(procedure)s after which %(next)s starts.",
                        procedure=link.procedure_id.display_name,
                        next=link.next_procedure_id.display_name,
                    )
                )
            agency = link._receiving_agency()
            if not agency or agency not in link.next_procedure_id.agency_ids:
                raise ValidationError(
                    self.env._(
                        "%(agency)s does not receive %(next)s: choose one of its receiving "
                        "agencies.",
                        agency=agency.display_name or self.env._("No agency"),
                        next=link.next_procedure_id.display_name,
                    )
                )

    def _receiving_agency(self):
        self.ensure_one()
        return self.agency_id or self.next_procedure_id.competent_agency_id
