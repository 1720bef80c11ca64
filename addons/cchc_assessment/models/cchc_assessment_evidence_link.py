from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.cchc_base.tools.protect import is_unlocked, unlocked

# The kinds of records an agency links as evidence of a self-scored item, when the addon that
# holds them is installed (cchc_plan always; cchc_esign with cchc_exchange, cchc_onestop
# otherwise optional) and says what may be kept of one for those who may not read it
# (``_cchc_evidence_facts``, as for the records behind a computed figure). Plan tasks have
# their own field on the line (``evidence_task_ids``).
LINKABLE_MODELS = ("cchc.plan.report", "cchc.document", "cchc.onestop.dossier")
# Filled by the server from the linked record: a client never writes them, and a link is
# never re-pointed (the agency removes it and links another record).
TARGET_FIELDS = frozenset({"res_model", "res_id", "record_ref"})
FACT_FIELDS = frozenset({"code", "name", "date"})


class CchcAssessmentEvidenceLink(models.Model):
    """A record of the system an agency links as evidence of a self-scored item.

    The agency picks one of its periodic reports, documents or dossiers (only a kind in
    ``LINKABLE_MODELS`` whose addon is installed, only a record it may read: checked here, on
    the server). The link keeps what the council needs to appraise it — the record's kind,
    number, name and date as its addon allows to show them (``_cchc_evidence_facts``: no
    personal data of a dossier, no subject of a classified document) — and is read by exactly
    those who read the score line. The record itself opens only for those its own record rules
    let read it. Links are added and removed while the scorecard is in self-assessment, then
    kept as the council saw them.
    """

    _name = "cchc.assessment.evidence.link"
    _description = "Record linked as reform index evidence"
    _inherit = ["cchc.protected.mixin"]
    _order = "score_id, id"

    score_id = fields.Many2one(
        "cchc.assessment.score", required=True, index=True, ondelete="cascade"
    )
    agency_id = fields.Many2one(related="score_id.agency_id", store=True, index=True)
    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record id", model_field="res_model", required=True, readonly=True
    )
    record_ref = fields.Reference(
        selection="_selection_linkable",
        string="Link to",
        compute="_compute_record_ref",
        readonly=False,
        help="The report, document or dossier of your agency that shows the item was done.",
    )
    kind = fields.Char(string="Kind of record", compute="_compute_kind")
    code = fields.Char(string="Number", readonly=True)
    name = fields.Char(string="Subject", readonly=True)
    date = fields.Date(string="Date of the record", readonly=True)
    can_open = fields.Boolean(compute="_compute_can_open")

    _cchc_protected_fields = frozenset({"score_id"}) | TARGET_FIELDS | FACT_FIELDS

    _sql_constraints = [
        (
            "record_unique",
            "UNIQUE(score_id, res_model, res_id)",
            "This record is already linked as evidence of the item.",
        ),
    ]

    # ------------------------------------------------------------------ kinds

    @api.model
    def _linkable_labels(self):
        """``{model: label}`` of the kinds of records that may be linked in this database."""
        labels = {
            "cchc.plan.report": self.env._("Periodic report"),
            "cchc.document": self.env._("Document"),
            "cchc.onestop.dossier": self.env._("Dossier"),
        }
        return {
            model: labels[model]
            for model in LINKABLE_MODELS
            if model in self.env and hasattr(self.env[model], "_cchc_evidence_facts")
        }

    @api.model
    def _selection_linkable(self):
        return list(self._linkable_labels().items())

    def _compute_record_ref(self):
        # Only a picker for a new link: a saved link shows what it kept, never the record
        # (whose name the council may not read).
        for link in self:
            link.record_ref = False

    def _compute_kind(self):
        labels = self._linkable_labels()
        for link in self:
            link.kind = labels.get(link.res_model, link.res_model)

    def _compute_can_open(self):
        for link in self:
            record = link._record()
            link.can_open = bool(record) and bool(record._filtered_access("read"))

    def _record(self):
        """The linked record if it still exists (as the current user), else nothing."""
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env or not self.res_id:
            return None
        return self.env[self.res_model].browse(self.res_id).exists() or None

    @api.depends("code", "name")
    def _compute_display_name(self):
        for link in self:
            link.display_name = " – ".join(part for part in (link.code, link.name) if part)

    # ------------------------------------------------------------------ CRUD

    def _cchc_is_frozen(self):
        return self.score_id.scorecard_id.state != "draft"

    def _cchc_frozen_hint(self):
        return self.env._(
            "The scorecard was submitted: its evidence is kept as the council saw it."
        )

    def _cchc_create_protected_fields(self):
        return FACT_FIELDS

    @api.model_create_multi
    def create(self, vals_list):
        if is_unlocked(self):
            return super().create(vals_list)
        prepared, seen = [], set()
        for vals in vals_list:
            vals = self._cchc_with_client_defaults(vals)
            target = {name: vals.pop(name) for name in TARGET_FIELDS if name in vals}
            self._cchc_check_create(vals)
            score = self.env["cchc.assessment.score"].browse(vals.get("score_id")).exists()
            if not score:
                raise UserError(self.env._("Link evidence to an item of a scorecard."))
            if score._cchc_is_frozen():
                self._cchc_refuse_frozen(score)
            if not self.env.su:
                score.check_access("write")
            record = self._linked_record(target)
            key = (score.id, record._name, record.id)
            if key in seen or self.sudo().search_count(
                [
                    ("score_id", "=", score.id),
                    ("res_model", "=", record._name),
                    ("res_id", "=", record.id),
                ],
                limit=1,
            ):
                raise UserError(
                    self.env._("This record is already linked as evidence of the item.")
                )
            seen.add(key)
            prepared.append({**vals, **self._facts_of(record)})
        with unlocked(self):
            return super().create(prepared)

    def _linked_record(self, target):
        """The record ``target`` names (``record_ref`` as ``model,id``, or ``res_model`` and
        ``res_id``): of a kind that may be linked, existing, and readable by the current user."""
        ref = target.get("record_ref")
        model, res_id = target.get("res_model"), target.get("res_id")
        if ref:
            if isinstance(ref, str) and "," in ref:
                model, _sep, res_id = ref.partition(",")
            else:
                model, res_id = None, None
        try:
            res_id = int(res_id or 0)
        except (TypeError, ValueError):
            res_id = 0
        labels = self._linkable_labels()
        if not model or not res_id:
            raise UserError(self.env._("Choose the report, document or dossier to link."))
        if model not in labels:
            raise UserError(
                self.env._(
                    "Only these records can be linked as evidence: %(kinds)s.",
                    kinds=", ".join(labels.values()),
                )
            )
        record = self.env[model].browse(res_id)
        if not record.sudo().exists():
            raise UserError(self.env._("The record to link no longer exists."))
        if not self.env.su and not record._filtered_access("read"):
            raise AccessError(
                self.env._("Link as evidence only the records of your agency (those you may read).")
            )
        return record

    def _facts_of(self, record):
        """What the link keeps of the record: what its addon lets others than its readers see
        of it (no personal data, no subject of a classified document)."""
        fact = record.sudo()._cchc_evidence_facts(False).get(record.id) or {}
        return {
            "res_model": record._name,
            "res_id": record.id,
            "code": fact.get("code") or f"#{record.id}",
            "name": fact.get("detail") or False,
            "date": fact.get("date_done") or fact.get("date_due") or False,
        }

    # ------------------------------------------------------------------ actions

    def action_open_record(self):
        """The linked record, for those its own record rules let read it."""
        self.ensure_one()
        record = self._record()
        if not record:
            raise UserError(self.env._("The linked record no longer exists."))
        if not record._filtered_access("read"):
            raise AccessError(
                self.env._(
                    "You may not open %(record)s: what the agency linked is shown on the item.",
                    record=self.display_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.display_name,
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
        }
