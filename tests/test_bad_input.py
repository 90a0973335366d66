"""Bad input never raises anything but InputError (naming the file and the reason)."""
from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

import pytest

from auditor.errors import InputError
from auditor.ingest import read_document


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Tiếp nhận 597 hồ sơ, đã giải quyết 593 hồ sơ. " * 40)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Lĩnh vực", "Số hồ sơ"
    table.cell(1, 0).text, table.cell(1, 1).text = "Hộ tịch", "143"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _pdf_bytes(text: bool = True, encrypt: str | None = None, pages: int = 2) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt)
    for page in range(pages):
        if text:
            c.setFont("Helvetica", 11)
            for i in range(40):
                c.drawString(72, 780 - 18 * i, f"Page {page + 1} line {i}: 597 files, 593 resolved")
        else:
            c.setFillColorRGB(0.2, 0.3, 0.4)
            c.rect(72, 400, 300, 200, fill=1, stroke=0)  # an "image": no text at all
        c.showPage()
    c.save()
    return buf.getvalue()


def _zip_bomb(member: str = "word/document.xml", mib: int = 300) -> bytes:
    """A real deflate zip whose one member inflates to `mib` MiB of zeros (~300 KB).

    Built from one compressed MiB repeated: after Z_FULL_FLUSH a deflate block is
    byte-aligned and needs no earlier history, so copies chain into a valid stream. This
    takes ~0.1 s, where deflating 300 MB through zipfile takes 1-2 s.
    """
    chunk = bytes(1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    body = block * mib + zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(chunk, crc)
    size = mib << 20
    name = member.encode()
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc,
                        len(body), size, len(name), 0) + name
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc,
                          len(body), size, len(name), 0, 0, 0, 0, 0, 0) + name
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central),
                       len(local) + len(body), 0)
    return local + body + central + eocd


def _expect_input_error(path, *fragments: str) -> InputError:
    with pytest.raises(InputError) as info:
        read_document(path)
    err = info.value
    message = str(err)
    assert str(path) in message, message
    assert err.reason and err.reason in message
    assert "Traceback" not in message and "\n" not in message
    for fragment in fragments:
        assert fragment in message, message
    return err


# ------------------------------------------------------------------------------ file level


def test_missing_path(tmp_path):
    _expect_input_error(tmp_path / "khong-co.docx", "not found")


def test_directory(tmp_path):
    folder = tmp_path / "bao-cao.pdf"
    folder.mkdir()
    _expect_input_error(folder, "directory")


def test_unsupported_extension(tmp_path):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(b"PK\x03\x04 whatever")
    _expect_input_error(path, "xlsx", "supported")


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf"])
def test_empty_file(tmp_path, suffix):
    path = tmp_path / f"rong{suffix}"
    path.write_bytes(b"")
    _expect_input_error(path, "empty")


# ------------------------------------------------------------------------------------ docx


def test_random_bytes_named_docx(tmp_path):
    path = tmp_path / "ngau-nhien.docx"
    path.write_bytes(random.Random(1).randbytes(4096))
    _expect_input_error(path, "not a valid .docx")


def test_zip_that_is_not_a_docx(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "xin chào")
    path = tmp_path / "khong-phai.docx"
    path.write_bytes(buf.getvalue())
    _expect_input_error(path, "not a valid .docx")


def test_docx_without_main_part(tmp_path):
    data = _docx_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
    path = tmp_path / "thieu.docx"
    path.write_bytes(buf.getvalue())
    _expect_input_error(path, ".docx")


