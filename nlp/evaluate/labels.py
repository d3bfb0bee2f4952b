"""Character-level evaluation of sentence labels and of the one-third figure.

Every figure is computed over the non-whitespace characters of the gold reports, so it does not
depend on where sentences were cut: character accuracy, per-label precision/recall/F1, macro-F1,
mean absolute error of the problem-and-cause share in points, the largest error, and how often
the one-third verdict (pass/borderline/fail) is right.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from nlp.classify import LABELS
from nlp.classify.dataset import Example
from nlp.corpus import CHAR_LABEL, LABEL_CHAR
from nlp.measure import verdict

Predictor = Callable[[Example], list[str]]


def char_labels(ex: Example, sentence_labels: list[str]) -> tuple[str, str]:
    """(gold, predicted) label characters over the report's non-whitespace characters."""
    predicted = [["O"] * len(b.text) for b in ex.blocks]
    for s, label in zip(ex.sentences, sentence_labels):
        for k in range(s.start, s.end):
            predicted[s.block][k] = LABEL_CHAR[label]
    gold, pred = [], []
    for b, g, p in zip(ex.blocks, ex.block_labels, predicted):
        for ch, gl, pl in zip(b.text, g, p):
            if not ch.isspace():
                gold.append(gl)
                pred.append(pl)
    return "".join(gold), "".join(pred)


def share(chars: str) -> float:
    return (chars.count("P") + chars.count("C")) / len(chars) if chars else 0.0


def evaluate(predict: Predictor, examples: list[Example], threshold: float = 1 / 3,
             band: float = 0.03) -> dict:
    golds, preds, errors, verdicts, per_report = [], [], [], [], []
    for ex in examples:
        g, p = char_labels(ex, predict(ex))
        golds.append(g)
        preds.append(p)
        gs, ps = share(g), share(p)
        errors.append(abs(gs - ps) * 100)
        verdicts.append(verdict(gs, threshold, band) == verdict(ps, threshold, band))
        per_report.append({"id": ex.id, "gold_share": round(gs, 4), "predicted_share": round(ps, 4)})
    g_all, p_all = "".join(golds), "".join(preds)
    g_arr, p_arr = np.frombuffer(g_all.encode(), dtype=np.uint8), np.frombuffer(p_all.encode(), dtype=np.uint8)
    per_label = {}
    for label in LABELS:
        code = ord(LABEL_CHAR[label])
        tp = int(((g_arr == code) & (p_arr == code)).sum())
        n_pred, n_gold = int((p_arr == code).sum()), int((g_arr == code).sum())
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {"precision": precision, "recall": recall, "f1": f1, "support": n_gold}
    present = [l for l in LABELS if per_label[l]["support"]]
    return {
        "reports": len(examples),
        "chars": len(g_all),
        "char_accuracy": float((g_arr == p_arr).mean()) if len(g_arr) else 0.0,
        "macro_f1": float(np.mean([per_label[l]["f1"] for l in present])) if present else 0.0,
        "per_label": per_label,
        "share_mae_points": float(np.mean(errors)) if errors else 0.0,
        "share_max_error_points": float(np.max(errors)) if errors else 0.0,
        "verdict_accuracy": float(np.mean(verdicts)) if verdicts else 0.0,
        "per_report": per_report,
    }


assert set(CHAR_LABEL) == {LABEL_CHAR[l] for l in LABELS}
