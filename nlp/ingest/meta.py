"""Report metadata stated in the text: title, unit, secretary, date, year.

Only what the text states: a unit is taken from a title like "XX镇党委书记2022年度抓基层党建工作
述职报告", a secretary from "述职人：张三" or a name line under the title or above the date.
"""
from __future__ import annotations

import re

from nlp.document import Block, BlockKind, Meta

TITLE_HINT = re.compile(r"述职|报告")
UNIT = re.compile(r"^(?P<unit>.{2,40}?(?:党委|党组|党工委|党总支|党支部|总支部|委员会|支部))(?:副?书记|第一书记)")
YEAR = re.compile(r"(20\d{2})\s*年(?:度)?")
DATE = re.compile(r"(20\d{2}|二〇[〇一二三四五六七八九]{2})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
                  r"\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日")
SECRETARY = re.compile(r"(?:述职人|报告人|汇报人)\s*[：:]\s*(?:\S*?(?:书记|主任|局长|校长|院长|董事长)\s*)?"
                       r"(?P<name>[\u4e00-\u9fff×X＊*]{2,4})\s*$")
ROLE_NAME = re.compile(r"(?:书记|主任|局长|校长|院长|董事长)\s+(?P<name>[\u4e00-\u9fff]{2,4}|×{2,3})\s*$")
NAME_LINE = re.compile(r"^[（(]?(?P<name>[\u4e00-\u9fff]{2,4}|×{2,3}|X{2,3}|\*{2,3})[)）]?$")


def extract_meta(blocks: list[Block]) -> Meta:
    meta = Meta()
    head = [b for b in blocks[:6] if b.kind is not BlockKind.TABLE_CELL]
    for b in head:
        if (b.kind is BlockKind.HEADING and b.level == 0) or (
                len(b.text) <= 60 and TITLE_HINT.search(b.text) and not b.text.endswith("。")):
            meta.title = b.text.replace("\n", "")
            break
    if meta.title:
        m = UNIT.search(meta.title)
        if m:
            meta.unit = m.group("unit")
        y = YEAR.search(meta.title)
        if y:
            meta.year = int(y.group(1))
    for b in blocks[:8] + blocks[-6:]:
        m = SECRETARY.search(b.text)
        if m:
            meta.secretary = m.group("name")
            break
    if meta.secretary is None:
        title_at = next((i for i, b in enumerate(head) if b.text.replace("\n", "") == meta.title), None)
        candidates = ([blocks[title_at + 1]] if title_at is not None and title_at + 1 < len(blocks)
                      else []) + blocks[-3:]
        for b in candidates:
            m = NAME_LINE.match(b.text.strip()) or (len(b.text) <= 40 and ROLE_NAME.search(b.text.strip()))
            if m and not DATE.search(b.text):
                meta.secretary = m.group("name")
                break
    for b in reversed(blocks[-6:]):
        d = DATE.search(b.text)
        if d and len(b.text) <= 30:
            meta.date = d.group(0)
            break
    return meta
