"""Batch comparisons: text reuse between reports (and against the archive and known templates),
problems repeated from the unit's previous-year report, and phrases shared by many reports.

Reuse at scale: every report is cut into passages (its paragraphs, long ones in windows); each
passage gets a MinHash of its character shingles (digits folded, so that changed numbers still
match, datasketch), and LSH banding proposes the passage pairs worth aligning (difflib), so the
work grows with the number of reports, not its square.
"""
from __future__ import annotations

import hashlib
import re
import zlib
from array import array
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
from datasketch import MinHash, MinHashLSH

from nlp.findings.rules import Finding, quote
from nlp.units import same_unit

DIGITS = re.compile(r"\d+(?:\.\d+)?")
PASSAGE_CHARS = 160
MIN_PASSAGE = 24
MIN_BLOCK = 10  # matching runs shorter than this many characters are coincidence
PAIR_SLICE = 20_000  # proposed pairs whose MinHash agreement is estimated at once


SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Text as compared: digits folded to 0, whitespace removed."""
    return SPACE.sub("", DIGITS.sub("0", text))


@dataclass(slots=True, eq=False, weakref_slot=True)
class ReportView:
    """What the batch comparison keeps of one report: its folded sentences as one string with
    their bounds, its passages, and its problem sentences (for when it is an archive report: a
    worker does not know that). The analysis
    itself stays on disk, so that a batch of ten thousand costs kilobytes per report in memory,
    not a whole analysis each. Sentence ids are the sentences' positions (nlp/analysis.py)."""
    id: str
    name: str
    unit: str | None
    year: int | None
    kind: str  # batch | archive | template
    text: str
    bounds: array
    passages: list["Passage"]
    problems: list[tuple[int, str]]

    def sentence(self, i: int) -> str:
        return self.text[self.bounds[i]:self.bounds[i + 1]]

    @property
    def folded(self) -> list[str]:
        return [self.sentence(i) for i in range(len(self.bounds) - 1)]

    @property
    def chars(self) -> int:
        return len(self.text)


@dataclass(slots=True, eq=False)
class Passage:
    """Consecutive sentences lo..hi-1 of a report; its text is read from the report's view."""
    view: ReportView
    index: int
    lo: int
    hi: int

    @property
    def report(self) -> str:
        return self.view.id

    @property
    def text(self) -> str:  # folded
        return self.view.text[self.view.bounds[self.lo]:self.view.bounds[self.hi]]

    @property
    def sentence_ids(self) -> list[int]:
        return list(range(self.lo, self.hi))


def view_of(record: dict, kind: str = "batch") -> ReportView:
    """The comparison's view of an analysis (made where the analysis is, in a worker or when a
    cached analysis is read)."""
    sentences = record.get("sentences", [])
    folded = [fold(s["text"]) for s in sentences]
    bounds = array("l", [0])
    for t in folded:
        bounds.append(bounds[-1] + len(t))
    meta = record.get("meta") or {}
    view = ReportView(record["id"], meta.get("unit") or (record.get("source") or {}).get("name") or record["id"],
                      meta.get("unit"), meta.get("year"), kind, "".join(folded), bounds, [],
                      [(s["id"], s["text"]) for s in sentences if s.get("label") == "PROB"])
    _cut_passages(view, sentences)
    return view


def _cut_passages(view: ReportView, sentences: list[dict]) -> None:
    """Consecutive sentences of a block grouped into passages of about PASSAGE_CHARS."""
    lo, size = 0, 0
    for i, s in enumerate(sentences):
        if i > lo and (s["block"] != sentences[i - 1]["block"] or size >= PASSAGE_CHARS):
            _emit(view, lo, i)
            lo, size = i, 0
        size += len(s["text"])
    _emit(view, lo, len(sentences))


def _emit(view: ReportView, lo: int, hi: int) -> None:
    if hi > lo and view.bounds[hi] - view.bounds[lo] >= MIN_PASSAGE:
        view.passages.append(Passage(view, len(view.passages), lo, hi))


