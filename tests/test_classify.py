"""The sentence-role labeller: estimator contract, persistence without pickle, baselines,
alignment of gold labels to our sentences, and the evaluation metrics."""
from __future__ import annotations

import json

import pytest
from nlp.classify.model import NotFittedError

from nlp.classify.baselines import cue_rule, heading_rule
from nlp.classify.context import report_contexts
from nlp.classify.dataset import augment, example_from_report
from nlp.classify.labeller import load_labeller
from nlp.classify.model import SentenceRoleModel
from nlp.corpus import GoldBlock, GoldReport, GoldSentence
from nlp.document import Block, BlockKind
from nlp.evaluate.labels import evaluate
from nlp.sentences import split_blocks


def _report(rid="t1") -> GoldReport:
    def b(kind, *sents, level=0):
        return GoldBlock(kind, [GoldSentence(t, l) for t, l in sents], level=level)

    blocks = [
        b("heading", ("青石镇党委书记述职报告", "OTHER"), level=0),
        b("paragraph", ("现将有关情况报告如下。", "OTHER")),
        b("heading", ("一、主要工作", "ACH"), level=1),
        b("paragraph", ("全年发展党员15名，整顿软弱涣散村党组织2个。", "ACH"),
          ("新建党群服务中心3个。", "ACH")),
        b("heading", ("二、存在的问题", "PROB"), level=1),
        b("paragraph", ("一是理论学习不够深入；", "PROB"), ("二是村级组织建设不平衡。", "PROB")),
        b("paragraph", ("究其原因，主要是思想认识不到位。", "CAUSE")),
        b("heading", ("三、下一步打算", "PLAN"), level=1),
        b("paragraph", ("下一步，我将于6月底前完成阵地改造。", "PLAN")),
        b("paragraph", ("以上报告，请批评指正。", "OTHER")),
    ]
    return GoldReport({"id": rid}, blocks)


@pytest.fixture(scope="module")
def tiny_model():
    examples = augment([example_from_report(_report(f"t{i}")) for i in range(3)])
    return SentenceRoleModel(epochs=20).fit([e.contexts for e in examples], [e.labels for e in examples])


def test_classify_predict_before_fit_raises():
    ex = example_from_report(_report())
    with pytest.raises(NotFittedError):
        SentenceRoleModel().predict(ex.contexts)


def test_classify_fit_returns_self_and_learns(tiny_model):
    ex = example_from_report(_report())
    labels, confidences = tiny_model.predict(ex.contexts)
    assert labels == ex.labels
    assert all(0 < c <= 1 for c in confidences)
    assert hasattr(tiny_model, "coef_") and hasattr(tiny_model, "log_trans_")


def test_classify_save_load_roundtrip_without_pickle(tiny_model, tmp_path):
    manifest = tiny_model.save(tmp_path / "m", extra={"name": "test", "version": "0"})
    assert set(manifest) == {"weights.npz", "config.json"}
    loaded = SentenceRoleModel.load(tmp_path / "m")
    ex = example_from_report(_report())
    assert loaded.predict(ex.contexts) == tiny_model.predict(ex.contexts)
    assert loaded.get_params() == tiny_model.get_params()


