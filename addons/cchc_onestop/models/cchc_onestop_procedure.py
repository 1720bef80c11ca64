from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from cchc_core.text import fold

ONLINE_MODES = [
    ("full", "Fully online"),
    ("partial", "Partly online"),
    ("none", "Not online"),
]
TIME_UNITS = [("day", "Working days"), ("hour", "Working hours")]
RESTART_MODES = [
    ("remaining", "Only the time left"),
    ("full", "The whole time again"),
]
# Step times are shares of the procedure's time: they must add up to it to the minute.
_TOLERANCE = 1e-6


class CchcOnestopProcedure(models.Model):
    """An administrative procedure of the catalogue, as the national database publishes it."""

    _name = "cchc.onestop.procedure"
    _description = "Administrative procedure"
    _inherit = ["mail.thread"]
    _order = "field_id, sequence, code, id"
    _rec_names_search = ["name", "code"]

    code = fields.Char(
        string="National code",
        index=True,
        copy=False,
        tracking=True,
        help="Mã thủ tục hành chính of the national database, e.g. 1.012756.",
    )
    name = fields.Char(required=True, tracking=True)
    name_key = fields.Char(compute="_compute_name_key", store=True, index=True)
    sequence = fields.Integer(default=10)
    field_id = fields.Many2one("cchc.onestop.field", index=True, ondelete="restrict", tracking=True)
    competent_agency_id = fields.Many2one(
        "cchc.agency",
        string="Competent agency",
        ondelete="restrict",
        tracking=True,
        help="The agency with the power to decide; it is always among the receiving agencies.",
    )
    agency_ids = fields.Many2many(
        "cchc.agency",
        "cchc_onestop_procedure_agency_rel",
        "procedure_id",
        "agency_id",
        string="Receiving agencies",
        help="The agencies whose one-stop desks receive this procedure: the competent agency "
        "and, for instance, the provincial public service centre or the commune desks.",
    )
    time_unit = fields.Selection(
        TIME_UNITS,
        string="Time counted in",
        tracking=True,
        help="Empty while the catalogue does not state the processing time: no dossier can be "
        "received for the procedure until it does.",
    )
    time_limit = fields.Float(
        string="Processing time",
        digits=(16, 2),
        tracking=True,
        help="In working days or working hours; 0 days is the same working day.",
    )
    time_text = fields.Char(
        string="Processing time as published",
        help="The phrase of the catalogue, kept verbatim: '15 ngày làm việc kể từ ngày nhận đủ "
        "hồ sơ hợp lệ'.",
    )
    fee_amount = fields.Float(string="Fees (VND)", digits=(16, 0))
    fee_text = fields.Char(string="Fees as published")
    online_mode = fields.Selection(
        ONLINE_MODES, string="Online service", required=True, default="none", tracking=True
    )
    postal_service = fields.Boolean(
        help="Dossiers can be sent and results returned through the public postal service."
    )
    supplement_restart = fields.Selection(
        RESTART_MODES,
        string="After a supplement",
        required=True,
        default="remaining",
        help="How the processing time runs again once a requested supplement arrives.",
    )
    legal_basis = fields.Text()
    note = fields.Text()
    document_ids = fields.One2many(
        "cchc.onestop.procedure.document", "procedure_id", string="Required documents", copy=True
    )
    step_ids = fields.One2many(
        "cchc.onestop.procedure.step", "procedure_id", string="Internal steps", copy=True
    )
    link_ids = fields.One2many(
        "cchc.onestop.procedure.link", "procedure_id", string="Linked procedures", copy=True
    )
    previous_link_ids = fields.One2many(
        "cchc.onestop.procedure.link", "next_procedure_id", string="Follows"
    )
    steps_total = fields.Float(compute="_compute_steps_total", string="Steps add up to")
    dossier_count = fields.Integer(compute="_compute_dossier_count")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "This national code is already in the catalogue."),
        ("time_limit_positive", "CHECK(time_limit >= 0)", "A processing time cannot be negative."),
    ]

    @api.depends("name")
    def _compute_name_key(self):
        for rec in self:
            rec.name_key = fold(rec.name)

    @api.depends("step_ids.time_limit")
    def _compute_steps_total(self):
        for rec in self:
            rec.steps_total = sum(rec.step_ids.mapped("time_limit"))

    def _compute_dossier_count(self):
        counts = dict(
            self.env["cchc.onestop.dossier"]._read_group(
                [("procedure_id", "in", self.ids)], ["procedure_id"], ["__count"]
            )
        )
        for rec in self:
            rec.dossier_count = counts.get(rec, 0)

    @api.constrains("step_ids", "time_limit", "time_unit")
    def _check_steps_add_up(self):
        for rec in self:
            if not rec.step_ids or not rec.time_unit:
                continue
            if abs(rec.steps_total - rec.time_limit) > _TOLERANCE:
                steps, limit = "%g" % rec.steps_total, "%g" % rec.time_limit
                raise ValidationError(
                    self.env._(
                        "The internal steps of %(procedure)s add up to %(steps)s %(unit)s but "
                        "its processing time is %(limit)s %(unit)s.",
                        procedure=rec.display_name,
                        steps=steps,
                        limit=limit,
                        unit=rec._unit_label(),
                    )
                )

    @api.constrains("link_ids")
    def _check_link_cycle(self):
        for rec in self:
            seen, todo = set(), [rec]
            while todo:
                current = todo.pop()
                for nxt in current.link_ids.next_procedure_id:
                    if nxt == rec:
                        raise ValidationError(
                            self.env._(
                                "The linked procedures of %(procedure)s lead back to it.",
                                procedure=rec.display_name,
                            )
                        )
                    if nxt.id not in seen:
                        seen.add(nxt.id)
                        todo.append(nxt)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._add_competent_agency()
        return records

    def write(self, vals):
        res = super().write(vals)
        if "competent_agency_id" in vals or "agency_ids" in vals:
            self._add_competent_agency()
        return res

    def action_view_dossiers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cchc_onestop.cchc_onestop_dossier_action"
        )
        action["domain"] = [("procedure_id", "=", self.id)]
        action["context"] = {"default_procedure_id": self.id}
        return action

    def _document_commands(self):
        """The procedure's checklist as new dossier document lines."""
        self.ensure_one()
        return [
            Command.create(
                {
                    "name": doc.name,
                    "required": doc.required,
                    "copies": doc.copies,
                    "procedure_document_id": doc.id,
                    "sequence": doc.sequence,
                }
            )
            for doc in self.document_ids.sorted("sequence")
        ]

    def _add_competent_agency(self):
        for rec in self:
            if rec.competent_agency_id and rec.competent_agency_id not in rec.agency_ids:
                rec.agency_ids = [Command.link(rec.competent_agency_id.id)]

    def _unit_label(self):
        self.ensure_one()
        if self.time_unit == "hour":
            return self.env._("working hours")
        return self.env._("working days")

    def _limit(self, amount=None):
        """``(days, hours)`` for cchc_core.onestop of the procedure's time (or of ``amount``)."""
        self.ensure_one()
        value = self.time_limit if amount is None else amount
        return (0.0, value) if self.time_unit == "hour" else (value, 0.0)

    def _day_equivalent(self, office_hours):
        """The processing time in working days (an hour limit as a share of the office day)."""
        self.ensure_one()
        if self.time_unit == "hour":
            return self.time_limit / office_hours
        return self.time_limit

    def _contribution(self, link, office_hours):
        """Working days this procedure takes before ``link`` starts the next one."""
        self.ensure_one()
        if link.event == "step" and link.step_id:
            steps = self.step_ids.sorted("sequence")
            upto = steps[: list(steps).index(link.step_id) + 1]
            total = sum(upto.mapped("time_limit"))
            return total / office_hours if self.time_unit == "hour" else total
        return self._day_equivalent(office_hours)

    def _chain_paths(self):
        """Every path of linked procedures from this one: lists of (procedure, link to next)."""
        self.ensure_one()
        paths = []

        def walk(procedure, path, seen):
            links = procedure.link_ids.filtered(lambda link: link.next_procedure_id.id not in seen)
            if not links:
                paths.append([*path, (procedure, None)])
                return
            for link in links:
                walk(
                    link.next_procedure_id,
                    [*path, (procedure, link)],
                    seen | {link.next_procedure_id.id},
                )

        walk(self, [], {self.id})
        return paths