def _shingles(text: str, k: int) -> list[bytes]:
    return [text[i:i + k].encode() for i in range(max(1, len(text) - k + 1))]


def _crc32(data: bytes) -> int:
    """The shingle hash: CRC-32 in C is ten times faster than datasketch's default SHA-1, and
    MinHash's random permutations supply the mixing it lacks."""
    return zlib.crc32(data)


class SignatureRows:
    """The passages' MinHash values, row by row, in blocks of a fixed number of rows. Appending
    never copies what is stored: a growing array, or a stack of the reports' small arrays, holds
    two copies at its peak, and a block is large enough that its memory goes back to the system
    when it is freed."""

    def __init__(self, width: int, block_rows: int = 8192):
        self.width, self.block_rows = width, block_rows
        self.blocks: list[np.ndarray] = []
        self.n = 0

    def __len__(self) -> int:
        return self.n

    def append(self, rows: np.ndarray) -> None:
        done = 0
        while done < len(rows):
            block, row = divmod(self.n, self.block_rows)
            if block == len(self.blocks):
                self.blocks.append(np.empty((self.block_rows, self.width), dtype=np.uint32))
            take = min(len(rows) - done, self.block_rows - row)
            self.blocks[block][row:row + take] = rows[done:done + take]
            self.n += take
            done += take

    def columns(self, start: int, end: int) -> np.ndarray:
        """Columns start..end-1 of every row, as one contiguous array (a band of the LSH)."""
        return np.ascontiguousarray(np.concatenate([b[:, start:end] for b in self.blocks])[:self.n])

    def rows(self, index: np.ndarray) -> np.ndarray:
        """The rows at `index`, gathered block by block."""
        out = np.empty((len(index), self.width), dtype=np.uint32)
        block = index // self.block_rows
        for k in np.unique(block).tolist():
            at = block == k
            out[at] = self.blocks[k][index[at] % self.block_rows]
        return out


