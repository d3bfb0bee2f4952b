"""The batch comparison's per-report state on disk, so that it does not fill the memory.

A comparison of ten thousand reports needs, per report, its folded text (to align the passages
the LSH proposes and to count batch-common phrases) and, per passage, 128 MinHash values. Held in
memory that was about 25 KB per report, most of what grew with N in a run. Here both live
in anonymous temporary files (unlinked at once: a crash leaves nothing behind, and nothing is
visible to other users), read back with `os.pread`. In memory stay a few numbers per report and
per passage.
"""
from __future__ import annotations

import json
import os
import tempfile
from array import array
from dataclasses import dataclass

import numpy as np

ROWS_PER_BLOCK = 8192  # band keys are written out band by band every this many passages
_KEY_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd: mixing the rows of a band into one key


class _TempFile:
    """An anonymous file appended to and read at offsets."""

    def __init__(self, directory: str | None):
        self._file = tempfile.TemporaryFile(dir=directory)
        self.fd = self._file.fileno()
        self.size = 0

    def append(self, data: bytes | memoryview) -> int:
        offset = self.size
        view = memoryview(data).cast("B")
        while view:
            n = os.pwrite(self.fd, view, self.size)
            self.size += n
            view = view[n:]
        return offset

    def read(self, offset: int, size: int) -> bytes:
        data = os.pread(self.fd, size, offset)
        if len(data) != size:
            raise OSError(f"comparison spool: read {len(data)} of {size} bytes at {offset}")
        return data

    def close(self) -> None:
        self._file.close()


@dataclass(slots=True)
class StoredView:
    """What stays in memory of a report's view: who it is and where its text is."""
    id: str
    name: str
    unit: str | None
    year: int | None
    kind: str  # batch | archive | template
    number: int  # in order of adding
    offset: int
    sentences: int
    chars: int
    problem_bytes: int


class ViewStore:
    """Each report's sentence bounds (int32), folded text (UTF-32, so that a passage is read by
    its character offsets alone) and, for archive reports, problem sentences (JSON)."""

    def __init__(self, directory: str | None = None):
        self._file = _TempFile(directory)
        self.views: list[StoredView] = []

    def put(self, view, keep_problems: bool) -> StoredView:
        bounds = np.asarray(view.bounds, dtype=np.int32)
        problems = json.dumps(view.problems, ensure_ascii=False).encode() if keep_problems else b""
        data = bounds.tobytes() + view.text.encode("utf-32-le") + problems
        ref = StoredView(view.id, view.name, view.unit, view.year, view.kind, len(self.views),
                         self._file.append(data), len(bounds) - 1, len(view.text), len(problems))
        self.views.append(ref)
        return ref

    def text(self, ref: StoredView, start: int = 0, end: int | None = None) -> str:
        """Characters start..end-1 of the report's folded text."""
        end = ref.chars if end is None else end
        at = ref.offset + 4 * (ref.sentences + 1 + start)
        return self._file.read(at, 4 * (end - start)).decode("utf-32-le")

    def folded(self, ref: StoredView) -> list[str]:
        """The report's folded sentences."""
        bounds = np.frombuffer(self._file.read(ref.offset, 4 * (ref.sentences + 1)), dtype=np.int32).tolist()
        text = self.text(ref)
        return [text[a:b] for a, b in zip(bounds, bounds[1:])]

    def problems(self, ref: StoredView) -> list[tuple[int, str]]:
        if not ref.problem_bytes:
            return []
        at = ref.offset + 4 * (ref.sentences + 1 + ref.chars)
        return [tuple(p) for p in json.loads(self._file.read(at, ref.problem_bytes))]

    def close(self) -> None:
        self._file.close()
        self.views = []


