"""Evaluation results as the markdown tables of docs/EVALUATION.md (written by `shuzhi train`)."""
from __future__ import annotations

from nlp.classify import LABELS

METHOD_NAMES = {
    "a_heading_rule": "(a) heading-keyword rule",
    "b_cue_rules": "(b) cue-word rules",
    "c_linear": "(c) linear model, char n-grams + context",
    "d_spacy_textcat": "(d) spaCy textcat (BOW)",
    "e_linear_viterbi": "(e) linear model + Viterbi",
    "f_crf": "(f) linear-chain CRF (shipped)",
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


def findings_tables(results: dict, split: str) -> str:
    rows = [f"Split: {split} ({results['reports']} reports); findings run on predicted labels.", "",
            "| rule (sentence level) | precision | recall | F1 | tp | fp | fn |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for rule, m in results["sentence_level"].items():
        rows.append(f"| {rule} | {m['precision']:.2f} | {m['recall']:.2f} | {m['f1']:.2f} | "
                    f"{m['tp']} | {m['fp']} | {m['fn']} |")
    rows += ["", "| rule (report level, vs meta.failings) | precision | recall | tp | fp | fn |",
             "| --- | --- | --- | --- | --- | --- |"]
    for rule, m in results["report_level"].items():
        rows.append(f"| {rule} | {m['precision']:.2f} | {m['recall']:.2f} | {m['tp']} | {m['fp']} | {m['fn']} |")
    fp = results["findings_per_report"]
    rows += ["", f"Findings per report (rules other than one_third and missing_content): "
                 f"{fp['without_failings'] or 0:.2f} on the {fp['n_without_failings']} reports written "
                 f"without failings, {fp['with_failings'] or 0:.2f} on the {fp['n_with_failings']} with failings."]
    reuse = results.get("reuse")
    if reuse:
        rows += ["", f"Text reuse over the whole corpus ({reuse['reports']} reports as one batch): "
                     f"{reuse['found_gold_pairs']} of {reuse['gold_pairs']} copied pairs found "
                     f"(recall {reuse['recall']:.0%}); {reuse['unrelated_pairs_flagged']} unrelated pairs "
                     f"flagged, largest unrelated share {reuse['max_unrelated_share']:.0%}.", "",
                 "| copied pair | share found |", "| --- | --- |"]
        for pair, share in reuse["gold_shares"].items():
            rows.append(f"| {pair} | {'not found' if share is None else f'{share:.0%}'} |")
    return "\n".join(rows)
