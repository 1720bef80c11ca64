"""The shapes of issue 15 one by one: merged cells in Word, several sheets, cells that say more
than one thing. The corpus test (test_plan_corpus.py) measures them on whole appendices."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_core.appendix import AppendixError, parse_docx, parse_text, parse_xlsx
from cchc_core.appendix.cells import parse_budget, split_agencies

HEADER = ["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành", "Cơ quan theo dõi"]


def test_docx_vertically_merged_cells_are_inherited_and_marked():
    document = docx.Document()
    document.add_paragraph("QUYẾT ĐỊNH")
    document.add_paragraph("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch …")
    table = document.add_table(rows=4, cols=5)
    for column, label in enumerate(HEADER):
        table.cell(0, column).text = label
    values = ["2", "Số hóa kết quả giải quyết TTHC", "Sở TT&TT", "Cuối năm 2025", "Sở Nội vụ"]
    for column, value in enumerate(values):
        table.cell(1, column).text = value
    table.cell(2, 2).text = "VP.UBND tỉnh"
    table.cell(3, 0).text = "3"
    table.cell(3, 1).text = "Chỉ số PAR-INDEX"
    table.cell(3, 2).text = "Sở Nội vụ"
    for column in (0, 1, 3, 4):  # STT, content, deadline and monitoring merged over two rows
        table.cell(1, column).merge(table.cell(2, column))
    out = io.BytesIO()
    document.save(out)
    parsed = parse_docx(out.getvalue())
    assert [(r.key, r.lead, r.content, r.completion) for r in parsed.rows] == [
        ("2", "Sở TT&TT", "Số hóa kết quả giải quyết TTHC", "Cuối năm 2025"),
        ("2/2", "VP.UBND tỉnh", "Số hóa kết quả giải quyết TTHC", "Cuối năm 2025"),
        ("3", "Sở Nội vụ", "Chỉ số PAR-INDEX", ""),
    ]
    assert parsed.rows[1].inherited == ["number", "content", "completion", "monitoring"]
    assert parsed.rows[0].inherited == [] and parsed.rows[0].monitoring == "Sở Nội vụ"
    # The decision's text around the table is reported, not read.
    assert parsed.unreadable[0][2].startswith("2 paragraph(s) of text outside the tables")


def test_xlsx_every_sheet_with_a_task_table_is_read_and_the_others_reported():
    workbook = openpyxl.Workbook()
    cover = workbook.active
    cover.title = "Bìa"
    cover.append(["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024"])
    for title, lead in (("Phụ lục I", "Sở Nội vụ"), ("Phụ lục II", "Sở Tư pháp")):
        sheet = workbook.create_sheet(title)
        sheet.append(HEADER)
        sheet.append([1, f"Nhiệm vụ của {lead}", lead, "Quý I/2024", None])
    out = io.BytesIO()
    workbook.save(out)
    parsed = parse_xlsx(out.getvalue())
    assert [r.lead for r in parsed.rows] == ["Sở Nội vụ", "Sở Tư pháp"]
    assert len(parsed.tables) == 2
    assert any("sheet 'Bìa' not read" in reason for _, _, reason in parsed.unreadable)


def test_area_headings_in_arabic_numerals_are_not_tasks():
    text = "\n".join(
        [
            "| TT | Nội dung | Cơ quan chủ trì | Thời gian hoàn thành |",
            "| 1. | Cải cách thể chế | | |",
            "| a) | Rà soát văn bản quy phạm pháp luật | Sở Tư pháp | Quý II/2024 |",
            "| b) | Kiểm tra văn bản | Sở Tư pháp | Quý IV/2024 |",
            "| 2. | Cải cách thủ tục hành chính | | |",
            "| a) | Công bố thủ tục hành chính | VP.UBND tỉnh | Thường xuyên |",
        ]
    )
    parsed = parse_text(text)
    assert parsed.sections == [("1", "Cải cách thể chế"), ("2", "Cải cách thủ tục hành chính")]
    assert [(r.section, r.key) for r in parsed.rows] == [("1", "a"), ("1", "b"), ("2", "a")]


def test_arabic_areas_under_roman_sections_prefix_the_task_number():
    text = "\n".join(
        [
            "| STT | Nội dung | Chủ trì |",
            "| I | CẢI CÁCH THỂ CHẾ | |",
            "| 1 | Xây dựng văn bản | |",
            "| a | Ban hành quy định phân cấp | Sở Nội vụ |",
            "| 2 | Theo dõi thi hành pháp luật | Sở Tư pháp |",
        ]
    )
    parsed = parse_text(text)
    assert [(r.section, r.key, r.lead) for r in parsed.rows] == [
        ("I", "1.a", "Sở Nội vụ"),
        ("I", "2", "Sở Tư pháp"),
    ]


def test_a_task_without_lead_is_still_a_task_when_nothing_deeper_follows():
    parsed = parse_text(
        "| STT | Nội dung | Chủ trì |\n| 1 | Việc chưa giao | |\n| 2 | Việc | Sở Nội vụ |"
    )
    assert [r.key for r in parsed.rows] == ["1", "2"]
    assert "no lead agency (Cơ quan chủ trì)" in parsed.rows[0].problems


@pytest.mark.parametrize(
    ("cell", "names", "actions", "notes"),
    [
        (
            "Sở Xây dựng: chủ trì xây dựng kế hoạch; UBND cấp huyện: triển khai tại địa phương",
            ["Sở Xây dựng", "UBND cấp huyện"],
            ["chủ trì xây dựng kế hoạch", "triển khai tại địa phương"],
            [[], []],
        ),
        (
            "Các Sở: NV, TP, TC, KH&ĐT, XD, TN&MT",
            ["Sở NV", "Sở TP", "Sở TC", "Sở KH&ĐT", "Sở XD", "Sở TN&MT"],
            [""] * 6,
            [[]] * 6,
        ),
        (
            "Trung tâm Phục vụ hành chính công (thuộc Văn phòng UBND tỉnh)",
            ["Trung tâm Phục vụ hành chính công"],
            [""],
            [["thuộc Văn phòng UBND tỉnh"]],
        ),
        (
            "UBND cấp huyện (các huyện chưa tổ chức)",
            ["UBND cấp huyện"],
            [""],
            [["các huyện chưa tổ chức"]],
        ),
        ("Sở Nội vụ tham mưu", ["Sở Nội vụ"], ["tham mưu"], [[]]),
        (
            "Sở Tư pháp và các cơ quan có liên quan",
            ["Sở Tư pháp"],
            [""],
            [["và các cơ quan có liên quan"]],
        ),
        ("- Sở Nội vụ;\n- UBND cấp huyện", ["Sở Nội vụ", "UBND cấp huyện"], ["", ""], [[], []]),
        (
            "Sở Tài chính, Sở Kế hoạch và Đầu tư",
            ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"],
            ["", ""],
            [[], []],
        ),
        ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"], [""], [[]]),
        ("Sở TT&TT VP.UBND tỉnh", ["Sở TT&TT", "VP.UBND tỉnh"], ["", ""], [[], []]),
        ("tham mưu", [], [], []),
        ("Các cơ quan có liên quan", [], [], []),
        # Cells of the 2025 plans in the corpus (tests/data/plans):
        (
            "Các Cục: Di sản văn hóa, Bản quyền tác giả",
            ["Cục Di sản văn hóa", "Cục Bản quyền tác giả"],
            ["", ""],
            [[], []],
        ),
        (
            "Các Cục: Báo chí; Xuất bản, In và Phát hành. Vụ Kế hoạch, Tài chính.",
            ["Cục Báo chí", "Cục Xuất bản, In và Phát hành", "Vụ Kế hoạch, Tài chính"],
            ["", "", ""],
            [[], [], []],
        ),
        ("Các sở: tổ chức thực hiện, báo cáo", ["Các sở"], ["tổ chức thực hiện, báo cáo"], [[]]),
        (
            "Sở Khoa học và Công nghệ thúc đẩy, theo dõi, báo cáo chỉ tiêu",
            ["Sở Khoa học và Công nghệ"],
            ["thúc đẩy, theo dõi, báo cáo chỉ tiêu"],
            [[]],
        ),
        (
            "Các đơn vị được giao thực hiện TTHC",
            ["Các đơn vị được giao thực hiện TTHC"],
            [""],
            [[]],
        ),
        ("Bộ Xây dựng, các địa phương", ["Bộ Xây dựng", "các địa phương"], ["", ""], [[], []]),
        (
            "Bộ Công an với các tiêu chuẩn chung; các bộ, ngành với các tiêu chuẩn nội ngành",
            ["Bộ Công an", "các bộ, ngành"],
            ["với các tiêu chuẩn chung", "với các tiêu chuẩn nội ngành"],
            [[], []],
        ),
    ],
)
def test_agency_cells(cell, names, actions, notes):
    parts = split_agencies(cell)
    assert [p.name for p in parts] == names
    assert [p.action for p in parts] == actions
    assert [p.notes for p in parts] == notes


@pytest.mark.parametrize(
    ("cell", "amount", "per", "source"),
    [
        ("45 tr/ huyện", 45_000_000, "huyện", None),
        ("70 tr", 70_000_000, None, None),
        ("Kinh phí tự chủ", None, None, "own"),
        ("NS tỉnh", None, None, "provincial"),
        ("1,5 tỷ đồng (NS tỉnh)", 1_500_000_000, None, "provincial"),
        ("1.500.000.000 đồng", 1_500_000_000, None, None),
        ("2 lớp", None, None, None),  # a count, not money
        ("50 tr năm 2024, 70 tr năm 2025", None, None, None),  # a breakdown: a person reads it
    ],
)
def test_budget_cells(cell, amount, per, source):
    budget = parse_budget(cell)
    assert budget.text == cell
    assert (budget.amount, budget.per, budget.source) == (amount, per, source)
    assert parse_budget("  ") is None


# --------------------------------------------------------------------------------------------
# Any input: the readers answer or raise AppendixError, never anything else


_CELL_WORDS = st.sampled_from(
    ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan theo dõi", "Kinh phí", "1.", "a)", "I", "- 2 -",
     "Sở Tư pháp: chủ trì", "Các Sở: NV, TP", "Quý I/2026", "", "\t", "|", "(*) ghi chú", "b"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_CELL_WORDS, max_size=6), max_size=25), st.sampled_from(["\t", " | "]))
def test_fuzz_tables_of_plan_words(rows, separator):
    text = "\n".join(separator.join(row) for row in rows)
    for candidate in (text, text.replace(" | ", "\n\t")):
        try:
            parsed = parse_text(candidate)
        except AppendixError:
            continue
        for row in parsed.rows:
            assert row.key is None or row.key.strip()
            assert set(row.inherited) <= {"number", "content", "output", "completion",
                                          "monitoring", "budget", "note", "lead",
                                          "coordinating"}  # fmt: skip
            # Agencies are taken from above only by a sub-row that names none (merged cells).
            if "lead" in row.inherited:
                assert row.part >= 2 or row.parent


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_fuzz_cells(text):
    for part in split_agencies(text):
        assert part.name.strip() == part.name and part.name
    budget = parse_budget(text)
    assert budget is None or (budget.amount is None or budget.amount >= 0)
