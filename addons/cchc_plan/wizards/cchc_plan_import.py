import base64
import json
import logging

from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.cchc_base.tools.translate import translate

from cchc_core.appendix import AppendixError, parse_file, parse_flattened_pdf_text, parse_text
from cchc_core.appendix.cells import parse_budget, split_agencies
from cchc_core.deadlines import describe, parse_deadline
from cchc_core.matching import AgencyMatcher, Candidate
from cchc_core.text import fold

_logger = logging.getLogger(__name__)

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


class CchcPlanImport(models.TransientModel):
    """Import a plan's task appendix: parse, preview, map agencies, then all or nothing."""

    _name = "cchc.plan.import"
    _description = "Import a plan's task appendix"

    plan_id = fields.Many2one("cchc.plan", required=True, ondelete="cascade")
    state = fields.Selection([("upload", "Upload"), ("preview", "Preview")], default="upload")
    source = fields.Selection(
        [
            ("file", "File (XLSX, DOCX, CSV, TXT)"),
            ("text", "Pasted text"),
            ("pdf_text", "Text copied from a PDF"),
        ],
        default="file",
        required=True,
    )
    file = fields.Binary(attachment=False)
    filename = fields.Char()
    text = fields.Text(help="Rows on separate lines, cells separated by | or tabs.")
    line_ids = fields.One2many("cchc.plan.import.line", "wizard_id", string="Rows")
    mapping_ids = fields.One2many("cchc.plan.import.mapping", "wizard_id", string="Agencies")
    unreadable = fields.Text(string="Not read", readonly=True)
    row_count = fields.Integer(compute="_compute_counts")
    update_count = fields.Integer(compute="_compute_counts")
    unmapped_count = fields.Integer(compute="_compute_counts")

    @api.depends("line_ids.task_id", "mapping_ids.agency_id", "mapping_ids.ignore")
    def _compute_counts(self):
        for wizard in self:
            wizard.row_count = len(wizard.line_ids)
            wizard.update_count = len(wizard.line_ids.filtered("task_id"))
            wizard.unmapped_count = len(
                wizard.mapping_ids.filtered(lambda m: not m.agency_id and not m.ignore)
            )

    # ---------------------------------------------------------------- step 1: parse

    def action_parse(self):
        self.ensure_one()
        self.plan_id._check_not_closed()
        appendix = self._read_appendix()
        if not appendix.rows:
            raise UserError(self.env._("No task rows were found in the appendix."))
        matcher, groups = self._matcher()
        plan = self.plan_id
        existing = {
            (task.cchc_section_id.roman or "", task.cchc_number or ""): task
            for task in plan.with_context(active_test=False).task_ids
        }
        unmatched = {}
        lines = []
        for row in appendix.rows:
            lead_ids, _lead_groups, lead_missing, lead_info = self._match(
                matcher, groups, row.lead, expand=True
            )
            coord_ids, coord_groups, coord_missing, coord_info = self._match(
                matcher, groups, row.coordinating
            )
            watch_ids, _watch_groups, watch_missing, watch_info = self._match(
                matcher, groups, row.monitoring, expand=True
            )
            for text in lead_missing + coord_missing + watch_missing:
                unmatched.setdefault(fold(text), (text, matcher.match(text)))
            budget = parse_budget(row.budget)
            # Two tables numbered alike (Phụ lục II and III): one task is updated by one row only.
            task = existing.pop((row.section or "", row.key or ""), None)
            lines.append(
                {
                    "wizard_id": self.id,
                    "sequence": row.line,
                    "section": row.section or False,
                    "section_title": row.section_title or False,
                    "number": row.key or False,
                    "content": row.content,
                    "lead_text": row.lead,
                    "coordinating_text": row.coordinating,
                    "monitoring_text": row.monitoring or False,
                    "completion": row.completion,
                    "output": row.output or False,
                    "note": row.note or False,
                    "budget_text": row.budget or False,
                    "budget_amount": budget.amount if budget and budget.amount else 0.0,
                    "budget_per": budget.per if budget else False,
                    "inherited": ", ".join(row.inherited) or False,
                    "agency_actions": "\n".join(lead_info + coord_info + watch_info) or False,
                    "unmatched_names": json.dumps(
                        {
                            "lead": lead_missing,
                            "coordinating": coord_missing,
                            "monitoring": watch_missing,
                        },
                        ensure_ascii=False,
                    ),
                    "lead_agency_ids": [Command.set(lead_ids)],
                    "coordinating_agency_ids": [Command.set(coord_ids)],
                    "coordinating_group_ids": [Command.set(coord_groups)],
                    "monitoring_agency_ids": [Command.set(watch_ids)],
                    "problems": "\n".join(translate(self.env, p, "cchc_plan") for p in row.problems)
                    or False,
                    "task_id": task.id if task else False,
                }
            )
        self.line_ids.unlink()
        self.mapping_ids.unlink()
        self.env["cchc.plan.import.line"].create(lines)
        self.env["cchc.plan.import.mapping"].create(
            [
                {
                    "wizard_id": self.id,
                    "name": text,
                    "suggestion": ", ".join(
                        self._candidate_name(key, groups) for key, _score in match.alternatives[:3]
                    ),
                }
                for text, match in unmatched.values()
            ]
        )
        self.unreadable = (
            "\n".join(
                f"{line}: {translate(self.env, reason, 'cchc_plan')} — {raw[:200]}"
                for line, raw, reason in appendix.unreadable
            )
            or False
        )
        self.state = "preview"
        return self._reopen()

    def _read_appendix(self):
        try:
            if self.source == "file":
                if not self.file:
                    raise UserError(self.env._("Choose the file of the appendix."))
                return parse_file(self.filename or "", base64.b64decode(self.file))
            if not (self.text or "").strip():
                raise UserError(self.env._("Paste the rows of the appendix."))
            if self.source == "pdf_text":
                return parse_flattened_pdf_text(self.text)
            return parse_text(self.text)
        except AppendixError as exc:
            raise UserError(
                self.env._(
                    "The appendix cannot be read: %s", translate(self.env, exc.args[0], "cchc_plan")
                )
            ) from exc

    def _matcher(self):
        candidates = []
        for agency in self.env["cchc.agency"].search([]):
            names = [agency.name, agency.short_name, *agency.alias_ids.mapped("name")]
            candidates.append(Candidate(("agency", agency.id), tuple(n for n in names if n)))
        groups = {}
        for group in self.env["cchc.agency.group"].search([]):
            names = [group.name, *group.alias_ids.mapped("name")]
            candidates.append(Candidate(("group", group.id), tuple(names)))
            groups[group.id] = group
        return AgencyMatcher(candidates), groups

    def _match(self, matcher, groups, cell, expand=False):
        """Agencies and groups named by a cell, the fragments not recognised, and what the cell
        says besides the names ("Sở Xây dựng: chủ trì …", "(thuộc Văn phòng UBND tỉnh)").

        The cell is split first (``split_agencies``): "Agency: action" parts, lists, abbreviation
        lists; words that are not agencies ("tham mưu", "có liên quan") are never offered to map.
        Groups stay groups in the preview ('Các sở, ban, ngành' is one tag, not 60); they are
        expanded to their members when the tasks are written. ``expand`` expands them now.
        """
        ids, group_ids, missing, info = [], [], [], []
        for part in split_agencies(cell or ""):
            said = "; ".join(x for x in (part.action, *part.notes) if x)
            if said:
                info.append(f"{part.name}: {said}")
            for match in matcher.match_cell(part.name):
                if match.key is None:
                    missing.append(match.text)
                    continue
                kind, rec_id = match.key
                if kind == "group" and not expand:
                    group_ids.append(rec_id)
                    continue
                found = groups[rec_id].member_ids.ids if kind == "group" else [rec_id]
                ids.extend(i for i in found if i not in ids)
        return ids, group_ids, missing, info

    def _candidate_name(self, key, groups):
        kind, rec_id = key
        if kind == "group":
            return groups[rec_id].name
        return self.env["cchc.agency"].browse(rec_id).name

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import the task appendix"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    # ---------------------------------------------------------------- step 2: confirm

    def action_confirm(self):
        self.ensure_one()
        plan = self.plan_id
        plan._check_not_closed()
        empty = self.line_ids.filtered(lambda line: not (line.content or "").strip())
        if empty:
            raise UserError(
                self.env._(
                    "Rows without content cannot become tasks (row(s) %s): write the content or "
                    "delete the row.",
                    ", ".join(str(line.sequence) for line in empty.sorted("sequence")),
                )
            )
        if self.unmapped_count:
            raise UserError(
                self.env._(
                    "%s agency name(s) are not recognised: choose the agency for each, or mark "
                    "it to ignore.",
                    self.unmapped_count,
                )
            )
        # A bulk import: no follower subscription, creation message or tracking per task;
        # the plan's chatter gets one summary below.
        quiet = self.with_context(
            mail_create_nosubscribe=True,
            mail_create_nolog=True,
            mail_notrack=True,
            tracking_disable=True,
        )
        try:
            with self.env.cr.savepoint():
                tasks = quiet._apply(plan)
        except UserError:
            raise
        except Exception as exc:
            _logger.exception("Plan import failed; nothing was imported")
            raise UserError(self.env._("Nothing was imported: %s", exc)) from exc
        plan.message_post(
            body=self.env._(
                "Imported the task appendix: %(rows)s rows (%(new)s new, %(updated)s updated).",
                rows=len(self.line_ids),
                new=len(self.line_ids) - self.update_count,
                updated=self.update_count,
            )
        )
        return plan.action_view_tasks() if tasks else {"type": "ir.actions.act_window_close"}

    def _apply(self, plan):
        Alias = self.env["cchc.agency.alias"]
        mapped = {}
        for mapping in self.mapping_ids.filtered("agency_id"):
            mapped[fold(mapping.name)] = mapping.agency_id.id
            if mapping.remember and not Alias.search_count([("name_key", "=", fold(mapping.name))]):
                Alias.create({"name": mapping.name, "agency_id": mapping.agency_id.id})
        sections = self._ensure_sections(plan)
        members = {group: group.member_ids.ids for group in self.line_ids.coordinating_group_ids}
        Task = self.env["project.task"]
        to_create = []
        for line in self.line_ids.sorted("sequence"):
            leads = line.lead_agency_ids.ids + [
                mapped[key] for key in line._unmatched_keys("lead") if key in mapped
            ]
            coords = line.coordinating_agency_ids.ids + [
                mapped[key] for key in line._unmatched_keys("coordinating") if key in mapped
            ]
            watchers = line.monitoring_agency_ids.ids + [
                mapped[key] for key in line._unmatched_keys("monitoring") if key in mapped
            ]
            for group in line.coordinating_group_ids:
                coords.extend(members[group])
            # Several leads ('Sở TT&TT VP.UBND tỉnh'): the first leads, the others co-lead and
            # are listed with the coordinating agencies so that they see and update the task.
            coords = [a for a in dict.fromkeys(leads[1:] + coords) if a not in leads[:1]]
            vals = {
                "name": line.content,
                "cchc_section_id": sections.get(line.section or ""),
                "cchc_number": line.number,
                "lead_agency_id": leads[0] if leads else False,
                "coordinating_agency_ids": [Command.set(coords)],
                "cchc_completion_phrase": line.completion,
                "monitoring_agency_ids": [Command.set(list(dict.fromkeys(watchers)))],
                "cchc_output": line.output,
                "cchc_note": line.note,
                "cchc_lead_text": line.lead_text,
                "cchc_coordinating_text": line.coordinating_text,
                "cchc_monitoring_text": line.monitoring_text,
                "cchc_budget_text": line.budget_text,
                "cchc_budget_amount": line.budget_amount,
                "cchc_budget_per": line.budget_per,
                "sequence": line.sequence,
            }
            if line.agency_actions:
                # What each agency does, as the plan says it: one paragraph per agency.
                vals["description"] = Markup("").join(
                    Markup("<p>%s</p>") % escape(text)
                    for text in line.agency_actions.split("\n")
                    if text
                )
            # Only a task of this plan is updated: the preview's link is not trusted blindly.
            if line.task_id and line.task_id.cchc_plan_id == plan:
                line.task_id._cchc_import_update(vals)
            else:
                to_create.append(dict(vals, project_id=plan.project_id.id))
        return Task.create(to_create) | self.line_ids.task_id.filtered(
            lambda task: task.cchc_plan_id == plan
        )

    def _ensure_sections(self, plan):
        Section = self.env["cchc.plan.section"]
        by_roman = {s.roman or "": s.id for s in plan.section_ids}
        for line in self.line_ids.sorted("sequence"):
            key = line.section or ""
            if key and key not in by_roman:
                by_roman[key] = Section.create(
                    {
                        "plan_id": plan.id,
                        "roman": key,
                        "name": line.section_title or key,
                        "sequence": ROMAN.index(key) if key in ROMAN else 99,
                        "area_id": self._guess_area(line.section_title),
                    }
                ).id
        return by_roman

    def _guess_area(self, title):
        """Match a section title with a reform area by its name in any installed language."""
        key = fold(title)
        if not key:
            return False
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        for area in self.env["cchc.reform.area"].search([]):
            for lang in langs:
                name = fold(area.with_context(lang=lang).name)
                if name and (key in name or name in key):
                    return area.id
        return False