class ReuseIndex:
    """MinHash LSH over the passages of every report seen (batch, archive, templates).

    datasketch supplies the MinHash signatures and the banding parameters (b bands of r rows,
    chosen by `MinHashLSH` for the threshold). The bands are then grouped for the whole batch at
    once with numpy: passages whose values agree on all rows of some band are candidates, exactly
    as `MinHashLSH.query` proposes them, but without its per-passage insert and query (a bytes
    key and a dict entry per band and passage), which took most of the comparison time.
    """

    def __init__(self, shingle: int = 8, threshold: float = 0.3, num_perm: int = 128,
                 max_group: int = 32):
        self.k = shingle
        self.max_group = max_group
        self.min_jaccard = threshold
        self.num_perm = num_perm
        self.bands = MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges
        self.passages: list[Passage] = []
        self._values = SignatureRows(num_perm)
        self._candidates: tuple | None = None
        proto = MinHash(num_perm=num_perm)
        self._shared = {"permutations": proto.permutations, "scheme": proto.scheme}  # computed once

    def signatures(self, view: ReportView) -> np.ndarray:
        """The MinHash values of the report's passages, one row per passage. Computed where the
        report is analysed (in parallel) and cached with it; `add` takes them instead of text.
        The values are below 2**32 (datasketch masks them so), hence uint32: half the memory."""
        texts = [_shingles(p.text, self.k) for p in view.passages]
        if not texts:
            return np.zeros((0, self.num_perm), dtype=np.uint32)
        return np.vstack([m.hashvalues for m in MinHash.bulk(texts, num_perm=self.num_perm,
                                                              hashfunc=_crc32, **self._shared)]).astype(np.uint32)

    def add(self, views: list[ReportView], signatures: dict[str, np.ndarray] | None = None) -> None:
        """Index the passages of `views`, using precomputed `signatures` (by report id) when they
        are given and match the passages. The signatures are taken out of the dict (it is
        consumed), so that the index holds the only copy."""
        for v in views:
            sig = (signatures if signatures is not None else {}).pop(v.id, None)
            if sig is None or len(sig) != len(v.passages):
                sig = self.signatures(v)
            if v.passages:
                self.passages.extend(v.passages)
                self._values.append(sig)
        self._candidates = None

    def _pairs(self) -> np.ndarray:
        """(i, j), i < j: passages of different reports that share a band and whose estimated
        Jaccard similarity reaches the threshold, sorted."""
        values = self._values
        n = len(values)
        if not n:
            return np.zeros((0, 2), dtype=np.int64)
        report = self._report_of()
        keys = np.zeros(0, dtype=np.int64)  # pair (i, j) as i * n + j: one int, not a row of two
        for start, end in self.bands:
            band = values.columns(start, end)
            band_keys = band.view(np.dtype((np.void, band.dtype.itemsize * (end - start)))).ravel()
            _, bucket, counts = np.unique(band_keys, return_inverse=True, return_counts=True)
            shared = np.nonzero(counts[bucket] > 1)[0]
            if len(shared):
                keys = np.union1d(keys, self._bucket_pairs(shared, bucket, report, n))
        i, j = keys // n, keys % n
        # the bands propose; the MinHash estimate of Jaccard filters before costly alignment
        # (in slices: the signatures of every proposed pair at once would take gigabytes)
        keep = np.zeros(len(keys), dtype=bool)
        for lo in range(0, len(keys), PAIR_SLICE):
            a, b = i[lo:lo + PAIR_SLICE], j[lo:lo + PAIR_SLICE]
            keep[lo:lo + PAIR_SLICE] = (values.rows(a) == values.rows(b)).mean(axis=1) >= self.min_jaccard
        return np.stack([i[keep], j[keep]], axis=1)

    def _bucket_pairs(self, shared: np.ndarray, bucket: np.ndarray, report: np.ndarray, n: int) -> np.ndarray:
        """The pairs of a band's buckets, of different reports: all pairs of a bucket, but in a
        bucket larger than `max_group` (a passage that many reports share: template text) each
        passage only with the next `max_group` ones, so that the pairs, and the alignments, grow
        with the batch and not its square. Members at distance d in bucket order, for d = 1, 2 …
        until no bucket is that large: a few arrays per band, not one per bucket."""
        members = shared[np.argsort(bucket[shared], kind="stable")]
        b = bucket[members]
        found = []
        for d in range(1, self.max_group + 1):
            same = np.nonzero(b[:-d] == b[d:])[0]
            if not len(same):
                break
            i, j = members[same], members[same + d]
            other = report[i] != report[j]
            found.append(i[other].astype(np.int64) * n + j[other])
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)

    def _report_of(self) -> np.ndarray:
        """The report number of each passage (in order of first appearance)."""
        ids: dict[str, int] = {}
        return np.array([ids.setdefault(p.view.id, len(ids)) for p in self.passages], dtype=np.int64)

    def candidates(self, report_id: str) -> dict[str, list[tuple[Passage, Passage]]]:
        """Other report → proposed (own passage, other passage) pairs, in the order of the
        sorted pairs. The pairs are kept as two sorted arrays (a passage and its partner, both
        ways round) rather than Python tuples: a batch of thousands proposes hundreds of
        thousands of pairs."""
        if self._candidates is None:
            pairs = self._pairs()
            m = len(pairs)
            mine = np.concatenate([pairs[:, 0], pairs[:, 1]])
            theirs = np.concatenate([pairs[:, 1], pairs[:, 0]])
            report = self._report_of()
            order = np.lexsort((np.arange(2 * m) % max(m, 1), report[mine]))
            mine, theirs = mine[order], theirs[order]
            starts = np.searchsorted(report[mine], np.arange(int(report.max(initial=-1)) + 2))
            numbers = {p.view.id: int(k) for p, k in zip(self.passages, report)}
            self._candidates = (mine, theirs, starts, numbers)
        mine, theirs, starts, numbers = self._candidates
        k = numbers.get(report_id)
        out: dict[str, list[tuple[Passage, Passage]]] = {}
        if k is None:
            return out
        for i, j in zip(mine[starts[k]:starts[k + 1]].tolist(), theirs[starts[k]:starts[k + 1]].tolist()):
            q = self.passages[j]
            out.setdefault(q.view.id, []).append((self.passages[i], q))
        return out


