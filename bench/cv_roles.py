"""The decision table of model 1.5.0: cross-validation by report over train + dev (5 folds) of
the previous labeller (logistic regression by SGD, transitions estimated apart, Viterbi at 0.25)
against the CRF, each without and with the reports r121–r132 in every training fold. The scored
reports are the same in all four rows (r121–r132 are trained on, never scored), so the rows
compare methods and training data, not test sets. The CRF takes the shipped model's L2 weight.
About 20 minutes on two cores.

    python -m bench.cv_roles
"""
from __future__ import annotations

import json
import sys

from bench.common import ROOT
from nlp.evaluate.docs import replace_section

NEW_REPORTS = tuple(f"r{n}" for n in range(121, 133))
SGD = {"trainer": "sgd", "alpha": 3e-6, "transition_weight": 0.25, "use_sequence": True}
SHOWN = ("as written", "no headings", "fragment from the middle", "achievements only")


def _row(job: tuple[str, dict, bool]) -> tuple[str, dict]:
    from nlp.classify.train import cross_validation

    name, params, with_new = job
    label = f"{name}, {'with' if with_new else 'without'} r121–r132"
    return label, cross_validation(params=params, extra_ids=NEW_REPORTS if with_new else (),
                                   exclude_ids=() if with_new else NEW_REPORTS,
                                   log=lambda m: print(label, m, file=sys.stderr, flush=True))


def main() -> dict:
    from concurrent.futures import ProcessPoolExecutor

    from nlp.classify.train import MODEL_DIR

    c2 = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))["params"]["c2"]
    crf = {"trainer": "crf", "c2": c2}
    jobs = [(name, params, with_new) for name, params in (("SGD + Viterbi (1.4.0)", SGD),
                                                          (f"CRF (c2 {c2})", crf))
            for with_new in (False, True)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        rows = dict(pool.map(_row, jobs))
    lines = ["| configuration | char acc | macro-F1 | share MAE | max err | verdict acc | "
             "no headings: MAE / max / verdict | fragment: MAE / verdict | achievements only: invented share (mean / max) |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for label, res in rows.items():
        w, nh, fr, ao = (res[v] for v in SHOWN)
        lines.append(f"| {label} | {w['char_accuracy']:.3f} | {w['macro_f1']:.3f} | "
                     f"{w['share_mae_points']:.2f} | {w['share_max_error_points']:.1f} | "
                     f"{w['verdict_accuracy']:.1%} | {nh['share_mae_points']:.2f} / "
                     f"{nh['share_max_error_points']:.1f} / {nh['verdict_accuracy']:.1%} | "
                     f"{fr['share_mae_points']:.2f} / {fr['verdict_accuracy']:.1%} | "
                     f"{ao['share_mae_points']:.2f} / {ao['share_max_error_points']:.1f} |")
    n = next(iter(rows.values()))["as written"]["reports"]
    table = "\n".join(lines) + (f"\n\n{n} train + dev reports scored, 5 folds by report (reuse groups "
                                "and previous-year pairs kept together). Command: "
                                "`python -m bench.cv_roles`.")
    print(table)
    replace_section(ROOT / "docs" / "EVALUATION.md", "cv-decision", table)
    return {label: {v: {k: m[k] for k in ("char_accuracy", "macro_f1", "share_mae_points",
                                          "share_max_error_points", "verdict_accuracy")}
                    for v, m in res.items()} for label, res in rows.items()}


if __name__ == "__main__":
    json.dump(main(), sys.stdout, ensure_ascii=False, indent=1)
