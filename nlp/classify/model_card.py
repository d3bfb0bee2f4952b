"""The model card of models/sentence_roles, written by `shuzhi train` next to the weights."""
from __future__ import annotations

from pathlib import Path

from nlp.classify import SHIPPED_METHOD
from nlp.classify.model import SentenceRoleModel
from nlp.evaluate.markdown import per_label_table

CARD = """# Model card: shuzhi.SentenceRoles {version}

Labels every sentence of a 述职报告 as ACH (成绩/做法), PROB (问题), CAUSE (原因), PLAN (措施/打算)
or OTHER, so that the problem-and-cause share of the one-third rule can be measured and traced to
its sentences. Definitions: corpus/GUIDELINES.md.

## Files
- `config.json`: format, label set, hyper-parameters, feature settings, training data, metrics.
- `weights.npz`: the coefficients of the hashed features seen in training (their column ids and a
  float16 matrix; training rounds to float16 so that the evaluated model is the stored one),
  and the label transition weights (numpy arrays; loaded with `allow_pickle=False`: loading runs
  no code from the file).
- `manifest.json`: sha256 of both files; loading refuses files that do not match.
- `evaluation.json`: every compared method on dev, test and holdout, per report.

## Training data
{n_reports} annotated reports of the project's corpus (train + dev splits; corpus/splits.yaml),
written by the project in its own words, {n_sentences} sentences. Each report is also seen without
headings, with its section kinds unknown, and as a random fragment (40–80% of its blocks).
Hyper-parameters chosen on dev with models trained on train only: `{params}`.

## Features and model
Character 1–3-grams (binary, digits normalised) of the sentence and, at weight 0.35, of its two
neighbours; jieba word unigrams of the sentence (our tokenizer with the domain dictionary, without jieba's
HMM for unknown words, most of their cost for no gain on dev; weight 0.7: chosen on dev, it
halves the largest share errors); context: section kind from the heading lexicon
(nlp/data/section_kinds.yaml; a numbered heading run into its paragraph, "二、存在的问题。一是……",
opens its section too), heading level, block kind, first/last sentences, length, numbers,
enumerators (一是…), cue words (nlp/data/cues.yaml) of the sentence and its neighbours,
cue × section. Hashed (2^18 text, 2^14
context features), so the model holds weights only. A linear-chain CRF over the sentences of a
report: sentence weights and label transitions trained jointly (CRFsuite, L-BFGS, L2 weight
{c2} chosen on dev, {max_iterations} iterations); labels by Viterbi decoding, confidences by forward-backward
marginals, both computed with numpy from the stored weights (nlp/classify/sequence.py).
Cross-validation over train + dev against the previous model, a logistic regression with
separately estimated transitions, is in docs/EVALUATION.md.

## Metrics (character level; test never used for training or tuning)
Test: macro-F1 {test_f1:.3f}, share MAE {test_mae:.2f} points, max error {test_max:.1f} points,
verdict accuracy {test_verdict:.1%} ({test_n} reports).
Style holdout: macro-F1 {hold_f1:.3f}, share MAE {hold_mae:.2f} points, max error {hold_max:.1f}
points, verdict accuracy {hold_verdict:.1%} ({hold_n} reports).

### Test, per label
{test_table}

### Style holdout, per label
{hold_table}

The full comparison with the heading rule, cue rules, the logistic model with and without
Viterbi decoding and spaCy textcat is in docs/EVALUATION.md.

## Known weaknesses
- Colloquial reports without headings (a village secretary talking) are the hardest: achievements
  told in a candid first-person voice can be taken for problems, and problems told without the
  usual words (不够, 差距, 存在) for achievements. The largest errors on dev are of this kind.
- Problems scattered inside achievement sections without a cue word are often missed.
- The verdict flips easily for reports within a point or two of the borderline band (30.3% and
  36.3%); the reviewer sees the counted sentences and should judge those.
- Plans written as past-tense facts, and causes given without 原因/由于/主要是, are confused with
  achievements and problems respectively.
- A fragment that starts inside the problems with no title (a pasted excerpt): problem items
  told as bare facts under an unnamed sub-heading can still be labelled achievements, and blunt
  causes problems (holdout h11, 79.0%, was counted as 64.5% before 1.3.0's cue words for
  problems told as bare facts — 至今, 很少, 只有, 没有, 停留在 … — which were chosen from the train
  split after h11's errors had been seen, so h11's figure is no longer a blind one).
- Tables are read cell by cell with the section they stand in and their neighbours, not by their
  column headers. Since 1.6.0 (eight training reports with problem, cause and measure tables) a
  问题清单 table is counted (train report r076, 45.3%, got 23–25% in cross-validation before,
  45.3% now). A report without headings whose shortfalls are bare KPI numbers (完成率87%) beside a
  table of indicators is still read as achievements (train report r127, 37.6%, got 16.7% in
  cross-validation, the largest error there). A column-header feature was tried and not adopted
  (docs/EVALUATION.md).
- Reports whose headings carry the structure lose most when the headings are gone; fragments,
  achievement-only texts and placeholders for numbers cost less. `shuzhi evaluate --stress`
  measures each shape on test and holdout (docs/EVALUATION.md).
- The corpus is written by the project; real reports will differ. Test and holdout were looked at
  during development while choosing features (see docs/EVALUATION.md), so their figures are
  optimistic.

## How to retrain
`shuzhi train` (deterministic, seeded; about 20 minutes on this machine, most of it the CRF fits): tunes on dev, compares the methods,
trains on train + dev, writes this folder and docs/EVALUATION.md. `shuzhi evaluate --split test`
reprints the comparison.
"""


def write_card(folder: Path, results: dict, version: str, n_reports: int, n_sentences: int) -> None:
    test = results["test"][SHIPPED_METHOD]
    hold = results["holdout"][SHIPPED_METHOD]
    text = CARD.format(
        version=version, n_reports=n_reports, n_sentences=n_sentences, params=results["params"],
        test_f1=test["macro_f1"], test_mae=test["share_mae_points"],
        test_max=test["share_max_error_points"], test_verdict=test["verdict_accuracy"],
        test_n=test["reports"], hold_f1=hold["macro_f1"], hold_mae=hold["share_mae_points"],
        hold_max=hold["share_max_error_points"], hold_verdict=hold["verdict_accuracy"],
        hold_n=hold["reports"], test_table=per_label_table(test), hold_table=per_label_table(hold),
        c2=results["params"]["c2"], max_iterations=SentenceRoleModel().max_iterations)
    (Path(folder) / "MODEL_CARD.md").write_text(text, encoding="utf-8")

