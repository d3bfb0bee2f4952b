"""Batch comparisons: text reuse between reports (and against the archive and known templates),
problems repeated from the unit's previous-year report, and phrases shared by many reports.

Reuse at scale: every report is cut into passages (its paragraphs, long ones in windows); each
passage gets a MinHash of its character shingles (digits folded, so that changed numbers still
match, datasketch), and LSH banding proposes the passage pairs worth aligning (RapidFuzz), so the
work grows with the number of reports, not its square.
"""
from __future__ import annotations

import re
import zlib
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
from datasketch import MinHash, MinHashLSH
from rapidfuzz.distance import LCSseq

from nlp.findings.rules import Finding, quote
from nlp.spool import PassageTable, SignatureSpool, StoredView, ViewStore
from nlp.units import same_unit

DIGITS = re.compile(r"\d+(?:\.\d+)?")
PASSAGE_CHARS = 160
MIN_PASSAGE = 24
MIN_BLOCK = 10  # matching runs shorter than this many characters are coincidence


SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Text as compared: digits folded to 0, whitespace removed."""
    return SPACE.sub("", DIGITS.sub("0", text))


@dataclass(slots=True, eq=False, weakref_slot=True)
class ReportView:
    """What a worker hands the batch comparison for one report: its folded sentences as one
    string with their bounds, its passages (sentence ranges lo..hi-1) and its problem sentences
    (kept only if it is an archive report: a worker does not know that). The comparison writes
    it to disk as it arrives (nlp/spool.py). Sentence ids are the sentences' positions
    (nlp/analysis.py)."""
    id: str
    name: str
    unit: str | None
    year: int | None
    kind: str  # batch | archive | template
    text: str
    bounds: array
    passages: list[tuple[int, int]]
    problems: list[tuple[int, str]]

    def sentence(self, i: int) -> str:
        return self.text[self.bounds[i]:self.bounds[i + 1]]

    def passage_text(self, k: int) -> str:
        lo, hi = self.passages[k]
        return self.text[self.bounds[lo]:self.bounds[hi]]

    @property
    def folded(self) -> list[str]:
        return [self.sentence(i) for i in range(len(self.bounds) - 1)]

    @property
    def chars(self) -> int:
        return len(self.text)


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
        view.passages.append((lo, hi))


def _shingles(text: str, k: int) -> list[bytes]:
    return [text[i:i + k].encode() for i in range(max(1, len(text) - k + 1))]


def _crc32(data: bytes) -> int:
    """The shingle hash: CRC-32 in C is ten times faster than datasketch's default SHA-1, and
    MinHash's random permutations supply the mixing it lacks."""
    return zlib.crc32(data)