def shared_chars(a: str, b: str) -> int:
    """Characters of `a` in runs of at least MIN_BLOCK characters that also stand in `b`."""
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(m.size for m in blocks if m.size >= MIN_BLOCK)


class Alignments:
    """Shared characters of passage pairs, remembered by the pair's text: a rerun after a late
    file aligns only the pairs it has not seen (the flow keeps `used` between runs)."""

    def __init__(self, known: dict[str, int] | None = None):
        self.known = known or {}
        self.used: dict[str, int] = {}

    def shared(self, a: str, b: str) -> int:
        key = hashlib.blake2b(f"{a}\x00{b}".encode(), digest_size=8).hexdigest()
        n = self.known.get(key)
        if n is None:
            n = shared_chars(a, b)
        self.used[key] = n
        return n


def reuse_for(view: ReportView, index: ReuseIndex, min_share: float,
              alignments: Alignments | None = None) -> list[dict]:
    """Reports sharing text with `view`'s report: share of its characters and the aligned passages."""
    total = view.chars or 1
    alignments = alignments or Alignments()
    out = []
    for other, pairs in index.candidates(view.id).items():
        best: dict[int, tuple[int, Passage, Passage]] = {}
        for p, q in pairs:
            n = alignments.shared(p.text, q.text)
            if n and n > best.get(p.index, (0,))[0]:
                best[p.index] = (n, p, q)
        shared = sum(n for n, _, _ in best.values())
        share = shared / total
        if share >= min_share:
            top = sorted(best.values(), key=lambda x: -x[0])[:5]
            out.append({"other": other, "other_name": pairs[0][1].view.name,
                        "share": round(share, 3), "shared_chars": shared,
                        "passages": [{"sentence_ids": p.sentence_ids,
                                      "other_sentence_ids": q.sentence_ids, "chars": n}
                                     for n, p, q in top]})
    return sorted(out, key=lambda x: -x["share"])


def repeated_problems(record: dict, previous: ReportView, min_similarity: float) -> list[tuple[dict, dict, float]]:
    """Problem sentences of this year that repeat a problem sentence of the previous year."""
    old = [({"id": i, "text": t}, fold(t)) for i, t in previous.problems]
    out = []
    for s in record.get("sentences", []):
        if s.get("label") != "PROB" or s.get("heading") or len(s["text"]) < 8:
            continue
        text = fold(s["text"])
        best = max(((o, SequenceMatcher(None, text, t, autojunk=False).ratio()) for o, t in old),
                   key=lambda x: x[1], default=(None, 0.0))
        if best[0] is not None and best[1] >= min_similarity:
            out.append((s, best[0], best[1]))
    return out


PHRASE_BREAKS = "，。；：0"  # a batch phrase never spans these (digits are folded to 0)
_HASH_BASE = np.uint64(1_000_003)


