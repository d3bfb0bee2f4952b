"""The sentence-role labeller: a linear model over SentenceFeaturizer features, decoded per report
with Viterbi (nlp/classify/sequence.py). Two trainers: `crf` fits sentence weights and label
transitions jointly as a linear-chain CRF (nlp/classify/crf.py; shipped since 1.5.0); `sgd` fits a
logistic regression by averaged SGD and estimates the transitions separately (kept for comparison).

Follows the scikit-learn estimator contract (`__init__` stores parameters, get/set_params, `fit`
returns self, learned attributes end in `_`, predicting before fitting raises) without importing
scikit-learn outside training. Saved as JSON + .npz (no pickle):
loading a model never executes code from the model file.
"""
from __future__ import annotations

import inspect
import json
from pathlib import Path

import numpy as np
from scipy import sparse

from nlp.classify import LABELS
from nlp.classify.artifact import verified_manifest, write_manifest
from nlp.classify.context import SentenceContext
from nlp.classify.features import SentenceFeaturizer, as_array, stack
from nlp.classify.sequence import estimate_transitions, marginals, viterbi

FORMAT = "shuzhi.sentence-roles/2"


class NotFittedError(ValueError, AttributeError):
    """Predicting before fitting or loading (scikit-learn's exception has the same bases)."""


