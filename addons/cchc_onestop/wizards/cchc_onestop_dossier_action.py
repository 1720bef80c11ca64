from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.cchc_onestop_dossier import RESULTS

ACTION_KINDS = [
    ("refuse", "Refuse at receipt"),
    ("supplement", "Request a supplement"),
    ("resolve", "Record the result"),
    ("apology", "Issue an apology letter"),
    ("stop", "Stop processing"),
    ("withdraw", "Withdraw at the applicant's request"),
    ("rate", "Record the applicant's rating"),
]
RATINGS = [
    ("1", "1 - Very dissatisfied"),
    ("2", "2 - Dissatisfied"),
    ("3", "3 - Acceptable"),
    ("4", "4 - Satisfied"),
    ("5", "5 - Very satisfied"),
]
# What only the one-stop desk does (the buttons are the desk's too).
DESK_KINDS = ("refuse", "withdraw", "rate")
# The printed form that goes with each transition, when there is one.
FORMS = {
    "refuse": "cchc_onestop.action_report_refusal",
    "supplement": "cchc_onestop.action_report_supplement",
    "apology": "cchc_onestop.action_report_apology",
    "stop": "cchc_onestop.action_report_stop",
}


class CchcOnestopDossierAction(models.TransientModel):
    """The dialog of a dossier transition that needs a reason, a result or a date."""

    _name = "cchc.onestop.dossier.action"
    _description = "Dossier transition"

    dossier_id = fields.Many2one("cchc.onestop.dossier", required=True, ondelete="cascade")
    kind = fields.Selection(ACTION_KINDS, required=True)
    reason = fields.Text()
    documents = fields.Text(string="Documents to supplement")
    result = fields.Selection(RESULTS)
    result_note = fields.Char(string="Result document")
    new_date = fields.Date(string="New appointment date")
    agency_id = fields.Many2one(
        "cchc.agency",
        string="Apologising agency",
        help="Empty: the agency named as late, else the agency of the current step.",
    )
    rating = fields.Selection(RATINGS)
    comment = fields.Text()
    print_form = fields.Boolean(string="Print the form", default=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        dossier = self.env["cchc.onestop.dossier"].browse(values.get("dossier_id"))
        if dossier and values.get("kind") == "apology" and "agency_id" in fields_list:
            values["agency_id"] = (
                dossier.delay_agency_ids[:1] or dossier.current_agency_id or dossier.agency_id
            ).id
        return values

    def action_confirm(self):
        self.ensure_one()
        dossier = self.dossier_id
        # The dialog acts as its user on a dossier that user may change; each transition
        # checks the user's role itself.
        dossier.check_access("write")
        kind = self.kind
        if kind in DESK_KINDS:
            dossier._check_desk()
        if kind == "refuse":
            dossier._refuse_at_receipt(self.reason)
        elif kind == "supplement":
            dossier._request_supplement(self.reason, self.documents)
        elif kind == "resolve":
            dossier._resolve(self.result, self.result_note)
        elif kind == "apology":
            if not self.new_date:
                raise UserError(self.env._("Give the new appointment date."))
            dossier._apologise(self.reason, self.new_date, self.agency_id)
        elif kind in ("stop", "withdraw"):
            dossier._close("stopped" if kind == "stop" else "withdrawn", self.reason)
        elif kind == "rate":
            if not self.rating:
                raise UserError(self.env._("Choose a rating from 1 to 5."))
            dossier._rate(int(self.rating), self.comment)
        if self.print_form and kind in FORMS:
            return self.env.ref(FORMS[kind]).report_action(dossier)
        return {"type": "ir.actions.act_window_close"}
