from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.cchc_base.tools.protect import is_unlocked, unlocked
from odoo.addons.cchc_base.tools.province_lang import province_lang
from odoo.addons.cchc_base.tools.refs import data_record
from odoo.addons.cchc_base.tools.translate import translate

from cchc_core.onestop import (
    ChainStep,
    OneStopError,
    appointment,
    chain_appointment,
    chain_delays,
    dossier_code,
    effective_receipt,
    resume_after_supplement,
    step_deadlines,
    time_left,
    timeliness,
)
from cchc_core.text import fold

from ..tools.onestop_clock import OnestopClock
from ..tools.onestop_messages import ONESTOP_TERMS, user_errors
from .cchc_onestop_applicant import APPLICANT_KINDS, PERSONAL_FIELDS
from .cchc_onestop_procedure import ONLINE_MODES, TIME_UNITS

STATES = [
    ("draft", "New"),
    ("received", "Received"),
    ("processing", "Processing"),
    ("supplement", "Supplement requested"),
    ("resolved", "Resolved"),
    ("returned", "Returned"),
    ("refused", "Refused at receipt"),
    ("stopped", "Stopped"),
    ("withdrawn", "Withdrawn"),
]
# The clock runs in these states; in "supplement" it is stopped.
RUNNING_STATES = ("received", "processing")
OPEN_STATES = (*RUNNING_STATES, "supplement")
DONE_STATES = ("resolved", "returned")
CHANNELS = [("desk", "At the desk"), ("online", "Online"), ("postal", "By post")]
RESULTS = [("approved", "Approved"), ("denied", "Refused")]
TIMELINESS = [("early", "Early"), ("on_time", "On time"), ("late", "Late")]
# Shown instead of personal data to those who do not handle the dossier.
MASK = "••••••"
# What the receipt, the clock and the transitions write: the indicators are measured from
# these, so nobody types them in. The applicant link is fixed at receipt: pointing a dossier at
# another applicant would open that citizen's personal data to the dossier's desk.
PROTECTED_FIELDS = frozenset(
    {
        "name",
        "state",
        "applicant_id",
        "received_by_id",
        "received_datetime",
        "effective_received_datetime",
        "received_date",
        "appointment_datetime",
        "appointment_date",
        "first_appointment_datetime",
        "time_unit",
        "time_limit",
        "online_mode",
        "clock_start_datetime",
        "clock_left",
        "is_overdue",
        "resolved_datetime",
        "resolved_date",
        "returned_datetime",
        "result",
        "timeliness",
        "processing_days",
        "refusal_reason",
        "stop_reason",
        "withdraw_reason",
        "closed_datetime",
        "rating",
        "rating_comment",
        "rated_date",
        "previous_dossier_id",
        "link_id",
        "chain_root_id",
        "chain_appointment_datetime",
    }
)
# Fixed once the dossier is received.
FIXED_AFTER_RECEIPT = frozenset({"procedure_id", "agency_id", "channel", "applicant_kind"})


def _two_digits(value, *names):
    """``{name: "07"}`` of the date or time parts of ``value``, as the forms write them."""
    return {name: "%02d" % getattr(value, name) for name in names}


