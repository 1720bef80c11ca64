"""Tests for cchc_core.appendix (reading the task table of a reform plan).

Fixtures in tests/data are cut from real plans: the appendix of Bến Tre KH 1365/KH-UBND (2021)
from "PHỤ LỤC" to the end, as a user would paste it; the pages of Bình Phước QĐ 3406/QĐ-UBND
(2017) holding its appendix, flattened by a PDF viewer; the opening of Hòa Bình QĐ 2843/QĐ-UBND
(2015), a narrative plan with no table. XLSX, DOCX and CSV files are built in tmp_path.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_core.appendix import (
    MAX_BYTES,
    MAX_ROWS,
    Appendix,
    AppendixError,
    AppendixRow,
    parse_csv,
    parse_docx,
    parse_file,
    parse_flattened_pdf_text,
    parse_rows,
    parse_text,
    parse_xlsx,
)

DATA = Path(__file__).parent / "data"
# The same text the demo (cchc_demo) imports into cchc_plan.
BENTRE = (
    DATA.parent.parent / "addons" / "cchc_demo" / "demo" / "bentre_1365_appendix.txt"
).read_text(encoding="utf-8")
BINHPHUOC = (DATA / "appendix_binhphuoc_qd3406.txt").read_text(encoding="utf-8")
HOABINH = (DATA / "plan_hoabinh_qd2843_excerpt.txt").read_text(encoding="utf-8")

HEADER = [
    "SỐ\nTT",
    "NỘI DUNG THỰC HIỆN\n(Mục tiêu cụ thể)",
    "THỜI GIAN HOÀN THÀNH",
    "CƠ QUAN CHỦ TRÌ",
    "CƠ QUAN PHỐI HỢP",
]
SECTION = ["I", "Cải cách thủ tục hành chính", "", "", ""]


def fields(row: AppendixRow) -> tuple[str | None, str, str, str, str]:
    return (row.number, row.content, row.lead, row.coordinating, row.completion)


@pytest.fixture(scope="module")
def bentre() -> Appendix:
    return parse_text(BENTRE)


def table_rows(appendix: Appendix) -> list[list[str]]:
    """The Bến Tre table as it is laid out: header, a section row, then the task rows."""
    body = [
        [r.number or "", r.content, r.completion, r.lead, r.coordinating] for r in appendix.rows
    ]
    return [HEADER, SECTION, *body]


def assert_same_rows(parsed: Appendix, expected: Appendix) -> None:
    assert [fields(r) for r in parsed.rows] == [fields(r) for r in expected.rows]
    assert parsed.sections == [("I", "Cải cách thủ tục hành chính")]
    assert {(r.section, r.section_title) for r in parsed.rows} == {
        ("I", "Cải cách thủ tục hành chính")
    }
    assert all(not r.problems for r in parsed.rows)


# --------------------------------------------------------------------------------------------
# Bến Tre: one cell per line block, "|" lines between cells


def test_bentre_has_eleven_task_rows(bentre):
    assert [r.number for r in bentre.rows] == [str(n) for n in range(1, 12)]
    assert bentre.sections == []
    # Only the appendix title above the header is left out, and it is said so.
    assert [(line, reason) for line, _, reason in bentre.unreadable] == [
        (1, "1 row(s) of text before the table (title, letter, articles); not part of it")
    ]
    assert bentre.columns == {
        "number": 0,
        "content": 1,
        "completion": 2,
        "lead": 3,
        "coordinating": 4,
    }
    assert all(not r.problems for r in bentre.rows)


def test_bentre_row_one(bentre):
    row = bentre.rows[0]
    assert row.content.startswith("100 % TTHC cấp tỉnh, cấp huyện và cấp xã được giải quyết")
    assert row.content.endswith("(trừ hồ sơ công việc thuộc phạm vi bí mật nhà nước).")
    assert row.completion == "Cuối năm 2021"
    assert row.lead == "Sở TT&TT VP.UBND tỉnh"
    assert "Các sở, ban, ngành tỉnh" in row.coordinating
    assert "UBND cấp xã" in row.coordinating
    assert row.section is None and row.output == "" and row.note == ""


def test_bentre_wrapped_lines_are_joined_with_spaces(bentre):
    row2 = bentre.rows[1]
    assert "mô hình chính quyền đô thị ở thành phố Bến Tre" in row2.content
    assert "\n" not in row2.content
    # A bullet list keeps one agency per line; a wrapped agency line is joined.
    assert row2.coordinating.split("\n") == [
        "- Các sở, ban, ngành tỉnh;",
        "- UBND huyện Mỏ Cày Bắc, thành phố Bến Tre;",
        "- UBND xã Tân Phú Tây, phường An Hội.",
    ]
    assert [r.completion for r in bentre.rows[7:]] == ["Phấn đấu đến năm 2025"] * 4
    assert [r.lead for r in bentre.rows[6:8]] == ["Sở KH&CN", "Sở Tư pháp"]


def test_bentre_line_numbers_point_into_the_paste(bentre):
    lines = BENTRE.split("\n")
    assert lines[bentre.rows[0].line - 1] == "1"
    assert lines[bentre.rows[10].line - 1] == "11"


def test_bentre_whole_plan_pasted_finds_the_same_table(bentre):
    whole = "ỦY BAN NHÂN DÂN\nTỈNH BẾN TRE\n|\nKẾ HOẠCH\nnội dung dài…\n|\n" + BENTRE
    parsed = parse_text(whole)
    assert [fields(r) for r in parsed.rows] == [fields(r) for r in bentre.rows]


# --------------------------------------------------------------------------------------------
# The same table as XLSX, DOCX, CSV and pasted rows


def write_xlsx(path: Path, rows: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Ghi chú"
    notes.append(["Bảng này được xuất từ phần mềm"])  # no header here: the next sheet has it
    sheet = workbook.create_sheet("Phụ lục")
    sheet.append(["PHỤ LỤC"])
    for row in rows:
        # STT typed as a number, as people do in Excel.
        sheet.append([int(c) if c.isdigit() else c for c in row])
    workbook.save(path)
    return path.read_bytes()


def write_docx(path: Path, rows: list[list[str]]) -> bytes:
    document = docx.Document()
    document.add_paragraph("PHỤ LỤC")
    other = document.add_table(rows=1, cols=2)  # a letterhead table comes first in many plans
    other.cell(0, 0).text = "ỦY BAN NHÂN DÂN"
    other.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    table = document.add_table(rows=0, cols=5)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    document.save(path)
    return path.read_bytes()


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path.read_bytes()


@pytest.mark.parametrize(
    ("name", "writer"),
    [("bentre.xlsx", write_xlsx), ("bentre.docx", write_docx), ("bentre.csv", write_csv)],
)
def test_bentre_as_file(tmp_path, bentre, name, writer):
    data = writer(tmp_path / name, table_rows(bentre))
    assert_same_rows(parse_file(name, data), bentre)


def test_bentre_as_semicolon_csv(tmp_path, bentre):
    data = write_csv(tmp_path / "bentre.csv", table_rows(bentre), delimiter=";")
    assert_same_rows(parse_csv(data), bentre)


def test_bentre_as_tab_separated_paste(bentre):
    buffer = io.StringIO(newline="")
    # A spreadsheet copy quotes the cells that contain line breaks.
    csv.writer(buffer, delimiter="\t", lineterminator="\n").writerows(table_rows(bentre))
    parsed = parse_text("Danh mục mục tiêu cụ thể\n\n" + buffer.getvalue())
    assert_same_rows(parsed, bentre)


def test_pipe_rows_one_per_line():
    text = (
        "| STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời hạn | Kết quả |\n"
        "|---|---|---|---|---|---|\n"
        "| II | CẢI CÁCH THỦ TỤC HÀNH CHÍNH | | | | |\n"
        "| 1 | Rà soát TTHC | Văn phòng UBND tỉnh | Các sở, ban, ngành | Quý II/2024 | Báo cáo |\n"
        "| 2. | Công bố TTHC | Sở Tư pháp | | Thường xuyên | |\n"
    )
    parsed = parse_text(text)
    assert parsed.columns == {
        "number": 0,
        "content": 1,
        "lead": 2,
        "coordinating": 3,
        "completion": 4,
        "output": 5,
    }
    assert parsed.sections == [("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH")]
    first, second = parsed.rows
    assert (first.number, first.lead, first.completion, first.output) == (
        "1",
        "Văn phòng UBND tỉnh",
        "Quý II/2024",
        "Báo cáo",
    )
    assert (second.number, second.coordinating, second.line) == ("2", "", 5)
    assert second.section == "II"


def test_xlsx_merged_section_title_and_header_line_breaks(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["SỐ\nTT", "Nội dung", "Chủ trì", "Phối hợp", "Thời gian"])
    sheet.append(["I. CẢI CÁCH THỂ CHẾ"])
    sheet.merge_cells("A2:E2")
    sheet.append([1, "Rà soát văn bản QPPL", "Sở Tư pháp", None, 2024])
    sheet.append([1.5, "Kiểm tra văn bản", "Sở Tư pháp", None, "Thường xuyên"])
    workbook.save(tmp_path / "t.xlsx")
    parsed = parse_xlsx((tmp_path / "t.xlsx").read_bytes())
    assert parsed.sections == [("I", "CẢI CÁCH THỂ CHẾ")]
    assert [(r.number, r.completion, r.section, r.line) for r in parsed.rows] == [
        ("1", "2024", "I", 3),
        ("1.5", "Thường xuyên", "I", 4),
    ]


def test_docx_merged_cells_are_read_once(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=4)
    for cell, text in zip(
        table.rows[0].cells, ["TT", "Nội dung", "Chủ trì", "Ghi chú"], strict=True
    ):
        cell.text = text
    merged = table.cell(1, 0).merge(table.cell(1, 3))
    merged.text = "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"
    row = table.rows[2].cells
    row[0].text = "1"
    content = row[1].merge(row[2])  # content spread over two grid columns
    content.text = "Niêm yết TTHC"
    row[3].text = "Hoàn thành trong quý"
    document.save(tmp_path / "t.docx")
    parsed = parse_docx((tmp_path / "t.docx").read_bytes())
    assert parsed.sections == [("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH")]
    (task,) = parsed.rows
    # The merged content cell is read once, so the lead column is empty, not a copy of it.
    assert (task.content, task.lead, task.note) == ("Niêm yết TTHC", "", "Hoàn thành trong quý")
    assert task.problems == ["no lead agency (Cơ quan chủ trì)"]


# --------------------------------------------------------------------------------------------
# parse_rows: headers, sections, odd rows


def test_header_found_below_a_title_with_column_numbers():
    rows = [
        ["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024"],
        ["(Ban hành kèm theo Quyết định số 12/QĐ-UBND)"],
        ["Số TT", "Nội dung công việc", "Cơ quan chủ trì", "Sản phẩm", "Ghi chú"],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["1", "Xây dựng kế hoạch", "Sở Nội vụ", "Kế hoạch", ""],
        ["Số TT", "Nội dung công việc", "Cơ quan chủ trì", "Sản phẩm", "Ghi chú"],
        ["a)", "Lấy ý kiến", "Sở Nội vụ", "", "trước 30/6"],
    ]
    parsed = parse_rows(rows)
    assert [(r.number, r.content, r.line) for r in parsed.rows] == [
        ("1", "Xây dựng kế hoạch", 5),
        ("a", "Lấy ý kiến", 7),
    ]
    assert parsed.rows[1].note == "trước 30/6"
    assert parsed.columns["output"] == 3


def test_task_row_with_header_words_is_not_a_repeated_header():
    rows = [
        ["STT", "Nội dung", "Cơ quan chủ trì", "Sản phẩm"],
        ["1", "Báo cáo kết quả", "Sở Nội vụ chủ trì", "Kết quả"],
    ]
    (row,) = parse_rows(rows).rows
    assert (row.content, row.lead, row.output) == (
        "Báo cáo kết quả",
        "Sở Nội vụ chủ trì",
        "Kết quả",
    )


def test_two_row_header():
    rows = [
        ["STT", "Nhiệm vụ", "Cơ quan thực hiện", "", "Thời gian hoàn thành"],
        ["", "", "Chủ trì", "Phối hợp", ""],
        ["1", "Đo lường sự hài lòng", "Sở Nội vụ", "UBND cấp huyện", "Quý IV"],
    ]
    parsed = parse_rows(rows)
    assert parsed.columns == {
        "number": 0,
        "content": 1,
        "lead": 2,
        "coordinating": 3,
        "completion": 4,
    }
    assert fields(parsed.rows[0]) == (
        "1",
        "Đo lường sự hài lòng",
        "Sở Nội vụ",
        "UBND cấp huyện",
        "Quý IV",
    )


def test_sections_in_number_or_content_column():
    rows = [
        ["TT", "Nội dung", "Chủ trì"],
        ["I", "Cải cách thể chế", ""],
        ["1", "Rà soát", "Sở Tư pháp"],
        ["", "II. Cải cách tài chính công", ""],
        ["1", "Giao tự chủ", "Sở Tài chính"],
        ["III", "Hiện đại hóa", "Sở TT&TT"],
        ["", "HIỆN ĐẠI HÓA HÀNH CHÍNH", ""],
    ]
    parsed = parse_rows(rows)
    assert parsed.sections == [
        ("I", "Cải cách thể chế"),
        ("II", "Cải cách tài chính công"),
        ("III", "Hiện đại hóa"),
    ]
    assert [(r.section, r.number, r.content) for r in parsed.rows] == [
        ("I", "1", "Rà soát"),
        ("II", "1", "Giao tự chủ"),
    ]
    reasons = [reason for _, _, reason in parsed.unreadable]
    assert any("section row also names agencies" in reason for reason in reasons)
    assert any("heading row without a Roman numeral" in reason for reason in reasons)


def test_row_problems_are_reported():
    rows = [
        ["STT", "Nội dung", "Chủ trì"],
        ["1", "Việc không có cơ quan", ""],
        ["x.y.z", "Việc có số lạ", "Sở Nội vụ", "thừa"],
        ["2", "", "Sở Nội vụ"],
        ["", "", "Sở Tư pháp"],
        ["", "", ""],
        ["", "Ghi chú cuối bảng", ""],
    ]
    parsed = parse_rows(rows)
    assert [r.problems for r in parsed.rows] == [
        ["no lead agency (Cơ quan chủ trì)"],
        [
            "the STT cell 'x.y.z' does not look like a number",
            "1 cell(s) beyond the header were ignored",
        ],
        ["no content (Nội dung)"],
        # A row with only an agency is the task's next responsible agency (a sub-row).
        ["no content (Nội dung)", "cells taken from the row above (merged): number"],
        ["no lead agency (Cơ quan chủ trì)"],
    ]
    assert [(r.key, r.lead, r.inherited) for r in parsed.rows[2:4]] == [
        ("2", "Sở Nội vụ", []),
        ("2/2", "Sở Tư pháp", ["number"]),
    ]
    assert parsed.unreadable == []


# --------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    "rows",
    [
        [["STT", "Nội dung", "Thời gian"], ["1", "Việc", "2024"]],
        [["STT", "Cơ quan chủ trì", "Thời gian"], ["1", "Sở Nội vụ", "2024"]],
    ],
)
def test_missing_required_column(rows):
    with pytest.raises(AppendixError, match="has no"):
        parse_rows(rows)


def test_missing_lead_message_names_the_column():
    with pytest.raises(AppendixError, match=r"Cơ quan chủ trì \(lead\)"):
        parse_text("STT\tNội dung\tPhối hợp\n1\tViệc\tSở Nội vụ\n")


@pytest.mark.parametrize("rows", [[], [[]], [["", "  "], [""]]])
def test_empty_rows(rows):
    with pytest.raises(AppendixError, match="empty"):
        parse_rows(rows)


@pytest.mark.parametrize("text", ["", "  \n\n", "|\n|\n"])
def test_empty_text(text):
    with pytest.raises(AppendixError, match="empty"):
        parse_text(text)


def test_empty_csv():
    with pytest.raises(AppendixError, match="empty"):
        parse_csv(b"")


def test_header_without_rows():
    with pytest.raises(AppendixError, match="no task rows"):
        parse_text("STT | Nội dung | Chủ trì\n")


def test_no_header():
    with pytest.raises(AppendixError, match="no header"):
        parse_rows([["a", "b"], ["1", "2"]])


@pytest.mark.parametrize(
    ("parser", "data"),
    [
        (parse_xlsx, b"PK\x03\x04 not really a zip"),
        (parse_xlsx, b""),
        (parse_docx, b"PK\x03\x04 not really a zip"),
        (parse_docx, b"plain text"),
    ],
)
def test_corrupt_files(parser, data):
    with pytest.raises(AppendixError, match="could not read"):
        parser(data)


def test_xlsx_bytes_given_as_docx(tmp_path, bentre):
    data = write_xlsx(tmp_path / "t.xlsx", table_rows(bentre))
    with pytest.raises(AppendixError, match="could not read the DOCX"):
        parse_docx(data)


def test_docx_without_table(tmp_path):
    document = docx.Document()
    document.add_paragraph("Kế hoạch không có phụ lục")
    document.save(tmp_path / "t.docx")
    with pytest.raises(AppendixError, match="no table"):
        parse_docx((tmp_path / "t.docx").read_bytes())


def test_xlsx_without_header(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Họ tên", "Điện thoại"])
    workbook.save(tmp_path / "t.xlsx")
    with pytest.raises(AppendixError, match="no header"):
        parse_xlsx((tmp_path / "t.xlsx").read_bytes())


@pytest.mark.parametrize("name", ["plan.xls", "plan.doc", "plan.pdf", "plan", "plan.odt"])
def test_unknown_extension(name):
    with pytest.raises(AppendixError, match="unsupported file type"):
        parse_file(name, "STT,Nội dung,Chủ trì\n1,Việc,Sở Nội vụ\n".encode())


def test_too_large():
    with pytest.raises(AppendixError, match="larger than 20 MB"):
        parse_csv(b" " * (MAX_BYTES + 1))
    with pytest.raises(AppendixError, match="larger than 20 MB"):
        parse_text("x" * (MAX_BYTES + 1))


def test_too_many_rows():
    rows = [["STT", "Nội dung", "Chủ trì"]] + [[str(n), "Việc", "Sở"] for n in range(MAX_ROWS)]
    with pytest.raises(AppendixError, match="more than 20000 rows"):
        parse_rows(rows)
    # One row fewer is fine.
    assert len(parse_rows(rows[:-1]).rows) == MAX_ROWS - 1


# --------------------------------------------------------------------------------------------
# Encodings


def to_cp1258(text: str) -> bytes:
    """Windows-1258 the way old Vietnamese exports write it: tone marks as combining marks."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