class SentenceRoleModel:
    def __init__(self, alpha: float = 1e-5, transition_weight: float = 0.25,
                 use_sequence: bool = True, neighbour_weight: float = 0.35,
                 min_ngram: int = 1, max_ngram: int = 3, context_weight: float = 1.0,
                 word_weight: float = 0.7, word_hmm: bool = False,
                 class_weight: str | None = "balanced", epochs: int = 50, seed: int = 0,
                 trainer: str = "crf", c1: float = 0.0, c2: float = 0.01, max_iterations: int = 150,
                 table_columns: bool = False):
        self.alpha = alpha
        self.transition_weight = transition_weight
        self.use_sequence = use_sequence
        self.neighbour_weight = neighbour_weight
        self.min_ngram = min_ngram
        self.max_ngram = max_ngram
        self.context_weight = context_weight
        self.word_weight = word_weight
        self.word_hmm = word_hmm
        self.class_weight = class_weight
        self.epochs = epochs
        self.seed = seed
        self.trainer = trainer  # "crf" or "sgd"; alpha, class_weight, epochs and seed are sgd's,
        self.c1 = c1            # c1, c2 and max_iterations the CRF's; a CRF always decodes with
        self.c2 = c2            # its own transitions at weight 1
        self.max_iterations = max_iterations
        self.table_columns = table_columns  # tried in session 12's decision table, not shipped

    # the scikit-learn parameter contract, without importing scikit-learn at run time
    def get_params(self, deep: bool = True) -> dict:
        names = [p for p in inspect.signature(type(self).__init__).parameters if p != "self"]
        return {name: getattr(self, name) for name in names}

    def set_params(self, **params) -> "SentenceRoleModel":
        valid = self.get_params()
        for key, value in params.items():
            if key not in valid:
                raise ValueError(f"invalid parameter {key!r} for SentenceRoleModel")
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        return f"SentenceRoleModel({', '.join(f'{k}={v!r}' for k, v in self.get_params().items())})"

    def _featurizer(self) -> SentenceFeaturizer:
        return SentenceFeaturizer(ngram_range=(self.min_ngram, self.max_ngram),
                                  neighbour_weight=self.neighbour_weight,
                                  context_weight=self.context_weight,
                                  word_weight=self.word_weight, word_hmm=self.word_hmm,
                                  table_columns=self.table_columns)

    def fit(self, reports: list[list[SentenceContext]], labels: list[list[str]]) -> "SentenceRoleModel":
        if self.trainer not in ("crf", "sgd"):
            raise ValueError(f"trainer must be 'crf' or 'sgd', not {self.trainer!r}")
        featurizer = self._featurizer()
        matrices = [featurizer.transform(r) for r in reports]
        sequences = [as_array(l, LABELS) for l in labels]
        if self.trainer == "crf":
            return self._fit_crf(matrices, sequences)
        from sklearn.linear_model import SGDClassifier  # training only: keeps loading fast

        X = stack(matrices)
        y = np.concatenate(sequences)
        clf = SGDClassifier(loss="log_loss", alpha=self.alpha, max_iter=self.epochs, tol=None,
                            class_weight=self.class_weight, average=True, random_state=self.seed)
        clf.fit(X, y)
        full = np.zeros((len(LABELS), X.shape[1]))
        # float16 is what the model file stores: round here so that evaluation sees the shipped model
        full[clf.classes_] = clf.coef_.astype(np.float16).astype(np.float64)
        intercept = np.full(len(LABELS), -30.0)
        intercept[clf.classes_] = clf.intercept_
        self.coef_ = sparse.csr_matrix(full)
        self.intercept_ = intercept
        self.log_start_, self.log_trans_ = estimate_transitions(sequences, len(LABELS))
        return self

    def _fit_crf(self, matrices, sequences) -> "SentenceRoleModel":
        from nlp.classify.crf import train_crf  # training only: CRFsuite is not needed to label

        weights, trans = train_crf(matrices, sequences, len(LABELS), self.c1, self.c2,
                                   self.max_iterations)
        # float16 is what the model file stores: round here so that evaluation sees the shipped model
        weights.data = weights.data.astype(np.float16).astype(np.float64)
        self.coef_ = weights.tocsr()
        self.intercept_ = np.zeros(len(LABELS))
        self.log_start_ = np.zeros(len(LABELS))  # CRFsuite has no start features
        self.log_trans_ = trans
        return self

    def _check(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError("SentenceRoleModel is not fitted: call fit() or load()")

    def _weights(self) -> tuple[np.ndarray, np.ndarray]:
        """The coefficients of the features ever seen, dense (features × labels), and each hashed
        feature's row in them (-1: weight 0). Built once per model: a sparse-by-sparse product
        with the million-column coefficient matrix cost a worker 4 ms a report."""
        cache = getattr(self, "_weights_cache", None)
        if cache is None or cache[0] is not self.coef_:
            coef = self.coef_.tocsc()
            cols = np.unique(coef.nonzero()[1])
            row = np.full(coef.shape[1], -1, dtype=np.int32)
            row[cols] = np.arange(len(cols), dtype=np.int32)
            cache = self._weights_cache = (self.coef_, np.ascontiguousarray(coef[:, cols].toarray().T), row)
        return cache[1], cache[2]

    def predict_proba(self, report: list[SentenceContext]) -> np.ndarray:
        """Per sentence and label: for a CRF the marginal probability given the whole report,
        for the logistic model the sentence's own softmax."""
        return self._probabilities(self._scores(report))

    def _probabilities(self, scores: np.ndarray) -> np.ndarray:
        if self.trainer == "crf":
            return marginals(scores, self.log_start_, self.log_trans_)
        scores = scores - scores.max(axis=1, keepdims=True)
        probs = np.exp(scores)
        return probs / probs.sum(axis=1, keepdims=True)

    def _scores(self, report: list[SentenceContext]) -> np.ndarray:
        """The linear scores (sentences × labels)."""
        self._check()
        if not report:
            return np.zeros((0, len(LABELS)))
        X = self._featurizer().transform(report)
        weights, row = self._weights()
        at = row[X.indices]
        known = at >= 0
        sentence = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))[known]
        indptr = np.r_[0, np.cumsum(np.bincount(sentence, minlength=X.shape[0]))]
        seen = sparse.csr_matrix((X.data[known], at[known], indptr), shape=(X.shape[0], len(weights)))
        return seen @ weights + self.intercept_

    def predict(self, report: list[SentenceContext]) -> tuple[list[str], list[float]]:
        """Labels and confidences (the probability of the chosen label) for one report."""
        scores = self._scores(report)
        if not len(scores):
            return [], []
        probs = self._probabilities(scores)
        if self.trainer == "crf":
            path = viterbi(scores, self.log_start_, self.log_trans_, 1.0)
        elif self.use_sequence:
            path = viterbi(np.log(probs + 1e-12), self.log_start_, self.log_trans_,
                           self.transition_weight)
        else:
            path = probs.argmax(axis=1)
        return [LABELS[i] for i in path], [float(probs[t, i]) for t, i in enumerate(path)]

    # --- persistence without pickle -------------------------------------------------------
    def save(self, folder: str | Path, extra: dict | None = None) -> dict:
        self._check()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        coef = self.coef_.tocsc()
        cols = np.unique(coef.nonzero()[1]).astype(np.int32)  # the hashed features ever seen
        weights = folder / "weights.npz"
        np.savez_compressed(weights, cols=cols, weights=coef[:, cols].toarray().astype(np.float16),
                            shape=np.array(coef.shape), intercept=self.intercept_,
                            log_start=self.log_start_, log_trans=self.log_trans_)
        config = {"format": FORMAT, "labels": list(LABELS), "params": self.get_params(),
                  "features": self._featurizer().config(), **(extra or {})}
        (folder / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")
        return write_manifest(folder, [weights, folder / "config.json"])

    @classmethod
    def load(cls, folder: str | Path) -> "SentenceRoleModel":
        folder = Path(folder)
        manifest = verified_manifest(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if config.get("format") != FORMAT or tuple(config["labels"]) != LABELS:
            raise ValueError(f"{folder}: not a {FORMAT} model with labels {LABELS}")
        # models saved before word_hmm and trainer existed used jieba's HMM and SGD
        model = cls(**{"word_hmm": True, "trainer": "sgd", **config["params"]})
        with np.load(folder / "weights.npz", allow_pickle=False) as w:
            shape = tuple(int(x) for x in w["shape"])
            dense, cols = w["weights"].astype(np.float64), w["cols"].astype(np.int64)
            rows = np.repeat(np.arange(shape[0]), len(cols))
            model.coef_ = sparse.csr_matrix((dense.ravel(), (rows, np.tile(cols, shape[0]))), shape=shape)
            model.intercept_ = w["intercept"]
            model.log_start_ = w["log_start"]
            model.log_trans_ = w["log_trans"]
        model.config_ = config
        model.manifest_ = manifest
        return model
