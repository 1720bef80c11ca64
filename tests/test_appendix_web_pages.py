"""Shapes met in the real plans of the corpus (tests/data/plans, 2025 decisions as their web
pages give them): each one alone, in the "one cell per line block, closed by a '|' line"
layout, with cells quoted from those plans."""

from __future__ import annotations

from cchc_core.appendix import parse_text
from cchc_core.appendix.table import header_role
from cchc_core.appendix.text import strip_emphasis


def _blocks(*rows: list[str]) -> str:
    """The page layout: every cell followed by a '|' line, every row by one more."""
    return "\n".join("\n".join(f"{cell}\n|" for cell in row) + "\n|" for row in rows)


def test_markdown_emphasis_is_dropped_but_not_footnote_stars():
    assert strip_emphasis("**Cơ quan**\n**chủ trì**") == "Cơ quan\nchủ trì"
    assert (
        strip_emphasis("*(Kèm theo Kế hoạch số 617/KH-UBND)*")
        == "(Kèm theo Kế hoạch số 617/KH-UBND)"
    )
    assert strip_emphasis("ngày 01 tháng* *12* *năm 2025") == "ngày 01 tháng 12 năm 2025"
    assert strip_emphasis("(*) Ghi chú; a * b") == "(*) Ghi chú; a * b"


def test_appendix_titles_are_not_column_labels():
    assert header_role("PHỤ LỤC NHIỆM VỤ VÀ GIẢI PHÁP THỰC HIỆN") is None
    assert header_role("DANH MỤC CÁC NHIỆM VỤ TRỌNG TÂM (Kèm theo Kế hoạch số 617/KH-UBND)") is None
    assert header_role("Tên nhiệm vụ") == "content"
    # The head accountable (a person's title) is kept with the task, never taken as its lead.
    assert header_role("Người đứng đầu chịu trách nhiệm") == "note"


def test_whole_markdown_page_with_a_short_title_before_the_header():
    text = (
        "**KẾ HOẠCH**\nChuyển đổi số cho các doanh nghiệp\n|\n|\n"
        "**PHỤ LỤC**\n\nDANH MỤC CÁC NHIỆM VỤ TRỌNG TÂM\n\n"
        "*(Kèm theo Kế hoạch số 617/KH-UBND)*\n|\n"
        + _blocks(
            ["**STT**", "**Tên nhiệm vụ**", "**Cơ quan chủ trì**", "**Thời gian hoàn thành**"],
            ["**I.\nNÂNG CAO NHẬN THỨC**"],
            ["1", "Triển khai đánh giá mức độ chuyển đổi số", "Sở KH&CN", "Thường xuyên"],
            ["2", "Xây dựng Bộ tiêu chí đánh giá", "Sở KH&CN", "Quí IV-2025"],
        )
    )
    parsed = parse_text(text)
    assert [(r.section, r.key, r.lead, r.completion) for r in parsed.rows] == [
        ("I", "1", "Sở KH&CN", "Thường xuyên"),
        ("I", "2", "Sở KH&CN", "Quí IV-2025"),
    ]


def test_short_sub_rows_are_placed_where_their_cells_belong():
    # STT, coordinating, deadline and output merged with the task's: "| content | agency |"
    text = _blocks(
        ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian", "Sản phẩm"],
        ["1", "Xây dựng hạ tầng", "Trung tâm Chuyển đổi số", "Sở Tài chính", "Quý IV/2026", "Cổng"],
        ["Xây dựng hạ tầng dự phòng", "Trung tâm Chuyển đổi số"],
        ["2", "Thu thập dữ liệu", "Sở Tài chính", "Các sở, ngành", "Quý I/2030", "Cơ sở dữ liệu"],
    )
    rows = parse_text(text).rows
    assert [(r.key, r.content, r.lead, r.completion) for r in rows] == [
        ("1", "Xây dựng hạ tầng", "Trung tâm Chuyển đổi số", "Quý IV/2026"),
        ("1/2", "Xây dựng hạ tầng dự phòng", "Trung tâm Chuyển đổi số", "Quý IV/2026"),
        ("2", "Thu thập dữ liệu", "Sở Tài chính", "Quý I/2030"),
    ]
    assert "completion" in rows[1].inherited and "lead" not in rows[1].inherited
    # STT and both agencies merged: "| activity | output | deadline |", flush with the end.
    text = _blocks(
        ["STT", "Cơ quan chủ trì", "Cơ quan phối hợp", "Nội dung nhiệm vụ", "Chỉ tiêu", "Thời hạn"],
        ["1", "Bộ Nông nghiệp và Môi trường", "Bộ Xây dựng", "- Hoàn thiện Nghị định", "Nghị định",
         "Ban hành trong quý I năm 2026. Thực hiện rà soát, điều chỉnh (nếu có)"],
        ["- Rà soát hướng dẫn kỹ thuật", "- Bộ công cụ kiểm kê", "Giai đoạn 2026 - 2027"],
        ["- Xây dựng quy chế phối hợp", "- Quy chế được ban hành", "Ban hành trong năm 2026"],
    )  # fmt: skip
    rows = parse_text(text).rows
    assert [(r.key, r.content, r.lead, r.completion) for r in rows] == [
        ("1", "- Hoàn thiện Nghị định", "Bộ Nông nghiệp và Môi trường",
         "Ban hành trong quý I năm 2026. Thực hiện rà soát, điều chỉnh (nếu có)"),
        ("1/2", "- Rà soát hướng dẫn kỹ thuật", "Bộ Nông nghiệp và Môi trường",
         "Giai đoạn 2026 - 2027"),
        ("1/3", "- Xây dựng quy chế phối hợp", "Bộ Nông nghiệp và Môi trường",
         "Ban hành trong năm 2026"),
    ]  # fmt: skip
    assert {"number", "lead", "coordinating"} <= set(rows[2].inherited)


