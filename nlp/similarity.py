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
from collections import defaultdict
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


def folded_sentences(record: dict) -> list[str]:
    """Each sentence of the record folded, in order (computed once per comparison)."""
    return [fold(s["text"]) for s in record.get("sentences", [])]


@dataclass
class Passage:
    report: str
    index: int
    sentence_ids: list[int]
    text: str  # folded


def passages(record: dict, folded: list[str] | None = None) -> list[Passage]:
    """Consecutive sentences of a block grouped into passages of about PASSAGE_CHARS."""
    if folded is None:
        folded = folded_sentences(record)
    out: list[Passage] = []
    current: list[tuple[dict, str]] = []
    for s, text in zip(record.get("sentences", []), folded):
        if current and (s["block"] != current[-1][0]["block"] or
                        sum(len(x["text"]) for x, _ in current) >= PASSAGE_CHARS):
            _emit(record["id"], current, out)
            current = []
        current.append((s, text))
    _emit(record["id"], current, out)
    return out


def _emit(rid: str, sents: list[tuple[dict, str]], out: list[Passage]) -> None:
    text = "".join(t for _, t in sents)
    if len(text) >= MIN_PASSAGE:
        out.append(Passage(rid, len(out), [s["id"] for s, _ in sents], text))


def _shingles(text: str, k: int) -> list[bytes]:
    return [text[i:i + k].encode() for i in range(max(1, len(text) - k + 1))]


def _crc32(data: bytes) -> int:
    """The shingle hash: CRC-32 in C is ten times faster than datasketch's default SHA-1, and
    MinHash's random permutations supply the mixing it lacks."""
    return zlib.crc32(data)


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
        self._values: list[np.ndarray] = []
        self._candidates: dict[str, dict[str, list[tuple[Passage, Passage]]]] | None = None
        proto = MinHash(num_perm=num_perm)
        self._shared = {"permutations": proto.permutations, "scheme": proto.scheme}  # computed once

    def signatures(self, record: dict) -> np.ndarray:
        """The MinHash values of the record's passages, one row per passage. Computed where the
        record is analysed (in parallel) and cached with it; `add` takes them instead of text."""
        texts = [_shingles(p.text, self.k) for p in passages(record)]
        if not texts:
            return np.zeros((0, self.num_perm), dtype=np.uint64)
        return np.vstack([m.hashvalues for m in MinHash.bulk(texts, num_perm=self.num_perm,
                                                              hashfunc=_crc32, **self._shared)])

    def add(self, records: list[dict], signatures: dict[str, np.ndarray] | None = None,
            folded: dict[str, list[str]] | None = None) -> None:
        """Index the passages of `records`, using precomputed `signatures` (by record id) when
        they are given and match the passages. The signatures are taken out of the dict (it is
        consumed), so that the index holds the only copy."""
        for r in records:
            ps = passages(r, (folded or {}).get(r["id"]))
            sig = (signatures if signatures is not None else {}).pop(r["id"], None)
            if sig is None or len(sig) != len(ps):
                sig = self.signatures(r)
            if ps:
                self.passages.extend(ps)
                self._values.append(np.asarray(sig, dtype=np.uint64))
        self._candidates = None

    def _pairs(self) -> np.ndarray:
        """(i, j), i < j: passages of different reports that share a band and whose estimated
        Jaccard similarity reaches the threshold."""
        if not self._values:
            return np.zeros((0, 2), dtype=np.int64)
        values = np.vstack(self._values)
        self._values = [values]  # one copy, not the parts and their stack
        report = np.unique([p.report for p in self.passages], return_inverse=True)[1]
        found = []
        for start, end in self.bands:
            band = np.ascontiguousarray(values[:, start:end])
            keys = band.view(np.dtype((np.void, band.dtype.itemsize * (end - start)))).ravel()
            _, bucket, counts = np.unique(keys, return_inverse=True, return_counts=True)
            shared = np.nonzero(counts[bucket] > 1)[0]
            if not len(shared):
                continue
            members = shared[np.argsort(bucket[shared], kind="stable")]
            for group in np.split(members, np.nonzero(np.diff(bucket[members]))[0] + 1):
                found.append(self._group_pairs(group))
        if not found:
            return np.zeros((0, 2), dtype=np.int64)
        pairs = np.unique(np.vstack(found), axis=0)
        pairs = pairs[report[pairs[:, 0]] != report[pairs[:, 1]]]
        # the bands propose; the MinHash estimate of Jaccard filters before costly alignment
        # (in slices: the signatures of every proposed pair at once would take gigabytes)
        keep = np.zeros(len(pairs), dtype=bool)
        for lo in range(0, len(pairs), PAIR_SLICE):
            part = pairs[lo:lo + PAIR_SLICE]
            keep[lo:lo + PAIR_SLICE] = (values[part[:, 0]] == values[part[:, 1]]).mean(axis=1) >= self.min_jaccard
        return pairs[keep]

    def _group_pairs(self, group: np.ndarray) -> np.ndarray:
        """All pairs of a band bucket; in a bucket larger than `max_group` (a passage that many
        reports share: template text), each passage is paired with the next `max_group` ones
        only, so that the pairs, and the alignments, grow with the batch and not its square."""
        if len(group) <= self.max_group + 1:
            i, j = np.triu_indices(len(group), 1)
            return np.stack([group[i], group[j]], axis=1)
        return np.vstack([np.stack([group[:-d], group[d:]], axis=1)
                          for d in range(1, self.max_group + 1)])

    def candidates(self, report_id: str) -> dict[str, list[tuple[Passage, Passage]]]:
        """Other report → proposed (own passage, other passage) pairs."""
        if self._candidates is None:
            table: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
            for i, j in self._pairs().tolist():
                p, q = self.passages[i], self.passages[j]
                table[p.report][q.report].append((p, q))
                table[q.report][p.report].append((q, p))
            self._candidates = table
        return self._candidates.get(report_id, {})


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


