"""Batch comparison: copied passages with changed names and numbers are found, unrelated
reports are not, and a unit's repeated problems are found against its previous-year report."""
from __future__ import annotations

from pathlib import Path

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


def _naive_common_phrases(records, n, min_reports, doc_share):
    """Document frequency of every n-gram with Python sets: the definition the fast count must match."""
    import math
    import re
    from collections import Counter

    from nlp.similarity import fold

    df = Counter()
    for r in records:
        df.update({t[i:i + n] for s in r["sentences"] for t in [fold(s["text"])]
                   for i in range(len(t) - n + 1)})
    need = max(min_reports, math.ceil(doc_share * len(records)))
    return sorted(g for g, c in df.items() if c >= need and not re.search(r"[，。；：0]", g))


def test_common_phrases_equal_the_set_count_across_chunks():
    from nlp.corpus import load_dir
    from nlp.similarity import common_phrases, joined, view_of

    records = [_record(r.meta["id"], r.meta["unit"], [s.text for b in r.blocks for s in b.sentences])
               for r in load_dir(Path(__file__).resolve().parents[1] / "corpus" / "reports")]
    for share, chunk in [(0.1, 7), (0.05, 250), (0.2, 1)]:
        expected = _naive_common_phrases(records, 8, 3, share)
        assert expected, "the corpus shares some 8-grams across a tenth of its reports"
        assert common_phrases([joined(view_of(r).folded) for r in records], 8, 3, share, chunk=chunk) == expected


def test_reuse_pairs_in_a_large_bucket_are_capped():
    """Forty reports sharing one template paragraph: each is aligned with at most 2 × max_group
    others instead of all 39, and every report still finds its reuse."""
    from nlp.batch import new_comparison
    from nlp.similarity import view_of

    settings = load_settings()
    template = SHARED.format(n=10)
    records = [_record(f"r{i:02d}", f"第{i}镇党委", [template, f"本镇今年发展党员{i}名，新建活动阵地{i + 1}处，"
                                                   f"第{i}号整治项目完成验收。"]) for i in range(40)]
    comparison = new_comparison(settings)
    comparison.index.max_group = 5
    for r in records:
        comparison.add(view_of(r))
    comparison.prepare()
    partners = [len(comparison.index.links(comparison.refs[r["id"]].number)) for r in records]
    comparison.close()
    assert max(partners) <= 10 and min(partners) >= 5
    finalize_batch(records, [], [], settings)
    assert all(r["similarity"] for r in records)


def test_each_passage_pair_is_aligned_once(monkeypatch):
    """A pair's shared characters are the same from either side, so the comparison aligns each
    proposed pair once for the batch, and both reports see the same count."""
    import nlp.similarity as similarity

    a, b = SHARED.format(n=12) + "今年新建党群服务中心3个。", "全年组织培训6期，" + SHARED.format(n=9)
    assert similarity.shared_chars(a, b) == similarity.shared_chars(b, a) > 40
    calls = []
    real = similarity.shared_chars
    monkeypatch.setattr(similarity, "shared_chars", lambda x, y: calls.append((x, y)) or real(x, y))
    records = finalize_batch([_record("a", "青石镇党委", [a]), _record("b", "柳溪镇党委", [b])], [], [], load_settings())
    assert len(calls) == 1
    assert records[0]["similarity"][0]["shared_chars"] == records[1]["similarity"][0]["shared_chars"] == \
        real(similarity.fold(a), similarity.fold(b))


def test_streamed_comparison_equals_the_in_memory_one():
    """The flow's two passes (views added as analyses arrive, then each analysis finished alone,
    as read back from its file) give exactly what the comparison of all analyses in memory
    gives: reuse in the batch, a template, and a problem repeated from the archive."""
    import copy
    import json

    from nlp.batch import finish_record, new_comparison
    from nlp.similarity import view_of

    template = _record("t", None, [SHARED.format(n=0)])
    old = _record("old", "中共青石镇委员会", ["一是村级组织建设不平衡，东岭村党支部活动不正常。"], "PROB")
    batch = [_record("a", "青石镇党委", [SHARED.format(n=12), "一是村级组织建设不平衡，东岭村党支部活动仍不正常。"], "PROB"),
             _record("b", "柳溪镇党委", [SHARED.format(n=9), "全年组织培训6期，整治软弱涣散村1个。"]),
             _record("c", "白沙街道党工委", ["街道党工委推行网格化管理，划分网格86个，化解矛盾纠纷263件。"])]
    expected = finalize_batch(copy.deepcopy(batch), [old], [template], load_settings())
    assert any(f["rule"] == "repeated_problem" for f in expected[0]["findings"])
    assert {s["kind"] for s in expected[0]["similarity"]} == {"batch", "template"}

    settings = load_settings()
    comparison = new_comparison(settings)
    for kind, group in (("batch", batch), ("archive", [old]), ("template", [template])):
        for r in group:
            comparison.add(view_of(r, kind))
    streamed = [finish_record(json.loads(json.dumps(r)), comparison, settings) for r in batch]
    assert streamed == expected