class SignatureSpool:
    """The passages' MinHash values (uint32 rows, for the Jaccard estimate of a proposed pair)
    and their LSH band keys: one 64-bit key per band and passage, written band by band in blocks
    of ROWS_PER_BLOCK passages, so that reading one band for the whole batch is a few reads and
    holds 8 bytes per passage. A key mixes a band's values; two different bands that happen to
    get the same key only propose a pair that the Jaccard estimate then rejects."""

    def __init__(self, width: int, bands: list[tuple[int, int]], directory: str | None = None):
        self.width, self.bands = width, bands
        self._rows = _TempFile(directory)
        self._keys = _TempFile(directory)
        self._blocks: list[tuple[int, int]] = []  # (offset, rows) of each written block of keys
        self._pending: list[np.ndarray] = []
        self._pending_rows = 0
        self.n = 0

    def __len__(self) -> int:
        return self.n

    def append(self, rows: np.ndarray) -> None:
        rows = np.ascontiguousarray(rows, dtype=np.uint32)
        if not len(rows):
            return
        self._rows.append(rows.data)
        self._pending.append(self._band_keys(rows))
        self._pending_rows += len(rows)
        self.n += len(rows)
        if self._pending_rows >= ROWS_PER_BLOCK:
            self._flush()

    def _band_keys(self, rows: np.ndarray) -> np.ndarray:
        """(bands, rows) uint64: each band's values mixed into one key (wrapping arithmetic)."""
        keys = np.empty((len(self.bands), len(rows)), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for b, (start, end) in enumerate(self.bands):
                key = rows[:, start].astype(np.uint64)
                for c in range(start + 1, end):
                    key = key * _KEY_MULTIPLIER + rows[:, c]
                keys[b] = key
        return keys

    def _flush(self) -> None:
        if not self._pending_rows:
            return
        block = np.concatenate(self._pending, axis=1)  # band-major: one band's keys together
        self._blocks.append((self._keys.append(block.data), block.shape[1]))
        self._pending, self._pending_rows = [], 0

    def band(self, b: int) -> np.ndarray:
        """Band b's key of every passage, in order."""
        self._flush()
        out = np.empty(self.n, dtype=np.uint64)
        done = 0
        for offset, rows in self._blocks:
            out[done:done + rows] = np.frombuffer(self._keys.read(offset + 8 * b * rows, 8 * rows), dtype=np.uint64)
            done += rows
        return out

    def agreement(self, i: np.ndarray, j: np.ndarray, pairs_at_once: int = 4096) -> np.ndarray:
        """For each pair (i[k], j[k]) the share of equal MinHash values: the estimate of their
        Jaccard similarity. The rows of a slice of pairs are read at a time (`rows`); mapping
        the file instead made the kernel bring in whole neighbourhoods of it at each page
        fault, and all of it then counted in the process's memory (60 MB at 5,000 reports)."""
        out = np.empty(len(i), dtype=np.float32)
        for lo in range(0, len(i), pairs_at_once):
            a, b = i[lo:lo + pairs_at_once], j[lo:lo + pairs_at_once]
            needed, where = np.unique(np.concatenate([a, b]), return_inverse=True)
            values = self.rows(needed)
            out[lo:lo + len(a)] = (values[where[:len(a)]] == values[where[len(a):]]).mean(axis=1)
        return out

    def rows(self, passages: np.ndarray) -> np.ndarray:
        """The MinHash rows of sorted, distinct passages: one read per run of consecutive
        passages (the pairs are sorted by their first passage, so its rows come in runs)."""
        size = 4 * self.width
        passages = np.asarray(passages, dtype=np.int64)
        if not len(passages):
            return np.zeros((0, self.width), dtype=np.uint32)
        cut = np.nonzero(np.diff(passages) != 1)[0] + 1
        starts = passages[np.r_[0, cut]].tolist()
        lengths = np.diff(np.r_[0, cut, len(passages)]).tolist()
        data = b"".join([self._rows.read(s * size, n * size) for s, n in zip(starts, lengths)])
        return np.frombuffer(data, dtype=np.uint32).reshape(len(passages), self.width)

    def close(self) -> None:
        self._rows.close()
        self._keys.close()
        self._blocks, self._pending = [], []


class PassageTable:
    """Every indexed passage as five int32 columns: its report's number, its sentence range and
    its character range in the report's folded text."""

    def __init__(self):
        self.report, self.lo, self.hi, self.start, self.end = (array("i") for _ in range(5))
        self.first: dict[int, tuple[int, int]] = {}  # report number → (its first passage, how many)

    def __len__(self) -> int:
        return len(self.report)

    def add(self, number: int, passages: list[tuple[int, int]], bounds) -> None:
        self.first[number] = (len(self.report), len(passages))
        for lo, hi in passages:
            self.report.append(number)
            self.lo.append(lo)
            self.hi.append(hi)
            self.start.append(bounds[lo])
            self.end.append(bounds[hi])