def test_truncated_docx(tmp_path):
    data = _docx_bytes()
    path = tmp_path / "cat-cut.docx"
    path.write_bytes(data[: len(data) // 2])
    _expect_input_error(path, "truncated")


def test_corrupt_member_in_docx(tmp_path):
    data = bytearray(_docx_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("word/document.xml")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + min(info.compress_size, 200)):
        data[i] ^= 0x5A
    path = tmp_path / "hong.docx"
    path.write_bytes(bytes(data))
    _expect_input_error(path, "corrupt .docx")


def test_zip_bomb_named_docx(tmp_path):
    path = tmp_path / "bom.docx"
    path.write_bytes(_zip_bomb())
    assert path.stat().st_size < 1_000_000
    _expect_input_error(path, "zip bomb")


def test_high_compression_ratio_member(tmp_path):
    path = tmp_path / "ty-le.docx"
    path.write_bytes(_zip_bomb("word/media/image1.bin", mib=20))  # 20 MB total, ratio ~1000
    _expect_input_error(path, "compression ratio")


def test_too_many_members(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for i in range(10_001):
            zf.writestr(f"x/{i}", b"")
    path = tmp_path / "nhieu.docx"
    path.write_bytes(buf.getvalue())
    _expect_input_error(path, "too many zip members")


def test_encrypted_office_file_named_docx(tmp_path):
    # Password-protected .docx files are OLE compound files with an EncryptionInfo stream.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    ole += "EncryptionInfo".encode("utf-16-le") + bytes(100)
    ole += "EncryptedPackage".encode("utf-16-le") + bytes(100)
    path = tmp_path / "mat-khau.docx"
    path.write_bytes(ole)
    _expect_input_error(path, "encrypted")


def test_legacy_doc_named_docx(tmp_path):
    path = tmp_path / "cu.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024) + b"WordDocument")
    _expect_input_error(path, ".doc")


# ------------------------------------------------------------------------------------- pdf


def test_truncated_pdf(tmp_path):
    data = _pdf_bytes()
    path = tmp_path / "cat-cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    _expect_input_error(path, "truncated")


def test_random_bytes_named_pdf(tmp_path):
    path = tmp_path / "ngau-nhien.pdf"
    path.write_bytes(random.Random(2).randbytes(2048))
    _expect_input_error(path, "not a valid PDF")


def test_corrupt_pdf_with_header_and_eof(tmp_path):
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"%PDF-1.4\n" + random.Random(3).randbytes(3000) + b"\n%%EOF\n")
    _expect_input_error(path, "PDF")


def test_image_only_pdf(tmp_path):
    path = tmp_path / "anh-quet.pdf"
    path.write_bytes(_pdf_bytes(text=False))
    _expect_input_error(path, "needs OCR")


def test_password_protected_pdf(tmp_path):
    path = tmp_path / "mat-khau.pdf"
    path.write_bytes(_pdf_bytes(encrypt="bi-mat"))
    _expect_input_error(path, "password")


def test_too_many_pages(tmp_path, monkeypatch):
    import auditor.ingest.pdf as pdf_module

    monkeypatch.setattr(pdf_module, "MAX_PAGES", 3)
    path = tmp_path / "dai.pdf"
    path.write_bytes(_pdf_bytes(pages=4))
    _expect_input_error(path, "too many pages")


def test_pdf_with_some_scanned_pages_warns(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawString(72, 700, "Tiep nhan 597 ho so")
    c.showPage()
    c.rect(72, 400, 300, 200, fill=1)
    c.showPage()
    c.save()
    path = tmp_path / "mot-phan.pdf"
    path.write_bytes(buf.getvalue())
    doc = read_document(path)
    assert "597" in doc.text
    assert any("trang 2" in w for w in doc.warnings)


# ------------------------------------------------------------------------------------- txt


def test_utf16_txt_is_read_with_a_warning(tmp_path):
    path = tmp_path / "utf16.txt"
    text = "Tiếp nhận 597 hồ sơ\nĐã giải quyết 593 hồ sơ\n"
    path.write_bytes(text.encode("utf-16"))  # with BOM
    doc = read_document(path)
    assert doc.text == text
    assert any("UTF-16" in w for w in doc.warnings)


def test_utf16_txt_without_bom(tmp_path):
    path = tmp_path / "utf16le.txt"
    text = "Tiếp nhận 597 hồ sơ\n"
    path.write_bytes(text.encode("utf-16-le"))
    doc = read_document(path)
    assert doc.text == text
    assert any("UTF-16" in w for w in doc.warnings)


def test_invalid_utf8_txt_is_a_warning_not_an_error(tmp_path):
    path = tmp_path / "loi-ma.txt"
    path.write_bytes("Tiếp nhận 597 hồ sơ".encode() + b" \xff\xfe\xc3 " + "đã xong".encode())
    doc = read_document(path)
    assert "597" in doc.text and "\ufffd" in doc.text and "đã xong" in doc.text
    assert len(doc.warnings) == 1 and "UTF-8" in doc.warnings[0]