def test_comparison_keeps_no_view_in_memory():
    """A view is written to the comparison's spool as it is added and freed at once, even with
    the cycle collector kept away from it (the flow freezes its objects); what is read back is
    what was added, and closing deletes the spool."""
    import gc
    import weakref

    from nlp.batch import new_comparison
    from nlp.similarity import view_of

    comparison = new_comparison(load_settings())
    old = _record("old", "青石镇党委", ["一是村级组织建设不平衡，东岭村党支部活动不正常。", SHARED.format(n=3)], "PROB")
    for record, kind in ((_record("a", "青石镇党委", [SHARED.format(n=12), "今年发展党员15名。"]), "batch"),
                         (old, "archive")):
        view = view_of(record, kind)
        folded, problems = view.folded, view.problems
        gc.freeze()
        try:
            gone = weakref.ref(view)
            comparison.add(view)
            del view
            assert gone() is None
        finally:
            gc.unfreeze()
        ref = comparison.refs[record["id"]]
        assert comparison.store.folded(ref) == folded
        assert comparison.store.problems(ref) == (problems if kind == "archive" else [])
    assert comparison.store.text(ref, 2, 9) == "".join(folded)[2:9]
    comparison.prepare()
    assert comparison.reuse("a")[0]["other"] == "old"
    spool = comparison.index._spool
    comparison.close()
    assert comparison.store._file._file.closed and spool._rows._file.closed and spool._keys._file.closed


def test_spool_files_have_no_name_and_stay_in_the_output_folder(tmp_path):
    """The comparison's working copy of the texts is written where the outputs are (not the
    system's temp folder) and has no name there: nothing to find, nothing left after a crash."""
    import os

    from nlp.batch import new_comparison
    from nlp.similarity import view_of

    comparison = new_comparison(load_settings(), str(tmp_path))
    comparison.add(view_of(_record("a", "青石镇党委", [SHARED.format(n=12)])))
    files = [comparison.store._file, comparison.index._spool._rows, comparison.index._spool._keys]
    assert os.listdir(tmp_path) == []
    for f in files:
        assert os.readlink(f"/proc/self/fd/{f.fd}").startswith(str(tmp_path))
        assert os.fstat(f.fd).st_mode & 0o077 == 0
    comparison.close()


def test_signature_spool_reads_rows_and_estimates_agreement():
    """The rows are read back as written, in runs and alone, across the blocks of band keys;
    the agreement of a pair is the share of equal values, and identical rows agree fully."""
    import numpy as np

    from nlp.spool import ROWS_PER_BLOCK, SignatureSpool

    rng = np.random.default_rng(3)
    rows = rng.integers(0, 2 ** 32, (ROWS_PER_BLOCK + 300, 16), dtype=np.uint32)
    rows[7] = rows[5]
    rows[9, :8] = rows[2, :8]
    spool = SignatureSpool(16, [(0, 4), (4, 8), (8, 12), (12, 16)])
    for lo in range(0, len(rows), 1000):
        spool.append(rows[lo:lo + 1000])
    wanted = np.array([0, 1, 2, 3, 40, 41, ROWS_PER_BLOCK + 299])
    assert (spool.rows(wanted) == rows[wanted]).all()
    i, j = np.array([5, 2, 0, 100, ROWS_PER_BLOCK + 5]), np.array([7, 9, 1, 6000, 12])
    expected = (rows[i] == rows[j]).mean(axis=1)
    assert np.allclose(spool.agreement(i, j, pairs_at_once=2), expected)
    assert spool.agreement(i, j)[:2].tolist() == [1.0, 0.5]
    assert (spool.band(1) == spool._band_keys(rows)[1]).all()
    spool.close()
