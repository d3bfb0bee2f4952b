"""Heading levels from numbering patterns and section kinds from heading words."""
from __future__ import annotations

import pytest

from nlp.document import Block, BlockKind
from nlp.structure import heading_kind, heading_level, sections_for_blocks


@pytest.mark.parametrize("heading, kind", [
    ("二、存在的问题及原因分析", "problems_causes"),
    ("三、下一步工作打算", "measures"),
    ("一、履职情况", "achievements"),
    ("三、原因剖析", "causes"),
    ("二、找差距", "problems"),
    ("三、再出发", "measures"),
    ("四、上年度整改落实情况", "rectification"),
    ("一、回望", None),
])
def test_structure_heading_kind(heading, kind):
    assert heading_kind(heading) == kind


@pytest.mark.parametrize("text, level", [
    ("一、履职情况", 1), ("（二）建强支部堡垒", 2), ("3. 发挥党员作用", 3), ("（4）抓好整改", 4),
    ("1. 发展党员15名。全年完成。", None), ("今年以来，做了很多工作。", None),
])
def test_structure_heading_level_from_numbering(text, level):
    assert heading_level(Block(BlockKind.PARAGRAPH, text)) == level


def test_structure_subheading_inherits_problem_section():
    blocks = [Block(BlockKind.HEADING, "述职报告", level=0),
              Block(BlockKind.PARAGRAPH, "一、主要工作"),
              Block(BlockKind.PARAGRAPH, "全年发展党员15名。"),
              Block(BlockKind.PARAGRAPH, "二、存在的问题"),
              Block(BlockKind.PARAGRAPH, "1.网格党支部作用发挥不平衡"),
              Block(BlockKind.PARAGRAPH, "3网格全年只开展主题党日5次。"),
              Block(BlockKind.PARAGRAPH, "三、下一步打算")]
    sections, levels = sections_for_blocks(blocks)
    assert [s.kind for s in sections] == ["other", "achievements", "achievements", "problems",
                                          "problems", "problems", "measures"]
    assert levels == [0, 1, None, 1, 3, None, 1]


def test_a_heading_run_into_its_paragraph_opens_its_section():
    """"二、存在的问题。一是……" in one paragraph: the paragraph stays body text but belongs to the
    problem section, and so does what follows; a long numbered sentence opens nothing."""
    blocks = [Block(BlockKind.PARAGRAPH, "一、主要工作。全年发展党员15名，新建党群服务中心3个。"),
              Block(BlockKind.PARAGRAPH, "二、存在的问题：一是理论学习不够深入；二是阵地利用率不高。"),
              Block(BlockKind.PARAGRAPH, "个别支部三会一课记录不规范。"),
              Block(BlockKind.PARAGRAPH, "1.全年共组织党员集中学习12次，覆盖全体在职党员和流动党员，参学率达到96%。此外还开展了送学上门。"),
              Block(BlockKind.PARAGRAPH, "三、下一步打算。明年6月底前完成阵地改造。")]
    sections, levels = sections_for_blocks(blocks)
    assert [s.kind for s in sections] == ["achievements", "problems", "problems", "problems", "measures"]
    assert sections[1].heading == "二、存在的问题"
    assert levels == [None] * 5
