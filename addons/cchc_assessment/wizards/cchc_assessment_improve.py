from odoo import api, fields, models
from odoo.exceptions import UserError


class CchcAssessmentImprove(models.TransientModel):
    """Weak items of the results become improvement tasks of a plan, linked to the criterion."""

    _name = "cchc.assessment.improve"
    _description = "Improvement tasks from the reform index"

    campaign_id = fields.Many2one("cchc.assessment.campaign", required=True)
    scope = fields.Selection(
        [("agency", "One agency"), ("province", "The province")],
        default="agency",
        required=True,
    )
    scorecard_id = fields.Many2one(
        "cchc.assessment.scorecard",
        string="Agency's scorecard",
        domain="[('campaign_id', '=', campaign_id)]",
    )
    threshold = fields.Float(
        string="Weak under (%)",
        default=75.0,
        help="An item scoring less than this share of its maximum (on average for the "
        "province) is weak.",
    )
    plan_id = fields.Many2one("cchc.plan", required=True, domain="[('state', '!=', 'closed')]")
    criterion_ids = fields.Many2many(
        "cchc.assessment.criterion",
        string="Weak items",
        compute="_compute_criterion_ids",
        store=True,
        readonly=False,
    )

    @api.depends("campaign_id", "scope", "scorecard_id", "threshold")
    def _compute_criterion_ids(self):
        for wizard in self:
            wizard.criterion_ids = wizard._weak_criteria()

    def _weak_criteria(self):
        Score = self.env["cchc.assessment.score"]
        if self.scope == "agency":
            if not self.scorecard_id:
                return self.env["cchc.assessment.criterion"]
            lines = self.scorecard_id.line_ids
            return lines.filtered(
                lambda line: line.max_points and line.percentage < self.threshold
            ).criterion_id
        groups = Score._read_group(
            [("campaign_id", "=", self.campaign_id.id)],
            ["criterion_id"],
            ["final_score:sum", "max_points:sum"],
        )
        return self.env["cchc.assessment.criterion"].union(
            *(
                criterion
                for criterion, got, maximum in groups
                if maximum and 100 * got / maximum < self.threshold
            )
        )

    def action_create_tasks(self):
        self.ensure_one()
        self.campaign_id._check_coordinator()
        if not self.criterion_ids:
            raise UserError(self.env._("No weak item is selected."))
        if self.scope == "agency" and not self.scorecard_id:
            raise UserError(self.env._("Choose the agency's scorecard."))
        plan = self.plan_id
        year = self.campaign_id.year
        lines = {
            line.criterion_id: line
            for line in self.scorecard_id.line_ids
            if line.criterion_id in self.criterion_ids
        }
        tasks = self.env["project.task"].create(
            [
                {
                    "name": self.env._(
                        "Improve %(criterion)s (reform index %(year)s)",
                        criterion=criterion.complete_name,
                        year=year,
                    ),
                    "project_id": plan.project_id.id,
                    "lead_agency_id": self.scorecard_id.agency_id.id
                    if self.scope == "agency"
                    else False,
                    "assessment_criterion_id": criterion.id,
                    "assessment_score_id": lines[criterion].id if criterion in lines else False,
                    "description": criterion.guidance or False,
                }
                for criterion in self.criterion_ids
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Improvement tasks"),
            "res_model": "project.task",
            "view_mode": "list,form",
            "domain": [("id", "in", tasks.ids)],
        }
