"""Tests for cchc_core.catalogue (lists of administrative procedures)."""

from __future__ import annotations

import io
import unicodedata

import openpyxl
import pytest

from cchc_core.catalogue import (
    MODE_FULL,
    MODE_NONE,
    MODE_PARTIAL,
    CatalogueError,
    parse_csv,
    parse_file,
    parse_mode,
    parse_processing_time,
    parse_rows,
    parse_xlsx,
)
from cchc_core.messages import Message

FULL_LIST = """\
DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG
STT;Mã TTHC;Tên thủ tục hành chính;Thời hạn giải quyết;Cơ quan thực hiện;Phí, lệ phí;Mức độ
(1);(2);(3);(4);(5);(6);(7)
I;;Lĩnh vực Đất đai;;;;
1;1.012756;Giao đất, cho thuê đất không thông qua đấu giá;15 ngày làm việc;Sở NN&MT;Không;Một phần
2;1.012799;Đăng ký đất đai lần đầu;"Không quá 20 ngày làm việc kể từ ngày nhận đủ \
hồ sơ";VPĐKĐĐ;100.000 đồng;Toàn trình
II;;LĨNH VỰC MÔI TRƯỜNG;;;;
3;2.001824;Cấp giấy phép môi trường;08 giờ làm việc;Sở NN&MT;Theo quy định;Mức độ 2
"""


def test_parse_a_full_list():
    catalogue = parse_csv(FULL_LIST)
    assert [row.code for row in catalogue.rows] == ["1.012756", "1.012799", "2.001824"]
    first, second, third = catalogue.rows
    assert first.name == "Giao đất, cho thuê đất không thông qua đấu giá"
    assert first.field == "Đất đai", "the field comes from the heading row"
    assert first.time_limit == (15, 0)
    assert first.agency == "Sở NN&MT"
    assert (first.fees, first.fee_amount) == ("Không", 0)
    assert first.mode == MODE_PARTIAL
    assert second.time_limit == (20, 0)
    assert second.time_text == "Không quá 20 ngày làm việc kể từ ngày nhận đủ hồ sơ"
    assert second.fee_amount == 100000
    assert second.mode == MODE_FULL
    assert third.field == "Môi trường", "an upper-case heading is written as a name"
    assert third.time_limit == (0, 8)
    assert third.fee_amount is None, "a fee described in words has no amount"
    assert third.mode == MODE_NONE
    assert third.line == 8


def test_parse_the_short_published_shape():
    text = "TT | Tên thủ tục | Lĩnh vực | Mức độ\n1 | Đăng ký khai sinh | Hộ tịch | Toàn trình\n"
    (row,) = parse_csv(text.encode()).rows
    assert (row.number, row.name, row.field, row.mode) == (
        "1",
        "Đăng ký khai sinh",
        "Hộ tịch",
        "full",
    )
    assert row.code == "" and row.time_limit is None, "no code nor time column"


def test_english_headers():
    text = (
        "No,Code,Procedure,Field,Processing time,Model\n"
        "1,X.1,Birth,Civil status,2 working days,full\n"
    )
    (row,) = parse_csv(text).rows
    assert (row.code, row.time_limit, row.mode) == ("X.1", (2, 0), MODE_FULL)


def test_unknown_columns_are_refused_and_listed():
    text = "TT;Tên thủ tục;Lĩnh vực;Người ký;Màu sắc\n1;Khai sinh;Hộ tịch;A;B\n"
    with pytest.raises(CatalogueError) as err:
        parse_csv(text)
    message = err.value.problems[0]
    assert isinstance(message, Message)
    assert message.template.startswith("unknown column(s)")
    assert message.params["columns"] == "'Người ký', 'Màu sắc'"


def test_every_bad_row_is_reported_at_once():
    text = (
        "TT;Mã;Tên thủ tục;Thời hạn giải quyết\n"
        "1;A.1;Khai sinh;ba ngày\n"
        "2;A.1;Kết hôn;03 ngày làm việc\n"
        "3;B.2;;03 ngày làm việc\n"
        "4;C 3!;Khai tử;Không quy định\n"
    )
    with pytest.raises(CatalogueError) as err:
        parse_csv(text)
    templates = [(p.template.split(":")[0], p.params.get("row")) for p in err.value.problems]
    assert templates == [
        ("row %(row)s", 2),
        ("row %(row)s", 3),
        ("row %(row)s", 4),
        ("row %(row)s", 5),
        ("row %(row)s", 5),
    ]
    texts = [str(p) for p in err.value.problems]
    assert "cannot read the processing time 'ba ngày'" in texts[0]
    assert "already on row 2" in texts[1]
    assert "no procedure name" in texts[2]
    assert "'C3!' is not a procedure code" in texts[3]