def test_csv_cp1258_semicolons():
    text = "STT;Nội dung;Cơ quan chủ trì;Thời hạn\n1;Rà soát thủ tục;Sở Nội vụ;Quý I/2024\n"
    data = to_cp1258(text)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    (row,) = parse_csv(data).rows
    assert (row.content, row.lead, row.completion) == ("Rà soát thủ tục", "Sở Nội vụ", "Quý I/2024")


def test_csv_utf16_from_excel_unicode_text():
    data = "STT\tNội dung\tChủ trì\n1\tViệc\tSở Nội vụ\n".encode("utf-16")
    assert parse_csv(data).rows[0].lead == "Sở Nội vụ"


def test_nfd_text_is_normalised():
    text = unicodedata.normalize("NFD", "STT|Nội dung|Chủ trì\n1|Rà soát|Sở Nội vụ\n")
    row = parse_text(text).rows[0]
    assert row.lead == "Sở Nội vụ" == unicodedata.normalize("NFC", row.lead)


# --------------------------------------------------------------------------------------------
# Bình Phước: appendix flattened from a PDF


@pytest.fixture(scope="module")
def binhphuoc() -> Appendix:
    return parse_flattened_pdf_text(BINHPHUOC)


def test_binhphuoc_sections(binhphuoc):
    assert binhphuoc.sections == [
        ("I", "Cải cách thể chế"),
        ("II", "Cải cách thủ tục hành chính"),
        ("III", "Cải cách tổ chức bộ máy"),
        ("IV", "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức"),
        ("V", "Cải cách tài chính công"),
        ("VI", "Hiện đại hóa nền hành chính nhà nước"),
        ("VII", "Công tác chỉ đạo điều hành và tuyên truyền cải cách hành chính"),
    ]


