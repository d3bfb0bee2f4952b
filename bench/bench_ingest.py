"""Ingestion speed: a 6,000-character .docx and a 5-page text PDF (median of repeated runs), the
PDF by the reader that takes it (pdfium) and by pdfplumber, which reads tables and odd files.
Targets on a 2-core machine: .docx ≤ 40 ms, PDF ≤ 80 ms per page."""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from unittest.mock import patch

from bench.common import DOCS, machine, median_ms
from nlp.evaluate.docs import replace_section
from nlp.ingest import ingest, pdf_backend

PARA = ("镇党委坚持把抓基层党建作为最大政绩，围绕村级组织建设、党员队伍管理和基层治理三个重点，逐村开展调研，"
        "逐项建立台账，推动全镇12个村党组织全部达到标准化规范化要求，全年发展党员15名。")


def build(folder: Path) -> tuple[Path, Path, int]:
    import docx

    from tests.builders import build_report_pdf

    d = docx.Document()
    d.add_paragraph("青石镇党委书记2022年度述职报告", style="Title")
    n = 0
    for i in range(66):
        if i % 10 == 0:
            d.add_paragraph(f"第{i // 10 + 1}部分", style="Heading 1")
        d.add_paragraph(PARA)
        n += len(PARA)
    docx_path = folder / "report.docx"
    d.save(docx_path)
    pdf_path = build_report_pdf(folder / "report.pdf", [PARA * 2] * 22, "青石镇党委书记2022年度述职报告")
    return docx_path, pdf_path, n


def main() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        docx_path, pdf_path, chars = build(Path(tmp))
        pages = len(__import__("pdfplumber").open(str(pdf_path)).pages)
        docx_ms = median_ms(lambda: ingest(docx_path))
        pdf_ms = median_ms(lambda: ingest(pdf_path), repeat=7)
        with patch.object(pdf_backend, "pdfium_lines", lambda *args: None):
            plumber_ms = median_ms(lambda: ingest(pdf_path), repeat=7)
    result = {"docx_chars": chars, "docx_ms": round(docx_ms, 1), "pdf_pages": pages,
              "pdf_ms": round(pdf_ms, 1), "pdf_ms_per_page": round(pdf_ms / pages, 1),
              "pdf_pdfplumber_ms_per_page": round(plumber_ms / pages, 1)}
    print(json.dumps(result, ensure_ascii=False))
    table = ("| input | median | target |\n| --- | --- | --- |\n"
             f"| .docx, {chars} characters | {docx_ms:.1f} ms | ≤ 40 ms |\n"
             f"| text PDF, {pages} pages (pdfium) | {pdf_ms:.0f} ms ({pdf_ms / pages:.1f} ms/page) | ≤ 80 ms/page |\n"
             f"| the same PDF by pdfplumber (tables, odd files) | {plumber_ms:.0f} ms "
             f"({plumber_ms / pages:.1f} ms/page) | ≤ 80 ms/page |\n\n"
             f"Machine: {machine()}. Command: `.venv/bin/python -m bench.bench_ingest`.")
    replace_section(DOCS, "ingest", table)
    return result


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
