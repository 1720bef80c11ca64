"""Decompression bombs are refused before a parser opens them, and reading is capped."""

import ast
import io
import struct
import zipfile
from pathlib import Path

import pytest

from cchc_core.appendix import AppendixError, parse_file
from cchc_core.archives import ArchiveError, ArchiveLimits, check_archive
from cchc_core.catalogue import CatalogueError
from cchc_core.catalogue import parse_file as parse_catalogue
from cchc_core.messages import Message

MB = 1024 * 1024


class CountingFile(io.BytesIO):
    """A file that counts the bytes read from it."""

    def __init__(self, data):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def _workbook(sheet_mb, name="xl/worksheets/sheet1.xml"):
    """An XLSX-shaped archive whose sheet is ``sheet_mb`` MB of zeros."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open(name, "w", force_zip64=True) as member:
            zero = bytes(MB)
            for _ in range(sheet_mb):
                member.write(zero)
    return buf.getvalue()


@pytest.fixture(scope="module")
def bomb():
    return _workbook(150)


def test_bomb_is_small_on_disk_and_large_inside(bomb):
    assert len(bomb) < 200 * 1024
    infos = zipfile.ZipFile(io.BytesIO(bomb)).infolist()
    assert sum(i.file_size for i in infos) > 150 * MB - 1


def test_bomb_refused_from_the_directory_without_decompressing(bomb, monkeypatch):
    decompressed = []
    real = zipfile._get_decompressor

    def counting(compress_type):
        decompressed.append(compress_type)
        return real(compress_type)

    monkeypatch.setattr(zipfile, "_get_decompressor", counting)
    source = CountingFile(bomb)
    with pytest.raises(ArchiveError) as caught:
        check_archive(source)
    message = caught.value.args[0]
    assert isinstance(message, Message)
    assert message.template == "the archive expands to more than %(limit)s MB"
    assert message.params == {"limit": "100"}
    # Only the end of central directory record and the directory itself were read: a few
    # hundred bytes of a file of 150 KB, and not one entry was decompressed.
    assert source.bytes_read < 4096 < len(bomb)
    assert decompressed == []


def test_ratio_refused_below_the_total_limit():
    data = _workbook(20)
    with pytest.raises(ArchiveError) as caught:
        check_archive(data)
    assert caught.value.args[0].template.startswith("the archive entry %(name)s expands")
    assert caught.value.args[0].params["name"] == "xl/worksheets/sheet1.xml"


def test_too_many_entries():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(11):
            zf.writestr(f"f{i}.xml", "x")
    with pytest.raises(ArchiveError) as caught:
        check_archive(buf.getvalue(), limits=ArchiveLimits(max_entries=10))
    assert caught.value.args[0].params == {"count": 11, "limit": 10}


def test_unsupported_method_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_BZIP2) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ArchiveError, match="unsupported method"):
        check_archive(buf.getvalue())


def _lie_about_size(data, name, declared):
    """Rewrite the central directory so that entry ``name`` declares ``declared`` bytes."""
    data = bytearray(data)
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    offset = data.find(b"PK\x01\x02", archive.start_dir)
    while offset != -1:
        name_len = struct.unpack_from("<H", data, offset + 28)[0]
        entry = bytes(data[offset + 46 : offset + 46 + name_len]).decode()
        if entry == name:
            struct.pack_into("<I", data, offset + 24, declared)
            return bytes(data)
        offset = data.find(b"PK\x01\x02", offset + 46)
    raise AssertionError(f"{name} not found")


def test_lying_sizes_are_caught_while_reading():
    # 3 MB of zeros, declared as 100 KB: the directory looks harmless, the read stops at the lie.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", bytes(3 * MB))
    liar = _lie_about_size(buf.getvalue(), "word/document.xml", 100 * 1024)
    assert zipfile.ZipFile(io.BytesIO(liar)).getinfo("word/document.xml").file_size == 102400
    with pytest.raises(ArchiveError) as caught:
        check_archive(liar)
    assert caught.value.args[0].params["name"] == "word/document.xml"


def test_a_lie_within_the_limits_is_refused():
    # The directory passes every limit; the read finds the entry holds more than declared.
    limits = ArchiveLimits(max_total_bytes=2 * MB, max_ratio=10**9)
    data = _workbook(1)
    produced = check_archive(data, limits=limits)
    assert produced == MB + len("<Types/>")
    big = _workbook(5)
    liar = _lie_about_size(big, "xl/worksheets/sheet1.xml", MB)
    with pytest.raises(ArchiveError):
        check_archive(liar, limits=limits)


def test_ordinary_files_pass_and_non_archives_are_left_to_the_parser():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook>" + "<row/>" * 1000 + "</workbook>")
    assert check_archive(buf.getvalue()) > 6000
    assert check_archive(b"STT;Noi dung\n1;x\n") == 0


def test_the_appendix_and_catalogue_readers_refuse_the_bomb(bomb):
    with pytest.raises(AppendixError) as caught:
        parse_file("phu-luc.xlsx", bomb)
    assert caught.value.args[0].template == "the archive expands to more than %(limit)s MB"
    docx = _workbook(150, name="word/document.xml")
    with pytest.raises(AppendixError):
        parse_file("phu-luc.docx", docx)
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue("danh-muc.xlsx", bomb)
    assert caught.value.problems[0].template == "the archive expands to more than %(limit)s MB"


def test_every_archive_message_is_listed_for_translation():
    root = Path(__file__).resolve().parent.parent

    def literals(path, name):
        return {
            node.args[0].value
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == name
            and node.args
            and isinstance(node.args[0], ast.Constant)
        }

    raised = literals(root / "cchc_core" / "archives.py", "_message")
    listed = literals(root / "addons" / "cchc_base" / "tools" / "archive_messages.py", "_lt")
    assert len(raised) == 6
    assert raised == listed
