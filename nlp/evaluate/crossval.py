"""Cross-validation by report over train + dev: how a change to the labeller or to the training
reports is judged without spending the test split or the holdout.

Reports are dealt into k folds (seeded; a reuse group stays in one fold, so no copied passage is
both trained on and scored). Each fold is predicted by a model fitted on the other folds (plus any
`extra` reports, which are trained on but never scored, so that the scored set stays the same
when training reports are added), as written and in the stress shapes of nlp/evaluate/stress.py.
The figures are then computed once over all scored reports.
"""
from __future__ import annotations

import random
from typing import Callable

from nlp.classify.dataset import Example
from nlp.evaluate.labels import Predictor, evaluate
from nlp.evaluate.stress import VARIANTS

Fit = Callable[[list[Example]], Predictor]
CV_VARIANTS = ("as written", "no headings", "fragment from the middle", "achievements only",
               "headings run into the text")


def deal_folds(examples: list[Example], k: int = 5, seed: int = 13,
               groups: dict[str, str] | None = None) -> list[list[int]]:
    """Indices of `examples` in k folds of about equal size; members of a group stay together."""
    groups = groups or {}
    by_group: dict[str, list[int]] = {}
    for i, ex in enumerate(examples):
        by_group.setdefault(groups.get(ex.id) or ex.id, []).append(i)
    keys = sorted(by_group)
    random.Random(seed).shuffle(keys)
    folds: list[list[int]] = [[] for _ in range(k)]
    for key in sorted(keys, key=lambda g: -len(by_group[g])):  # big groups first, then balance
        min(folds, key=len).extend(by_group[key])
    return folds


def cross_validate(fit: Fit, examples: list[Example], k: int = 5, seed: int = 13,
                   extra: list[Example] = (), groups: dict[str, str] | None = None,
                   variants: tuple[str, ...] = CV_VARIANTS, log=lambda message: None) -> dict[str, dict]:
    """Variant name → character-level figures (nlp/evaluate/labels.py) over all folds."""
    predicted: dict[str, list[str]] = {}
    scored: dict[str, list[Example]] = {name: [] for name in variants}
    for f, fold in enumerate(deal_folds(examples, k, seed, groups)):
        held = set(fold)
        predict = fit([ex for i, ex in enumerate(examples) if i not in held] + list(extra))
        for name in variants:
            for i in fold:
                ex = VARIANTS[name](examples[i])
                predicted[f"{name}/{ex.id}"] = predict(ex)
                scored[name].append(ex)
        log(f"fold {f + 1}/{k}: {len(fold)} reports")
    return {name: evaluate(lambda ex, n=name: predicted[f"{n}/{ex.id}"], scored[name])
            for name in variants}