def test_binhphuoc_row_numbers(binhphuoc):
    by_section: dict[str | None, list[str | None]] = {}
    for row in binhphuoc.rows:
        by_section.setdefault(row.section, []).append(row.number)
    as_text = [str(n) for n in range(1, 12)]
    assert by_section == {
        "I": as_text[:3],
        "II": as_text[:7],
        "III": as_text[:5],
        "IV": as_text[:4],
        "V": as_text[:5],
        # The plan itself numbers the last row of section VI "13" after "10".
        "VI": [*as_text[:10], "13"],
        "VII": as_text[:11],
    }
    last = binhphuoc.rows[[r.section for r in binhphuoc.rows].index("VII") - 1]
    assert "expected number 11 before 13" in last.problems


def test_binhphuoc_content_and_completion(binhphuoc):
    rows = {(r.section, r.number): r for r in binhphuoc.rows}
    first = rows["I", "1"]
    assert first.content.startswith(
        "Chỉ đạo việc xây dựng, thẩm định và ban hành các văn bản quy phạm pháp luật"
    )
    assert first.completion == "Trong năm 2018"
    assert first.section_title == "Cải cách thể chế"
    assert rows["I", "2"].content.startswith("Thường xuyên kiểm tra rà soát văn bản")
    assert rows["I", "2"].completion == "Thường xuyên trong năm"
    assert rows["II", "2"].content.startswith("Cập nhật thủ tục hành chính trên trang")
    assert rows["VI", "4"].content.startswith("Xây dựng và triển khai Kiến trúc Chính quyền")
    assert rows["VI", "4"].completion == "Quý I/2018"
    assert rows["III", "3"].completion == "Quý I, II/2018"
    assert rows["VII", "3"].completion == "Thường xuyên"
    assert rows["VII", "7"].completion == "Hàng quý, 6 tháng và năm hoặc đột xuất"
    completions = [r.completion for r in binhphuoc.rows]
    assert {"Trong năm 2018", "Thường xuyên trong năm", "Quý I/2018"} <= set(completions)
    # Only "Khi có văn bản của Bộ Nội vụ" (VII.6) is not a phrase the reader knows.
    assert sum(bool(c) for c in completions) >= 45
    assert rows["VII", "6"].problems[-1] == "completion not recovered"
    assert all(r.content[:1].isupper() for r in binhphuoc.rows)


