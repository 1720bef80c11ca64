import json

from cchc_core.cli import main


def test_identifier(capsys):
    assert main(["identifier", "000.00.01.H27"]) == 0
    assert capsys.readouterr().out.split() == ["H27.01", "000.00.01.H27"]
    assert main(["identifier", "Sở Nội vụ"]) == 1


def test_workdays(capsys):
    assert main(["workdays", "add", "2026-02-13", "1"]) == 0
    assert capsys.readouterr().out.strip() == "2026-02-23"
    assert main(["workdays", "count", "2026-02-13", "2026-02-27"]) == 0
    assert capsys.readouterr().out.strip() == "5"


def test_deadline(capsys):
    assert main(["deadline", "Quý I, II/2018", "--period", "2018"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["kind"], data["due"]) == ("date", "2018-06-30")
    assert main(["deadline", "Sớm nhất có thể"]) == 1


def test_appendix(tmp_path, capsys):
    path = tmp_path / "phu-luc.csv"
    path.write_text(
        "STT;Nội dung;Cơ quan chủ trì;Thời gian hoàn thành\n1;Rà soát;Sở Tư pháp;Quý I/2026\n"
    )
    assert main(["appendix", str(path)]) == 0
    assert "Sở Tư pháp\tQuý I/2026\t2026-03-31\tRà soát" in capsys.readouterr().out
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF")
    assert main(["appendix", str(bad)]) == 1


def test_verify(tmp_path, capsys):
    import io

    from reportlab.pdfgen import canvas

    from cchc_core import pades
    from cchc_core.pki import generate_demo_pki

    demo = generate_demo_pki(tmp_path / "pki", "demo-passphrase")
    out = io.BytesIO()
    page = canvas.Canvas(out, pageCompression=0)  # uncompressed: the test edits the text
    page.drawString(72, 760, "QUYET DINH")
    page.showPage()
    page.save()
    signed = pades.sign_pdf(
        out.getvalue(),
        demo.signer("leader"),
        field_name="ChuKy",
        box=(300, 80, 520, 180),
        appearance=pades.Appearance("Nguyễn Văn An", position="CHỦ TỊCH"),
        reason="Phê duyệt",
        location="Tỉnh Demo",
    )
    pdf = tmp_path / "signed.pdf"
    pdf.write_bytes(signed)
    root = tmp_path / "pki" / "root.pem"
    assert main(["verify", str(pdf), "--trust", str(root)]) == 0
    assert "overall: VALID" in capsys.readouterr().out
    tampered = tmp_path / "tampered.pdf"
    assert signed.count(b"QUYET DINH") == 1
    tampered.write_bytes(signed.replace(b"QUYET DINH", b"QUYET DINX"))
    # A verdict, whatever it is, is a successful run.
    assert main(["verify", str(tampered), "--trust", str(root)]) == 0
    assert "overall: INVALID" in capsys.readouterr().out
