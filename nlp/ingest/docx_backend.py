"""Read .docx: body in document order, Word numbering as printed, tables, text boxes, tracked changes.

We walk the body XML ourselves because python-docx's `paragraph.text` drops automatic numbers and
accepted insertions (w:ins) and does not reach text boxes; python-docx still opens the package
(with its own non-resolving XML parser) and gives us the styles and numbering parts.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError

from nlp.document import Block, BlockKind
from nlp.errors import ErrorCode, ShuzhiInputError
from nlp.ingest.numbering import W, NumberingState
from nlp.ingest.safety import check_zip_package
from nlp.settings import Limits

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP = {W + "del", W + "moveFrom", W + "delText", W + "instrText", MC + "Fallback",
         W + "footnoteReference", W + "endnoteReference", W + "commentReference"}


class _Styles:
    """Paragraph style facts that decide headings and inherited numbering."""

    def __init__(self, styles_root):
        self.by_id: dict[str, object] = {}
        if styles_root is not None:
            for st in styles_root.iter(W + "style"):
                self.by_id[st.get(W + "styleId")] = st

    def _chain(self, style_id):
        seen = set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            st = self.by_id[style_id]
            yield st
            based = st.find(W + "basedOn")
            style_id = based.get(W + "val") if based is not None else None

    def heading_level(self, style_id) -> int | None:
        """Level 0 for a title style, 1..9 for heading styles or outline levels, else None."""
        for st in self._chain(style_id):
            name_el = st.find(W + "name")
            name = (name_el.get(W + "val") if name_el is not None else "").lower().strip()
            if name in ("title", "标题"):
                return 0
            for prefix in ("heading ", "标题 ", "标题"):
                if name.startswith(prefix) and name[len(prefix):].strip().isdigit():
                    return int(name[len(prefix):].strip())
            outline = st.find(f"{W}pPr/{W}outlineLvl")
            if outline is not None:
                lvl = int(outline.get(W + "val", "9"))
                return lvl + 1 if lvl < 9 else None
        return None

    def num_pr(self, style_id):
        for st in self._chain(style_id):
            num = st.find(f"{W}pPr/{W}numPr")
            if num is not None:
                return num
        return None


def _run_text(el, out: list[str], boxes: list) -> None:
    """Collect visible text of a paragraph, in order, skipping deletions and field codes."""
    for child in el:
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag == W + "t":
            out.append(child.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        elif tag == W + "txbxContent":
            boxes.append(child)
        else:
            _run_text(child, out, boxes)


class _Walker:
    def __init__(self, document):
        part = document.part
        self.styles = _Styles(part.styles.element if part.styles is not None else None)
        try:
            numbering_root = part.numbering_part.element
        except (NotImplementedError, KeyError):
            numbering_root = None
        self.numbering = NumberingState.from_xml(numbering_root)
        self.blocks: list[Block] = []
        self.paragraph_index = 0
        self.table_index = 0

    def walk(self, container) -> None:
        for child in container:
            if child.tag == W + "p":
                self.paragraph(child)
            elif child.tag == W + "tbl":
                self.table(child)
            elif child.tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self.walk(content)
            elif child.tag in (W + "ins", W + "moveTo", W + "customXml"):
                self.walk(child)

    def _label(self, p, style_id) -> tuple[str, bool]:
        num = p.find(f"{W}pPr/{W}numPr")
        if num is None:
            num = self.styles.num_pr(style_id)
        if num is None:
            return "", False
        num_id_el, ilvl_el = num.find(W + "numId"), num.find(W + "ilvl")
        num_id = num_id_el.get(W + "val") if num_id_el is not None else None
        ilvl = int(ilvl_el.get(W + "val", "0")) if ilvl_el is not None else 0
        if not num_id:
            return "", False
        return self.numbering.render(num_id, ilvl)

    def paragraph(self, p, cell: tuple[int, int, int] | None = None) -> str:
        style_el = p.find(f"{W}pPr/{W}pStyle")
        style_id = style_el.get(W + "val") if style_el is not None else None
        parts: list[str] = []
        boxes: list = []
        _run_text(p, parts, boxes)
        text = "".join(parts)
        label, bullet = self._label(p, style_id)
        index = self.paragraph_index
        self.paragraph_index += 1
        if text.strip():
            text = label + text
        if cell is None and text.strip():
            level = self.styles.heading_level(style_id)
            outline = p.find(f"{W}pPr/{W}outlineLvl")
            if outline is not None and int(outline.get(W + "val", "9")) < 9:
                level = int(outline.get(W + "val")) + 1
            if level is not None:
                kind = BlockKind.HEADING
            elif label or bullet:
                kind, level = BlockKind.LIST_ITEM, 0
            else:
                kind, level = BlockKind.PARAGRAPH, 0
            self.blocks.append(Block(kind, text.strip(), level=level, paragraph=index))
        for box in boxes:
            self.walk(box)
        return text

    def table(self, tbl) -> None:
        t = self.table_index
        self.table_index += 1
        for r, tr in enumerate(tbl.findall(W + "tr")):
            c = 0
            for tc in tr.findall(W + "tc"):
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                continued = merge is not None and merge.get(W + "val") in (None, "continue")
                texts = []
                for child in tc:
                    if child.tag == W + "p":
                        texts.append(self.paragraph(child, cell=(t, r, c)))
                    elif child.tag == W + "tbl":
                        self.table(child)
                text = "\n".join(x for x in texts if x.strip()).strip()
                if text and not continued:
                    self.blocks.append(Block(BlockKind.TABLE_CELL, text, table=t, row=r, col=c,
                                             paragraph=self.paragraph_index - 1))
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                c += int(span.get(W + "val", "1")) if span is not None else 1


def read_docx(path: Path, limits: Limits) -> list[Block]:
    check_zip_package(path, limits)
    try:
        with zipfile.ZipFile(path) as zf:
            if "word/document.xml" not in zf.namelist():
                raise ShuzhiInputError(ErrorCode.UNSUPPORTED_FORMAT, "zip without word/document.xml")
        document = docx.Document(str(path))
    except ShuzhiInputError:
        raise
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise ShuzhiInputError(ErrorCode.CORRUPT_FILE, f"{type(e).__name__}: {e}") from e
    except Exception as e:  # lxml syntax errors and friends: the package is damaged
        raise ShuzhiInputError(ErrorCode.CORRUPT_FILE, f"{type(e).__name__}: {e}") from e
    walker = _Walker(document)
    walker.walk(document.element.body)
    return walker.blocks
