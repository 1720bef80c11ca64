import base64
import re

from odoo import Command, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.cchc_base.tools.translate import translate

from cchc_core.catalogue import CatalogueError, parse_file
from cchc_core.text import fold

_AGENCY_SEPARATORS = re.compile(r"\s*(?:;|\n|\+|,\s+(?=(?:UBND|Sở|Ủy ban|Văn phòng|Ban|Thuế)))\s*")


class CchcOnestopProcedureImport(models.TransientModel):
    """Import the catalogue of procedures from a published list (XLSX or CSV), all or nothing.

    Procedures are matched by national code (by name when the list has no codes) and updated
    with the columns the list has; new fields (lĩnh vực) are created; an unknown column, an
    unreadable processing time or an agency nobody knows refuses the whole file.
    """

    _name = "cchc.onestop.procedure.import"
    _description = "Import procedures"

    file = fields.Binary(required=True, attachment=False)
    filename = fields.Char()
    default_agency_id = fields.Many2one(
        "cchc.agency",
        string="Competent agency",
        help="For the rows that name no agency (a list published by one agency).",
    )
    receiving_agency_ids = fields.Many2many(
        "cchc.agency",
        string="Also received at",
        help="Desks that receive every procedure of the list, e.g. the public service centre.",
    )
    state = fields.Selection([("upload", "Upload"), ("done", "Done")], default="upload")
    created_count = fields.Integer(readonly=True)
    updated_count = fields.Integer(readonly=True)
    field_count = fields.Integer(string="New fields", readonly=True)
    procedure_ids = fields.Many2many("cchc.onestop.procedure", readonly=True)

    def action_import(self):
        self.ensure_one()
        catalogue = self._read()
        plan, problems = self._plan(catalogue)
        if problems:
            raise UserError(
                self.env._("The list cannot be imported; nothing was saved:")
                + "\n"
                + "\n".join(f"- {p}" for p in problems)
            )
        try:
            with self.env.cr.savepoint():
                procedures, created, new_fields = self._apply(catalogue, plan)
        except ValidationError as exc:
            raise UserError(
                self.env._("The list cannot be imported; nothing was saved: %s", exc.args[0])
            ) from exc
        self.write(
            {
                "state": "done",
                "created_count": created,
                "updated_count": len(procedures) - created,
                "field_count": new_fields,
                "procedure_ids": [Command.set(procedures.ids)],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import procedures"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_view_procedures(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported procedures"),
            "res_model": "cchc.onestop.procedure",
            "view_mode": "list,form",
            "domain": [("id", "in", self.procedure_ids.ids)],
        }

    # ---------------------------------------------------------------- steps

    def _read(self):
        if not self.file:
            raise UserError(self.env._("Choose the file of the list."))
        try:
            return parse_file(self.filename or "", base64.b64decode(self.file))
        except CatalogueError as exc:
            problems = exc.problems or [exc.args[0]]
            raise UserError(
                self.env._("The list cannot be imported; nothing was saved:")
                + "\n"
                + "\n".join(f"- {translate(self.env, p, 'cchc_onestop')}" for p in problems)
            ) from exc

    def _plan(self, catalogue):
        """Match each row with a procedure and agencies; every problem at once."""
        Procedure = self.env["cchc.onestop.procedure"].with_context(active_test=False)
        codes = [row.code for row in catalogue.rows if row.code]
        by_code = {p.code.upper(): p for p in Procedure.search([("code", "in", codes)])}
        keys = [fold(row.name) for row in catalogue.rows if not row.code]
        by_name = {}
        for procedure in Procedure.search([("name_key", "in", keys)]) if keys else []:
            by_name.setdefault(procedure.name_key, procedure)
        plan, problems, names_seen = [], [], {}
        for row in catalogue.rows:
            if row.code:
                procedure = by_code.get(row.code.upper())
            else:
                key = fold(row.name)
                if key in names_seen:
                    problems.append(
                        self.env._(
                            "row %(row)s: the procedure '%(name)s' is already on row %(other)s",
                            row=row.line,
                            name=row.name,
                            other=names_seen[key],
                        )
                    )
                names_seen.setdefault(key, row.line)
                procedure = by_name.get(key)
            agencies = self.env["cchc.agency"]
            if row.agency:
                agencies, unknown = self._agencies(row.agency)
                if unknown:
                    names = ", ".join("'%s'" % name for name in unknown)
                    problems.append(
                        self.env._(
                            "row %(row)s: no agency is named %(names)s (add it as an alias of "
                            "the agency, or choose the competent agency and empty the cell)",
                            row=row.line,
                            names=names,
                        )
                    )
            elif self.default_agency_id:
                agencies = self.default_agency_id
            plan.append((row, procedure, agencies))
        return plan, problems

    def _agencies(self, text):
        Agency = self.env["cchc.agency"]
        found = Agency.resolve_names(text)
        if found:
            return found, []
        unknown = []
        for part in filter(None, _AGENCY_SEPARATORS.split(text)):
            agencies = Agency.resolve_names(part)
            if agencies:
                found |= agencies
            else:
                unknown.append(part)
        return found, unknown

    def _apply(self, catalogue, plan):
        columns = catalogue.columns
        Field = self.env["cchc.onestop.field"].with_context(active_test=False)
        fields_by_key = {}
        wanted = {fold(row.field): row.field for row, _p, _a in plan if row.field}
        for field in Field.search([("name_key", "in", list(wanted))]) if wanted else []:
            fields_by_key.setdefault(field.name_key, field)
        new_fields = Field.create(
            [{"name": name} for key, name in wanted.items() if key not in fields_by_key]
        )
        for field in new_fields:
            fields_by_key[field.name_key] = field
        Procedure = self.env["cchc.onestop.procedure"]
        created_vals, procedures = [], Procedure
        for row, procedure, agencies in plan:
            vals = {"name": row.name}
            if row.code:
                vals["code"] = row.code
            if row.number and row.number.isdigit():
                vals["sequence"] = int(row.number)
            if row.field:
                vals["field_id"] = fields_by_key[fold(row.field)].id
            if "time" in columns:
                days, hours = row.time_limit
                vals.update(
                    time_unit="hour" if hours else "day",
                    time_limit=hours or days,
                    time_text=row.time_text,
                )
            if "fees" in columns:
                vals.update(fee_text=row.fees, fee_amount=row.fee_amount or 0.0)
            if "mode" in columns:
                vals["online_mode"] = row.mode
            if "postal" in columns:
                vals["postal_service"] = bool(row.postal)
            if row.legal_basis:
                vals["legal_basis"] = row.legal_basis
            if row.note:
                vals["note"] = row.note
            receiving = agencies | self.receiving_agency_ids
            if len(agencies) == 1:
                vals["competent_agency_id"] = agencies.id
            if receiving:
                vals["agency_ids"] = [Command.link(a.id) for a in receiving]
            if procedure:
                procedure.write(vals)
                procedures |= procedure
            else:
                created_vals.append(vals)
        created = Procedure.create(created_vals)
        return procedures | created, len(created), len(new_fields)