class ReuseIndex:
    """MinHash LSH over the passages of every report added (batch, archive, templates).

    datasketch supplies the MinHash signatures and the banding parameters (b bands of r rows,
    chosen by `MinHashLSH` for the threshold). The bands are then grouped for the whole batch at
    once with numpy: passages whose values agree on all rows of some band are candidates, as
    `MinHashLSH.query` proposes them, but without its per-passage insert and query (a bytes key
    and a dict entry per band and passage), which took most of the comparison time. The values
    and band keys are kept on disk (nlp/spool.py), the passages as a table of numbers.
    """

    def __init__(self, shingle: int = 8, threshold: float = 0.3, num_perm: int = 128,
                 max_group: int = 32, directory: str | None = None):
        self.k = shingle
        self.max_group = max_group
        self.min_jaccard = threshold
        self.num_perm = num_perm
        self.bands = MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges
        self.directory = directory
        self.table = PassageTable()
        self._spool: SignatureSpool | None = None  # made at the first add: workers only sign
        self._links: tuple | None = None
        proto = MinHash(num_perm=num_perm)
        self._shared = {"permutations": proto.permutations, "scheme": proto.scheme}  # computed once

    def signatures(self, view: ReportView) -> np.ndarray:
        """The MinHash values of the report's passages, one row per passage. Computed where the
        report is analysed (in parallel) and cached with it; `add` takes them instead of text.
        The values are below 2**32 (datasketch masks them so), hence uint32: half the memory."""
        texts = [_shingles(view.passage_text(k), self.k) for k in range(len(view.passages))]
        if not texts:
            return np.zeros((0, self.num_perm), dtype=np.uint32)
        return np.vstack([m.hashvalues for m in MinHash.bulk(texts, num_perm=self.num_perm,
                                                              hashfunc=_crc32, **self._shared)]).astype(np.uint32)

    def add(self, number: int, view: ReportView, signature: np.ndarray | None = None) -> None:
        """Index the passages of `view` as report `number`, with its precomputed `signature`
        when it is given and matches the passages."""
        if signature is None or len(signature) != len(view.passages):
            signature = self.signatures(view)
        if view.passages:
            if self._spool is None:
                self._spool = SignatureSpool(self.num_perm, self.bands, self.directory)
            self.table.add(number, view.passages, view.bounds)
            self._spool.append(signature)
        self._links = None

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
        self._spool, self._links, self.table = None, None, PassageTable()

    def _report_of(self) -> np.ndarray:
        return np.frombuffer(self.table.report, dtype=np.int32).astype(np.int64)

    def _pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(i, j), i < j, as two int32 arrays sorted by (i, j): passages of different reports that
        share a band and whose estimated Jaccard similarity reaches the threshold. The bands
        propose, the MinHash estimate filters before alignment, eight bands at a time, so that
        only the verified pairs are held (about a third of those proposed)."""
        spool = self._spool
        n = len(spool) if spool is not None else 0
        kept = np.zeros(0, dtype=np.int64)  # pair (i, j) as i * n + j: one int, not a row of two
        if not n:
            return _split(kept, 1)
        report = self._report_of()
        proposed: list[np.ndarray] = []
        for b in range(len(self.bands)):
            _, bucket, counts = np.unique(spool.band(b), return_inverse=True, return_counts=True)
            shared = np.nonzero(counts[bucket] > 1)[0]
            if len(shared):
                proposed.append(self._bucket_pairs(shared, bucket, report, n))
            if proposed and (b % 8 == 7 or b == len(self.bands) - 1):
                kept = self._verified(kept, _sorted_unique(proposed), n)
        return _split(kept, n)

    def _verified(self, kept: np.ndarray, keys: np.ndarray, n: int) -> np.ndarray:
        """`kept` (sorted) and those of the sorted `keys` not yet in it whose rows agree on at least
        the threshold's share of values. A pair rejected before and proposed again by a later
        band is checked again, with the same outcome."""
        if len(kept):
            at = np.minimum(np.searchsorted(kept, keys), len(kept) - 1)
            keys = keys[kept[at] != keys]
        i, j = _split(keys, n)
        keys = keys[self._spool.agreement(i, j) >= self.min_jaccard]
        del i, j
        merged = np.concatenate([kept, keys])
        merged.sort()
        return merged

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
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

    def prepare(self, passage_text: Callable[[int], str]) -> None:
        """Propose, verify and align the passage pairs of the whole batch, each pair once (its
        shared characters are the same from either side). Kept as int32 columns sorted by own
        passage, with an order by partner: a batch of thousands has hundreds of thousands of
        pairs, and the passages of one report are consecutive rows of the table."""
        i, j = self._pairs()
        shared = np.fromiter((shared_chars(a, b) for a, b in _texts(i, j, passage_text)),
                             dtype=np.int32, count=len(i))
        keep = shared > 0
        i, j = i[keep], j[keep]
        by_j = np.argsort(j, kind="stable").astype(np.int32)
        self._links = (i, j, shared[keep], by_j, j[by_j])

    def links(self, number: int) -> dict[int, list[tuple[int, int, int]]]:
        """Other report's number → (own passage, other passage, shared characters) of report
        `number` (passages by their row in `table`), in the order of the sorted pairs."""
        if self._links is None:
            raise RuntimeError("ReuseIndex.prepare must run after the last add")
        i, j, shared, by_j, j_sorted = self._links
        lo, count = self.table.first.get(number, (0, 0))
        # the bounds in the columns' own dtype: with a list, numpy converted the whole column of
        # a million pairs to int64 at every call (25 s of a 10,000-report batch)
        bounds = np.array([lo, lo + count], dtype=i.dtype)
        a0, a1 = np.searchsorted(i, bounds)
        b0, b1 = np.searchsorted(j_sorted, bounds)
        as_i, as_j = np.arange(a0, a1), by_j[b0:b1]  # pairs where this report is i, where it is j
        rows = np.concatenate([as_i, as_j])
        own, other = np.concatenate([i[as_i], j[as_j]]), np.concatenate([j[as_i], i[as_j]])
        order = np.argsort(rows, kind="stable")
        report = self.table.report
        out: dict[int, list[tuple[int, int, int]]] = {}
        for p, q, n in zip(own[order].tolist(), other[order].tolist(), shared[rows[order]].tolist()):
            out.setdefault(report[q], []).append((p, q, n))
        return out


def _texts(i: np.ndarray, j: np.ndarray, passage_text: Callable[[int], str]):
    """The texts of each pair; a passage with several partners in a row is read once."""
    last, text = -1, ""
    for lo in range(0, len(i), 4096):  # as Python ints a slice at a time, not a list of millions
        for a, b in zip(i[lo:lo + 4096].tolist(), j[lo:lo + 4096].tolist()):
            if a != last:
                last, text = a, passage_text(a)
            yield text, passage_text(b)


def _split(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair keys i * n + j back to int32 columns i and j, with no int64 temporaries."""
    i, j = np.empty(len(keys), dtype=np.int32), np.empty(len(keys), dtype=np.int32)
    np.floor_divide(keys, n, out=i, casting="unsafe")
    np.remainder(keys, n, out=j, casting="unsafe")
    return i, j


