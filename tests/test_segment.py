"""The spaCy + jieba tokenizer with the domain dictionary."""
from __future__ import annotations

import jieba
import pytest

from nlp.segment import build_nlp, get_nlp, merge_tokens


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


@pytest.mark.parametrize("text, tokens", [
    ("严格落实三会一课制度", ["严格", "落实", "三会一课", "制度"]),
    ("书记履行第一责任人职责", ["书记", "履行", "第一责任人", "职责"]),
    ("整顿软弱涣散党组织2个", ["整顿", "软弱涣散", "党组织", "2", "个"]),
    ("坚持党建引领", ["坚持", "党建引领"]),
    ("增长3.5%", ["增长", "3.5%"]),
    ("×××同志于2023年完成", ["×××", "同志", "于", "2023年", "完成"]),
])
def test_segment_domain_terms(nlp, text, tokens):
    assert [t.text for t in nlp(text)] == tokens


def test_segment_does_not_touch_global_jieba(nlp):
    nlp("两个确立四个意识")
    assert "三会一课" not in jieba.dt.FREQ  # the process-wide dictionary is unchanged


def test_segment_plain_jieba_differs():
    plain = build_nlp(None)
    assert [t.text for t in plain("三会一课")] != ["三会一课"]


def test_segment_whitespace_and_empty(nlp):
    doc = nlp("  党员  学习 ")
    assert doc.text == "  党员  学习 "
    assert len(nlp("")) == 0


def test_segment_merge_tokens():
    assert merge_tokens(["X", "X", "镇"]) == ["XX", "镇"]
    assert merge_tokens(["*", "*", "名"]) == ["**", "名"]


def test_best_route_cuts_as_jieba_without_hmm(nlp):
    """The fast route (the role model's word features) gives jieba's own no-HMM cut, word for
    word, on every sentence and heading of the corpus and on mixed scripts."""
    from pathlib import Path

    from nlp.corpus import load_dir
    from nlp.segment import BestRoute

    tk = nlp.tokenizer.jieba
    route = BestRoute(tk)
    texts = ["", "  ", "ABC党建123，x.y_z-1 2#3&4", "Ｘ镇　2023 年 6 月", "×××同志\r\n于…",
             "一是理论学习不够深入；二是“三会一课”流于形式！", "CPU占用95.5%以上"]
    for report in load_dir(Path(__file__).resolve().parents[1] / "corpus" / "reports"):
        for block in report.blocks:
            texts.extend([s.text for s in block.sentences] if block.kind == "paragraph" else [block.text])
    assert len(texts) > 5000
    for text in texts:
        assert route.cut(text) == [w for w in tk.cut(text, HMM=False) if w], text


def test_best_route_breaks_ties_as_jieba():
    """Two routes of exactly the same score: jieba keeps the longer first word, and so must we."""
    from nlp.segment import BestRoute

    tk = jieba.Tokenizer()
    tk.FREQ = {"甲": 5, "甲乙": 5, "乙": 0, "乙丙": 7, "丙": 7}
    tk.total, tk.initialized = 100, True
    expected = [w for w in tk.cut("甲乙丙", HMM=False) if w]
    assert expected == ["甲乙", "丙"]
    assert BestRoute(tk).cut("甲乙丙") == expected
