"""Feature hashing exactly as scikit-learn's HashingVectorizer and FeatureHasher compute it
(MurmurHash3 of the UTF-8 string, seed 0, |h| mod n_features, values summed), without importing
scikit-learn at run time: its import was a third of a worker's start-up, and this loop over
`mmh3` is also four times faster than HashingVectorizer on our sentences. Training may use
either; tests/test_classify.py checks that both give the same matrices.
"""
from __future__ import annotations

import re

import mmh3
import numpy as np
from scipy import sparse

_WHITESPACE = re.compile(r"\s\s+")  # scikit-learn's char analyzer folds runs of whitespace
_INT32_MIN = -(2 ** 31)


def char_ngrams(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's `analyzer="char"` n-grams (no lowercasing when a preprocessor is set)."""
    text = _WHITESPACE.sub(" ", text)
    grams: list[str] = []
    for n in range(low, min(high + 1, len(text) + 1)):
        grams.extend(text[i:i + n] for i in range(len(text) - n + 1))
    return grams


def _indices(keys: list[str], n_features: int) -> np.ndarray:
    return _hashed_index(np.fromiter((mmh3.hash(k, 0, True) for k in keys), dtype=np.int64,
                                     count=len(keys)), n_features)


_C1, _C2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)
_MAX_GRAM_BYTES = 16  # four UTF-8 bytes a character: n-grams of up to four characters


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def murmur3_bytes(data: np.ndarray, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """MurmurHash3 (x86, 32-bit, seed 0, signed, as `mmh3.hash(key, 0, True)`) of the byte
    strings data[start:start + length], all at once with numpy; lengths up to _MAX_GRAM_BYTES."""
    width = 4 * max(1, -(-int(length.max(initial=0)) // 4))  # whole blocks, as few as will do
    padded = np.concatenate([data, np.zeros(width, dtype=np.uint8)])
    at = start[:, None] + np.arange(width)
    raw = np.where(np.arange(width) < length[:, None], padded[at], 0).astype(np.uint8)
    words = np.ascontiguousarray(raw).view("<u4")  # (grams, width // 4) little-endian blocks
    blocks = length // 4
    h = np.zeros(len(start), dtype=np.uint32)
    with np.errstate(over="ignore"):
        for b in range(width // 4):
            k = _rotl(words[:, b] * _C1, 15) * _C2
            mixed = _rotl(h ^ k, 13) * np.uint32(5) + np.uint32(0xE6546B64)
            h = np.where(blocks > b, mixed, h)
        tail = words[np.arange(len(start)), np.minimum(blocks, width // 4 - 1)]  # bytes past the end are 0
        k = _rotl(tail * _C1, 15) * _C2
        h = np.where(length % 4 > 0, h ^ k, h)
        h ^= length.astype(np.uint32)
        h ^= h >> np.uint32(16)
        h *= np.uint32(0x85EBCA6B)
        h ^= h >> np.uint32(13)
        h *= np.uint32(0xC2B2AE35)
        h ^= h >> np.uint32(16)
    return h.view(np.int32).astype(np.int64)


def ngram_starts(codes: np.ndarray, n: int) -> np.ndarray:
    """Where the character n-grams of NUL-joined texts start (`codes`: their code points), an
    n-gram never spanning a NUL, that is two texts."""
    width = len(codes) - n + 1
    if width <= 0:
        return np.zeros(0, dtype=np.int64)
    inside = np.ones(width, dtype=bool)
    for k in range(n):
        inside &= codes[k:k + width] != 0
    return np.nonzero(inside)[0]


def char_ngram_rows(texts: list[str], low: int, high: int, n_features: int,
                    binary: bool = False, l2: bool = False) -> sparse.csr_matrix:
    """`hash_rows([char_ngrams(t, low, high) for t in texts], …)` without making a string per
    n-gram: the texts' UTF-8 bytes are hashed where they lie (`murmur3_bytes`). A third of the
    role model's feature time went to the strings and the per-string hash calls."""
    if high > _MAX_GRAM_BYTES // 4:
        return hash_rows([char_ngrams(t, low, high) for t in texts], n_features, binary=binary, l2=l2)
    folded = [_WHITESPACE.sub(" ", t).replace("\x00", " ") for t in texts]
    joined = "\x00".join(folded)  # NUL separates texts: no n-gram spans two
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    data = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    size = 1 + (codes >= 0x80) + (codes >= 0x800) + (codes >= 0x10000)
    offset = np.concatenate([[0], np.cumsum(size)])
    row_of = np.cumsum(codes == 0)
    rows, hashes = [], []
    for n in range(low, high + 1):
        starts = ngram_starts(codes, n)
        hashes.append(murmur3_bytes(data, offset[starts], offset[starts + n] - offset[starts]))
        rows.append(row_of[starts])
    row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    h = np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.int64)
    return _matrix(row, _hashed_index(h, n_features), np.ones(len(h)), len(texts), n_features, binary, l2)


def _hashed_index(h: np.ndarray, n_features: int) -> np.ndarray:
    out = np.abs(h) % n_features
    out[h == _INT32_MIN] = (2 ** 31 - 1 - (n_features - 1)) % n_features  # as scikit-learn does
    return out


def _matrix(row: np.ndarray, col: np.ndarray, values: np.ndarray, n_rows: int, n_features: int,
            binary: bool, l2: bool) -> sparse.csr_matrix:
    X = sparse.csr_matrix((values, (row, col)), shape=(n_rows, n_features))
    X.sum_duplicates()
    if binary:
        X.data.fill(1.0)
    if l2:  # each row scaled to unit length in place (a diagonal matrix product costs more)
        per_row = np.diff(X.indptr)
        norms = np.sqrt(np.add.reduceat(X.data ** 2, X.indptr[:-1][per_row > 0])) if X.nnz else np.zeros(0)
        norms[norms == 0] = 1.0
        X.data /= np.repeat(norms, per_row[per_row > 0])
    return X


def hash_rows(rows: list[list[str]] | list[dict[str, float]], n_features: int,
              binary: bool = False, l2: bool = False) -> sparse.csr_matrix:
    """One sparse row per list of tokens (each counts 1) or dict of feature → value."""
    indices, values, indptr = [], [], [0]
    for row in rows:
        keys = list(row)
        indices.append(_indices(keys, n_features))
        values.append(np.fromiter((row[k] for k in keys), dtype=np.float64, count=len(keys))
                      if isinstance(row, dict) else np.ones(len(keys)))
        indptr.append(indptr[-1] + len(keys))
    row = np.repeat(np.arange(len(rows)), np.diff(indptr))
    return _matrix(row, np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
                   np.concatenate(values) if values else np.zeros(0), len(rows), n_features, binary, l2)
