"""The PDF reader on real paginated PDFs: running headers, page numbers, wrapped CJK lines."""
from __future__ import annotations

from pathlib import Path

import pytest

from nlp.errors import ErrorCode, ShuzhiInputError
from nlp.ingest import ingest
from tests import builders
from tests.conftest import LONG_PARAGRAPH, PDF_PARAGRAPHS

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CORPUS_PDFS = sorted(CORPUS.rglob("*.pdf"))


def test_pdf_golden_blocks(files, golden):
    doc = ingest(files["pdf"])
    golden("pdf_report_blocks", [b.to_dict() for b in doc.blocks])


def test_pdf_paragraphs_rebuilt_without_spaces_or_page_furniture(files):
    doc = ingest(files["pdf"])
    texts = [b.text for b in doc.blocks]
    assert texts[0] == "柳溪街道党工委书记2022年度述职报告"
    assert texts[1:] == PDF_PARAGRAPHS
    joined = "".join(texts)
    assert "内部资料" not in joined and "- 1 -" not in joined


def test_pdf_paragraph_across_page_break(files):
    doc = ingest(files["pdf"])
    pages = {b.page for b in doc.blocks}
    assert len(pages) >= 2, "the fixture must span pages"
    assert sum(1 for b in doc.blocks if b.text == LONG_PARAGRAPH) == 1


def test_pdf_meta(files):
    meta = ingest(files["pdf"]).meta
    assert meta.title == "柳溪街道党工委书记2022年度述职报告"
    assert meta.unit == "柳溪街道党工委"


def test_pdf_scanned_has_no_text_layer(tmp_path):
    path = builders.build_image_only_pdf(tmp_path / "扫描件.pdf")
    with pytest.raises(ShuzhiInputError) as e:
        ingest(path)
    assert e.value.code is ErrorCode.NO_TEXT_LAYER


def test_pdf_encrypted(tmp_path, files):
    path = builders.build_encrypted_pdf(tmp_path / "加密.pdf", files["pdf"])
    with pytest.raises(ShuzhiInputError) as e:
        ingest(path)
    assert e.value.code is ErrorCode.ENCRYPTED_PDF


def test_pdf_corrupt_and_empty(tmp_path, files):
    corrupt = tmp_path / "坏.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n1 0 obj <<>> garbage")
    truncated = tmp_path / "截断.pdf"
    truncated.write_bytes(files["pdf"].read_bytes()[:2000])
    empty = tmp_path / "空.pdf"
    empty.write_bytes(b"")
    for path in (corrupt, truncated):
        with pytest.raises(ShuzhiInputError) as e:
            ingest(path)
        assert e.value.code is ErrorCode.CORRUPT_FILE, path.name
    with pytest.raises(ShuzhiInputError) as e:
        ingest(empty)
    assert e.value.code is ErrorCode.EMPTY_DOCUMENT


def test_doubled_characters_are_detected_within_a_point():
    """"Fake bold" draws each glyph twice, offset by a fraction of a point; only pages that have
    such doubles pay for pdfplumber's dedupe."""
    from nlp.ingest.pdf_layout import has_doubled_chars

    def chars(*xs):
        return [{"text": "党", "x0": x, "top": 100.2} for x in xs]

    assert has_doubled_chars(chars(50.0, 50.4))
    assert has_doubled_chars(chars(50.45, 50.55))  # across a rounding boundary
    assert not has_doubled_chars(chars(50.0, 62.0, 74.0))


@pytest.mark.parametrize("path", CORPUS_PDFS, ids=lambda p: p.name)
def test_pdfium_and_pdfplumber_readers_give_the_same_blocks(path, monkeypatch):
    """The fast reader is only a faster way to the same blocks (errors included)."""
    from nlp.ingest import pdf_backend

    def blocks():
        try:
            return [b.to_dict() for b in ingest(path).blocks]
        except ShuzhiInputError as e:
            return e.code

    fast = blocks()
    monkeypatch.setattr(pdf_backend, "pdfium_lines", lambda *args: None)
    assert blocks() == fast


