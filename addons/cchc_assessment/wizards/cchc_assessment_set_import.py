import base64
import io
import re

from odoo import Command, fields, models
from odoo.exceptions import UserError, ValidationError

from cchc_core.text import fold

# Folded header → field. STT, criterion, maximum points and method are required.
HEADERS = {
    "stt": "code",
    "tieu chi": "name",
    "noi dung": "name",
    "linh vuc, tieu chi": "name",
    "linh vuc/tieu chi": "name",
    "diem toi da": "max_points",
    "phuong thuc": "method",
    "phuong thuc cham": "method",
    "phuong phap": "method",
    "huong dan": "guidance",
    "nguon": "source",
    "nguon chi so": "source",
    "bang diem": "bands",
}
REQUIRED = ("code", "name", "max_points", "method")
METHOD_WORDS = (
    ("dieu tra", "survey"),
    ("xa hoi hoc", "survey"),
    ("survey", "survey"),
    ("tu dong", "computed"),
    ("he thong", "computed"),
    ("du lieu", "computed"),
    ("computed", "computed"),
    ("tu cham", "self"),
    ("tu danh gia", "self"),
    ("self", "self"),
)
ROMAN = re.compile(r"^[IVXLC]+\.?$")


class CchcAssessmentSetImport(models.TransientModel):
    """A criteria set from the province's decision as an XLSX table: STT, criterion, maximum
    points, method (and optionally guidance, indicator source, points table). Everything or
    nothing is imported; an unknown column is reported, never ignored."""

    _name = "cchc.assessment.set.import"
    _description = "Import a criteria set"

    name = fields.Char(required=True)
    year = fields.Integer(required=True, default=lambda self: fields.Date.today().year)
    agency_kind = fields.Selection(
        lambda self: self.env["cchc.assessment.set"]._fields["agency_kind"].selection,
        string="Kind of agency",
        required=True,
        default="department",
    )
    decision = fields.Char()
    total_points = fields.Float(default=100.0, required=True)
    file = fields.Binary(string="XLSX file", required=True)
    filename = fields.Char()

    def action_import(self):
        self.ensure_one()
        self.env["cchc.assessment.set"]._check_coordinator()
        rows = self._read_rows(base64.b64decode(self.file))
        with self.env.cr.savepoint():
            set_ = self.env["cchc.assessment.set"].create(
                {
                    "name": self.name,
                    "year": self.year,
                    "agency_kind": self.agency_kind,
                    "decision": self.decision,
                    "total_points": self.total_points,
                }
            )
            self._create_criteria(set_, rows)
            set_._check_points()
        return {
            "type": "ir.actions.act_window",
            "res_model": "cchc.assessment.set",
            "res_id": set_.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------ reading

    def _read_rows(self, data):
        try:
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise UserError(self.env._("The file is not an XLSX workbook: %s", exc)) from exc
        sheet = book.worksheets[0]
        rows = [
            [("" if cell is None else str(cell)).strip() for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        rows = [row for row in rows if any(row)]
        if not rows:
            raise UserError(self.env._("The file is empty."))
        header, *body = rows
        columns, unknown = {}, []
        for index, label in enumerate(header):
            if not label:
                continue
            key = HEADERS.get(fold(label).strip(" :"))
            if key:
                columns[key] = index
            else:
                unknown.append(label)
        missing = [key for key in REQUIRED if key not in columns]
        if unknown or missing:
            labels = {
                "code": "STT",
                "name": self.env._("Criterion"),
                "max_points": self.env._("Maximum points"),
                "method": self.env._("Method"),
            }
            problems = []
            if unknown:
                problems.append(
                    self.env._("unknown columns: %(columns)s", columns=", ".join(unknown))
                )
            if missing:
                problems.append(
                    self.env._(
                        "missing columns: %(columns)s",
                        columns=", ".join(labels[key] for key in missing),
                    )
                )
            raise UserError(
                self.env._(
                    "The table cannot be imported (%(problems)s). The columns are: STT, "
                    "Tiêu chí, Điểm tối đa, Phương thức, and optionally Hướng dẫn, Nguồn, "
                    "Bảng điểm.",
                    problems="; ".join(problems),
                )
            )
        parsed = []
        for number, row in enumerate(body, start=2):
            cells = {key: row[index] if index < len(row) else "" for key, index in columns.items()}
            parsed.append(self._parse_row(number, cells))
        return parsed

    def _parse_row(self, number, cells):
        def error(message):
            return ValidationError(
                self.env._("Row %(row)s: %(message)s", row=number, message=message)
            )

        code = cells["code"].rstrip(".")
        if not code or not cells["name"]:
            raise error(self.env._("STT and criterion are required."))
        if ROMAN.match(code):
            level = "area"
        elif re.fullmatch(r"\d+", code):
            level = "criterion"
        elif re.fullmatch(r"\d+(\.\d+)+", code):
            level = "sub"
        else:
            raise error(self.env._("'%(code)s' is not an STT (I, 1, 1.1).", code=code))
        try:
            max_points = float(cells["max_points"].replace(",", "."))
        except ValueError as exc:
            raise error(
                self.env._("'%(value)s' is not a number of points.", value=cells["max_points"])
            ) from exc
        method_text = fold(cells.get("method") or "")
        method = next((m for word, m in METHOD_WORDS if word in method_text), None)
        if method is None and level != "area" and method_text:
            raise error(
                self.env._(
                    "'%(value)s' is not a method (tự chấm, tính từ dữ liệu hệ thống, điều tra "
                    "xã hội học).",
                    value=cells["method"],
                )
            )
        source = self.env["cchc.indicator.source"]
        if cells.get("source"):
            source = source.search([("code", "=", cells["source"])], limit=1)
            if not source:
                raise error(
                    self.env._("no indicator source has the code %(code)s.", code=cells["source"])
                )
        bands = []
        for part in filter(None, (cells.get("bands") or "").split(";")):
            try:
                threshold, points = (float(x.replace(",", ".")) for x in part.split(":"))
            except ValueError as exc:
                raise error(
                    self.env._("'%(value)s' is not a points table (figure:points; …).", value=part)
                ) from exc
            bands.append(Command.create({"threshold": threshold, "points": points}))
        return {
            "level": level,
            "code": code,
            "name": cells["name"],
            "max_points": max_points,
            "method": method or "self",
            "guidance": cells.get("guidance") or False,
            "source_id": source.id,
            "band_ids": bands,
        }

    def _create_criteria(self, set_, rows):
        Criterion = self.env["cchc.assessment.criterion"]
        area = criterion = None
        for sequence, row in enumerate(rows, start=1):
            level = row.pop("level")
            parent = {"area": None, "criterion": area, "sub": criterion}[level]
            if level != "area" and parent is None:
                raise ValidationError(
                    self.env._(
                        "%(code)s %(name)s comes before the item it belongs to.",
                        code=row["code"],
                        name=row["name"],
                    )
                )
            record = Criterion.create(
                dict(
                    row,
                    set_id=set_.id,
                    parent_id=parent.id if parent else False,
                    sequence=sequence,
                )
            )
            if level == "area":
                area, criterion = record, None
            elif level == "criterion":
                criterion = record