def reuse_for(record: dict, index: ReuseIndex, names: dict[str, str], min_share: float,
              folded: list[str] | None = None, alignments: Alignments | None = None) -> list[dict]:
    """Reports sharing text with `record`: share of its characters and the aligned passages."""
    total = sum(map(len, folded if folded is not None else folded_sentences(record))) or 1
    alignments = alignments or Alignments()
    out = []
    for other, pairs in index.candidates(record["id"]).items():
        best: dict[int, tuple[int, Passage, Passage]] = {}
        for p, q in pairs:
            n = alignments.shared(p.text, q.text)
            if n and n > best.get(p.index, (0,))[0]:
                best[p.index] = (n, p, q)
        shared = sum(n for n, _, _ in best.values())
        share = shared / total
        if share >= min_share:
            top = sorted(best.values(), key=lambda x: -x[0])[:5]
            out.append({"other": other, "other_name": names.get(other, other),
                        "share": round(share, 3), "shared_chars": shared,
                        "passages": [{"sentence_ids": p.sentence_ids,
                                      "other_sentence_ids": q.sentence_ids, "chars": n}
                                     for n, p, q in top]})
    return sorted(out, key=lambda x: -x["share"])


def repeated_problems(record: dict, previous: dict, min_similarity: float) -> list[tuple[dict, dict, float]]:
    """Problem sentences of this year that repeat a problem sentence of the previous year."""
    old = [(s, fold(s["text"])) for s in previous.get("sentences", []) if s.get("label") == "PROB"]
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