def test_fixture_pdf_is_read_by_pdfium_and_tables_and_scans_by_pdfplumber(files, tmp_path):
    from nlp.ingest.pdf_pdfium import pdfium_lines

    pages, _ = pdfium_lines(files["pdf"], 300)
    assert [ln.text for ln in pages[0]][1] == "柳溪街道党工委书记2022年度述职报告"
    assert pdfium_lines(CORPUS / "hearing_samples" / "plans" / "化学与材料学院党委整改方案.pdf", 300) is None
    assert pdfium_lines(builders.build_image_only_pdf(tmp_path / "扫描件.pdf"), 300) is None


def test_rotated_watermark_sends_the_file_to_pdfplumber(tmp_path):
    """A 45° "内部资料" watermark is text pdfium would mix into the lines; pdfplumber reads it."""
    from nlp.ingest.pdf_pdfium import pdfium_lines

    path = builders.build_report_pdf(tmp_path / "水印.pdf", PDF_PARAGRAPHS[:2], "水印测试述职报告",
                                     watermark="内部资料")
    assert pdfium_lines(path, 300) is None
    texts = [b.text for b in ingest(path).blocks]
    assert PDF_PARAGRAPHS[0] in texts and PDF_PARAGRAPHS[1] in texts


def test_one_glyph_for_two_characters_keeps_the_line_whole(tmp_path):
    """Fonts draw "——" as one glyph for two characters; it must not open a gap in the line."""
    text = "坚持问题导向——把查摆出的问题逐条列出清单，明确责任人和完成时限，确保件件有着落。"
    path = builders.build_report_pdf(tmp_path / "破折号.pdf", [text], "破折号测试述职报告")
    assert text in [b.text for b in ingest(path).blocks]


def test_character_beyond_the_bmp_survives_and_the_report_is_analysed(tmp_path):
    """pdfium gives 𠀋 (a rare character of a place name) as two UTF-16 halves; the reader joins
    them, and the analysis goes through (one half alone crashed the feature hashing)."""
    from nlp.analysis import Analyzer

    text = "我们联系的𠀋村党支部全年发展党员2名，整顿软弱涣散问题3个，群众满意度有所提升。"
    path = builders.build_report_pdf(tmp_path / "生僻字.pdf", [text], "生僻字测试述职报告")
    assert text in [b.text for b in ingest(path).blocks]
    record = Analyzer().analyze(path, "rare")
    assert record["error"] is None and any("𠀋" in s["text"] for s in record["sentences"])


@pytest.mark.parametrize("change", ["rotate", "crop"])
def test_turned_or_cropped_pages_are_left_to_pdfplumber(files, tmp_path, change):
    """pdfium's coordinates are those of the unturned, uncropped page; pdfplumber's are not."""
    from pypdf import PdfReader, PdfWriter

    from nlp.ingest.pdf_pdfium import pdfium_lines

    writer = PdfWriter()
    for page in PdfReader(files["pdf"]).pages:
        if change == "rotate":
            page.rotate(90)
        else:
            page.cropbox.lower_left = (10, 10)
        writer.add_page(page)
    path = tmp_path / f"{change}.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    assert pdfium_lines(path, 300) is None
    assert any(LONG_PARAGRAPH[:20] in b.text for b in ingest(path).blocks)


def test_office_exported_pdfs_read_the_same_by_both_readers(tmp_path, monkeypatch):
    """PDFs as an office suite writes them (LibreOffice, from two sample reports, one with a
    table): the title's underline does not send a file to pdfplumber, the table does, and both
    readers give the same blocks."""
    import subprocess

    from nlp.ingest import pdf_backend
    from nlp.ingest.legacy_backend import soffice_path
    from nlp.ingest.pdf_pdfium import pdfium_lines

    names = ["岚江市二院党委书记述职报告.docx", "石门县农业农村局 述职报告 修改稿2.docx"]
    subprocess.run([soffice_path(), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path)] + [str(CORPUS / "samples" / n) for n in names],
                   check=True, capture_output=True, timeout=180)
    plain, with_table = (tmp_path / n.replace(".docx", ".pdf") for n in names)
    assert pdfium_lines(plain, 300) is not None and pdfium_lines(with_table, 300) is None
    fast = {p: [b.to_dict() for b in ingest(p).blocks] for p in (plain, with_table)}
    monkeypatch.setattr(pdf_backend, "pdfium_lines", lambda *args: None)
    for p in (plain, with_table):
        assert [b.to_dict() for b in ingest(p).blocks] == fast[p], p.name