def _sorted_unique(parts: list[np.ndarray]) -> np.ndarray:
    """The keys of `parts` (emptied) sorted, each once: sorted in place, which is several times
    faster here than `np.unique`'s hash table for millions of int64 keys (numpy 2), and holds
    one copy less."""
    keys = np.concatenate(parts)
    parts.clear()
    keys.sort()
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys


def shared_chars(a: str, b: str) -> int:
    """Characters in runs of at least MIN_BLOCK characters that `a` and `b` share in order: the
    runs of their longest common subsequence (RapidFuzz, bit-parallel in C++; difflib's matching
    blocks, within a character of it, took most of the comparison's time). The texts are taken
    in a fixed order, so that the count is the same from either side."""
    if b < a:
        a, b = b, a
    return sum(m.size for m in LCSseq.opcodes(a, b).as_matching_blocks() if m.size >= MIN_BLOCK)


def repeated_problems(record: dict, problems: list[tuple[int, str]], min_similarity: float) -> list[tuple[dict, dict, float]]:
    """Problem sentences of this year that repeat a problem sentence (id, text) of the previous
    year."""
    old = [({"id": i, "text": t}, fold(t)) for i, t in problems]
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


def joined(folded: list[str]) -> str:
    """A report's folded sentences as one text for phrase counting: no n-gram spans two of them."""
    return PHRASE_BREAKS[0].join(folded)


