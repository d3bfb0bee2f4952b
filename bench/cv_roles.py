"""The decision table of the latest change to the labeller (model 1.6.0): cross-validation by
report over train + dev (5 folds) of the shipped CRF configuration without and with
column-header features for table cells, each without and with the reports r133–r140 (problem
lists, cause columns and measure tables set out as tables) in every training fold. The scored
reports are the same in all four rows (r133–r140 are trained on, never scored), so the rows
compare features and training data, not test sets. Reports with a table in the body are also
scored apart. About 40 minutes on two cores.

    python -m bench.cv_roles
"""
from __future__ import annotations

import json
import sys

import numpy as np

from bench.common import ROOT
from nlp.evaluate.docs import replace_section

NEW_REPORTS = tuple(f"r{n}" for n in range(133, 141))
NEW = "r133–r140"
SHOWN = ("as written", "no headings", "fragment from the middle", "achievements only",
         "headings run into the text")


def _row(job: tuple[str, dict, bool]) -> tuple[str, dict]:
    from nlp.classify.train import cross_validation

    name, params, with_new = job
    label = f"{name}, {'with' if with_new else 'without'} {NEW}"
    return label, cross_validation(params=params, extra_ids=NEW_REPORTS if with_new else (),
                                   exclude_ids=() if with_new else NEW_REPORTS,
                                   log=lambda m: print(label, m, file=sys.stderr, flush=True))


def reports_with_tables() -> set[str]:
    from nlp.classify.train import load_split

    return {ex.id for split in ("train", "dev") for ex in load_split(split)
            if any(b.kind.value == "table_cell" for b in ex.blocks)}


def _errors(result: dict, ids: set[str]) -> list[float]:
    return [abs(r["gold_share"] - r["predicted_share"]) * 100 for r in result["per_report"]
            if r["id"] in ids]


def main() -> dict:
    from concurrent.futures import ProcessPoolExecutor

    from nlp.classify.train import MODEL_DIR

    shipped = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))["params"]
    configurations = (("CRF (1.5.0 features)", {**shipped, "table_columns": False}),
                      ("CRF + table columns", {**shipped, "table_columns": True}))
    jobs = [(name, params, with_new) for name, params in configurations for with_new in (False, True)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        rows = dict(pool.map(_row, jobs))
    tables = reports_with_tables() - set(NEW_REPORTS)
    lines = ["| configuration | char acc | macro-F1 | share MAE | max err | verdict acc | "
             "no headings: MAE / max / verdict | fragment: MAE / verdict | "
             "achievements only: invented share (mean / max) | headings run into the text: MAE / verdict | "
             "reports with a table: MAE / max |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for label, res in rows.items():
        w, nh, fr, ao, rn = (res[v] for v in SHOWN)
        t = _errors(w, tables)
        lines.append(f"| {label} | {w['char_accuracy']:.3f} | {w['macro_f1']:.3f} | "
                     f"{w['share_mae_points']:.2f} | {w['share_max_error_points']:.1f} | "
                     f"{w['verdict_accuracy']:.1%} | {nh['share_mae_points']:.2f} / "
                     f"{nh['share_max_error_points']:.1f} / {nh['verdict_accuracy']:.1%} | "
                     f"{fr['share_mae_points']:.2f} / {fr['verdict_accuracy']:.1%} | "
                     f"{ao['share_mae_points']:.2f} / {ao['share_max_error_points']:.1f} | "
                     f"{rn['share_mae_points']:.2f} / {rn['verdict_accuracy']:.1%} | "
                     f"{np.mean(t):.2f} / {np.max(t):.1f} |")
    n = next(iter(rows.values()))["as written"]["reports"]
    table = "\n".join(lines) + (
        f"\n\n{n} train + dev reports scored ({len(tables)} of them with a table), 5 folds by "
        "report (reuse groups and previous-year pairs kept together). Command: "
        "`python -m bench.cv_roles`.")
    print(table)
    replace_section(ROOT / "docs" / "EVALUATION.md", "cv-decision", table)
    return {label: {v: {k: m[k] for k in ("char_accuracy", "macro_f1", "share_mae_points",
                                          "share_max_error_points", "verdict_accuracy")}
                    for v, m in res.items()} | {"per_report": res["as written"]["per_report"]}
            for label, res in rows.items()}


if __name__ == "__main__":
    json.dump(main(), sys.stdout, ensure_ascii=False, indent=1)