def test_no_header():
    with pytest.raises(CatalogueError, match="no header row found"):
        parse_csv("a;b;c\n1;2;3\n")
    with pytest.raises(CatalogueError, match="empty"):
        parse_csv("   \n")
    with pytest.raises(CatalogueError, match="no procedure rows"):
        parse_csv("TT;Tên thủ tục;Lĩnh vực\n")


def test_text_outside_the_header_columns_is_refused():
    with pytest.raises(CatalogueError, match="column without a header"):
        parse_rows([["TT", "Tên thủ tục", "Lĩnh vực"], ["1", "Khai sinh", "Hộ tịch", "lạc"]])


def test_postal_column():
    rows = [
        ["TT", "Tên thủ tục", "Bưu chính công ích"],
        ["1", "Khai sinh", "Có"],
        ["2", "Kết hôn", "Không"],
    ]
    assert [row.postal for row in parse_rows(rows).rows] == [True, False]
    rows.append(["3", "Khai tử", "tùy"])
    with pytest.raises(CatalogueError, match="postal service"):
        parse_rows(rows)


def test_xlsx_list_with_a_title_and_numbers():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["DANH MỤC THỦ TỤC HÀNH CHÍNH"])
    sheet.append([])
    sheet.append(["TT", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Thời hạn giải quyết"])
    sheet.append([1, "1.001193", "Đăng ký khai sinh", "Hộ tịch", "Trong ngày"])
    sheet.append([2.0, 2.000815, "Chứng thực bản sao", "Chứng thực", "01 ngày làm việc"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    catalogue = parse_file("danh-muc.xlsx", buffer.getvalue())
    assert [(r.number, r.code, r.time_limit) for r in catalogue.rows] == [
        ("1", "1.001193", (0, 0)),
        ("2", "2.000815", (1, 0)),
    ]
    assert catalogue.rows[0].line == 4


def test_damaged_and_unsupported_files():
    with pytest.raises(CatalogueError, match="could not read the XLSX file"):
        parse_xlsx(b"not a zip")
    with pytest.raises(CatalogueError, match="unsupported file type '.pdf'"):
        parse_file("list.pdf", b"%PDF")


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Text as old Windows exports wrote it: precomposed letters, tone marks combining."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out.append(base + "".join(c for c in parts if c in TONE_MARKS))
    return "".join(out).encode("cp1258")


def test_legacy_encoding():
    text = "TT;Tên thủ tục;Lĩnh vực\n1;Đăng ký khai sinh;Hộ tịch\n"
    (row,) = parse_csv(windows_1258(text)).rows
    assert (row.name, row.field) == ("Đăng ký khai sinh", "Hộ tịch"), "read back as NFC"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05 ngày làm việc", (5, 0)),
        ("5 ngày", (5, 0)),
        ("08 giờ làm việc", (0, 8)),
        ("04 giờ", (0, 4)),
        ("Trong ngày", (0, 0)),
        ("Trả kết quả ngay trong ngày làm việc", (0, 0)),
        ("1/2 ngày làm việc", (0.5, 0)),
        ("0,5 ngày làm việc", (0.5, 0)),
        ("Không quá 15 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", (15, 0)),
        ("10 ngày làm việc (trường hợp phức tạp: 15 ngày làm việc)", (10, 0)),
        ("3 working days", (3, 0)),
        ("2 working hours", (0, 2)),
        ("Same day", (0, 0)),
        ("Không quy định", None),
        ("", None),
        ("ba ngày", None),
    ],
)
def test_processing_time_phrases(text, expected):
    assert parse_processing_time(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Toàn trình", MODE_FULL),
        ("DVC trực tuyến toàn trình", MODE_FULL),
        ("Mức độ 4", MODE_FULL),
        ("Một phần", MODE_PARTIAL),
        ("Mức độ 3", MODE_PARTIAL),
        ("partly online", MODE_PARTIAL),
        ("Mức độ 2", MODE_NONE),
        ("", MODE_NONE),
        ("Trực tiếp", MODE_NONE),
    ],
)
def test_online_modes(text, expected):
    assert parse_mode(text) == expected
