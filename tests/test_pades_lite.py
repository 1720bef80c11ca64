"""The fast verification path's PDF reader (cchc_core.pades.lite_pdf): on what it accepts it
reads what pyHanko's reader reads; on the rest it steps aside (falls back)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from reportlab.pdfgen import canvas

from cchc_core import pades, pki
from cchc_core.pades import lite_pdf
from cchc_core.pades.lite_pdf import LiteReader, _Fallback


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, bytes]:
    demo = pki.generate_demo_pki(tmp_path_factory.mktemp("pki"), "demo")
    out = io.BytesIO()
    page = canvas.Canvas(out, pageCompression=0)
    page.drawString(72, 760, "QUYET DINH (so 1) \\ ban hanh")
    page.showPage()
    page.save()
    box = (320, 90, 540, 170)
    leader = pades.sign_pdf(
        out.getvalue(),
        demo.signer("leader"),
        field_name="ChuKyLanhDao",
        box=box,
        appearance=pades.Appearance("Nguyễn Văn An", position="CHỦ TỊCH"),
        reason="Phê duyệt (lần 1)",
        location="Tỉnh Demo",
    )
    seal = pades.sign_pdf(
        leader, demo.signer("seal"), field_name="DauCoQuan", box=pades.seal_box(box)
    )
    b_lt = pades.sign_pdf(
        pades.sign_pdf(
            out.getvalue(),
            demo.signer("leader"),
            field_name="A",
            box=box,
            embed_revocation=True,
            crls=demo.crls,
        ),
        demo.signer("seal"),
        field_name="B",
        box=pades.seal_box(box),
        embed_revocation=True,
        crls=demo.crls,
    )
    return {"plain": out.getvalue(), "leader": leader, "seal": seal, "b_lt": b_lt}


def plain(value):
    """A pyHanko value or ours, as comparable Python data (types kept apart)."""
    if isinstance(value, generic.StreamObject | lite_pdf.Stream):
        if isinstance(value, lite_pdf.Stream):
            return ("stream", plain(value.dictionary), value.encoded)
        return ("stream", plain(dict(value)), value.encoded_data)
    if isinstance(value, dict):
        return {("name", str(k)): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, generic.IndirectObject | lite_pdf.Ref):
        ref = (value.idnum, value.generation) if hasattr(value, "idnum") else tuple(value)
        return ("ref", *ref)
    if isinstance(value, generic.NameObject | lite_pdf.Name):
        return ("name", str(value))
    if isinstance(value, generic.TextStringObject | generic.ByteStringObject):
        return ("string", bytes(value.original_bytes))
    if isinstance(value, lite_pdf.String):
        return ("string", bytes(value))
    if isinstance(value, generic.BooleanObject):
        return ("keyword", "true" if value else "false")
    if isinstance(value, generic.NullObject):
        return ("keyword", "null")
    if isinstance(value, lite_pdf._Keyword):
        return ("keyword", value.word)
    if isinstance(value, generic.FloatObject | Decimal):
        return ("real", Decimal(value))
    assert type(value) in (int, generic.NumberObject), value
    return ("integer", int(value))


def test_every_object_of_every_revision_reads_as_in_pyhanko(documents):
    compared = 0
    for data in documents.values():
        ours, theirs = LiteReader(data), PdfFileReader(io.BytesIO(data), strict=False)
        assert ours.revisions == theirs.xrefs.total_revisions
        for revision in range(ours.revisions):
            meta = theirs.xrefs.get_xref_container_info(revision)
            section = ours.sections[revision]
            assert (section.startxref, section.end) == (meta.declared_startxref, meta.end_location)
            assert {(r[0], r[1]) for r in ours.changed(revision)} == {
                (r.idnum, r.generation) for r in theirs.xrefs.explicit_refs_in_revision(revision)
            }
            for key in ("/Root", "/Info", "/Size", "/ID"):
                assert plain(ours.trailer(key, revision)) == plain(
                    theirs.get_historical_resolver(revision).trailer_view.raw_get(key)
                )
            for ref in ours.changed(revision):
                reference = generic.Reference(ref[0], ref[1])
                assert ours.last_change(ref) == theirs.xrefs.get_last_change(reference)
                assert ours.offset(ref, revision) == theirs.xrefs.get_historical_ref(
                    reference, revision
                )
                expected = theirs.get_object(reference, revision=revision)
                assert plain(ours.get(ref, revision)) == plain(expected)
                compared += 1
    assert compared > 60


VALUES = [
    b"<< /A 1 /B -2.5 /C +.5 /D 3. /E [1 0 R 2 0 R] /F << /G null >> /H true /I false >>",
    b"(a (nested) string \\( \\) \\\\ \\n \\r \\t \\b \\f \\101 \\0 \\12x \\7)",
    b"(\\/ \\% \\< \\# line\\\ncontinued\\\r\nand\\\n\\\rmore)",
    b"(\xfe\xff\x00A\x00B) <feff0041> <> ()",
    b"[ /Name%comment\n 12 %another\r 0 ]",
    b"[1 0 R/Next 2 0 R]",
    b"[12 0 1 0 R]",
    b"<</Short/Key/S(s)/K2<00ff>>>",
]

FALLBACKS = [
    b"/Na#6De ",  # a # escape
    b"(\\8) ",  # not octal
    b"(\\777) ",  # above 255
    b"(\\q) ",  # unknown escape
    b"<abc> ",  # odd number of digits
    b"<ab cd> ",  # whitespace in a hex string
    b"<< /A 1 /A 2 >>",  # a key twice
    b"[1\x0c0 R] ",  # a form feed pyHanko takes as whitespace in a reference
    b"[1                 0 R] ",  # a reference longer than pyHanko's 20-byte look
    b"[0 0 R] ",  # object 0
    b"[12 %comment\n 0 R] ",  # a comment inside a reference (pyHanko fails too)
    b"[1 0 R1] ",  # a reference without a delimiter after it
    b"[1 2 3x] ",
    b"<< /A 1 > ",
    b"{ } ",
    b"[" * 40 + b"]" * 40 + b" ",
]


@pytest.mark.parametrize("text", VALUES)
def test_values_read_as_in_pyhanko(text):
    stream, ours, pos = io.BytesIO(text + b" "), [], 0
    while pos < len(text):
        value, pos = lite_pdf._value(text + b" ", pos)
        ours.append(plain(value))
        pos = lite_pdf._SKIP.match(text, pos).end()
    theirs = []
    while stream.tell() < len(text):
        theirs.append(plain(pyhanko_value_from(stream)))
        generic.read_non_whitespace(stream, seek_back=True, allow_eof=True)
    assert ours == theirs


def pyhanko_value_from(stream):
    return generic.read_object(stream, generic.TrailerReference(None))


@pytest.mark.parametrize("text", FALLBACKS)
def test_what_is_not_covered_falls_back(text):
    with pytest.raises(_Fallback):
        lite_pdf._value(text, 0)


def test_a_file_outside_the_covered_syntax_falls_back(documents):
    seal = documents["seal"]
    LiteReader(seal)  # covered
    for changed in (
        seal.replace(b"%PDF-1.", b" %PDF-1.", 1)[:-1],  # not at the start
        seal.replace(b"0000000000 65535 f", b"0000000000 65535 n", 1),
        seal.replace(b"/Size", b"/XRefStm 0 /Size", 1),
        seal.replace(b"/Root", b"/Encrypt 1 0 R /Root", 1),
    ):
        with pytest.raises(_Fallback):
            LiteReader(changed)