class CchcOnestopDossier(models.Model):
    """A dossier received at the one-stop desk (hồ sơ thủ tục hành chính).

    Received at the desk of ``agency_id`` for ``procedure_id``: the receipt gives it its code
    and its appointment by the working calendar (cchc_core.onestop), and creates its internal
    steps, each with a deadline, an agency and a handler. States: new → received → processing
    (→ supplement requested, the clock stopped → processing) → resolved → returned; or refused
    at receipt, stopped, withdrawn. States change only through the ``action_*`` methods.
    """

    _name = "cchc.onestop.dossier"
    _description = "Dossier"
    _inherit = ["mail.thread", "mail.activity.mixin", "cchc.protected.mixin"]
    _order = "received_datetime desc, id desc"
    _rec_names_search = ["name", "applicant_name"]
    _cchc_protected_fields = PROTECTED_FIELDS

    name = fields.Char(
        string="Dossier code", readonly=True, copy=False, index="btree_not_null", tracking=True
    )
    agency_id = fields.Many2one(
        "cchc.agency",
        string="Receiving agency",
        required=True,
        index=True,
        ondelete="restrict",
        default=lambda self: self.env.user.cchc_agency_id,
        tracking=True,
    )
    procedure_id = fields.Many2one(
        "cchc.onestop.procedure",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    # The stored computed fields are precomputed: in the dossier's INSERT, not in an UPDATE
    # right after it (a desk creates hundreds of dossiers a day).
    field_id = fields.Many2one(
        related="procedure_id.field_id", store=True, index=True, precompute=True
    )
    procedure_code = fields.Char(related="procedure_id.code", string="Procedure code")
    state = fields.Selection(
        STATES, required=True, default="draft", readonly=True, index=True, tracking=True
    )
    channel = fields.Selection(
        CHANNELS, required=True, default="desk", string="Received", tracking=True
    )
    received_by_id = fields.Many2one(
        "res.users", string="Received by", readonly=True, default=lambda self: self.env.user
    )
    # Applicant: the name is not personal data in the sense of the register; the rest is kept
    # in cchc.onestop.applicant, readable only by the desk and the handlers.
    applicant_kind = fields.Selection(
        APPLICANT_KINDS, string="Applicant is a", required=True, default="person"
    )
    applicant_name = fields.Char(string="Applicant", required=True, tracking=True)
    applicant_id = fields.Many2one(
        "cchc.onestop.applicant",
        string="Personal data",
        readonly=True,
        copy=False,
        index=True,
        ondelete="restrict",
    )
    # A new dossier's applicant is typed in by the user: readable until saved (the onchange of
    # a new record takes the default, it does not compute).
    applicant_can_read = fields.Boolean(compute="_compute_applicant_can_read", default=True)
    applicant_id_number = fields.Char(
        string="Identity number",
        compute="_compute_applicant_id_number",
        inverse="_inverse_applicant_data",
        search="_search_applicant_id_number",
        help="Citizen identity number (CCCD) of a person, tax code of a business.",
    )
    applicant_birth_date = fields.Date(
        string="Date of birth",
        compute="_compute_applicant_birth_date",
        inverse="_inverse_applicant_data",
    )
    applicant_phone = fields.Char(
        string="Phone",
        compute="_compute_applicant_phone",
        inverse="_inverse_applicant_data",
    )
    applicant_email = fields.Char(
        string="Email",
        compute="_compute_applicant_email",
        inverse="_inverse_applicant_data",
    )
    applicant_address = fields.Char(
        string="Address",
        compute="_compute_applicant_address",
        inverse="_inverse_applicant_data",
    )
    applicant_representative = fields.Char(
        string="Representative",
        compute="_compute_applicant_representative",
        inverse="_inverse_applicant_data",
    )
    # Times. Datetimes are UTC as Odoo stores them; the *_date fields are local (Vietnam) days.
    received_datetime = fields.Datetime(
        string="Received at",
        readonly=True,
        copy=False,
        help="When the desk (or the online portal) received the dossier: set by the system at "
        "receipt.",
    )
    effective_received_datetime = fields.Datetime(
        string="Counted from",
        readonly=True,
        copy=False,
        help="The receipt inside office hours: after hours or on a day off it is the start of "
        "the next working period.",
    )
    received_date = fields.Date(readonly=True, copy=False, index=True)
    appointment_datetime = fields.Datetime(
        string="Appointment", readonly=True, copy=False, index=True, tracking=True
    )
    appointment_date = fields.Date(readonly=True, copy=False)
    first_appointment_datetime = fields.Datetime(
        string="Appointment on the receipt", readonly=True, copy=False
    )
    promised_date = fields.Date(
        string="New date promised",
        compute="_compute_promised_date",
        store=True,
        precompute=True,
        help="The new date of the latest apology letter.",
    )
    time_unit = fields.Selection(TIME_UNITS, readonly=True, copy=False)
    time_limit = fields.Float(string="Processing time", readonly=True, copy=False)
    online_mode = fields.Selection(ONLINE_MODES, string="Online service", readonly=True)
    # The clock since its last (re)start: a supplement stops it and restarts it with what is
    # left (cchc_core.onestop.time_left), so a dossier stopped twice keeps one clock.
    clock_start_datetime = fields.Datetime(readonly=True, copy=False)
    clock_left = fields.Float(readonly=True, copy=False)
    document_ids = fields.One2many(
        "cchc.onestop.dossier.document", "dossier_id", string="Documents", copy=True
    )
    missing_document_count = fields.Integer(compute="_compute_missing_document_count")
    is_digitised = fields.Boolean(
        string="Digitised",
        compute="_compute_is_digitised",
        store=True,
        precompute=True,
        help="Every document provided has its electronic copy and, once resolved, so has the "
        "result.",
    )
    step_ids = fields.One2many("cchc.onestop.dossier.step", "dossier_id", string="Steps")
    current_step_id = fields.Many2one(
        "cchc.onestop.dossier.step",
        string="Current step",
        compute="_compute_current_step",
        store=True,
        precompute=True,
        index="btree_not_null",
    )
    current_handler_id = fields.Many2one(
        related="current_step_id.handler_id",
        store=True,
        precompute=True,
        string="Handler",
        index="btree_not_null",
    )
    current_agency_id = fields.Many2one(
        related="current_step_id.agency_id", store=True, precompute=True, string="At agency"
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        readonly=True,
        copy=False,
        default=False,
        help="Open and past its appointment (set at receipt and by the hourly overdue scan).",
    )
    is_past_due = fields.Boolean(
        string="Past the appointment",
        compute="_compute_is_past_due",
        search="_search_is_past_due",
        help="Being processed and past its appointment now, whether or not the overdue scan "
        "has run since.",
    )
    delay_agency_ids = fields.Many2many(
        "cchc.agency",
        string="Delayed by",
        compute="_compute_delays",
        compute_sudo=True,
        help="The agencies whose steps ran (or are running) late, in this dossier and in the "
        "chain of linked dossiers it belongs to.",
    )
    delay_summary = fields.Text(string="Delays", compute="_compute_delays", compute_sudo=True)
    # Supplements, apology letters, result.
    supplement_ids = fields.One2many(
        "cchc.onestop.supplement", "dossier_id", string="Supplement requests"
    )
    apology_ids = fields.One2many("cchc.onestop.apology", "dossier_id", string="Apology letters")
    resolved_datetime = fields.Datetime(string="Resolved at", readonly=True, copy=False)
    resolved_date = fields.Date(readonly=True, copy=False, index=True)
    returned_datetime = fields.Datetime(string="Returned at", readonly=True, copy=False)
    result = fields.Selection(RESULTS, readonly=True, copy=False, tracking=True)
    result_note = fields.Char(
        string="Result document",
        copy=False,
        help="What is returned: 'Giấy chứng nhận số …', or the reasons of a refusal.",
    )
    result_attachment_ids = fields.Many2many(
        "ir.attachment",
        "cchc_onestop_dossier_result_attachment_rel",
        "dossier_id",
        "attachment_id",
        string="Result files",
        copy=False,
    )
    timeliness = fields.Selection(TIMELINESS, readonly=True, copy=False, index=True)
    processing_days = fields.Float(
        string="Processing days",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Working days from the receipt to the resolution.",
    )
    refusal_reason = fields.Text(readonly=True, copy=False)
    stop_reason = fields.Text(readonly=True, copy=False)
    withdraw_reason = fields.Text(string="Withdrawal reason", readonly=True, copy=False)
    closed_datetime = fields.Datetime(
        string="Closed at",
        readonly=True,
        copy=False,
        help="When it was refused, stopped or withdrawn.",
    )
    rating = fields.Integer(
        string="Satisfaction", readonly=True, copy=False, aggregator="avg", help="1 to 5."
    )
    rating_comment = fields.Text(string="Comment", readonly=True, copy=False)
    rated_date = fields.Date(readonly=True, copy=False)
    # Linked procedures (liên thông).
    previous_dossier_id = fields.Many2one(
        "cchc.onestop.dossier",
        string="Started by",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )
    next_dossier_ids = fields.One2many(
        "cchc.onestop.dossier", "previous_dossier_id", string="Started dossiers", readonly=True
    )
    link_id = fields.Many2one("cchc.onestop.procedure.link", readonly=True, copy=False)
    chain_root_id = fields.Many2one(
        "cchc.onestop.dossier",
        string="First dossier of the chain",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    chain_appointment_datetime = fields.Datetime(
        string="Appointment of the whole chain",
        readonly=True,
        copy=False,
        help="The steps' limits of every linked procedure added from the first receipt.",
    )
    chain_root_appointment_datetime = fields.Datetime(
        related="chain_root_id.chain_appointment_datetime",
        string="Appointment of the chain",
        help="The appointment of the whole chain of linked procedures, given at the first receipt.",
    )
    chain_dossier_ids = fields.Many2many(
        "cchc.onestop.dossier",
        string="Chain",
        compute="_compute_chain_dossier_ids",
        help="The dossiers of the chain of linked procedures, in the order they were started "
        "(those you may open).",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_unique", "UNIQUE(name)", "This dossier code is already used."),
        (
            "rating_range",
            "CHECK(rating IS NULL OR rating = 0 OR rating BETWEEN 1 AND 5)",
            "A satisfaction rating is 1 to 5.",
        ),
    ]

    def init(self):
        table = self._table
        # The indicators of one agency for a period, and the dashboard.
        tools.create_index(
            self.env.cr,
            f"{table}_agency_received_idx",
            table,
            ["agency_id", "received_date"],
        )
        tools.create_index(
            self.env.cr,
            f"{table}_agency_resolved_idx",
            table,
            ["agency_id", "resolved_date"],
            where="resolved_date IS NOT NULL",
        )
        tools.create_index(
            self.env.cr,
            f"{table}_agency_rated_idx",
            table,
            ["agency_id", "rated_date"],
            where="rated_date IS NOT NULL",
        )
        # The overdue scan reads only the open dossiers not yet marked.
        tools.create_index(
            self.env.cr,
            f"{table}_overdue_scan_idx",
            table,
            ["appointment_datetime"],
            where="state IN ('received', 'processing') AND NOT is_overdue",
        )

    # ---------------------------------------------------------------- compute

    def _compute_display_name(self):
        for dossier in self:
            dossier.display_name = dossier.name or self.env._("New dossier")

    @api.depends("applicant_id")
    @api.depends_context("uid")
    def _compute_applicant_can_read(self):
        readable = self.applicant_id._filtered_access("read")
        for dossier in self:
            dossier.applicant_can_read = (
                not dossier.applicant_id or dossier.applicant_id in readable
            )

    # One compute per personal field: in a form's onchange a shared compute would run for the
    # one field the client did not send and put the stored values back over what the user
    # typed in the others.
    @api.depends("applicant_id")
    @api.depends_context("uid")
    def _compute_applicant_id_number(self):
        self._compute_personal("id_number")

    @api.depends("applicant_id")
    @api.depends_context("uid")
    def _compute_applicant_birth_date(self):
        self._compute_personal("birth_date")

    @api.depends("applicant_id")
    @api.depends_context("uid")
    def _compute_applicant_phone(self):
        self._compute_personal("phone")

    @api.depends("applicant_id")
    @api.depends_context("uid")
    def _compute_applicant_email(self):
        self._compute_personal("email")

    @api.depends("applicant_id")
    @api.depends_context("uid")
    def _compute_applicant_address(self):
        self._compute_personal("address")

    @api.depends("applicant_id")
    @api.depends_context("uid")
    def _compute_applicant_representative(self):
        self._compute_personal("representative")

    def _compute_personal(self, name):
        """The applicant's ``name`` for those who may read it, masked for the others."""
        masked = False if name == "birth_date" else MASK
        for dossier in self:
            applicant = dossier.applicant_id
            if not applicant:
                value = False
            # Computed once for the batch and the user, whichever of the six fields asks
            # first (the record rules are evaluated once per form, not six times).
            elif dossier.applicant_can_read:
                value = applicant[name]
            else:
                value = masked
            dossier[f"applicant_{name}"] = value

    def _inverse_applicant_data(self):
        for dossier in self:
            vals = {
                name: dossier[f"applicant_{name}"]
                for name in PERSONAL_FIELDS
                if dossier[f"applicant_{name}"] != MASK
            }
            if dossier.applicant_id:
                # As the user: the applicant's record rules decide who may change it.
                dossier.applicant_id.write(vals)
            else:
                applicant = self.env["cchc.onestop.applicant"].sudo().create(vals)
                with unlocked(self):
                    dossier.applicant_id = applicant

    def _search_applicant_id_number(self, operator, value):
        # The applicant's record rules apply: a user finds only the applicants they may read.
        applicants = self.env["cchc.onestop.applicant"]._search([("id_number", operator, value)])
        return [("applicant_id", "in", applicants)]

    @api.depends("state", "appointment_datetime")
    def _compute_is_past_due(self):
        now = fields.Datetime.now()
        for dossier in self:
            dossier.is_past_due = bool(
                dossier.state in RUNNING_STATES
                and dossier.appointment_datetime
                and dossier.appointment_datetime < now
            )

    def _search_is_past_due(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search dossiers past their appointment with = or !=."))
        now = fields.Datetime.now()
        if (operator == "=") == value:
            return [("state", "in", RUNNING_STATES), ("appointment_datetime", "<", now)]
        return [
            "|",
            "|",
            ("state", "not in", RUNNING_STATES),
            ("appointment_datetime", "=", False),
            ("appointment_datetime", ">=", now),
        ]

    @api.depends("apology_ids.new_date")
    def _compute_promised_date(self):
        for dossier in self:
            dates = dossier.apology_ids.mapped("new_date")
            dossier.promised_date = max(dates) if dates else False

    @api.depends("document_ids.required", "document_ids.provided")
    def _compute_missing_document_count(self):
        for dossier in self:
            dossier.missing_document_count = len(
                dossier.document_ids.filtered(lambda d: d.required and not d.provided)
            )

    @api.depends(
        "document_ids.provided", "document_ids.digitised", "state", "result_attachment_ids"
    )
    def _compute_is_digitised(self):
        for dossier in self:
            provided = dossier.document_ids.filtered("provided")
            documents = bool(provided) and all(provided.mapped("digitised"))
            result = dossier.state not in DONE_STATES or bool(dossier.result_attachment_ids)
            dossier.is_digitised = documents and result

    @api.depends("step_ids.state", "step_ids.sequence")
    def _compute_current_step(self):
        for dossier in self:
            current = dossier.step_ids.filtered(lambda s: s.state in ("in_progress", "paused"))
            dossier.current_step_id = current.sorted("sequence")[:1]

    def _compute_delays(self):
        clock = self._clock() if self else None
        for dossier in self:
            steps = dossier._chain_steps()
            # A step waiting for a supplement or not started yet is not late; the others are
            # judged at their end, or now.
            judged = steps.filtered(
                lambda s: (
                    s.deadline
                    and s.started_datetime
                    and (s.state == "done" or s.state == "in_progress")
                )
            )
            late = chain_delays(
                [
                    ChainStep(
                        key=step,
                        agency=step.agency_id,
                        days=0,
                        started=clock.local(step.started_datetime),
                        finished=clock.local(step.done_datetime),
                        due=clock.local(step.deadline),
                    )
                    for step in judged
                ],
                calendar=clock.calendar,
                office=clock.office,
                now=clock.now_local(),
            )
            agencies = self.env["cchc.agency"]
            for _step, agency, _days in late:
                agencies |= agency
            dossier.delay_agency_ids = agencies
            dossier.delay_summary = (
                "\n".join(
                    self.env._(
                        "%(agency)s: %(days)s working day(s) late at step '%(step)s' of %(code)s",
                        agency=step.agency_id.display_name,
                        days=days,
                        step=step.name,
                        code=step.dossier_id.display_name,
                    )
                    for step, _agency, days in late
                )
                or False
            )

    @api.depends("chain_root_id")
    @api.depends_context("uid")
    def _compute_chain_dossier_ids(self):
        # As the user: the list opens the dossiers, so it holds those the user may read.
        for dossier in self:
            dossier.chain_dossier_ids = (
                dossier._chain_members() if dossier.chain_root_id else self.browse()
            )

    # ---------------------------------------------------------------- constraints

    @api.constrains("procedure_id", "agency_id")
    def _check_procedure_agency(self):
        for dossier in self:
            if dossier.agency_id not in dossier.procedure_id.agency_ids:
                raise ValidationError(
                    self.env._(
                        "%(agency)s does not receive dossiers of %(procedure)s.",
                        agency=dossier.agency_id.display_name,
                        procedure=dossier.procedure_id.display_name,
                    )
                )

    @api.constrains("rating", "state")
    def _check_rating(self):
        for dossier in self:
            if dossier.rating and dossier.state != "returned":
                raise ValidationError(
                    self.env._("A dossier is rated only after its result has been returned.")
                )

    # ---------------------------------------------------------------- onchange

    @api.onchange("procedure_id")
    def _onchange_procedure_id(self):
        if self.state == "draft" and self.procedure_id:
            self.document_ids = [Command.clear()] + self.procedure_id._document_commands()

    # ---------------------------------------------------------------- CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not is_unlocked(self):
            # The client's own values: the applicant link, the code, the times and the state
            # are the receipt's (the mixin would see the applicant link set below).
            for vals in vals_list:
                self._cchc_check_create(self._cchc_with_client_defaults(vals))
        Procedure = self.env["cchc.onestop.procedure"]
        personal = []
        for vals in vals_list:
            personal.append(
                {
                    name: vals.pop(f"applicant_{name}")
                    for name in PERSONAL_FIELDS
                    if f"applicant_{name}" in vals
                }
            )
            if not vals.get("document_ids") and vals.get("procedure_id"):
                vals["document_ids"] = Procedure.browse(vals["procedure_id"])._document_commands()
        # The applicant's record cannot pass its record rules before its dossier exists; the
        # dossier's own create below is checked for the user, and a refusal takes the
        # applicants back with it.
        with self.env.cr.savepoint():
            applicants = self.env["cchc.onestop.applicant"].sudo().create(personal)
            for vals, applicant in zip(vals_list, applicants, strict=True):
                vals["applicant_id"] = applicant.id
            # No "created" note and no follower per dossier: a desk creates hundreds a day and
            # the receipt logs its own line; following is for those who ask (or handle a step).
            quiet = self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            with unlocked(self):
                dossiers = super(CchcOnestopDossier, quiet).create(vals_list).with_env(self.env)
        for dossier in dossiers:
            dossier._adopt(dossier.result_attachment_ids)
        return dossiers

    def write(self, vals):
        if not is_unlocked(self):
            fixed = FIXED_AFTER_RECEIPT & set(vals)
            if fixed and self.filtered(lambda d: d.state != "draft"):
                raise AccessError(
                    self.env._(
                        "The procedure, the agency, the channel and the applicant's kind of a "
                        "received dossier cannot change."
                    )
                )
        res = super().write(vals)
        if "result_attachment_ids" in vals:
            for dossier in self:
                dossier._adopt(dossier.result_attachment_ids)
        return res

    def _cchc_protection_hint(self):
        return self.env._(
            "The code, the state, the times, the result and the applicant of a dossier are set "
            "by the system at receipt and by the dossier's buttons, each checking who presses "
            "it."
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_received(self):
        if self.filtered(lambda d: d.state != "draft"):
            raise UserError(
                self.env._("Only a dossier not yet received can be deleted; close it instead.")
            )

    def _adopt(self, attachments):
        """Make the user's loose uploads (no owner record) attachments of this dossier."""
        if not self:
            return
        self.ensure_one()
        loose = attachments.sudo().filtered(
            lambda a: not a.res_id and not a.res_field and a.create_uid.id == self.env.uid
        )
        if loose:
            loose.write({"res_model": self._name, "res_id": self.id})

    def unlink(self):
        applicants = self.applicant_id
        res = super().unlink()
        applicants.sudo().unlink()
        return res

    # ---------------------------------------------------------------- actions

    def action_receive(self):
        """Receive at the desk: code, appointment, steps; print the receipt slip."""
        self._check_desk()
        self._receive()
        if len(self) == 1:
            return data_record(self.env, "cchc_onestop.action_report_receipt").report_action(self)
        return True

    def action_open_wizard(self):
        """Open the dialog of a transition that needs a reason or a result."""
        self.ensure_one()
        kind = self.env.context.get("cchc_onestop_action")
        return {
            "type": "ir.actions.act_window",
            "name": dict(
                self.env["cchc.onestop.dossier.action"]
                ._fields["kind"]
                ._description_selection(self.env)
            ).get(kind),
            "res_model": "cchc.onestop.dossier.action",
            "view_mode": "form",
            "target": "new",
            "context": {"default_dossier_id": self.id, "default_kind": kind},
        }

    def action_supplement_received(self):
        self.ensure_one()
        self._check_actor()
        self._resume_after_supplement()
        return True

    def action_return(self):
        self.ensure_one()
        self._check_desk()
        self._return()
        return True

    def action_view_chain(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Linked dossiers"),
            "res_model": self._name,
            "view_mode": "list,form",
            "domain": [("id", "in", self._chain_members().ids)],
        }

    # ---------------------------------------------------------------- receipt

    def _receive(self, skip_document_check=False, at=None):
        """Receive the dossiers in one batch (one clock, one counter query per agency and day).

        The time of receipt is the system's: now, or ``at`` given by server code (a linked
        procedure started when the previous one reached its step, the demo's history). The
        code carries the local day of that receipt, which is also the dossier's receipt date;
        the clock counts from the receipt inside office hours.
        """
        if not self:
            return self
        self.check_access("write")
        if self.filtered(lambda d: d.state != "draft"):
            raise UserError(self.env._("Only a new dossier can be received."))
        self._check_receivable(skip_document_check)
        clock = self._clock()
        now = fields.Datetime.now()
        effective, groups = {}, defaultdict(list)
        for dossier in self:
            received = at or now
            if received > now + timedelta(minutes=5):
                raise UserError(
                    self.env._(
                        "%(dossier)s: the time of receipt is in the future.",
                        dossier=dossier.applicant_name,
                    )
                )
            with user_errors(self.env):
                moment = effective_receipt(clock.local(received), clock.calendar, clock.office)
            effective[dossier.id] = (received, moment)
            groups[(dossier.agency_id, clock.local_date(received))].append(dossier)
        # The procedures' steps for the batch in one query (procedure.step_ids takes two: the
        # ids, then the fields).
        Template = self.env["cchc.onestop.procedure.step"].sudo()
        templates = defaultdict(Template.browse)
        for template in Template.search_fetch(
            [("procedure_id", "in", self.procedure_id.ids)],
            ["procedure_id", "sequence", "name", "agency_id", "unit", "handler_id", "time_limit"],
        ):
            templates[template.procedure_id.id] |= template
        step_vals = []
        for dossier in self.sudo():
            procedure = dossier.procedure_id
            received, moment = effective[dossier.id]
            days, hours = procedure._limit()
            with user_errors(self.env):
                due = appointment(moment, days, hours, calendar=clock.calendar, office=clock.office)
            vals = {
                "received_datetime": received,
                "received_by_id": self.env.uid,
                "effective_received_datetime": clock.utc(moment),
                "received_date": clock.local_date(received),
                "appointment_datetime": clock.utc(due),
                "appointment_date": due.date(),
                "first_appointment_datetime": clock.utc(due),
                "time_unit": procedure.time_unit,
                "time_limit": procedure.time_limit,
                "online_mode": procedure.online_mode,
                "clock_start_datetime": clock.utc(moment),
                "clock_left": procedure.time_limit,
                "state": "received",
                # A receipt recorded after the fact may already be past its appointment.
                "is_overdue": clock.utc(due) < now,
                **dossier._receipt_vals(),
            }
            if procedure.link_ids and not dossier.chain_root_id:
                vals["chain_root_id"] = dossier.id
                vals["chain_appointment_datetime"] = clock.utc(
                    dossier._planned_chain_appointment(moment, clock)
                )
            # Not tracked field by field: one line per dossier is logged below for the batch
            # (the tracking messages were ~40% of receiving 10,000 dossiers).
            with unlocked(self):
                dossier.with_context(mail_notrack=True).write(vals)
            step_vals += dossier._step_vals(moment, clock, templates[procedure.id])
        Step = self.env["cchc.onestop.dossier.step"]
        with unlocked(Step):
            steps = Step.sudo().create(step_vals)
        firsts = steps.filtered(lambda s: s.sequence == 1)
        # The first step starts when the desk hands the dossier on (its deadline counts from
        # the receipt inside office hours), so it can never end before it started.
        firsts._start({s.id: effective[s.dossier_id.id][0] for s in firsts}, schedule=False)
        # The numbers last: a concurrent receipt of the same agency waits for this transaction
        # from here to its commit (cchc.onestop.counter), not for the whole receipt. The
        # handlers' to-dos and the log line carry the code, so they come after.
        Counter = self.env["cchc.onestop.counter"].sudo()
        for (agency, day), dossiers in groups.items():
            first = Counter._reserve(agency.id, day, len(dossiers))
            for offset, dossier in enumerate(dossiers):
                with unlocked(self):
                    dossier.sudo().with_context(mail_notrack=True).write(
                        {"name": self._code(agency, day, first + offset)}
                    )
        firsts._schedule_activities()
        self._message_log_batch(
            bodies={
                dossier.id: Markup("%s")
                % self.env._(
                    "Received as %(code)s by %(user)s; appointment %(appointment)s.",
                    code=dossier.name,
                    user=self.env.user.name,
                    appointment=dossier._format_moment(dossier.appointment_datetime, clock),
                )
                for dossier in self
            }
        )
        return self

    def _receipt_vals(self):
        """What other modules write at receipt, in the receipt's own UPDATE (the dossier is
        unlocked and in sudo there)."""
        self.ensure_one()
        return {}

    def _check_receivable(self, skip_document_check=False):
        for dossier in self:
            procedure = dossier.procedure_id
            dossier._check_procedure_agency()
            if not procedure.active:
                raise UserError(
                    self.env._(
                        "%(procedure)s is no longer in the catalogue.",
                        procedure=procedure.display_name,
                    )
                )
            if not procedure.time_unit:
                raise UserError(
                    self.env._(
                        "The catalogue does not give the processing time of %(procedure)s: "
                        "set it before receiving dossiers.",
                        procedure=procedure.display_name,
                    )
                )
            if not dossier.agency_id.identifier:
                raise UserError(
                    self.env._(
                        "%(agency)s has no electronic identifier: the dossier code is made "
                        "from it.",
                        agency=dossier.agency_id.display_name,
                    )
                )
            if skip_document_check:
                continue
            missing = dossier._missing_documents()
            if missing:
                raise UserError(
                    self.env._(
                        "The dossier of %(applicant)s lacks required documents: %(documents)s. "
                        "Receive it once they are provided.",
                        applicant=dossier.applicant_name,
                        documents="; ".join(missing),
                    )
                )

    def _missing_documents(self):
        """Names of the required documents not provided: the procedure decides what is
        required, whatever the checklist lines say."""
        self.ensure_one()
        provided = self.document_ids.filtered("provided")
        ids = set(provided.procedure_document_id.ids)
        names = {fold(line.name) for line in provided}
        missing = [
            template.name
            for template in self.procedure_id.document_ids.filtered("required").sorted("sequence")
            if template.id not in ids and fold(template.name) not in names
        ]
        missing += [
            line.name
            for line in self.document_ids.filtered(lambda d: d.required and not d.provided)
            if line.name not in missing
        ]
        return missing

    def _code(self, agency, day, number):
        try:
            return dossier_code(agency.identifier, day, number)
        except OneStopError as exc:
            raise UserError(
                self.env._(
                    "No dossier code can be given: %(reason)s",
                    reason=translate(self.env, exc.args[0], "cchc_onestop", terms=ONESTOP_TERMS),
                )
            ) from exc

    def _step_vals(self, start, clock, templates=None):
        """Values of the dossier's steps from its procedure (``templates``: its steps, when the
        caller has read them), deadlines counted from ``start``."""
        self.ensure_one()
        procedure = self.procedure_id
        if templates is None:
            templates = procedure.step_ids
        templates = templates.sorted("sequence")
        if templates:
            amounts = templates.mapped("time_limit")
            # A step without an agency is the competent agency's (the desk may be a public
            # service centre that only receives). A default handler who does not work there
            # is not given the applicant's data: the agency's leaders assign the step.
            default_agency = procedure.competent_agency_id or self.agency_id
            rows = []
            for t in templates:
                agency = t.agency_id or default_agency
                handler = t.handler_id.sudo()
                at_agency = (handler.cchc_agency_id.parent_path or "").startswith(
                    agency.parent_path or "-"
                )
                rows.append(
                    {
                        "name": t.name,
                        "agency_id": agency.id,
                        "unit": t.unit,
                        "handler_id": handler.id if at_agency else False,
                        "time_limit": t.time_limit,
                        "procedure_step_id": t.id,
                    }
                )
        else:
            amounts = [procedure.time_limit]
            rows = [
                {
                    "name": self.env._("Processing the dossier"),
                    "agency_id": (procedure.competent_agency_id or self.agency_id).id,
                    "time_limit": procedure.time_limit,
                }
            ]
        with user_errors(self.env):
            deadlines = step_deadlines(
                start,
                amounts,
                calendar=clock.calendar,
                office=clock.office,
                hours=procedure.time_unit == "hour",
            )
        return [
            dict(row, dossier_id=self.id, sequence=index + 1, deadline=clock.utc(deadline))
            for index, (row, deadline) in enumerate(zip(rows, deadlines, strict=True))
        ]

    def _planned_chain_appointment(self, start, clock):
        """The appointment of the whole chain of linked procedures, longest path first."""
        self.ensure_one()
        latest = None
        for path in self.procedure_id._chain_paths():
            steps = [
                ChainStep(
                    key=procedure.id,
                    agency=procedure.competent_agency_id.id,
                    days=procedure._contribution(link, clock.day_hours)
                    if link
                    else procedure._day_equivalent(clock.day_hours),
                )
                for procedure, link in path
            ]
            with user_errors(self.env):
                due = chain_appointment(start, steps, calendar=clock.calendar, office=clock.office)
            latest = due if latest is None else max(latest, due)
        return latest

    # ---------------------------------------------------------------- steps

    def _after_step(self, step, at):
        """A step was finished at ``at`` (UTC): start the next one and the linked dossiers."""
        self.ensure_one()
        following = self.step_ids.filtered(
            lambda s: s.state == "pending" and s.sequence > step.sequence
        ).sorted("sequence")[:1]
        if following:
            following._start({following.id: at})
        if self.state == "received":
            self._set_state("processing")
        links = self.procedure_id.link_ids.filtered(
            lambda link: link.event == "step" and link.step_id == step.procedure_step_id
        )
        if links:
            self._start_linked(links, at)

    def _plan_open_steps(self, start, left, clock):
        """New deadlines for the open steps when the clock restarts at ``start`` with ``left``.

        The later steps keep their own times; the current one gets what is left after them
        (all shrink in proportion when even that is not enough), so the last deadline is the
        new appointment.
        """
        self.ensure_one()
        steps = self.step_ids.filtered(
            lambda s: s.state in ("pending", "in_progress", "paused")
        ).sorted("sequence")
        if not steps:
            return
        amounts = steps.mapped("time_limit")
        rest = sum(amounts[1:])
        if left >= rest:
            amounts[0] = left - rest
        else:
            total = sum(amounts) or 1.0
            amounts = [a * left / total for a in amounts]
        with user_errors(self.env):
            deadlines = step_deadlines(
                start,
                amounts,
                calendar=clock.calendar,
                office=clock.office,
                hours=self.time_unit == "hour",
            )
        for step, deadline in zip(steps, deadlines, strict=True):
            step.sudo()._set(
                {
                    "deadline": clock.utc(deadline),
                    "is_overdue": False,
                    "escalated": False,
                    "reminded": False,
                }
            )
            if step.activity_id:
                step.activity_id.sudo().date_deadline = deadline.date()

    # ---------------------------------------------------------------- transitions

    def _set_state(self, state, **vals):
        with unlocked(self):
            self.write(dict(vals, state=state))

    def _check_state(self, states, action):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for dossier in self:
            if dossier.state not in states:
                raise UserError(
                    self.env._(
                        "%(dossier)s is %(state)s: it cannot be %(action)s.",
                        dossier=dossier.display_name,
                        state=labels[dossier.state].lower(),
                        action=action,
                    )
                )

    def _refuse_at_receipt(self, reason, at=None):
        self._check_state(("draft",), self.env._("refused at receipt"))
        self._require(reason, self.env._("Give the reason of the refusal."))
        now = at or fields.Datetime.now()
        # Presented at the desk and refused there and then.
        self._set_state(
            "refused", refusal_reason=reason, received_datetime=now, closed_datetime=now
        )

    def _request_supplement(self, reason, documents=False, at=None):
        self.ensure_one()
        self._check_actor()
        self._check_state(RUNNING_STATES, self.env._("sent back for a supplement"))
        self._require(reason, self.env._("Say what the applicant must supplement and why."))
        now = at or fields.Datetime.now()
        current = self.current_step_id
        self.env["cchc.onestop.supplement"].sudo().create(
            {
                "dossier_id": self.id,
                "requested_datetime": now,
                "requested_by_id": self.env.uid,
                "reason": reason,
                "documents": documents,
                "step_id": current.id,
                "previous_state": self.state,
                "old_appointment_datetime": self.appointment_datetime,
            }
        )
        current._pause()
        self._set_state("supplement", is_overdue=False)
        self.message_post(
            body=self.env._("Supplement requested: %(reason)s", reason=reason),
            subtype_xmlid="mail.mt_note",
        )

    def _resume_after_supplement(self, at=None):
        self.ensure_one()
        self._check_state(("supplement",), self.env._("resumed"))
        request = self.supplement_ids.filtered(lambda s: not s.received_datetime)[:1]
        clock = self._clock()
        now = at or fields.Datetime.now()
        started = clock.local(self.clock_start_datetime)
        stopped = clock.local(request.requested_datetime)
        supplied = clock.local(now)
        # The dossier's own limit, as received: the catalogue may have changed since.
        days, hours = (0.0, self.clock_left) if self.time_unit == "hour" else (self.clock_left, 0.0)
        restart = self.procedure_id.supplement_restart
        calendar, office = clock.calendar, clock.office
        with user_errors(self.env):
            due = resume_after_supplement(
                started, stopped, supplied, days, hours, restart, calendar=calendar, office=office
            )
            resumed = effective_receipt(supplied, calendar, office)
            if restart == "full":
                left = self.time_limit
            else:
                left = time_left(started, stopped, days, hours, calendar=calendar, office=office)
        request.sudo().write({"received_datetime": now, "new_appointment_datetime": clock.utc(due)})
        self._set_state(
            request.previous_state or "processing",
            appointment_datetime=clock.utc(due),
            appointment_date=due.date(),
            clock_start_datetime=clock.utc(resumed),
            clock_left=left,
            is_overdue=clock.utc(due) < fields.Datetime.now(),
        )
        self._plan_open_steps(resumed, left, clock)
        self.step_ids.filtered(lambda s: s.state == "paused")._resume()
        self.message_post(
            body=self.env._(
                "Supplement received: the new appointment is %(date)s.",
                date=self._format_moment(self.appointment_datetime),
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _resolve(self, result, note=False, at=None):
        """Record the result; the current step, if it is the last one, is finished with it."""
        self.ensure_one()
        self._check_state(RUNNING_STATES, self.env._("resolved"))
        if result not in dict(RESULTS):
            raise UserError(self.env._("Choose whether the dossier is approved or refused."))
        open_steps = self.step_ids.filtered(lambda s: s.state in ("pending", "in_progress"))
        last = self.step_ids.sorted("sequence")[-1:]
        if last.state == "in_progress":
            # Recording the result closes the last step: its handler's or its leader's act.
            last._check_closer()
        elif last:
            # The result is the last step's work: its handler, its agency or the desk.
            self._check_handler(last)
        if open_steps - last:
            first_open = (open_steps - last).sorted("sequence")[:1]
            raise UserError(
                self.env._(
                    "Step '%(step)s' is not finished: the dossier is resolved after its last step.",
                    step=first_open.name,
                )
            )
        now = at or fields.Datetime.now()
        if last.state == "in_progress":
            last._finish(now)
        clock = self._clock()
        resolved = clock.local(now)
        due = clock.local(self.appointment_datetime)
        vals = {
            "result": result,
            "resolved_datetime": now,
            "resolved_date": resolved.date(),
            "timeliness": timeliness(resolved, due, hour_limit=self.time_unit == "hour"),
            "processing_days": float(
                clock.calendar.count_working_days(
                    clock.local(self.effective_received_datetime).date(), resolved.date()
                )
            ),
            "is_overdue": False,
        }
        if note:
            vals["result_note"] = note
        self._set_state("resolved", **vals)
        if result == "approved":
            links = self.procedure_id.link_ids.filtered(lambda link: link.event == "resolved")
            if links:
                self._start_linked(links, now)

    def _return(self, at=None):
        self.ensure_one()
        self._check_state(("resolved",), self.env._("returned"))
        if not self.result or not (self.result_note or self.result_attachment_ids):
            raise UserError(
                self.env._(
                    "%(dossier)s has no result to return: record the result document first.",
                    dossier=self.display_name,
                )
            )
        if self.timeliness == "late" and not self.apology_ids:
            raise UserError(
                self.env._(
                    "%(dossier)s was resolved after its appointment: issue an apology letter "
                    "with a new date before returning it.",
                    dossier=self.display_name,
                )
            )
        self._set_state("returned", returned_datetime=at or fields.Datetime.now())

    def _close(self, state, reason, at=None):
        """Stop or withdraw an open dossier: its open steps are cancelled."""
        self.ensure_one()
        action = self.env._("stopped") if state == "stopped" else self.env._("withdrawn")
        if state == "withdrawn":
            self._check_desk()
        else:
            self._check_actor()
        self._check_state(OPEN_STATES, action)
        self._require(reason, self.env._("Give the reason."))
        self.step_ids.filtered(lambda s: s.state in ("pending", "in_progress", "paused"))._cancel()
        field = "stop_reason" if state == "stopped" else "withdraw_reason"
        self._set_state(
            state,
            **{field: reason, "closed_datetime": at or fields.Datetime.now(), "is_overdue": False},
        )

    def _apologise(self, reason, new_date, agency=None, at=None):
        self.ensure_one()
        self._check_actor()
        self._check_state((*OPEN_STATES, "resolved"), self.env._("given an apology letter"))
        self._require(reason, self.env._("Give the reason of the delay."))
        # Created by the system once the caller is checked: users do not create letters.
        return (
            self.env["cchc.onestop.apology"]
            .sudo()
            .create(
                {
                    "dossier_id": self.id,
                    "issued_datetime": at or fields.Datetime.now(),
                    "reason": reason,
                    "new_date": new_date,
                    "responsible_agency_id": (
                        agency
                        or self.delay_agency_ids[:1]
                        or self.current_agency_id
                        or self.agency_id
                    ).id,
                }
            )
        )

    def _rate(self, rating, comment=False, at=None):
        self.ensure_one()
        if self.state != "returned":
            raise UserError(
                self.env._("A dossier is rated only after its result has been returned.")
            )
        if not isinstance(rating, int) or not 1 <= rating <= 5:
            raise UserError(self.env._("A satisfaction rating is 1 to 5."))
        with unlocked(self):
            self.write(
                {
                    "rating": rating,
                    "rating_comment": comment,
                    "rated_date": self._clock().local_date(at or fields.Datetime.now()),
                }
            )

    def _require(self, text, message):
        if not (text or "").strip():
            raise UserError(message)

    # ---------------------------------------------------------------- linked procedures

    def _start_linked(self, links, at):
        """Start the linked procedures' dossiers at their agencies, with applicant and files."""
        self.ensure_one()
        me = self.sudo()
        applicant = me.applicant_id
        vals_list = []
        for link in links:
            procedure = link.next_procedure_id
            documents = me._linked_documents(procedure)
            vals_list.append(
                {
                    "agency_id": link._receiving_agency().id,
                    "procedure_id": procedure.id,
                    "channel": me.channel,
                    "applicant_kind": me.applicant_kind,
                    "applicant_name": me.applicant_name,
                    **{f"applicant_{name}": applicant[name] for name in PERSONAL_FIELDS},
                    "previous_dossier_id": me.id,
                    "chain_root_id": (me.chain_root_id or me).id,
                    "link_id": link.id,
                    "document_ids": documents,
                }
            )
        # The next agency's desk is not the user's: the chain, not the user, starts it.
        with unlocked(self):
            dossiers = self.env["cchc.onestop.dossier"].sudo().create(vals_list)
        dossiers._copy_files_of(me)
        dossiers._receive(skip_document_check=True, at=at)
        for dossier in dossiers:
            self.message_post(
                body=self.env._(
                    "Linked procedure started: %(code)s %(procedure)s at %(agency)s.",
                    code=dossier.name,
                    procedure=dossier.procedure_id.display_name,
                    agency=dossier.agency_id.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return dossiers

    def _copy_files_of(self, previous):
        """The files these dossiers took over from ``previous`` become their own copies: the
        next agency may not read the previous dossier, which owns the originals."""
        for dossier in self:
            for line in dossier.document_ids:
                inherited = line.attachment_ids.filtered(
                    lambda a: a.res_model == previous._name and a.res_id == previous.id
                )
                if not inherited:
                    continue
                copies = self.env["ir.attachment"]
                for attachment in inherited:
                    copies |= attachment.copy({"res_model": dossier._name, "res_id": dossier.id})
                line.attachment_ids = [Command.set((line.attachment_ids - inherited | copies).ids)]

    def _linked_documents(self, procedure):
        """The next procedure's checklist, filled from this dossier's files, then the rest."""
        self.ensure_one()
        by_name = {fold(line.name): line for line in self.document_ids}
        commands, used = [], set()
        for template in procedure.document_ids.sorted("sequence"):
            line = by_name.get(fold(template.name))
            if line:
                used.add(line.id)
            commands.append(
                Command.create(
                    {
                        "name": template.name,
                        "required": template.required,
                        "copies": template.copies,
                        "procedure_document_id": template.id,
                        "provided": bool(line and line.provided),
                        "digitised": bool(line and line.digitised),
                        "attachment_ids": [Command.set(line.attachment_ids.ids)] if line else [],
                    }
                )
            )
        for line in self.document_ids.filtered(lambda d: d.provided and d.id not in used):
            commands.append(
                Command.create(
                    {
                        "name": line.name,
                        "required": False,
                        "provided": True,
                        "digitised": line.digitised,
                        "attachment_ids": [Command.set(line.attachment_ids.ids)],
                        "note": self.env._("From dossier %(code)s", code=self.name),
                    }
                )
            )
        if self.result_note or self.result_attachment_ids:
            commands.append(
                Command.create(
                    {
                        "name": self.result_note
                        or self.env._("Result of dossier %(code)s", code=self.name),
                        "required": False,
                        "provided": True,
                        "digitised": bool(self.result_attachment_ids),
                        "attachment_ids": [Command.set(self.result_attachment_ids.ids)],
                        "note": self.env._("Result of dossier %(code)s", code=self.name),
                    }
                )
            )
        return commands

    def _chain_members(self):
        """The dossiers of this dossier's chain (itself alone outside a chain), in order."""
        self.ensure_one()
        root = self.chain_root_id
        if not root:
            return self
        return self.with_context(active_test=False).search(
            [("chain_root_id", "=", root.id)], order="id"
        )

    def _chain_steps(self):
        self.ensure_one()
        return self._chain_members().step_ids.sorted(lambda s: (s.dossier_id.id, s.sequence))

    # ---------------------------------------------------------------- overdue scan

    @api.model
    def _cron_overdue_scan(self):
        """Mark what ran past its deadline, in one statement, and escalate the new steps.

        Both updates use partial indexes on the open rows not yet marked, so the scan reads
        only what just became overdue, however many dossiers the database holds.
        """
        self.env.flush_all()
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                WITH dossiers AS (
                    UPDATE %(dossier)s SET is_overdue = TRUE
                     WHERE state IN ('received', 'processing')
                       AND NOT is_overdue
                       AND appointment_datetime < %(now)s
                 RETURNING id
                ), steps AS (
                    UPDATE %(step)s SET is_overdue = TRUE
                     WHERE state = 'in_progress'
                       AND NOT is_overdue
                       AND deadline < %(now)s
                 RETURNING id
                )
                SELECT (SELECT count(*) FROM dossiers),
                       (SELECT coalesce(array_agg(id), '{}') FROM steps)
                """,
                dossier=SQL.identifier(self._table),
                step=SQL.identifier(self.env["cchc.onestop.dossier.step"]._table),
                now=now,
            )
        )
        dossier_count, step_ids = self.env.cr.fetchone()
        self.invalidate_model(["is_overdue"])
        Step = self.env["cchc.onestop.dossier.step"]
        Step.invalidate_model(["is_overdue"])
        steps = Step.browse(step_ids)
        steps._escalate_overdue()
        return dossier_count, steps

    # ---------------------------------------------------------------- helpers

    @api.model
    def _clock(self):
        """The one-stop clock: the working calendar, the office hours and the time zone.

        Built once and kept in the registry's cache (no query for a form or a receipt): a
        holiday (cchc.holiday) or a change to the administrative calendar's hours or time zone
        (cchc_base's resource.calendar overrides) clears that cache, in every worker. The clock
        keeps no environment, so every user and request shares it."""
        return self.env["cchc.onestop.dossier"]._cached_clock()

    @api.model
    @tools.ormcache()
    def _cached_clock(self):
        env = self.sudo().env
        resource = env.ref("cchc_base.resource_calendar_administrative", raise_if_not_found=False)
        return OnestopClock(env, resource=resource or False)

    def _report_lang(self):
        """The forms are Vietnamese administrative forms: Vietnamese whenever it is installed."""
        return province_lang(self.env)

    def _format_moment(self, value, clock=None):
        """'17:00 on 02/03/2026' (local time), for the forms and the chatter."""
        if not value:
            return ""
        moment = (clock or self._clock()).local(value)
        parts = _two_digits(moment, "hour", "minute", "day", "month")
        return self.env._(
            "%(hour)s:%(minute)s on %(day)s/%(month)s/%(year)s", year=moment.year, **parts
        )

    def _format_day(self, value):
        if not value:
            return ""
        parts = _two_digits(value, "day", "month")
        return self.env._("%(day)s/%(month)s/%(year)s", year=value.year, **parts)

    def _form_date_line(self, value):
        """The date line of a form: 'Ngày 02 tháng 03 năm 2026' (local day of ``value``)."""
        day = self._clock().local_date(value) if value else fields.Date.context_today(self)
        parts = _two_digits(day, "day", "month")
        return self.env._("Day %(day)s month %(month)s year %(year)s", year=day.year, **parts)

    def _format_return_place(self):
        self.ensure_one()
        if self.channel == "postal":
            return self.env._("by post, at the applicant's address")
        if self.channel == "online":
            return self.env._("online, on the public service portal, or at the desk")
        return self.env._("the one-stop desk of %(agency)s", agency=self.agency_id.name)

    @api.model
    def _selection_label(self, record, field_name):
        """The label of a selection value in the current language (for the forms)."""
        value = record[field_name]
        if not value:
            return ""
        return dict(record._fields[field_name]._description_selection(self.env)).get(value, value)

    def _check_desk(self):
        """Receiving, refusing, returning and rating are the work of the desk that received
        the dossier (or, in a chain of linked procedures, of the desk that returns it)."""
        user = self.env.user
        if self.env.su:
            return
        if not user.has_group("cchc_base.group_cchc_onestop"):
            raise AccessError(
                self.env._("Only the officers of the one-stop desk receive and return dossiers.")
            )
        if user.has_group("cchc_base.group_cchc_manager"):
            return
        for dossier in self:
            if user.cchc_agency_id not in dossier.agency_id | dossier.chain_root_id.agency_id:
                raise AccessError(
                    self.env._(
                        "%(dossier)s is received and returned by the desk of %(agency)s.",
                        dossier=dossier.display_name,
                        agency=dossier.agency_id.display_name,
                    )
                )

    def _check_actor(self):
        """Who moves an open dossier on (supplement, stop, apology): the people of its current
        step (or of the step waiting for the supplement, or of its last step), or its desk."""
        self.ensure_one()
        steps = self.step_ids.sorted("sequence")
        step = (
            self.current_step_id or steps.filtered(lambda s: s.state == "paused")[:1] or steps[-1:]
        )
        if step:
            self._check_handler(step)
        else:
            self._check_desk()

    def _check_handler(self, step):
        """Only the step's handler, its agency's people or a desk officer move a step on."""
        user = self.env.user
        if self.env.su or user.has_group("cchc_base.group_cchc_manager"):
            return
        allowed = (
            step.handler_id == user
            or (user.cchc_agency_id and step.agency_id == user.cchc_agency_id)
            or (
                user.has_group("cchc_base.group_cchc_onestop")
                and self.agency_id == user.cchc_agency_id
            )
        )
        if not allowed:
            raise AccessError(
                self.env._(
                    "Step '%(step)s' of %(dossier)s is handled by %(agency)s.",
                    step=step.name,
                    dossier=self.display_name,
                    agency=step.agency_id.display_name,
                )
            )
