"""Characters per label and the one-third verdict."""
from __future__ import annotations

import pytest

from nlp.measure import measure, verdict


@pytest.mark.parametrize("share, expected", [
    (0.10, "fail"), (0.30, "fail"), (0.31, "borderline"), (0.3333, "borderline"),
    (0.36, "borderline"), (0.37, "pass"), (0.9, "pass"),
])
def test_measure_verdict_band(share, expected):
    assert verdict(share, 1 / 3, 0.03) == expected


def test_measure_counts_non_whitespace_and_counted_ids():
    sentences = [{"id": 0, "text": "成绩 很多。", "label": "ACH"},
                 {"id": 1, "text": "问题不少。", "label": "PROB"},
                 {"id": 2, "text": "原因是认识不足。", "label": "CAUSE"},
                 {"id": 3, "text": "将改进。", "label": "PLAN"}]
    m = measure(sentences)
    assert m["chars"] == {"total": 22, "ACH": 5, "PROB": 5, "CAUSE": 8, "PLAN": 4, "OTHER": 0}
    assert m["problem_cause_share"] == round(13 / 22, 4)
    assert m["one_third"]["counted_sentence_ids"] == [1, 2]
    assert m["one_third"]["verdict"] == "pass"
    assert abs(sum(m["shares"].values()) - 1) < 1e-9


def test_measure_plans_do_not_count():
    m = measure([{"id": 0, "text": "下一步将加强学习。", "label": "PLAN"}])
    assert m["problem_cause_share"] == 0.0 and m["one_third"]["verdict"] == "fail"


def test_measure_empty():
    assert measure([])["problem_cause_share"] == 0.0