def test_binhphuoc_never_invents_agencies(binhphuoc):
    assert all(r.lead == "" and r.coordinating == "" for r in binhphuoc.rows)
    assert all(
        "lead agency not recovered (columns interleaved): set it by hand" in r.problems
        for r in binhphuoc.rows
    )
    assert binhphuoc.unreadable
    reasons = [reason for _, _, reason in binhphuoc.unreadable]
    assert reasons[0].startswith("table header flattened")
    assert "row I.1: agencies and the other cells could not be separated" in reasons
    # The raw text of a row keeps what was not read, e.g. the lead agency of row I.1.
    raw_i1 = binhphuoc.unreadable[
        reasons.index("row I.1: agencies and the other cells could not be separated")
    ][1]
    assert "Sở Tư pháp" in raw_i1
    # Rows point at the source line (a whole PDF page) that holds their STT.
    lines = unicodedata.normalize("NFC", BINHPHUOC).replace("\xa0", " ").split("\n")
    assert binhphuoc.rows[0].line == 2
    assert " 1 Sở Tư pháp năm" in lines[1]


def test_binhphuoc_through_parse_file(binhphuoc):
    parsed = parse_file("qd3406.txt", BINHPHUOC.encode("utf-8"))
    assert [fields(r) for r in parsed.rows] == [fields(r) for r in binhphuoc.rows]
    # parse_text alone wants cell separators and says so.
    with pytest.raises(AppendixError, match="no table found in the text"):
        parse_text(BINHPHUOC)


