"""Train, compare and evaluate sentence-role methods on the fixed corpus splits.

Methods: (a) heading rule, (b) cue rules, (c) linear model, (d) spaCy textcat, (e) the linear
model with Viterbi decoding over separately estimated transitions, (f) a linear-chain CRF over the
same features (shipped). Hyper-parameters are chosen on dev with models trained on train;
the shipped model is then trained on train + dev and evaluated once on test and the holdout.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import yaml

from nlp.classify import SHIPPED_METHOD, baselines
from nlp.classify.dataset import Example, augment, example_from_report
from nlp.classify.model import SentenceRoleModel
from nlp.classify.model_card import write_card
from nlp.corpus import load_report
from nlp.evaluate.labels import evaluate

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
MODEL_DIR = ROOT / "models" / "sentence_roles"
SEED = 13
VERSION = "1.6.0"  # 1.1: word features without jieba's HMM; 1.2: trained with r097–r108; 1.3: bare-fact problem cues; 1.4: trained with r109–r120; 1.5: CRF, trained with r121–r132; 1.6: trained with r133–r140, run-in headings open sections
GRID_ALPHA = (3e-6, 1e-5, 3e-5)
GRID_TRANSITION = (0.0, 0.25, 0.5, 1.0)
GRID_C2 = (0.01, 0.1)  # the CRF's L2 weight


def report_path(report_id: str, corpus: Path = CORPUS) -> Path:
    for folder in ("reports", "archive", "holdout"):
        path = corpus / folder / f"{report_id}.jsonl"
        if path.exists():
            return path
    raise FileNotFoundError(f"no corpus file for {report_id}")


@lru_cache(maxsize=8)
def load_split(name: str, corpus: Path = CORPUS) -> tuple[Example, ...]:
    splits = yaml.safe_load((corpus / "splits.yaml").read_text(encoding="utf-8"))
    return tuple(example_from_report(load_report(report_path(i, corpus))) for i in splits[name])


def _fit_linear(examples: list[Example], **params) -> SentenceRoleModel:
    """The logistic model (SGD), or with `trainer="crf"` the CRF, on the augmented examples."""
    data = augment(examples, seed=SEED)
    return SentenceRoleModel(**{"trainer": "sgd", **params}).fit([e.contexts for e in data],
                                                                 [e.labels for e in data])


def _score(metrics: dict) -> float:
    """Dev objective: macro-F1, penalised by the mean and the worst share error and rewarded for
    right one-third verdicts: a reviewer is misled most by one report that is far off."""
    return (metrics["macro_f1"] - metrics["share_mae_points"] / 100
            - metrics["share_max_error_points"] / 200 + metrics["verdict_accuracy"] / 10)


def _trial(predict, dev: list[Example], **params) -> dict:
    m = evaluate(predict, dev)
    return {**params, "macro_f1": m["macro_f1"], "share_mae_points": m["share_mae_points"],
            "share_max_error_points": m["share_max_error_points"],
            "verdict_accuracy": m["verdict_accuracy"], "objective": _score(m)}


def tune(train: list[Example], dev: list[Example]) -> tuple[dict, list[dict], SentenceRoleModel]:
    """Hyper-parameters of the SGD model and of the CRF chosen on dev, and the CRF fitted with
    its choice (kept: a CRF fit takes minutes)."""
    trials = []
    for alpha in GRID_ALPHA:
        model = _fit_linear(train, alpha=alpha)
        for w in GRID_TRANSITION:
            model.set_params(transition_weight=w, use_sequence=w > 0)
            trials.append(_trial(lambda ex: model.predict(ex.contexts)[0], dev,
                                 alpha=alpha, transition_weight=w))
    best = max(trials, key=lambda t: t["objective"])
    crf_trials, crfs = [], {}
    for c2 in GRID_C2:
        crfs[c2] = _fit_linear(train, trainer="crf", c2=c2)
        crf_trials.append(_trial(lambda ex: crfs[c2].predict(ex.contexts)[0], dev, c2=c2))
    best_crf = max(crf_trials, key=lambda t: t["objective"])
    params = {"alpha": best["alpha"], "transition_weight": best["transition_weight"], "c2": best_crf["c2"]}
    return params, trials + crf_trials, crfs[best_crf["c2"]]


def methods(train: list[Example], params: dict, with_textcat: bool = True,
            crf: SentenceRoleModel | None = None) -> tuple[dict, SentenceRoleModel]:
    """Predictors of every compared method, each trained on `train` (`crf`: already fitted on
    it). Returns them and the shipped model, the CRF."""
    from nlp.classify.textcat import SpacyTextcat

    sequence = _fit_linear(train, alpha=params["alpha"],
                           transition_weight=params["transition_weight"], use_sequence=True)
    linear = SentenceRoleModel(**{**sequence.get_params(), "use_sequence": False})
    linear.__dict__.update({k: v for k, v in vars(sequence).items() if k.endswith("_")})
    crf = crf or _fit_linear(train, trainer="crf", c2=params["c2"])
    out = {
        "a_heading_rule": lambda ex: baselines.heading_rule(ex.contexts),
        "b_cue_rules": lambda ex: baselines.cue_rule(ex.contexts),
        "c_linear": lambda ex: linear.predict(ex.contexts)[0],
    }
    if with_textcat:
        data = augment(train, seed=SEED)
        textcat = SpacyTextcat(seed=SEED).fit([e.contexts for e in data], [e.labels for e in data])
        out["d_spacy_textcat"] = lambda ex: textcat.predict(ex.contexts)
    out["e_linear_viterbi"] = lambda ex: sequence.predict(ex.contexts)[0]
    out[SHIPPED_METHOD] = lambda ex: crf.predict(ex.contexts)[0]
    return out, crf


def experiment(splits=("dev", "test", "holdout"), with_textcat: bool = True, log=print):
    """Tune on dev; compare every method on dev (trained on train) and on test and the holdout
    (trained on train + dev). Returns (results, the shipped model trained on train + dev)."""
    train, dev = list(load_split("train")), list(load_split("dev"))
    params, trials, dev_crf = tune(train, dev)
    log(f"tuned on dev: {params}")
    results = {"params": params, "tuning": trials}
    if "dev" in splits:
        dev_methods, _ = methods(train, params, with_textcat, crf=dev_crf)
        results["dev"] = {name: evaluate(p, dev) for name, p in dev_methods.items()}
    final_methods, shipped = methods(train + dev, params, with_textcat)
    for split in splits:
        if split == "dev":
            continue
        examples = list(load_split(split))
        results[split] = {name: evaluate(p, examples) for name, p in final_methods.items()}
    for split in splits:
        for name, m in results[split].items():
            log(f"{split:8} {name:18} macroF1={m['macro_f1']:.3f} MAE={m['share_mae_points']:.2f} "
                f"max={m['share_max_error_points']:.1f} verdict={m['verdict_accuracy']:.0%}")
    return results, shipped, train + dev


def run(out_dir: Path = MODEL_DIR, with_textcat: bool = True, log=print) -> dict:
    """`shuzhi train`: the experiment, then save the shipped model with its metrics."""
    results, shipped, trained_on = experiment(with_textcat=with_textcat, log=log)
    summary = {split: {k: {m: v for m, v in r.items() if m != "per_report"}
                       for k, r in results[split].items()} for split in ("dev", "test", "holdout")}
    train_dev = trained_on
    shipped.save(out_dir, extra={
        "name": "shuzhi.SentenceRoles", "version": VERSION,
        "trained_on": {"splits": ["train", "dev"], "reports": [e.id for e in train_dev],
                       "augmentation": "each report also without headings and as a fragment"},
        "metrics": {"test": summary["test"][SHIPPED_METHOD],
                    "holdout": summary["holdout"][SHIPPED_METHOD]}})
    write_card(out_dir, results, VERSION, len(train_dev), sum(len(e.sentences) for e in train_dev))
    (out_dir / "evaluation.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
    return results


def share_groups(examples: list[Example]) -> dict[str, str]:
    """Report id → the group of reports that share text (a reuse group, or a report and its
    previous-year version in archive/), which cross-validation keeps in one fold."""
    groups = {}
    for ex in examples:
        meta = load_report(report_path(ex.id)).meta
        if meta.get("reuse_group"):
            groups[ex.id] = meta["reuse_group"]
        elif meta.get("previous") or ex.id.startswith("a"):
            groups[ex.id] = "previous:" + (meta.get("previous") or ex.id)
    return groups


def fitter(params: dict):
    """A function that trains a model with `params` on examples and returns its predictor."""
    def fit(examples: list[Example]):
        model = _fit_linear(examples, **params)
        return lambda ex: model.predict(ex.contexts)[0]
    return fit


def cross_validation(k: int = 5, params: dict | None = None, extra_ids=(), exclude_ids=(),
                     log=print) -> dict:
    """`shuzhi evaluate --cv`: a configuration (by default the shipped model's) cross-validated
    by report over train + dev. `extra_ids` are trained on in every fold but never scored, and
    `exclude_ids` left out, so that adding training reports can be judged on an unchanged set."""
    from nlp.evaluate.crossval import cross_validate

    if params is None:
        params = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))["params"]
    train_dev = load_split("train") + load_split("dev")
    left_out = set(extra_ids) | set(exclude_ids)
    examples = [e for e in train_dev if e.id not in left_out]
    extra = [e for e in train_dev if e.id in set(extra_ids)]
    return cross_validate(fitter(params), examples, k=k, extra=extra,
                          groups=share_groups(examples), log=log)
