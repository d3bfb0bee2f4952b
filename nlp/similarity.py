"""Batch comparisons: text reuse between reports (and against the archive and known templates),
problems repeated from the unit's previous-year report, and phrases shared by many reports.

Reuse at scale: every report is cut into passages (its paragraphs, long ones in windows); each
passage gets a MinHash of its character shingles (digits folded, so that changed numbers still
match, datasketch), and LSH banding proposes the passage pairs worth aligning (difflib), so the
work grows with the number of reports, not its square.
"""
from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
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


def fold(text: str) -> str:
    """Text as compared: digits folded to 0, whitespace removed."""
    return re.sub(r"\s+", "", DIGITS.sub("0", text))


@dataclass
class Passage:
    report: str
    index: int
    sentence_ids: list[int]
    text: str  # folded


def passages(record: dict) -> list[Passage]:
    """Consecutive sentences of a block grouped into passages of about PASSAGE_CHARS."""
    out: list[Passage] = []
    current: list[dict] = []
    for s in record.get("sentences", []):
        if current and (s["block"] != current[-1]["block"] or
                        sum(len(x["text"]) for x in current) >= PASSAGE_CHARS):
            _emit(record["id"], current, out)
            current = []
        current.append(s)
    _emit(record["id"], current, out)
    return out


def _emit(rid: str, sents: list[dict], out: list[Passage]) -> None:
    text = fold("".join(s["text"] for s in sents))
    if len(text) >= MIN_PASSAGE:
        out.append(Passage(rid, len(out), [s["id"] for s in sents], text))


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

    def __init__(self, shingle: int = 8, threshold: float = 0.3, num_perm: int = 128):
        self.k = shingle
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

    def add(self, records: list[dict], signatures: dict[str, np.ndarray] | None = None) -> None:
        """Index the passages of `records`, using precomputed `signatures` (by record id) when
        they are given and match the passages."""
        for r in records:
            ps = passages(r)
            sig = (signatures or {}).get(r["id"])
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
                i, j = np.triu_indices(len(group), 1)
                found.append(np.stack([group[i], group[j]], axis=1))
        if not found:
            return np.zeros((0, 2), dtype=np.int64)
        pairs = np.unique(np.vstack(found), axis=0)
        pairs = pairs[report[pairs[:, 0]] != report[pairs[:, 1]]]
        # the bands propose; the MinHash estimate of Jaccard filters before costly alignment
        jaccard = (values[pairs[:, 0]] == values[pairs[:, 1]]).mean(axis=1)
        return pairs[jaccard >= self.min_jaccard]

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


def reuse_for(record: dict, index: ReuseIndex, names: dict[str, str], min_share: float) -> list[dict]:
    """Reports sharing text with `record`: share of its characters and the aligned passages."""
    total = sum(len(fold(s["text"])) for s in record.get("sentences", [])) or 1
    out = []
    for other, pairs in index.candidates(record["id"]).items():
        best: dict[int, tuple[int, Passage, Passage]] = {}
        for p, q in pairs:
            n = shared_chars(p.text, q.text)
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


def common_phrases(records: list[dict], n: int, min_reports: int, doc_share: float) -> list[str]:
    """Character n-grams (digits folded) found in many reports of the batch and archive."""
    df: Counter = Counter()
    for r in records:
        grams = set()
        for s in r.get("sentences", []):
            t = fold(s["text"])
            grams.update(t[i:i + n] for i in range(len(t) - n + 1))
        df.update(grams)
    need = max(min_reports, int(np.ceil(doc_share * len(records))))
    # sorted: the same batch must give the same evidence in every process (str hashes are salted)
    return sorted(g for g, c in df.items() if c >= need and not re.search(r"[，。；：0]", g))


def reuse_index(settings: dict) -> ReuseIndex:
    tr = settings["findings"]["text_reuse"]
    return ReuseIndex(tr["shingle"], tr["lsh_threshold"], tr["num_perm"])


def compare_batch(records: list[dict], archive: list[dict], templates: list[dict], settings: dict,
                  lex, signatures: dict[str, np.ndarray] | None = None) -> None:
    """Add similarity, text_reuse, repeated_problem and batch stock phrases to each record."""
    conf = settings["findings"]
    good = [r for r in records if not r.get("error")]
    refs = [r for r in archive + templates if not r.get("error")]
    tr = conf["text_reuse"]
    index = reuse_index(settings)
    index.add(good + refs, signatures)
    names = {r["id"]: (r.get("meta") or {}).get("unit") or r["source"].get("name") or r["id"]
             for r in good + refs}
    kinds = {r["id"]: "archive" for r in archive} | {r["id"]: "template" for r in templates}
    st = conf["stock_phrase"]
    phrases = common_phrases(good + refs, st["batch_ngram"], st["batch_min_reports"],
                             st["batch_doc_share"]) if len(good + refs) >= st["batch_min_reports"] else []
    for r in good:
        sims = reuse_for(r, index, names, tr["min_share"])
        for s in sims:
            s["kind"] = kinds.get(s["other"], "batch")
        # the unit's own previous-year report is compared by repeated_problem, not as reuse
        own_previous = [s for s in sims if s["kind"] == "archive"
                        and same_unit(names.get(s["other"]), (r.get("meta") or {}).get("unit"))]
        r["similarity"] = [s for s in sims if s not in own_previous]
        _reuse_finding(r, lex, tr)
        _repeated_finding(r, refs, archive, lex, conf["repeated_problem"])
        _batch_stock(r, phrases, lex, st)


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


def _batch_stock(r: dict, phrases: list[str], lex, conf: dict) -> None:
    if not phrases:
        return
    hits = []
    for s in r["sentences"]:
        t = fold(s["text"])
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
