"""Viterbi decoding over the sentences of a report with learned label transitions.

Problems come in runs and are followed by causes and plans; a lone PROB inside a run of ACH is
usually a slip. Decoding combines the per-sentence log-probabilities with transition
log-probabilities (estimated on the train split, add-one smoothed), weighted by `weight`.
"""
from __future__ import annotations

import numpy as np


def estimate_transitions(sequences: list[np.ndarray], n_labels: int) -> tuple[np.ndarray, np.ndarray]:
    """(log start probabilities, log transition matrix [from, to]) from label index sequences."""
    start = np.ones(n_labels)
    trans = np.ones((n_labels, n_labels))
    for seq in sequences:
        if len(seq):
            start[seq[0]] += 1
        for a, b in zip(seq[:-1], seq[1:]):
            trans[a, b] += 1
    return np.log(start / start.sum()), np.log(trans / trans.sum(axis=1, keepdims=True))


def viterbi(log_probs: np.ndarray, log_start: np.ndarray, log_trans: np.ndarray,
            weight: float = 1.0) -> np.ndarray:
    """The most likely label sequence (indices) for one report."""
    n, k = log_probs.shape
    if n == 0:
        return np.zeros(0, dtype=int)
    score = log_probs[0] + weight * log_start
    back = np.zeros((n, k), dtype=int)
    for t in range(1, n):
        cand = score[:, None] + weight * log_trans  # [from, to]
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + log_probs[t]
    path = np.zeros(n, dtype=int)
    path[-1] = int(score.argmax())
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def marginals(scores: np.ndarray, log_start: np.ndarray, log_trans: np.ndarray,
              weight: float = 1.0) -> np.ndarray:
    """P(label of sentence t | the whole report) by forward-backward over the same scores Viterbi
    decodes: a sentence's confidence accounts for its neighbours, as its label does. Computed
    in probabilities rescaled at every step (Rabiner's scaling), which gives the same marginals
    as log space at a tenth of the cost."""
    n, k = scores.shape
    if n == 0:
        return np.zeros((0, k))
    emit = np.exp(scores - scores.max(axis=1, keepdims=True))
    trans = np.exp(weight * (log_trans - log_trans.max()))
    alpha = np.empty((n, k))
    beta = np.ones((n, k))
    a = np.exp(weight * (log_start - log_start.max())) * emit[0]
    alpha[0] = a / a.sum()
    for t in range(1, n):
        a = (alpha[t - 1] @ trans) * emit[t]
        alpha[t] = a / a.sum()
    for t in range(n - 2, -1, -1):
        b = trans @ (emit[t + 1] * beta[t + 1])
        beta[t] = b / b.sum()
    p = alpha * beta
    return p / p.sum(axis=1, keepdims=True)
