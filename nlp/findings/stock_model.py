"""The learned half of `stock_phrase`: a logistic regression that tells a stock sentence (套话,
corpus/GUIDELINES.md) from its characters, for stock wording that the lexicon does not list.

The lexicon rule (nlp/findings/rules.py) finds stock sentences built from phrases and formulas it
knows; reports word their 套话 in endless ways, and the corpus showed the rule missing most of
those written outside its list. The model reads the character 1–3-grams of the sentence
(digits folded) and its role label, and was trained on the sentences the annotators flagged. Its
threshold is chosen on dev (nlp/findings/stock_train.py). Saved as JSON + .npz with a manifest,
like the role model: loading executes no code from the model folder.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from nlp.classify import LABELS
from nlp.classify.artifact import verified_manifest, write_manifest
from nlp.classify.hashing import ngram_starts

FORMAT = "shuzhi.stock-sentences/1"
MIN_COUNT = 2  # a character n-gram enters the vocabulary if it is in at least this many sentences
CLAUSE_BREAK = re.compile(r"[，,；;：:、。！？!?]")
MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "stock_sentences"


_DIGITS = str.maketrans("0123456789０１２３４５６７８９", "0" * 20)
_SPACES = re.compile(r"\s\s+")
_BITS = 21  # a Unicode code point fits in 21 bits, so an n-gram of up to 3 fits in one int64


def _fold(text: str) -> str:
    """Digits to 0 and runs of whitespace to one space: the sentence as its n-grams see it."""
    return _SPACES.sub(" ", text.strip().translate(_DIGITS).replace("\x00", " "))


def gram_keys(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct character 1–3-grams of each text as int64 keys (c1 | c2 << 21 | c3 << 42; a
    unigram, bigram and trigram never share a key): (text index, key) of each, sorted, and the
    number of distinct n-grams of each text. Computed for all texts at once with numpy — the
    same with Python sets of strings cost five milliseconds a report."""
    joined = "\x00".join(_fold(t) for t in texts)  # NUL separates texts; no n-gram spans it
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    which = np.cumsum(codes == 0)
    parts_text, parts_key = [], []
    for n in (1, 2, 3):
        starts = ngram_starts(codes, n)
        key = codes[starts]
        for k in range(1, n):
            key = key | (codes[starts + k] << (_BITS * k))
        parts_text.append(which[starts])
        parts_key.append(key)
    text = np.concatenate(parts_text) if parts_text else np.zeros(0, dtype=np.int64)
    key = np.concatenate(parts_key) if parts_key else np.zeros(0, dtype=np.int64)
    order = np.lexsort((key, text))
    text, key = text[order], key[order]
    first = np.r_[True, (text[1:] != text[:-1]) | (key[1:] != key[:-1])] if len(key) else np.zeros(0, bool)
    text, key = text[first], key[first]
    return text, key, np.bincount(text, minlength=len(texts))


def gram_text(key: int) -> str:
    """The n-gram of a key, for reading a model's weights."""
    return "".join(chr((key >> (_BITS * k)) & ((1 << _BITS) - 1)) for k in range(3)).rstrip("\x00")