def common_phrases(texts: Sequence[str], n: int, min_reports: int, doc_share: float,
                   chunk: int = 250) -> list[str]:
    """Character n-grams (digits folded) found in many of `texts` (each report's `joined`
    sentences, batch and archive; read on demand, in chunks, when `texts` is a `StoredTexts`).

    Document frequencies are counted over 64-bit hashes of the n-grams with numpy (a Python set
    of strings per report took most of the comparison time), in two passes over chunks of
    reports so that memory does not grow with the batch: an n-gram in `need` of N reports is
    in at least need·C/N of some chunk of C reports, so the first pass keeps those per chunk and
    the second counts only them."""
    total = len(texts)
    if not total:
        return []
    need = max(min_reports, int(np.ceil(doc_share * total)))

    def chunks():
        for start in range(0, total, chunk):
            yield texts[start:start + chunk]

    candidates = []
    for part in chunks():
        values, counts = np.unique(np.concatenate([np.unique(_gram_hashes(t, n)[0]) for t in part]),
                                   return_counts=True)
        candidates.append(values[counts >= need * len(part) / total])
    candidates = np.unique(np.concatenate(candidates))
    counts = np.zeros(len(candidates), dtype=np.int64)
    for part in chunks():
        for t in part:
            hashes = np.unique(_gram_hashes(t, n)[0])
            counts[np.searchsorted(candidates, hashes[np.isin(hashes, candidates)])] += 1
    frequent = candidates[counts >= need]
    if not len(frequent):
        return []
    grams = set()
    for part in chunks():
        for t in part:
            hashes, starts = _gram_hashes(t, n)
            grams.update(t[i:i + n] for i in starts[np.isin(hashes, frequent)].tolist())
    # sorted: the same batch must give the same evidence in every process (str hashes are salted)
    return sorted(grams)


class StoredTexts(Sequence):
    """The `joined` sentences of stored views, read from the store when indexed."""

    def __init__(self, store: ViewStore, refs: list[StoredView]):
        self.store, self.refs = store, refs

    def __len__(self) -> int:
        return len(self.refs)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [joined(self.store.folded(r)) for r in self.refs[k]]
        return joined(self.store.folded(self.refs[k]))


def reuse_index(settings: dict, directory: str | None = None) -> ReuseIndex:
    tr = settings["findings"]["text_reuse"]
    return ReuseIndex(tr["shingle"], tr["lsh_threshold"], tr["num_perm"], tr.get("max_group", 32), directory)