def common_phrases(records: list[dict], n: int, min_reports: int, doc_share: float,
                   folded: dict[str, list[str]] | None = None, chunk: int = 250) -> list[str]:
    """Character n-grams (digits folded) found in many reports of the batch and archive.

    Document frequencies are counted over 64-bit hashes of the n-grams with numpy (a Python set
    of strings per report took most of the comparison time), in two passes over chunks of
    reports so that memory does not grow with the batch: an n-gram in `need` of N reports is
    in at least need·C/N of some chunk of C reports, so the first pass keeps those per chunk and
    the second counts only them."""
    if not records:
        return []
    folded = folded or {}
    need = max(min_reports, int(np.ceil(doc_share * len(records))))

    def hashes_of(r: dict) -> tuple[str, np.ndarray, np.ndarray]:
        text = PHRASE_BREAKS[0].join(folded.get(r["id"]) or folded_sentences(r))
        return (text, *_gram_hashes(text, n))

    candidates = []
    for start in range(0, len(records), chunk):
        part = records[start:start + chunk]
        values, counts = np.unique(np.concatenate([np.unique(hashes_of(r)[1]) for r in part]),
                                   return_counts=True)
        candidates.append(values[counts >= need * len(part) / len(records)])
    candidates = np.unique(np.concatenate(candidates))
    counts = np.zeros(len(candidates), dtype=np.int64)
    for r in records:
        hashes = np.unique(hashes_of(r)[1])
        counts[np.searchsorted(candidates, hashes[np.isin(hashes, candidates)])] += 1
    frequent = candidates[counts >= need]
    if not len(frequent):
        return []
    grams = set()
    for r in records:
        text, hashes, starts = hashes_of(r)
        grams.update(text[i:i + n] for i in starts[np.isin(hashes, frequent)].tolist())
    # sorted: the same batch must give the same evidence in every process (str hashes are salted)
    return sorted(grams)


def reuse_index(settings: dict) -> ReuseIndex:
    tr = settings["findings"]["text_reuse"]
    return ReuseIndex(tr["shingle"], tr["lsh_threshold"], tr["num_perm"], tr.get("max_group", 32))


def compare_batch(records: list[dict], archive: list[dict], templates: list[dict], settings: dict,
                  lex, signatures: dict[str, np.ndarray] | None = None,
                  alignments: Alignments | None = None) -> None:
    """Add similarity, text_reuse, repeated_problem and batch stock phrases to each record."""
    conf = settings["findings"]
    good = [r for r in records if not r.get("error")]
    refs = [r for r in archive + templates if not r.get("error")]
    tr = conf["text_reuse"]
    folded = {r["id"]: folded_sentences(r) for r in good + refs}
    index = reuse_index(settings)
    index.add(good + refs, signatures, folded)
    names = {r["id"]: (r.get("meta") or {}).get("unit") or r["source"].get("name") or r["id"]
             for r in good + refs}
    kinds = {r["id"]: "archive" for r in archive} | {r["id"]: "template" for r in templates}
    st = conf["stock_phrase"]
    phrases = common_phrases(good + refs, st["batch_ngram"], st["batch_min_reports"],
                             st["batch_doc_share"], folded) if len(good + refs) >= st["batch_min_reports"] else []
    for r in good:
        sims = reuse_for(r, index, names, tr["min_share"], folded[r["id"]], alignments)
        for s in sims:
            s["kind"] = kinds.get(s["other"], "batch")
        # the unit's own previous-year report is compared by repeated_problem, not as reuse
        own_previous = [s for s in sims if s["kind"] == "archive"
                        and same_unit(names.get(s["other"]), (r.get("meta") or {}).get("unit"))]
        r["similarity"] = [s for s in sims if s not in own_previous]
        _reuse_finding(r, lex, tr)
        _repeated_finding(r, refs, archive, lex, conf["repeated_problem"])
        _batch_stock(r, phrases, lex, st, folded[r["id"]])


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


def _repeated_finding(r: dict, refs: list[dict], archive: list[dict], lex, conf: dict) -> None:
    unit = (r.get("meta") or {}).get("unit")
    previous = [a for a in archive if not a.get("error") and same_unit((a.get("meta") or {}).get("unit"), unit)]
    if not unit or not previous:
        return
    previous.sort(key=lambda a: (a.get("meta") or {}).get("year") or 0, reverse=True)
    hits = repeated_problems(r, previous[0], conf["min_similarity"])
    if not hits:
        return
    r["findings"].append(Finding(
        "repeated_problem", conf["severity"], [s["id"] for s, _, _ in hits],
        lex.message("repeated_problem", n=len(hits), quote=quote(hits[0][0]["text"])),
        [{"sentence_id": s["id"], "match": quote(o["text"], 30), "similarity": round(x, 2)}
         for s, o, x in hits],
        {"previous": previous[0]["id"], "batch": True}).to_dict())


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