def test_classify_load_refuses_tampered_files(tiny_model, tmp_path):
    tiny_model.save(tmp_path / "m")
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    config["labels"] = ["X"]
    (tmp_path / "m" / "config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match="manifest"):
        SentenceRoleModel.load(tmp_path / "m")


def test_classify_baselines_on_a_classic_report():
    ex = example_from_report(_report())
    assert heading_rule(ex.contexts)[5] == "PROB"  # under 二、存在的问题
    cue = cue_rule(ex.contexts)
    assert cue[8] == "CAUSE" and cue[-2] == "PLAN" and cue[-1] == "OTHER"


def test_classify_gold_labels_follow_our_sentences():
    report = GoldReport({"id": "m"}, [GoldBlock("paragraph", [
        GoldSentence("成绩很多，", "ACH"), GoldSentence("但学习不够深入。", "PROB")])])
    ex = example_from_report(report)
    # our splitter keeps the comma clause in one sentence: the label of most characters wins
    assert [s.text for s in ex.sentences] == ["成绩很多，但学习不够深入。"]
    assert ex.labels == ["PROB"]


def test_evaluate_perfect_and_wrong_predictions():
    ex = example_from_report(_report())
    perfect = evaluate(lambda e: e.labels, [ex])
    assert perfect["char_accuracy"] == 1.0 and perfect["share_mae_points"] == 0.0
    assert perfect["verdict_accuracy"] == 1.0
    all_ach = evaluate(lambda e: ["ACH"] * len(e.labels), [ex])
    assert all_ach["per_label"]["PROB"]["recall"] == 0.0
    assert all_ach["share_mae_points"] > 10


def test_classify_shipped_model_labels_plain_cases():
    model = load_labeller()
    blocks = [Block(BlockKind.HEADING, "二、存在的问题", level=1),
              Block(BlockKind.PARAGRAPH, "一是理论学习不够深入，对二十大精神理解不透。"),
              Block(BlockKind.HEADING, "三、下一步打算", level=1),
              Block(BlockKind.PARAGRAPH, "下一步，我将于2023年6月底前完成全部村级阵地改造。")]
    sentences = split_blocks(blocks)
    labels, _ = model.predict(report_contexts(blocks, sentences))
    assert labels == ["PROB", "PROB", "PLAN", "PLAN"]


def test_feature_hashing_equals_scikit_learn():
    """The run-time hashing (mmh3, no scikit-learn import) gives scikit-learn's matrices, so a
    model trained either way reads the same features."""
    import numpy as np
    from sklearn.feature_extraction import FeatureHasher
    from sklearn.feature_extraction.text import HashingVectorizer

    from nlp.classify.features import N_CONTEXT, N_TEXT, SentenceFeaturizer, _normalise, _words
    from nlp.classify.hashing import char_ngram_rows, char_ngrams, hash_rows
    from nlp.classify.train import load_split

    example = load_split("test")[0]
    texts = [c.text for c in example.contexts] + ["  两个  空格\t和换行\n", "", "3.5%的党员", "a",
                                                  "𠀋𠀌镇😀党建", "é\u0301ü Ａ", "x" * 3]
    for binary in (True, False):
        for high in (3, 4):  # four characters of four bytes: the widest n-gram hashed in place
            ref = HashingVectorizer(analyzer="char", ngram_range=(1, high), n_features=N_TEXT,
                                    alternate_sign=False, norm="l2", binary=binary,
                                    preprocessor=_normalise).transform(texts)
            ours = hash_rows([char_ngrams(_normalise(t), 1, high) for t in texts], N_TEXT, binary=binary, l2=True)
            assert abs(ref - ours).max() < 1e-12
            in_place = char_ngram_rows([_normalise(t) for t in texts], 1, high, N_TEXT, binary=binary, l2=True)
            assert abs(ref - in_place).max() < 1e-12 and in_place.nnz == ref.nnz
    ref = HashingVectorizer(analyzer=lambda t: _words(t, False), n_features=N_TEXT, alternate_sign=False, norm="l2",
                            binary=True).transform(texts)
    assert abs(ref - hash_rows([_words(t, False) for t in texts], N_TEXT, binary=True, l2=True)).max() < 1e-12
    dicts = [{"bias": 1.0, "sec=problems": 1.0, "cue=但": 2 / 3}, {}, {"len=3": 1.0, "len=3 ": 0.5}]
    ref = FeatureHasher(n_features=N_CONTEXT, input_type="dict", alternate_sign=False).transform(dicts)
    assert abs(ref - hash_rows(dicts, N_CONTEXT)).max() < 1e-12
    assert SentenceFeaturizer().transform(example.contexts).shape[0] == len(example.contexts)
    assert np.isfinite(SentenceFeaturizer(word_weight=0.7).transform(example.contexts).data).all()


def test_shipped_model_was_trained_with_the_current_data_files():
    """The features read cues.yaml, section_kinds.yaml and userdict.txt: editing one of them
    without `shuzhi train` would leave a model that quietly means something else."""
    import json

    from nlp.classify.features import data_digests
    from nlp.classify.labeller import DEFAULT_MODEL

    config = json.loads((DEFAULT_MODEL / "config.json").read_text(encoding="utf-8"))
    assert config["features"]["data_sha256"] == data_digests(), "retrain: `shuzhi train`"


def test_predict_proba_equals_the_plain_product():
    """The compact weights (features ever seen, dense) give the scores of the full sparse
    product, on reports with and without headings; the shipped CRF's probabilities are the
    forward-backward marginals of those scores."""
    import numpy as np

    from nlp.classify.labeller import load_labeller
    from nlp.classify.sequence import marginals
    from nlp.classify.train import load_split

    model = load_labeller(None)
    assert model.trainer == "crf"
    for example in load_split("dev")[:3]:
        X = model._featurizer().transform(example.contexts)
        scores = np.asarray((X @ model.coef_.T).todense()) + model.intercept_
        expected = marginals(scores, model.log_start_, model.log_trans_)
        assert np.allclose(model.predict_proba(example.contexts), expected, rtol=0, atol=1e-12)
        assert np.allclose(expected.sum(axis=1), 1)


def test_crf_decoding_is_crfsuites_own():
    """The shipped labeller decodes the CRF's weights with numpy; on unseen reports it must give
    exactly the labels of CRFsuite's tagger, and marginals equal to the tagger's."""
    import tempfile

    import numpy as np
    import pycrfsuite

    from nlp.classify import LABELS
    from nlp.classify.crf import _items
    from nlp.classify.train import load_split

    train, held = list(load_split("train"))[:8], list(load_split("dev"))[:4]
    model = SentenceRoleModel(trainer="crf", max_iterations=30)
    featurizer = model._featurizer()
    trainer = pycrfsuite.Trainer(verbose=False)
    for ex in train:
        trainer.append(_items(featurizer.transform(ex.contexts)), ex.labels)
    trainer.set_params({"c1": 0.0, "c2": model.c2, "max_iterations": 30,
                        "feature.possible_transitions": True})
    model.fit([e.contexts for e in train], [e.labels for e in train])
    with tempfile.TemporaryDirectory() as tmp:
        trainer.train(f"{tmp}/m.crfsuite")
        tagger = pycrfsuite.Tagger()
        tagger.open(f"{tmp}/m.crfsuite")
        for ex in held:
            labels, _ = model.predict(ex.contexts)
            theirs = tagger.tag(_items(featurizer.transform(ex.contexts)))
            # our weights are stored as float16: allow a tie-level difference on a rare sentence
            assert sum(a != b for a, b in zip(labels, theirs)) <= max(1, len(labels) // 100)
            probs = model.predict_proba(ex.contexts)
            ref = np.array([[tagger.marginal(l, t) for l in LABELS] for t in range(len(labels))])
            assert np.abs(probs - ref).max() < 0.02


def test_marginals_equal_brute_force_enumeration():
    """Forward-backward with rescaling against the definition: sum over every label sequence."""
    import itertools

    import numpy as np

    from nlp.classify.sequence import marginals

    rng = np.random.default_rng(7)
    scores, log_start, log_trans = rng.normal(0, 6, (5, 3)), rng.normal(0, 2, 3), rng.normal(0, 3, (3, 3))
    expected = np.zeros((5, 3))
    for path in itertools.product(range(3), repeat=5):
        score = log_start[path[0]] + sum(scores[t, y] for t, y in enumerate(path))
        score += sum(log_trans[a, b] for a, b in zip(path, path[1:]))
        for t, y in enumerate(path):
            expected[t, y] += np.exp(score)
    expected /= expected.sum(axis=1, keepdims=True)
    assert np.allclose(marginals(scores, log_start, log_trans), expected, rtol=0, atol=1e-12)


def test_table_cells_know_their_column_header():
    """Column features (an option, not shipped): a cell under 原因 is told so, with the kinds of
    the whole table, and paragraphs are untouched."""
    blocks = [Block(BlockKind.HEADING, "二、问题清单", level=1),
              Block(BlockKind.PARAGRAPH, "查摆出以下问题。")]
    for r, row in enumerate([["问题", "原因", "完成时限"], ["考评一团和气", "怕得罪人", "6月底前"]]):
        blocks += [Block(BlockKind.TABLE_CELL, cell, table=0, row=r, col=c) for c, cell in enumerate(row)]
    contexts = report_contexts(blocks, split_blocks(blocks))
    cells = [(c.text, c.column_kind, c.table_kinds) for c in contexts if c.block_kind == "table_cell"]
    assert cells[4] == ("怕得罪人", "causes", "causes+none+problems")
    assert cells[5][1] == "none" and cells[3][1] == "problems"
    assert all(c.column_kind is None for c in contexts if c.block_kind != "table_cell")

    from nlp.classify.features import SentenceFeaturizer

    with_columns = SentenceFeaturizer(table_columns=True).transform(contexts)
    without = SentenceFeaturizer(table_columns=False).transform(contexts)
    paragraphs = [i for i, c in enumerate(contexts) if c.block_kind != "table_cell"]
    assert (with_columns[paragraphs] != without[paragraphs]).nnz == 0
    assert (with_columns[4] != without[4]).nnz > 0