class BatchComparison:
    """The batch comparison in two passes: `add` the view of every report of the batch, archive
    and templates as its analysis arrives, then `finish` each analysis of the batch in turn
    (similarity, text_reuse, repeated_problem, batch stock phrases). The views go to disk as
    they are added (nlp/spool.py, in `directory`); in memory stay a few numbers per report and
    per passage, and the aligned passage pairs (int32 columns)."""

    def __init__(self, settings: dict, lex, directory: str | None = None):
        self.conf = settings["findings"]
        self.lex = lex
        self.store = ViewStore(directory)
        self.index = reuse_index(settings, directory)
        self.refs: dict[str, StoredView] = {}
        self.archive: list[StoredView] = []  # apart: `finish` looks for the unit's among them only
        self.phrases: list[str] | None = None
        self.prepared = False

    def add(self, view: ReportView, signature: np.ndarray | None = None) -> None:
        ref = self.store.put(view, keep_problems=view.kind == "archive")
        self.refs[view.id] = ref
        if view.kind == "archive":
            self.archive.append(ref)
        self.index.add(ref.number, view, signature)
        self.phrases, self.prepared = None, False

    def close(self) -> None:
        """Delete the spool files and let go of the index once every analysis is finished: the
        sheets and summaries that follow do not need them, and references to this object may
        outlive the step (a task's result)."""
        self.store.close()
        self.index.close()
        self.refs, self.archive, self.phrases = {}, [], None

    def prepare(self) -> None:
        """After the last `add`: the aligned passage pairs and the batch-common phrases."""
        table, views = self.index.table, self.store.views
        self.index.prepare(lambda k: self.store.text(views[table.report[k]], table.start[k], table.end[k]))
        self._batch_phrases()
        self.prepared = True

    def _batch_phrases(self) -> list[str]:
        if self.phrases is None:
            st = self.conf["stock_phrase"]
            texts = StoredTexts(self.store, list(self.refs.values()))
            self.phrases = common_phrases(texts, st["batch_ngram"], st["batch_min_reports"],
                                          st["batch_doc_share"]) if len(texts) >= st["batch_min_reports"] else []
        return self.phrases

    def reuse(self, report_id: str) -> list[dict]:
        """Reports sharing text with this one: the share of its characters and the aligned
        passages (at least `text_reuse.min_share`), largest share first."""
        if not self.prepared:
            self.prepare()
        ref = self.refs[report_id]
        table, views = self.index.table, self.store.views
        total = ref.chars or 1
        first = table.first.get(ref.number, (0, 0))[0]
        out = []
        for number, links in self.index.links(ref.number).items():
            other = views[number]
            best: dict[int, tuple[int, int, int]] = {}
            for i, j, n in links:
                if n > best.get(i - first, (0,))[0]:
                    best[i - first] = (n, i, j)
            shared = sum(n for n, _, _ in best.values())
            share = shared / total
            if share >= self.conf["text_reuse"]["min_share"]:
                top = sorted(best.values(), key=lambda x: -x[0])[:5]
                out.append({"other": other.id, "other_name": other.name,
                            "share": round(share, 3), "shared_chars": shared,
                            "passages": [{"sentence_ids": list(range(table.lo[i], table.hi[i])),
                                          "other_sentence_ids": list(range(table.lo[j], table.hi[j])),
                                          "chars": n} for n, i, j in top],
                            "kind": other.kind})
        return sorted(out, key=lambda x: -x["share"])

    def finish(self, r: dict) -> None:
        """Add similarity and the batch findings to the analysis `r` (its view was added)."""
        ref = self.refs[r["id"]]
        sims = self.reuse(r["id"])
        # the unit's own previous-year report is compared by repeated_problem, not as reuse
        unit = (r.get("meta") or {}).get("unit")
        r["similarity"] = [s for s in sims if not (s["kind"] == "archive" and same_unit(s["other_name"], unit))]
        _reuse_finding(r, self.lex, self.conf["text_reuse"])
        previous = [v for v in self.archive if same_unit(v.unit, unit)]
        if unit and previous:
            latest = max(previous, key=lambda v: v.year or 0)
            _repeated_finding(r, latest.id, self.store.problems(latest), self.lex, self.conf["repeated_problem"])
        _batch_stock(r, self._batch_phrases(), self.lex, self.conf["stock_phrase"], self.store.folded(ref))


def compare_batch(records: list[dict], archive: list[dict], templates: list[dict], settings: dict,
                  lex, signatures: dict[str, np.ndarray] | None = None) -> None:
    """Add similarity, text_reuse, repeated_problem and batch stock phrases to each record (all
    analyses in memory: the evaluation and the tests; the flow streams them instead)."""
    comparison = BatchComparison(settings, lex)
    signatures = signatures or {}
    try:
        for kind, group in (("batch", records), ("archive", archive), ("template", templates)):
            for r in group:
                if not r.get("error"):
                    comparison.add(view_of(r, kind), signatures.pop(r["id"], None))
        for r in records:
            if not r.get("error"):
                comparison.finish(r)
    finally:
        comparison.close()


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


def _repeated_finding(r: dict, previous: str, problems: list[tuple[int, str]], lex, conf: dict) -> None:
    """Problems repeated from the unit's latest archive report (`previous`, its problem
    sentences `problems`)."""
    hits = repeated_problems(r, problems, conf["min_similarity"])
    if not hits:
        return
    r["findings"].append(Finding(
        "repeated_problem", conf["severity"], [s["id"] for s, _, _ in hits],
        lex.message("repeated_problem", n=len(hits), quote=quote(hits[0][0]["text"])),
        [{"sentence_id": s["id"], "match": quote(o["text"], 30), "similarity": round(x, 2)}
         for s, o, x in hits],
        {"previous": previous, "batch": True}).to_dict())


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
