"""Sentence → feature vector: character n-grams of the sentence and of its neighbours, plus
context (section kind, heading, position, cue words here and next door).

Stateless (hashing), so the model file holds only weights and nothing needs unpickling.
"""
from __future__ import annotations

import hashlib
import re

import numpy as np
from scipy import sparse

from nlp.classify.context import SentenceContext
from nlp.classify.hashing import char_ngram_rows, hash_rows
from nlp.classify.cues import cue_lexicon, starts_with_enumerator
from nlp.settings import data_path

N_TEXT = 2 ** 18
N_CONTEXT = 2 ** 14
FEATURE_DATA = ("cues.yaml", "section_kinds.yaml", "userdict.txt")
DIGIT = re.compile(r"\d")
NORMALISE_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _normalise(text: str) -> str:
    return NORMALISE_DIGITS.sub("0", text)


class SentenceFeaturizer:
    """Turns the sentences of a report into a sparse matrix (one row per sentence)."""

    def __init__(self, ngram_range=(1, 3), neighbour_weight: float = 0.35,
                 context_weight: float = 1.0, binary: bool = True, word_weight: float = 0.0,
                 word_hmm: bool = False, table_columns: bool = False):
        self.ngram_range = tuple(ngram_range)
        self.neighbour_weight = neighbour_weight
        self.context_weight = context_weight
        self.binary = binary
        self.word_weight = word_weight
        self.word_hmm = word_hmm  # jieba's HMM for unknown words: slower, and char n-grams cover them
        self.table_columns = table_columns  # table cells see their column header's kind (not shipped)

    # binary: a long sentence full of 的 and ， is not more of anything than a short one
    def _text(self, texts: list[str]) -> sparse.csr_matrix:
        low, high = self.ngram_range
        return char_ngram_rows([_normalise(t) for t in texts], low, high, N_TEXT,
                               binary=self.binary, l2=True)

    def _words(self, texts: list[str]) -> sparse.csr_matrix:
        return hash_rows([_words(t, self.word_hmm) for t in texts], N_TEXT, binary=True, l2=True)

    def config(self) -> dict:
        return {"ngram_range": list(self.ngram_range), "neighbour_weight": self.neighbour_weight,
                "context_weight": self.context_weight, "binary": self.binary, "n_text": N_TEXT,
                "word_hmm": self.word_hmm, "table_columns": self.table_columns,
                "n_context": N_CONTEXT, "data_sha256": data_digests()}

    def transform(self, report: list[SentenceContext]) -> sparse.csr_matrix:
        texts = [c.text for c in report]
        own = self._text(texts)
        prev = sparse.vstack([sparse.csr_matrix((1, N_TEXT)), own[:-1]]) if len(texts) > 1 else \
            sparse.csr_matrix(own.shape)
        nxt = sparse.vstack([own[1:], sparse.csr_matrix((1, N_TEXT))]) if len(texts) > 1 else \
            sparse.csr_matrix(own.shape)
        cues = [cue_lexicon().match(t) for t in texts]
        ctx = hash_rows([_context_features(report, cues, i, self.table_columns)
                         for i in range(len(report))], N_CONTEXT)
        w = self.neighbour_weight
        parts = [own, w * prev, w * nxt, self.context_weight * ctx]
        if self.word_weight:
            parts.append(self.word_weight * self._words(texts))
        return sparse.hstack(parts).tocsr()


def data_digests() -> dict[str, str]:
    """The data files the features are made from: a model is only valid with the files it was
    trained with (tests/test_classify.py checks the shipped model against them)."""
    return {name: hashlib.sha256(data_path(name).read_bytes()).hexdigest()[:16]
            for name in FEATURE_DATA}


def _words(text: str, hmm: bool) -> list[str]:
    from nlp.segment import get_nlp

    return get_nlp().tokenizer.cut(_normalise(text), hmm=hmm)


def _cue_features(prefix: str, cue: dict, out: dict) -> None:
    for cat, (n, start) in cue.items():
        if n:
            out[f"{prefix}cue={cat}"] = min(n, 3) / 3
        if start:
            out[f"{prefix}start={cat}"] = 1.0


def _context_features(report: list[SentenceContext], cues: list[dict], i: int,
                      table_columns: bool = False) -> dict:
    c = report[i]
    f: dict[str, float] = {"bias": 1.0}
    f[f"sec={c.section_kind}"] = 1.0
    heading = c.heading_level is not None
    f[f"heading={heading}"] = 1.0
    if heading:
        f[f"heading_level={c.heading_level}"] = 1.0
        f[f"heading_sec={c.section_kind}"] = 1.0
    f[f"block={c.block_kind}"] = 1.0
    if table_columns and c.column_kind is not None:
        f[f"column={c.column_kind}"] = 1.0
        f[f"table={c.table_kinds}"] = 1.0
        f[f"column={c.column_kind}|table={c.table_kinds}"] = 1.0
    if c.index < 3:
        f[f"first{c.index}"] = 1.0
    if c.count - c.index <= 3:
        f[f"last{c.count - c.index}"] = 1.0
    f[f"block_first={c.block_first}"] = 1.0
    f[f"block_last={c.block_last}"] = 1.0
    f[f"len={min(len(c.text) // 15, 8)}"] = 1.0
    if DIGIT.search(c.text):
        f["has_number"] = 1.0
    if "%" in c.text or "％" in c.text:
        f["has_percent"] = 1.0
    if starts_with_enumerator(c.text):
        f["enumerator"] = 1.0
    _cue_features("", cues[i], f)
    for offset, prefix in ((-1, "p1:"), (1, "n1:"), (-2, "p2:")):
        j = i + offset
        if 0 <= j < len(report):
            _cue_features(prefix, cues[j], f)
            if report[j].heading_level is not None:
                f[f"{prefix}heading"] = 1.0
        else:
            f[f"{prefix}edge"] = 1.0
    for k, v in list(f.items()):  # section-specific versions of the cue features
        if k.startswith(("cue=", "start=")):
            f[f"{c.section_kind}|{k}"] = v
    return f


def stack(matrices: list[sparse.csr_matrix]) -> sparse.csr_matrix:
    return sparse.vstack(matrices).tocsr() if matrices else sparse.csr_matrix((0, N_TEXT))


def as_array(labels: list[str], classes: tuple[str, ...]) -> np.ndarray:
    index = {c: i for i, c in enumerate(classes)}
    return np.array([index[label] for label in labels])