class StockSentenceModel:
    """Probability that a sentence is a stock sentence; `threshold` is where the rule says so.

    Features: the sentence's distinct character 1–3-grams (binary, L2-normalised over all of
    them) from a vocabulary kept with the model (the n-grams of at least MIN_COUNT training
    sentences, as sorted int64 keys), and a one-hot of its role label."""

    def __init__(self, C: float = 4.0, threshold: float = 0.5):
        self.C = C
        self.threshold = threshold

    def _gram_part(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(text index, vocabulary column, value) of the known n-grams of each text."""
        text, key, counts = gram_keys(texts)
        at = np.minimum(np.searchsorted(self.vocabulary_, key), max(len(self.vocabulary_) - 1, 0))
        known = self.vocabulary_[at] == key if len(self.vocabulary_) else np.zeros(len(key), bool)
        text = text[known]
        return text, at[known], 1.0 / np.sqrt(np.maximum(counts[text], 1))

    def _matrix(self, texts: list[str], labels: list[str]) -> sparse.csr_matrix:
        rows, cols, values = self._gram_part(texts)
        label_rows = [i for i, label in enumerate(labels) if label in LABELS]
        label_cols = [len(self.vocabulary_) + LABELS.index(labels[i]) for i in label_rows]
        return sparse.csr_matrix((np.r_[values, np.ones(len(label_rows))],
                                  (np.r_[rows, label_rows], np.r_[cols, label_cols])),
                                 shape=(len(texts), len(self.vocabulary_) + len(LABELS)))

    def fit(self, texts: list[str], labels: list[str], stock: list[bool]) -> "StockSentenceModel":
        from sklearn.linear_model import LogisticRegression  # training only

        _, key, _ = gram_keys(texts)
        values, counts = np.unique(key, return_counts=True)  # in how many texts each n-gram is
        self.vocabulary_ = values[counts >= MIN_COUNT]
        clf = LogisticRegression(C=self.C, class_weight="balanced", max_iter=5000)
        clf.fit(self._matrix(texts, labels), np.asarray(stock, dtype=bool))
        # float16 is what the model file stores: round here so that evaluation sees the shipped model
        coef = clf.coef_.ravel().astype(np.float16).astype(np.float64)
        self._set(self.vocabulary_, coef[:len(self.vocabulary_)], coef[len(self.vocabulary_):],
                  float(clf.intercept_[0]))
        return self

    def _set(self, vocabulary, gram_weights, label_weights, intercept: float) -> None:
        self.vocabulary_ = np.asarray(vocabulary, dtype=np.int64)
        self.gram_weights_ = np.asarray(gram_weights, dtype=np.float64)
        self.label_weights_ = np.asarray(label_weights, dtype=np.float64)
        self.intercept_ = intercept

    def predict_proba(self, texts: list[str], labels: list[str]) -> np.ndarray:
        if not hasattr(self, "gram_weights_"):
            raise ValueError("StockSentenceModel is not fitted: call fit() or load()")
        if not texts:
            return np.zeros(0)
        rows, cols, values = self._gram_part(texts)
        scores = np.bincount(rows, values * self.gram_weights_[cols], minlength=len(texts))
        scores += [self.label_weights_[LABELS.index(l)] if l in LABELS else 0.0 for l in labels]
        return 1.0 / (1.0 + np.exp(-(scores + self.intercept_)))

    def reason(self, text: str, label: str) -> str:
        """The clause of the sentence that the model finds most stock-like: the phrase a
        reviewer is shown as the reason ("不断提高政治站位" rather than the whole sentence)."""
        clauses = [c.strip() for c in CLAUSE_BREAK.split(text) if len(c.strip()) >= 2]
        if len(clauses) < 2:
            return text.strip()
        probs = self.predict_proba(clauses, [label] * len(clauses))
        return clauses[int(np.argmax(probs))]

    def save(self, folder: Path, extra: dict | None = None) -> dict:
        folder.mkdir(parents=True, exist_ok=True)
        weights = folder / "weights.npz"
        np.savez_compressed(weights, vocabulary=self.vocabulary_,
                            gram_weights=self.gram_weights_.astype(np.float16),
                            label_weights=self.label_weights_, intercept=np.array([self.intercept_]))
        config = {"format": FORMAT, "labels": list(LABELS), "features": "char 1-3-grams + label",
                  "vocabulary": len(self.vocabulary_),
                  "params": {"C": self.C, "threshold": self.threshold}, **(extra or {})}
        (folder / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")
        return write_manifest(folder, [weights, folder / "config.json"])

    @classmethod
    def load(cls, folder: Path) -> "StockSentenceModel":
        manifest = verified_manifest(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if config.get("format") != FORMAT or tuple(config["labels"]) != LABELS:
            raise ValueError(f"{folder}: not a {FORMAT} model with labels {LABELS}")
        model = cls(**config["params"])
        with np.load(folder / "weights.npz", allow_pickle=False) as w:
            model._set(w["vocabulary"], w["gram_weights"].astype(np.float64),
                       w["label_weights"], float(w["intercept"][0]))
        model.config_, model.manifest_ = config, manifest
        return model


@lru_cache(maxsize=2)
def load_stock_model(folder: str | None = None) -> StockSentenceModel:
    path = Path(folder) if folder else MODEL_DIR
    if not (path / "manifest.json").exists():
        raise FileNotFoundError(f"模型文件缺失: {path}（运行 `shuzhi train --stock` 生成）")
    return StockSentenceModel.load(path)


def model_digest(folder: str | None = None) -> str:
    """The weights' sha256 from the manifest (without loading the model): part of the rules'
    version, so that a retrained model does not reuse cached analyses."""
    path = Path(folder) if folder else MODEL_DIR
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "none"
    return manifest.get("weights.npz", "none")[:12]
