"""Training a linear-chain CRF over the sentences of a report with CRFsuite (python-crfsuite).

Unlike the logistic model with separately estimated transitions, the CRF fits the sentence
weights and the label transitions jointly, so a cue that is only informative next to a problem
run is weighted as such. Only training needs CRFsuite: its state-feature and transition weights
are read back into plain arrays, and the shipped model decodes them with numpy
(nlp/classify/sequence.py), exactly as CRFsuite's own tagger would (tests/test_classify.py).
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from scipy import sparse


def _items(X: sparse.csr_matrix):
    import pycrfsuite

    rows = []
    for r in range(X.shape[0]):
        a, b = X.indptr[r], X.indptr[r + 1]
        rows.append({str(int(c)): float(v) for c, v in zip(X.indices[a:b], X.data[a:b])})
    return pycrfsuite.ItemSequence(rows)


def train_crf(reports: list[sparse.csr_matrix], labels: list[np.ndarray], n_labels: int,
              c1: float = 0.0, c2: float = 0.01, max_iterations: int = 150
              ) -> tuple[sparse.csr_matrix, np.ndarray]:
    """(state weights, labels × features; transition weights [from, to]) of a CRF trained by
    L-BFGS with L1 weight `c1` and L2 weight `c2` on one feature matrix per report."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for X, y in zip(reports, labels):
        if X.shape[0]:
            trainer.append(_items(X.tocsr()), [str(int(i)) for i in y])
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations,
                        "feature.possible_transitions": True})
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "roles.crfsuite")
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        info = tagger.info()
        tagger.close()
    n_features = reports[0].shape[1]
    rows, cols, values = [], [], []
    for (attr, label), w in info.state_features.items():
        rows.append(int(label))
        cols.append(int(attr))
        values.append(w)
    weights = sparse.csr_matrix((values, (rows, cols)), shape=(n_labels, n_features))
    trans = np.zeros((n_labels, n_labels))
    for (a, b), w in info.transitions.items():
        trans[int(a), int(b)] = w
    return weights, trans
