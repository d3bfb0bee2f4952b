"""Batch comparison: copied passages with changed names and numbers are found, unrelated
reports are not, and a unit's repeated problems are found against its previous-year report."""
from __future__ import annotations

from nlp.batch import finalize_batch
from nlp.settings import load_settings
from nlp.units import normalize_unit, same_unit

SHARED = ("镇党委坚持把抓基层党建作为最大政绩，围绕村级组织建设、党员队伍管理和基层治理三个重点，逐村开展调研，"
          "逐项建立台账，推动全镇{n}个村党组织全部达到标准化规范化要求。")


def _record(rid, unit, texts, label="ACH"):
    sentences = [{"id": i, "text": t, "label": label, "block": i, "heading": False} for i, t in enumerate(texts)]
    return {"id": rid, "source": {"name": rid}, "meta": {"unit": unit}, "sentences": sentences,
            "findings": [], "error": None}


def test_similarity_finds_copied_passage_with_changed_numbers():
    a = _record("a", "青石镇党委", [SHARED.format(n=12), "今年新建党群服务中心3个，发展党员15名。"])
    b = _record("b", "柳溪镇党委", [SHARED.format(n=9).replace("镇党委", "镇党委班子"),
                                   "全年组织培训6期，整治软弱涣散村1个。"])
    c = _record("c", "白沙街道党工委", ["街道党工委推行网格化管理，划分网格86个，化解矛盾纠纷263件。",
                                     "社区党组织书记全部参加区委组织部集中轮训。"])
    records = finalize_batch([a, b, c], [], [], load_settings())
    assert [s["other"] for s in records[0]["similarity"]] == ["b"]
    assert records[0]["similarity"][0]["share"] > 0.4
    assert records[2]["similarity"] == []
    assert any(f["rule"] == "text_reuse" for f in records[0]["findings"])


def test_similarity_repeated_problem_against_archive():
    old = _record("old", "中共青石镇委员会", ["一是村级组织建设不平衡，东岭村党支部活动不正常。"], "PROB")
    new = _record("new", "青石镇党委", ["一是村级组织建设不平衡，东岭村党支部活动仍不正常。",
                                       "二是党员教育方式单一。"], "PROB")
    other = _record("x", "柳溪镇党委", ["一是党员队伍老化。"], "PROB")
    records = finalize_batch([new, other], [old], [], load_settings())
    repeated = [f for f in records[0]["findings"] if f["rule"] == "repeated_problem"]
    assert repeated and repeated[0]["sentence_ids"] == [0]
    assert not [f for f in records[1]["findings"] if f["rule"] == "repeated_problem"]


def test_units_normalised():
    assert normalize_unit("中共宁江市水务集团有限公司委员会") == "宁江市水务集团有限公司"
    assert same_unit("XX镇党委", "中共XX镇委员会")
    assert not same_unit("XX镇党委", "XX街道党工委")
