"""Evaluation results as the markdown tables of docs/EVALUATION.md (written by `shuzhi train`)."""
from __future__ import annotations

from nlp.classify import LABELS

METHOD_NAMES = {
    "a_heading_rule": "(a) heading-keyword rule",
    "b_cue_rules": "(b) cue-word rules",
    "c_linear": "(c) linear model, char n-grams + context",
    "d_spacy_textcat": "(d) spaCy textcat (BOW)",
    "e_linear_viterbi": "(e) linear model + Viterbi (shipped)",
    "shipped": "shipped model (models/sentence_roles)",
}


def methods_table(split_results: dict) -> str:
    head = ("| method | char acc | macro-F1 | " + " | ".join(f"{l} F1" for l in LABELS) +
            " | share MAE (pts) | max err (pts) | verdict acc |")
    rule = "|" + " --- |" * (7 + len(LABELS) - 1)
    rows = [head, rule]
    for name, m in split_results.items():
        per = " | ".join(f"{m['per_label'][l]['f1']:.3f}" for l in LABELS)
        rows.append(f"| {METHOD_NAMES.get(name, name)} | {m['char_accuracy']:.3f} | {m['macro_f1']:.3f} | "
                    f"{per} | {m['share_mae_points']:.2f} | {m['share_max_error_points']:.1f} | "
                    f"{m['verdict_accuracy']:.1%} |")
    return "\n".join(rows)


def per_label_table(metrics: dict) -> str:
    rows = ["| label | precision | recall | F1 | support (chars) |", "| --- | --- | --- | --- | --- |"]
    for l in LABELS:
        p = metrics["per_label"][l]
        rows.append(f"| {l} | {p['precision']:.3f} | {p['recall']:.3f} | {p['f1']:.3f} | {p['support']} |")
    return "\n".join(rows)


def per_report_table(metrics: dict) -> str:
    rows = ["| report | gold share | predicted share | error (pts) |", "| --- | --- | --- | --- |"]
    for r in metrics["per_report"]:
        err = (r["predicted_share"] - r["gold_share"]) * 100
        rows.append(f"| {r['id']} | {r['gold_share']:.1%} | {r['predicted_share']:.1%} | {err:+.1f} |")
    return "\n".join(rows)