def test_header_repeated_without_its_stt_cell_keeps_the_columns():
    header = ["STT", "Nhiệm vụ", "Đơn vị thực hiện", "Thời gian thực hiện"]
    text = _blocks(
        header,
        ["A", "PHÁT TRIỂN NỀN MÓNG"],
        ["I", "Phát triển dữ liệu số"],
        ["4.1", "Xây dựng Kế hoạch dữ liệu", "Công an tỉnh", "2025"],
        ["B", "PHÁT TRIỂN NGÀNH, LĨNH VỰC"],
        ["I", "Nông nghiệp"],
        ["Nội dung", "Đơn vị thực hiện", "Thời gian thực hiện"],
        ["1.1", "Triển khai Nền tảng dữ liệu số", "Sở Nông nghiệp và Môi trường", "2026 - 2030"],
    )
    parsed = parse_text(text)
    assert [(r.section, r.key, r.lead, r.completion) for r in parsed.rows] == [
        ("A", "4.1", "Công an tỉnh", "2025"),
        ("B", "1.1", "Sở Nông nghiệp và Môi trường", "2026 - 2030"),
    ]
    assert len(parsed.tables) == 1


def test_areas_numbered_i_1_and_a_unit_column_in_a_table_of_targets():
    text = _blocks(
        ["TT", "Chỉ tiêu", "Đơn vị", "Kết quả", "Cơ quan chủ trì theo dõi, đánh giá"],
        ["I", "Giai đoạn 2025-2027"],
        ["I.1", "Cung cấp dịch vụ số bao trùm"],
        ["1", "Tỉ lệ dịch vụ công trực tuyến toàn trình", "%", "100%", "Văn phòng Chính phủ"],
        ["I.2", "Cơ quan nhà nước quản lý dựa trên dữ liệu"],
        ["1", "Tỉ lệ hồ sơ công việc xử lý trên môi trường điện tử", "%", "100%", "Bộ Nội vụ"],
    )
    rows = parse_text(text).rows
    assert [(r.section, r.key, r.lead, r.output) for r in rows] == [
        ("I", "I.1.1", "Văn phòng Chính phủ", "100%"),
        ("I", "I.2.1", "Bộ Nội vụ", "100%"),
    ]


def test_part_per_ministry_and_group_headings_restarting_the_numbers():
    ministries = _blocks(
        ["STT", "Cơ quan chủ trì", "Nội dung nhiệm vụ", "Thời hạn hoàn thành"],
        ["A.", "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"],
        [
            "1",
            "Bộ Nông nghiệp và Môi trường",
            "Hoàn thiện Nghị định",
            "Ban hành trong quý I năm 2026",
        ],
    )
    assert [(r.section, r.key) for r in parse_text(ministries).rows] == [("A", "1")]
    groups = _blocks(
        ["STT", "Nhiệm vụ", "Cơ quan chủ trì thực hiện", "Thời hạn hoàn thành"],
        ["1.", "Rà soát các quy định pháp luật", "Các bộ, ngành", "30/06/2025"],
        ["2. Các nhiệm vụ về chuyển đổi số quá hạn chưa hoàn thành"],
        ["1.", "Ban hành Chiến lược dữ liệu", "Các bộ, ngành, địa phương", "30/09/2025"],
    )
    parsed = parse_text(groups)
    assert [(r.section, r.key, r.lead) for r in parsed.rows] == [
        (None, "1", "Các bộ, ngành"),
        ("2", "1", "Các bộ, ngành, địa phương"),
    ]


def test_an_empty_cell_is_not_taken_for_the_end_of_its_row():
    text = _blocks(
        ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"],
        ["1", "Rà soát thủ tục hành chính", "Sở Nội vụ", "", "Quý IV/2025"],
        ["Công bố kết quả rà soát", "Sở Tư pháp"],
        ["2", "Số hóa hồ sơ", "Sở Khoa học và Công nghệ", "", "Năm 2026"],
    )
    rows = parse_text(text).rows
    assert [(r.key, r.lead, r.coordinating, r.completion) for r in rows] == [
        ("1", "Sở Nội vụ", "", "Quý IV/2025"),
        ("1/2", "Sở Tư pháp", "", "Quý IV/2025"),
        ("2", "Sở Khoa học và Công nghệ", "", "Năm 2026"),
    ]
