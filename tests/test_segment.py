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
