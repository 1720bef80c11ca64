import ast

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, float_repr

from odoo.addons.cchc_base.tools.protect import is_unlocked, unlocked

# What the agency writes on its own lines while self-assessing.
AGENCY_FIELDS = frozenset(
    {
        "self_score",
        "evidence_note",
        "evidence_attachment_ids",
        "evidence_task_ids",
        "evidence_link_ids",
    }
)


class CchcAssessmentScore(models.Model):
    """The score of one scored item on an agency's scorecard.

    A self-scored line carries the agency's score and its evidence (attachments, links to the
    plan's tasks and, through ``cchc.assessment.evidence.link``, to its reports, documents
    and dossiers) or an explanation; a computed line the figure measured from the system's
    data and the domain of the records behind it; the council's score replaces the agency's
    only with a reason, and every change is logged.
    """

    _name = "cchc.assessment.score"
    _description = "Reform index score"
    _inherit = ["cchc.protected.mixin"]
    _order = "scorecard_id, criterion_id"
    _rec_name = "criterion_id"

    scorecard_id = fields.Many2one(
        "cchc.assessment.scorecard", required=True, index=True, ondelete="cascade", readonly=True
    )
    criterion_id = fields.Many2one(
        "cchc.assessment.criterion", required=True, index=True, ondelete="restrict", readonly=True
    )
    campaign_id = fields.Many2one(
        related="scorecard_id.campaign_id", store=True, index=True, string="Campaign"
    )
    agency_id = fields.Many2one(related="scorecard_id.agency_id", store=True, index=True)
    scorecard_state = fields.Selection(related="scorecard_id.state", string="Stage")
    area_id = fields.Many2one(related="criterion_id.area_id", store=True, index=True)
    code = fields.Char(related="criterion_id.code", string="No.")
    method = fields.Selection(related="criterion_id.method", string="Method")
    guidance = fields.Text(related="criterion_id.guidance")
    max_points = fields.Float(string="Maximum", digits=(6, 2), readonly=True)
    self_score = fields.Float(string="Self-assessed", digits=(6, 2))
    evidence_note = fields.Text(
        string="Explanation", help="Where evidence is missing, the agency explains its score."
    )
    evidence_attachment_ids = fields.Many2many(
        "ir.attachment",
        "cchc_assessment_score_attachment_rel",
        "score_id",
        "attachment_id",
        string="Evidence files",
    )
    evidence_task_ids = fields.Many2many(
        "project.task",
        "cchc_assessment_score_task_rel",
        "score_id",
        "task_id",
        string="Evidence tasks",
        domain="[('cchc_plan_id', '!=', False)]",
    )
    evidence_link_ids = fields.One2many(
        "cchc.assessment.evidence.link",
        "score_id",
        string="Linked records",
        help="Reports, documents and dossiers of the agency that show the item was done.",
    )
    evidence_link_count = fields.Integer(
        compute="_compute_evidence_link_count", string="Linked records (count)"
    )
    has_evidence = fields.Boolean(compute="_compute_has_evidence")
    figure = fields.Float(string="Measured figure", readonly=True, digits=(8, 2))
    has_figure = fields.Boolean(readonly=True)
    figure_computed_at = fields.Datetime(string="Measured on", readonly=True)
    evidence_model = fields.Char(readonly=True)
    evidence_domain = fields.Char(string="Records measured", readonly=True)
    evidence_ids = fields.One2many(
        "cchc.assessment.evidence", "score_id", string="Records behind the figure", readonly=True
    )
    evidence_count = fields.Integer(compute="_compute_evidence_count", string="Records")
    can_open_records = fields.Boolean(compute="_compute_can_open_records")
    council_score = fields.Float(string="Council's score", digits=(6, 2), readonly=True)
    council_changed = fields.Boolean(string="Changed by the council", readonly=True)
    council_reason = fields.Text(string="Council's reason", readonly=True)
    final_score = fields.Float(string="Score", digits=(6, 2), readonly=True)
    percentage = fields.Float(
        string="Achieved (%)", compute="_compute_percentage", digits=(5, 2), aggregator="avg"
    )

    _cchc_protected_fields = frozenset(
        {
            "scorecard_id",
            "criterion_id",
            "max_points",
            "figure",
            "has_figure",
            "figure_computed_at",
            "evidence_model",
            "evidence_domain",
            "council_score",
            "council_changed",
            "council_reason",
            "final_score",
        }
    )

    _sql_constraints = [
        (
            "criterion_unique",
            "UNIQUE(scorecard_id, criterion_id)",
            "A scorecard scores each item once.",
        ),
    ]

    @api.depends(
        "evidence_note", "evidence_attachment_ids", "evidence_task_ids", "evidence_link_ids"
    )
    def _compute_has_evidence(self):
        for line in self:
            line.has_evidence = bool(
                (line.evidence_note or "").strip()
                or line.evidence_attachment_ids
                or line.evidence_task_ids
                or line.evidence_link_ids
            )

    @api.depends("evidence_link_ids")
    def _compute_evidence_link_count(self):
        for line in self:
            line.evidence_link_count = len(line.evidence_link_ids)

    @api.depends("evidence_ids")
    def _compute_evidence_count(self):
        counts = dict(
            self.env["cchc.assessment.evidence"]._read_group(
                [("score_id", "in", self.ids)], ["score_id"], ["__count"]
            )
        )
        for line in self:
            line.evidence_count = counts.get(line, 0)

    @api.depends("evidence_model", "evidence_domain")
    def _compute_can_open_records(self):
        """The records themselves open only for those their own record rules let read them
        (the agency, usually); the others see the evidence kept on the line."""
        for line in self:
            model = self.env.get(line.evidence_model) if line.evidence_model else None
            line.can_open_records = bool(
                model is not None
                and model.has_access("read")
                and model.search_count(ast.literal_eval(line.evidence_domain or "[]"), limit=1)
            )

    @api.depends("final_score", "max_points")
    def _compute_percentage(self):
        for line in self:
            line.percentage = 100 * line.final_score / line.max_points if line.max_points else 0

    @api.constrains("self_score", "council_score", "max_points")
    def _check_score(self):
        for line in self:
            for value in (line.self_score, line.council_score):
                line._refuse_out_of_range(value)

    def _refuse_out_of_range(self, value):
        """Refuse ``value`` points outside 0 to the line's maximum."""
        if value < 0 or float_compare(value, self.max_points, precision_digits=2) > 0:
            raise ValidationError(
                self.env._(
                    "%(criterion)s: %(value)s points is outside 0–%(max)s.",
                    criterion=self.criterion_id.complete_name,
                    value=value,
                    max=self.max_points,
                )
            )

    def _cchc_is_frozen(self):
        return self.scorecard_id.state != "draft"

    def _cchc_protection_hint(self):
        return self.env._(
            "Measured figures come from the system's data; the council changes a score with a "
            "reason through 'Adjust'."
        )

    def _cchc_frozen_hint(self):
        return self.env._(
            "The scorecard was submitted; the council changes a score with a reason through "
            "'Adjust'."
        )

    def _cchc_check_attachment(self, res_field):
        """Evidence files hang on the line (no field): once the scorecard is submitted they are
        kept as the council saw them."""
        res = super()._cchc_check_attachment(res_field)
        if not res_field and not is_unlocked(self):
            for line in self.exists():
                if line._cchc_is_frozen():
                    self._cchc_refuse_frozen(line)
        return res

    def write(self, vals):
        if "evidence_task_ids" in vals and not self.env.su:
            self._check_evidence_tasks_readable(vals["evidence_task_ids"])
        old = None
        if "self_score" in vals and not is_unlocked(self):
            not_self = self.filtered(lambda line: line.method != "self")
            if not_self:
                raise AccessError(
                    self.env._(
                        "%(criterion)s is not self-scored: its points come from the system's "
                        "data or a survey.",
                        criterion=not_self[0].criterion_id.complete_name,
                    )
                )
            old = {line.id: line.self_score for line in self}
        res = super().write(vals)
        if old is not None:
            self._log_self_scores(old)
        if "evidence_attachment_ids" in vals:
            # Files uploaded from the line belong to it: whoever may read the line (the
            # council) may read them, and they freeze with it.
            for line in self:
                line.evidence_attachment_ids.filtered(lambda a: not a.res_id).sudo().write(
                    {"res_model": self._name, "res_id": line.id}
                )
        return res

    def _check_evidence_tasks_readable(self, commands):
        """An agency links as evidence only the plan tasks it may read: its own (the council
        reads what is linked, a task of another agency would pass for the agency's work)."""
        ids = set()
        for command in commands or ():
            if command[0] == Command.LINK:
                ids.add(command[1])
            elif command[0] == Command.SET:
                ids.update(command[2])
        tasks = self.env["project.task"].browse(ids)
        if tasks and len(tasks._filtered_access("read")) != len(tasks):
            raise AccessError(self.env._("Link as evidence only the plan tasks of your agency."))

    def _log_self_scores(self, old):
        with unlocked(self):
            for line in self:
                if float_compare(old[line.id], line.self_score, precision_digits=2):
                    if not line.council_changed:
                        line.final_score = line.self_score
                    line.scorecard_id._log(
                        "self_score",
                        float_repr(old[line.id], 2),
                        float_repr(line.self_score, 2),
                        line.evidence_note or "",
                        score=line,
                    )

    # ------------------------------------------------------------------ actions

    def action_adjust(self):
        self.ensure_one()
        self.scorecard_id._check_council()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Adjust the score"),
            "res_model": "cchc.assessment.adjust",
            "view_mode": "form",
            "target": "new",
            "context": {"default_score_id": self.id},
        }

    def action_edit_evidence(self):
        """The line's evidence in a dialog: the agency adds files, tasks and records while
        self-assessing; the council and the agency read them afterwards."""
        return self._dialog("cchc_assessment.cchc_assessment_score_view_form_links")

    def action_view_evidence_records(self):
        self.ensure_one()
        if not self.evidence_model:
            raise UserError(self.env._("No records are behind this figure."))
        return {
            "type": "ir.actions.act_window",
            "name": self.criterion_id.complete_name,
            "res_model": self.evidence_model,
            "view_mode": "list,form",
            "domain": self.evidence_domain,
        }

    def action_view_evidence(self):
        """The records behind the figure as they were when it was computed."""
        return self._dialog("cchc_assessment.cchc_assessment_score_view_evidence")

    def _dialog(self, view_xmlid):
        """The line in a dialog, shown by the form view ``view_xmlid``."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.criterion_id.complete_name,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref(view_xmlid).id, "form")],
            "target": "new",
        }

    # ------------------------------------------------------------------ business

    def _check_evidence(self):
        """Each self-scored line with points has evidence or an explanation."""
        missing = self.filtered(
            lambda line: line.method == "self" and line.self_score > 0 and not line.has_evidence
        )
        if missing:
            raise ValidationError(
                self.env._(
                    "Give evidence (files, tasks or linked records) or an explanation for "
                    "every self-scored item with points: %(items)s.",
                    items=", ".join(missing[:15].criterion_id.mapped("complete_name")),
                )
            )

    def _adjust(self, value, reason):
        """The council's score with its reason (checked by the caller's wizard)."""
        self.ensure_one()
        card = self.scorecard_id
        card._check_council()
        if card.state not in ("submitted", "proposed", "answered"):
            raise UserError(
                self.env._("The council adjusts submitted scorecards until it finalises them.")
            )
        if not (reason or "").strip():
            raise ValidationError(self.env._("Give the reason for changing the score."))
        self._refuse_out_of_range(value)
        old = self.final_score
        with unlocked(self, "cchc.assessment.log"):
            self.sudo().write(
                {
                    "council_score": value,
                    "council_changed": True,
                    "council_reason": reason.strip(),
                    "final_score": value,
                }
            )
            card._log("council_score", float_repr(old, 2), float_repr(value, 2), reason, score=self)
        card.sudo()._update_totals()
