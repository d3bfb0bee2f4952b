"""The PDF reader on real paginated PDFs: running headers, page numbers, wrapped CJK lines."""
from __future__ import annotations

import pytest

from nlp.errors import ErrorCode, ShuzhiInputError
from nlp.ingest import ingest
from tests import builders
from tests.conftest import LONG_PARAGRAPH, PDF_PARAGRAPHS


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
    from types import SimpleNamespace

    from nlp.ingest.pdf_backend import _has_doubled_chars

    def chars(*xs):
        return SimpleNamespace(chars=[{"text": "党", "x0": x, "top": 100.2} for x in xs])

    assert _has_doubled_chars(chars(50.0, 50.4))
    assert _has_doubled_chars(chars(50.45, 50.55))  # across a rounding boundary
    assert not _has_doubled_chars(chars(50.0, 62.0, 74.0))