def test_narrative_plan_has_no_table():
    for parser in (parse_text, parse_flattened_pdf_text):
        with pytest.raises(AppendixError):
            parser(HOABINH)
    with pytest.raises(AppendixError, match="no header|no table|no appendix"):
        parse_file("qd2843.txt", HOABINH.encode("utf-8"))


# --------------------------------------------------------------------------------------------
# Fuzz: an Appendix or an AppendixError, never anything else

PIECES = st.sampled_from(
    [
        "|", "\t", "\n", "\r\n", " ", ",", ";", '"', "I", "II", "IV.", "1", "2", "13", "STT",
        "SỐ\nTT", "Nội dung", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian", "Ghi chú",
        "Sở Nội vụ", "Trong năm 2018", "Quý I/2018", "a)", "Đ", "\x00", "-", ".", "  ",
        "         ", "  12. ", "x" * 220,
    ]
)  # fmt: skip
TABLEISH = st.lists(PIECES, max_size=80).map("".join)


def read_or_refuse(parser, data) -> None:
    try:
        result = parser(data)
    except AppendixError as exc:
        assert str(exc)
        return
    assert isinstance(result, Appendix)
    assert all(isinstance(r, AppendixRow) for r in result.rows)


@settings(max_examples=300, deadline=None)
@given(st.one_of(TABLEISH, st.text(max_size=400)))
def test_fuzz_parse_text(text):
    read_or_refuse(parse_text, text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(TABLEISH, st.text(max_size=400)))
def test_fuzz_parse_csv_text(text):
    read_or_refuse(parse_csv, text)


@settings(max_examples=200, deadline=None)
@given(st.one_of(TABLEISH.map(lambda t: t.encode("utf-8")), st.binary(max_size=400)))
def test_fuzz_parse_csv_bytes(data):
    read_or_refuse(parse_csv, data)


@settings(max_examples=200, deadline=None)
@given(st.one_of(TABLEISH, st.text(max_size=400)))
def test_fuzz_parse_flattened(text):
    read_or_refuse(parse_flattened_pdf_text, text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(["a.xlsx", "a.docx", "a.txt", "a.csv"]))
def test_fuzz_parse_file(data, name):
    read_or_refuse(lambda d: parse_file(name, d), data)
