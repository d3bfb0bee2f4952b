"""Format detection, error codes and messages, limits, legacy formats, inputs never modified."""
from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest

from nlp.errors import MESSAGES, ErrorCode, ShuzhiInputError
from nlp.ingest import ingest
from nlp.settings import Limits


def test_errors_every_code_has_a_chinese_message():
    for code in ErrorCode:
        assert code in MESSAGES
        assert any("\u4e00" <= c <= "\u9fff" for c in MESSAGES[code])


def test_errors_codes_are_stable():
    assert {c.value for c in ErrorCode} >= {
        "unsupported_format", "corrupt_file", "encrypted_pdf", "no_text_layer", "empty_document",
        "file_too_large", "archive_bomb", "unknown_encoding", "legacy_format_unsupported", "timeout"}


def test_unknown_extension_is_unsupported(tmp_path):
    path = tmp_path / "照片.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    with pytest.raises(ShuzhiInputError) as e:
        ingest(path)
    assert e.value.code is ErrorCode.UNSUPPORTED_FORMAT


def test_content_wins_over_extension(tmp_path, files):
    renamed = tmp_path / "其实是docx.doc"
    shutil.copyfile(files["docx"], renamed)
    doc = ingest(renamed)
    assert doc.format == "docx"
    assert doc.warnings and "实际内容为 docx" in doc.warnings[0]


def test_text_named_pdf_is_corrupt(tmp_path):
    path = tmp_path / "假的.pdf"
    path.write_text("这不是PDF文件", encoding="utf-8")
    with pytest.raises(ShuzhiInputError) as e:
        ingest(path)
    assert e.value.code is ErrorCode.CORRUPT_FILE


def test_file_too_large(tmp_path):
    path = tmp_path / "大.txt"
    path.write_text("述职报告。" * 100_000, encoding="utf-8")
    with pytest.raises(ShuzhiInputError) as e:
        ingest(path, Limits(max_file_mb=0.5))
    assert e.value.code is ErrorCode.FILE_TOO_LARGE


def test_pdf_page_limit(files):
    with pytest.raises(ShuzhiInputError) as e:
        ingest(files["pdf"], Limits(max_pdf_pages=1))
    assert e.value.code is ErrorCode.FILE_TOO_LARGE


def test_timeout(files):
    with pytest.raises(ShuzhiInputError) as e:
        ingest(files["pdf"], Limits(timeout_s=0.001))
    assert e.value.code is ErrorCode.TIMEOUT


def test_legacy_without_libreoffice(tmp_path, monkeypatch):
    path = tmp_path / "旧版.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ShuzhiInputError) as e:
        ingest(path)
    assert e.value.code is ErrorCode.LEGACY_FORMAT_UNSUPPORTED
    assert "另存为 .docx" in e.value.message


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by `make system`")
def test_legacy_doc_converted_with_libreoffice(tmp_path, files):
    src = tmp_path / "src.docx"
    shutil.copyfile(files["docx"], src)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'p'}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=120)
    doc = ingest(tmp_path / "src.doc")
    assert doc.format == "doc"
    assert "一、履职情况" in [b.text for b in doc.blocks]
    assert "发展党员15名，其中35岁以下9名" in doc.text


def test_inputs_never_modified(files):
    before = {k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in files.items()}
    for path in files.values():
        ingest(path)
    after = {k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in files.items()}
    assert before == after