def _gram_hashes(text: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Polynomial hashes (mod 2**64) of the character n-grams of `text` that contain no phrase
    break, and their start offsets. Sentences are joined with a break character, so no n-gram
    spans two sentences."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < n:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    breaks = np.isin(codes, [ord(c) for c in PHRASE_BREAKS]).astype(np.int64)
    width = len(codes) - n + 1
    hashes = np.zeros(width, dtype=np.uint64)
    for k in range(n):  # wraps around modulo 2**64, as intended
        hashes = hashes * _HASH_BASE + codes[k:k + width]
    spans_break = np.convolve(breaks, np.ones(n, dtype=np.int64), "valid") > 0
    starts = np.nonzero(~spans_break)[0]
    return hashes[starts], starts


def common_phrases(views: list[ReportView], n: int, min_reports: int, doc_share: float,
                   chunk: int = 250) -> list[str]:
    """Character n-grams (digits folded) found in many reports of the batch and archive.

    Document frequencies are counted over 64-bit hashes of the n-grams with numpy (a Python set
    of strings per report took most of the comparison time), in two passes over chunks of
    reports so that memory does not grow with the batch: an n-gram in `need` of N reports is
    in at least need·C/N of some chunk of C reports, so the first pass keeps those per chunk and
    the second counts only them."""
    if not views:
        return []
    need = max(min_reports, int(np.ceil(doc_share * len(views))))

    def hashes_of(v: ReportView) -> tuple[str, np.ndarray, np.ndarray]:
        text = PHRASE_BREAKS[0].join(v.folded)
        return (text, *_gram_hashes(text, n))

    candidates = []
    for start in range(0, len(views), chunk):
        part = views[start:start + chunk]
        values, counts = np.unique(np.concatenate([np.unique(hashes_of(v)[1]) for v in part]),
                                   return_counts=True)
        candidates.append(values[counts >= need * len(part) / len(views)])
    candidates = np.unique(np.concatenate(candidates))
    counts = np.zeros(len(candidates), dtype=np.int64)
    for v in views:
        hashes = np.unique(hashes_of(v)[1])
        counts[np.searchsorted(candidates, hashes[np.isin(hashes, candidates)])] += 1
    frequent = candidates[counts >= need]
    if not len(frequent):
        return []
    grams = set()
    for v in views:
        text, hashes, starts = hashes_of(v)
        grams.update(text[i:i + n] for i in starts[np.isin(hashes, frequent)].tolist())
    # sorted: the same batch must give the same evidence in every process (str hashes are salted)
    return sorted(grams)


def reuse_index(settings: dict) -> ReuseIndex:
    tr = settings["findings"]["text_reuse"]
    return ReuseIndex(tr["shingle"], tr["lsh_threshold"], tr["num_perm"], tr.get("max_group", 32))


class BatchComparison:
    """The batch comparison in two passes: `add` the view of every report of the batch, archive
    and templates as its analysis arrives, then `finish` each analysis of the batch in turn
    (similarity, text_reuse, repeated_problem, batch stock phrases). In between only the views
    are held, never all the analyses at once."""

    def __init__(self, settings: dict, lex, alignments: Alignments | None = None):
        self._settings = settings
        self.conf = settings["findings"]
        self.lex = lex
        self.alignments = alignments if alignments is not None else Alignments()
        self.index = reuse_index(settings)
        self.views: dict[str, ReportView] = {}
        self.archive: list[ReportView] = []  # apart: `finish` looks for the unit's among them only
        self.phrases: list[str] | None = None

    def add(self, view: ReportView, signature: np.ndarray | None = None) -> None:
        self.views[view.id] = view
        if view.kind == "archive":
            self.archive.append(view)
        self.index.add([view], {view.id: signature} if signature is not None else None)
        self.phrases = None

    def close(self) -> None:
        """Let go of the views, the index and the alignments once every analysis is finished:
        the sheets and summaries that follow do not need them, and references to this object
        may outlive the step (a task's result). A view and its passages refer to each other:
        the passages are dropped first, so that reference counting frees them at once (the flow
        keeps its objects out of the cycle collector's passes, gc.freeze)."""
        for view in self.views.values():
            view.passages.clear()
        self.views.clear()
        self.archive.clear()
        self.index = reuse_index(self._settings)
        self.phrases = None
        self.alignments = Alignments()

    def prepare(self) -> None:
        """After the last `add`: the candidate passage pairs and the batch-common phrases."""
        self.index.candidates("")
        self._batch_phrases()

    def _batch_phrases(self) -> list[str]:
        if self.phrases is None:
            st = self.conf["stock_phrase"]
            views = list(self.views.values())
            self.phrases = common_phrases(views, st["batch_ngram"], st["batch_min_reports"],
                                          st["batch_doc_share"]) if len(views) >= st["batch_min_reports"] else []
        return self.phrases

    def finish(self, r: dict) -> None:
        """Add similarity and the batch findings to the analysis `r` (its view was added)."""
        view = self.views[r["id"]]
        tr = self.conf["text_reuse"]
        sims = reuse_for(view, self.index, tr["min_share"], self.alignments)
        for s in sims:
            s["kind"] = self.views[s["other"]].kind
        # the unit's own previous-year report is compared by repeated_problem, not as reuse
        unit = (r.get("meta") or {}).get("unit")
        r["similarity"] = [s for s in sims if not (s["kind"] == "archive" and same_unit(s["other_name"], unit))]
        _reuse_finding(r, self.lex, tr)
        previous = [v for v in self.archive if same_unit(v.unit, unit)]
        _repeated_finding(r, previous, self.lex, self.conf["repeated_problem"])
        _batch_stock(r, self._batch_phrases(), self.lex, self.conf["stock_phrase"], view.folded)


def compare_batch(records: list[dict], archive: list[dict], templates: list[dict], settings: dict,
                  lex, signatures: dict[str, np.ndarray] | None = None,
                  alignments: Alignments | None = None) -> None:
    """Add similarity, text_reuse, repeated_problem and batch stock phrases to each record (all
    analyses in memory: the evaluation and the tests; the flow streams them instead)."""
    comparison = BatchComparison(settings, lex, alignments)
    signatures = signatures or {}
    for kind, group in (("batch", records), ("archive", archive), ("template", templates)):
        for r in group:
            if not r.get("error"):
                comparison.add(view_of(r, kind), signatures.pop(r["id"], None))
    for r in records:
        if not r.get("error"):
            comparison.finish(r)


def _reuse_finding(r: dict, lex, conf: dict) -> None:
    """A finding for a report sharing at least `finding_min_share` of its text; smaller overlaps
    stay in the sheet's similarity list without a finding."""
    if not r["similarity"] or r["similarity"][0]["share"] < conf.get("finding_min_share", 0.0):
        return
    top = r["similarity"][0]
    by_id = {s["id"]: s for s in r["sentences"]}
    sid = top["passages"][0]["sentence_ids"][0]
    ids = sorted({i for s in r["similarity"] for p in s["passages"] for i in p["sentence_ids"]})
    r["findings"].append(Finding(
        "text_reuse", conf["severity"], ids,
        lex.message("text_reuse", other=top["other_name"], share=f"{top['share']:.0%}",
                    quote=quote(by_id[sid]["text"])),
        [{"sentence_id": sid, "match": quote(by_id[sid]["text"], 20)}],
        {"other": top["other_name"], "share": top["share"], "batch": True}).to_dict())


def _repeated_finding(r: dict, previous: list[ReportView], lex, conf: dict) -> None:
    """Problems repeated from the unit's latest archive report (`previous`: the unit's views)."""
    if not (r.get("meta") or {}).get("unit") or not previous:
        return
    latest = max(previous, key=lambda v: v.year or 0)
    hits = repeated_problems(r, latest, conf["min_similarity"])
    if not hits:
        return
    r["findings"].append(Finding(
        "repeated_problem", conf["severity"], [s["id"] for s, _, _ in hits],
        lex.message("repeated_problem", n=len(hits), quote=quote(hits[0][0]["text"])),
        [{"sentence_id": s["id"], "match": quote(o["text"], 30), "similarity": round(x, 2)}
         for s, o, x in hits],
        {"previous": latest.id, "batch": True}).to_dict())


def _batch_stock(r: dict, phrases: list[str], lex, conf: dict, folded: list[str]) -> None:
    if not phrases:
        return
    hits = []
    for s, t in zip(r["sentences"], folded):
        found = next((p for p in phrases if p in t), None)
        if found:
            hits.append((s, found))
    if not hits:
        return
    existing = next((f for f in r["findings"] if f["rule"] == "stock_phrase"), None)
    evidence = [{"sentence_id": s["id"], "match": p, "category": "batch_common"} for s, p in hits[:10]]
    if existing:
        existing["batch_common"] = evidence  # kept apart, so that a rerun can drop it cleanly
    elif len(hits) >= conf["min_count"]:
        r["findings"].append(Finding(
            "stock_phrase", conf["severity"], [s["id"] for s, _ in hits],
            lex.message("stock_phrase", n=len(hits), density="-", match=hits[0][1]),
            evidence, {"batch": True}).to_dict())