class CchcPlanImportLine(models.TransientModel):
    _name = "cchc.plan.import.line"
    _description = "Appendix row to import"
    _order = "sequence"

    wizard_id = fields.Many2one("cchc.plan.import", required=True, ondelete="cascade")
    sequence = fields.Integer(string="Row")
    section = fields.Char()
    section_title = fields.Char()
    number = fields.Char(string="No.")
    content = fields.Text()
    lead_text = fields.Char(string="Lead (as written)")
    lead_agency_ids = fields.Many2many(
        "cchc.agency", "cchc_plan_import_line_lead_rel", string="Lead agencies"
    )
    coordinating_text = fields.Text(string="Coordinating (as written)")
    coordinating_agency_ids = fields.Many2many(
        "cchc.agency", "cchc_plan_import_line_coord_rel", string="Coordinating agencies"
    )
    coordinating_group_ids = fields.Many2many("cchc.agency.group", string="Coordinating groups")
    monitoring_text = fields.Text(string="Monitoring (as written)")
    monitoring_agency_ids = fields.Many2many(
        "cchc.agency", "cchc_plan_import_line_monitoring_rel", string="Monitoring agencies"
    )
    completion = fields.Char(string="Completion time")
    deadline_label = fields.Char(
        string="Derived deadline", compute="_compute_deadline", store=True, readonly=True
    )
    due_date = fields.Date(string="Due", compute="_compute_deadline", store=True, readonly=True)
    needs_review = fields.Boolean(
        string="To check", compute="_compute_deadline", store=True, readonly=True
    )
    output = fields.Text()
    note = fields.Text()
    budget_text = fields.Char(string="Budget")
    budget_amount = fields.Float(string="Budget (VND)", digits=(16, 0))
    budget_per = fields.Char(string="Per")
    inherited = fields.Char(
        string="Merged cells",
        readonly=True,
        help="Cells empty in this row and taken from the row above (merged in the table).",
    )
    agency_actions = fields.Text(
        string="What each agency does", help="From cells like 'Sở Xây dựng: chủ trì …'."
    )
    unmatched_names = fields.Text(readonly=True)
    problems = fields.Text(readonly=True)
    task_id = fields.Many2one("project.task", string="Updates task", readonly=True)

    @api.depends("completion", "wizard_id.plan_id.date_issued")
    def _compute_deadline(self):
        for line in self:
            plan = line.wizard_id.plan_id
            deadline = parse_deadline(
                line.completion or "",
                plan_date=plan.date_issued or None,
                period=(plan.year_from, plan.year_to) if plan else None,
            )
            line.deadline_label = describe(deadline)
            line.due_date = deadline.due
            line.needs_review = deadline.needs_review

    def _unmatched_keys(self, role):
        """Folded names of the cell's unrecognised fragments (the ones the user maps)."""
        try:
            names = json.loads(self.unmatched_names or "{}").get(role, [])
        except (ValueError, AttributeError):
            names = []
        return [fold(name) for name in names if fold(name)]
