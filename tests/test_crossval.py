"""Cross-validation (nlp/evaluate/crossval.py) deals reports into folds without leaking a held-out
report, or its reuse group, into the training of the model that predicts it."""
from nlp.classify.baselines import heading_rule
from nlp.classify.train import load_split
from nlp.evaluate.crossval import cross_validate, deal_folds


def _examples():
    return list(load_split("dev"))


def test_folds_cover_every_report_once_and_keep_groups_together():
    examples = _examples()
    ids = [e.id for e in examples]
    groups = {ids[0]: "g", ids[5]: "g", ids[9]: "g"}
    folds = deal_folds(examples, k=4, seed=1, groups=groups)
    assert sorted(i for f in folds for i in f) == list(range(len(examples)))
    assert sum(any(i in f for i in (0, 5, 9)) for f in folds) == 1
    assert max(map(len, folds)) - min(map(len, folds)) <= 3
    assert deal_folds(examples, k=4, seed=1, groups=groups) == folds
    assert deal_folds(examples, k=4, seed=2, groups=groups) != folds


def test_cross_validation_never_trains_on_what_it_scores():
    examples = _examples()
    extra = list(load_split("train"))[:2]
    groups = {examples[1].id: "g", examples[2].id: "g"}
    seen_by_fit = []

    def fit(train):
        seen = {e.id for e in train}
        seen_by_fit.append(seen)
        assert {e.id for e in extra} <= seen  # extra reports are always trained on

        def predict(ex):
            assert ex.id.split("~")[0] not in seen, ex.id
            assert not (ex.id.split("~")[0] in groups and seen & set(groups))
            return heading_rule(ex.contexts)
        return predict

    results = cross_validate(fit, examples, k=3, extra=extra, groups=groups)
    assert len(seen_by_fit) == 3
    assert set(results) == {"as written", "no headings", "fragment from the middle", "achievements only",
                            "headings run into the text"}
    for m in results.values():
        assert m["reports"] == len(examples)  # extra reports are never scored
    assert results["achievements only"]["share_mae_points"] >= 0


def test_reports_sharing_text_are_grouped():
    from nlp.classify.train import share_groups

    examples = list(load_split("train")) + list(load_split("dev")) + list(load_split("test"))
    groups = share_groups(examples)
    by_id = {e.id for e in examples}
    pairs = [(a, b) for a, b in (("r003", "r006"), ("r001", "a001"), ("r012", "a002"))
             if a in by_id and b in by_id]
    assert pairs
    for a, b in pairs:
        assert groups[a] == groups[b]
    assert "r121" not in groups  # a report that shares nothing is its own group
