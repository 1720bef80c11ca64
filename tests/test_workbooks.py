import io

import openpyxl

from cchc_core.workbooks import (
    ReportRow,
    Section,
    TaskRow,
    periodic_report,
    plan_appendix,
    to_bytes,
)


def _load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_plan_appendix_layout():
    sections = [
        Section(
            "I",
            "Cải cách thể chế",
            [
                TaskRow(
                    "1",
                    "Rà soát",
                    "Sở Tư pháp",
                    "Sở Nội vụ",
                    "Quý I/2026",
                    "Báo cáo",
                    "",
                    "Đúng hạn",
                )
            ],
        ),
        Section("II", "Cải cách TTHC", [TaskRow("1", "Công khai", "VP.UBND tỉnh")]),
    ]
    sheet = _load(to_bytes(plan_appendix, "KẾ HOẠCH", "Phụ lục", sections))
    assert sheet.cell(1, 1).value == "KẾ HOẠCH"
    assert [sheet.cell(4, c).value for c in range(1, 9)] == [
        "STT",
        "Nội dung nhiệm vụ",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Thời gian hoàn thành",
        "Sản phẩm",
        "Ghi chú",
        "Tình trạng",
    ]
    assert (sheet.cell(5, 1).value, sheet.cell(5, 2).value) == ("I", "Cải cách thể chế")
    assert [sheet.cell(6, c).value for c in range(1, 6)] == [
        "1",
        "Rà soát",
        "Sở Tư pháp",
        "Sở Nội vụ",
        "Quý I/2026",
    ]
    assert sheet.cell(8, 3).value == "VP.UBND tỉnh"
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9


def test_periodic_report_layout():
    rows = [ReportRow("1", "Rà soát", "STP", "Chủ trì", "Đúng hạn", 100, "Xong")]
    texts = [("Kết quả", "Dòng 1\nDòng 2"), ("Khó khăn", "")]
    sheet = _load(to_bytes(periodic_report, "BÁO CÁO", "Sở Tư pháp", rows, texts))
    assert sheet.cell(4, 7).value == "Kết quả"
    assert [sheet.cell(5, c).value for c in (2, 6, 7)] == ["Rà soát", 100, "Xong"]
    assert sheet.cell(7, 1).value == "Kết quả"
    assert (sheet.cell(8, 1).value, sheet.cell(9, 1).value) == ("Dòng 1", "Dòng 2")
    assert sheet.cell(11, 1).value == "Khó khăn"


def test_estimate_sheet_totals_per_area():
    from cchc_core.workbooks import EstimateRow, estimate_sheet

    groups = [
        (
            "Cải cách thể chế",
            [
                EstimateRow("Hội nghị", "hội nghị", 2, 15_000_000, 30_000_000),
                EstimateRow("Tài liệu", "bộ", 100, 50_000, 5_000_000),
            ],
        ),
        ("Chính quyền số", [EstimateRow("Phần mềm", "gói", 1, 200_000_000, 200_000_000)]),
    ]
    sheet = _load(to_bytes(estimate_sheet, "DỰ TOÁN", "Kế hoạch 1", groups))
    assert sheet.cell(4, 6).value == "Thành tiền (đồng)"
    assert (sheet.cell(5, 1).value, sheet.cell(5, 2).value, sheet.cell(5, 6).value) == (
        "I",
        "Cải cách thể chế",
        35_000_000,
    )
    assert [sheet.cell(6, c).value for c in range(2, 7)] == [
        "Hội nghị",
        "hội nghị",
        2,
        15_000_000,
        30_000_000,
    ]
    assert (sheet.cell(8, 1).value, sheet.cell(8, 6).value) == ("II", 200_000_000)
    assert (sheet.cell(10, 1).value, sheet.cell(10, 6).value) == ("TỔNG CỘNG", 235_000_000)


def test_document_register_layout():
    from cchc_core.workbooks import RegisterRow, document_register

    rows = [
        RegisterRow(
            "01/QĐ-UBND",
            "05/01/2026",
            "Quyết định: Kế hoạch CCHC",
            "Nguyễn Văn An",
            "Các sở, ban, ngành",
        )
    ]
    sheet = _load(to_bytes(document_register, "SỔ ĐĂNG KÝ VĂN BẢN ĐI", "UBND tỉnh – 2026", rows))
    assert sheet.cell(4, 1).value == "Số, ký hiệu văn bản"
    assert [sheet.cell(5, c).value for c in range(1, 6)] == [
        "01/QĐ-UBND",
        "05/01/2026",
        "Quyết định: Kế hoạch CCHC",
        "Nguyễn Văn An",
        "Các sở, ban, ngành",
    ]
    assert sheet.print_title_rows == "$4:$4"
