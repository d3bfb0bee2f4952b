"""Sentence splitting: the rules of corpus/GUIDELINES.md and exact coverage of the text."""
from __future__ import annotations

import pytest

from nlp.document import Block, BlockKind
from nlp.sentences import split_blocks, split_text


def _split(text):
    return [text[a:b] for a, b in split_text(text)]


@pytest.mark.parametrize("text, expected", [
    ("一是理论学习不够深入；二是调研不够。三是作风不实！",
     ["一是理论学习不够深入；", "二是调研不够。", "三是作风不实！"]),
    ("一是加强学习，二是改进作风，三是狠抓落实。", ["一是加强学习，", "二是改进作风，", "三是狠抓落实。"]),
    ("全年增长3.5%，完成率100%。", ["全年增长3.5%，完成率100%。"]),
    ("认真学习《关于加强党的建设。的意见》等文件。下一步将继续。",
     ["认真学习《关于加强党的建设。的意见》等文件。", "下一步将继续。"]),
    ("群众说：“这个书记实在。”大家都认可。", ["群众说：“这个书记实在。”", "大家都认可。"]),
    ("他提出“抓党建。促发展”的思路，效果明显。", ["他提出“抓党建。促发展”的思路，效果明显。"]),
    ("存在的主要问题有：一是学习不够。", ["存在的主要问题有：一是学习不够。"]),
    ("工作做完了吗？做完了！", ["工作做完了吗？", "做完了！"]),
    ("其中二是关键，一以贯之。", ["其中二是关键，一以贯之。"]),
])
def test_sentences_split_rules(text, expected):
    assert _split(text) == expected


def test_sentences_cover_blocks_exactly():
    blocks = [Block(BlockKind.HEADING, "一、履职情况", level=1),
              Block(BlockKind.PARAGRAPH, "  今年以来，做了很多工作。 但也存在不足；\n一是学习不够"),
              Block(BlockKind.TABLE_CELL, "发展党员。15名")]
    sentences = split_blocks(blocks)
    nonspace = lambda s: "".join(c for c in s if not c.isspace())  # noqa: E731
    assert nonspace("".join(s.text for s in sentences)) == nonspace("".join(b.text for b in blocks))
    assert [s.block for s in sentences] == [0, 1, 1, 1, 2]
    assert sentences[-1].text == "发展党员。15名"  # table cells are never split
