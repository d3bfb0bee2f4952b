"""The rules of one report. Each returns findings with their evidence sentences.

Sentence rules look at sentences of one label (praise in ACH, disguised praise in PROB, vague
measures in PLAN); report rules judge the report as a whole (no problem names the writer's own
responsibility; every cause is objective; a content point is never addressed).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.findings.lexicon import StockMatcher, alternation, patterns, stock_phrases

QUOTE_CHARS = 40


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    text = text.strip().rstrip("。；;")
    return text if len(text) <= limit else text[:limit] + "……"


@dataclass
class Finding:
    rule: str
    severity: str
    sentence_ids: list[int]
    message: str
    evidence: list[dict] = field(default_factory=list)  # [{"sentence_id", "match"}]
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = {"rule": self.rule, "severity": self.severity, "sentence_ids": self.sentence_ids,
             "message": self.message, "evidence": self.evidence}
        d.update(self.extra)
        return d


class Lexicon:
    """The compiled lexicons and messages of the settings."""

    def __init__(self, lex: dict):
        self.raw = lex
        self.praise = alternation(lex["praise_words"])
        self.praise_patterns = patterns(lex.get("praise_patterns"))
        self.facts = patterns(lex["fact_patterns"])
        self.formalism = patterns(lex["formalism_patterns"])
        self.formalism_weak = patterns(lex.get("formalism_weak_patterns"))
        self.formalism_rows = patterns(lex.get("formalism_table_rows"))
        self.outcome_ignore = patterns(lex.get("outcome_ignore"))
        self.disguised = alternation(lex["disguised_praise"])
        self.disguised_patterns = patterns(lex.get("disguised_patterns"))
        self.generic = alternation(lex["generic_problem_phrases"])
        self.generic_patterns = patterns(lex.get("generic_problem_patterns"))
        self.self_markers = alternation(lex["self_markers"])
        self.others = alternation(lex["others_markers"])
        self.objective = alternation(lex["objective_causes"])
        self.subjective = alternation(lex["subjective_causes"])
        self.vague = alternation(lex["vague_plan_phrases"])
        self.owner = patterns(lex["owner_patterns"])
        self.deadline = patterns(lex["deadline_patterns"])
        self.target = patterns(lex["target_patterns"])
        self.content_points = {k: {"name": v["name"], "pattern": alternation(v["words"]),
                                   "labels": set(v.get("labels", []))}
                               for k, v in lex["content_points"].items()}
        self.outcome = alternation(lex.get("outcome_words"))
        self.messages = lex["messages"]
        self.question_templates = lex["questions"]
        self.stock = stock_phrases()
        self.stock_matcher = StockMatcher(self.stock)
        self.formulas = alternation(lex.get("stock_formulas"))
        self.stock_fact_ignore = patterns(lex.get("stock_fact_ignore"))
        self.formula_patterns = patterns(lex.get("stock_formula_patterns"))
        self.neutral = patterns(lex.get("stock_neutral"))
        self.item_marker = re.compile(lex["item_marker"]) if lex.get("item_marker") else None

    _cache: dict[int, "Lexicon"] = {}

    @classmethod
    def from_settings(cls, settings: dict) -> "Lexicon":
        key = id(settings["lexicon"])
        if key not in cls._cache:
            cls._cache[key] = cls(settings["lexicon"])
        return cls._cache[key]

    def praise_in(self, text: str) -> str | None:
        return _search(self.praise, text) or _first(self.praise_patterns, text)

    def disguised_in(self, text: str) -> str | None:
        return _search(self.disguised, text) or _first(self.disguised_patterns, text)

    def has_fact(self, text: str) -> bool:
        return any(p.search(text) for p in self.facts)

    def message(self, rule: str, **kw) -> str:
        return self.messages[rule].format(**kw)


def _search(pattern, text):
    m = pattern.search(text) if pattern else None
    return m.group(0) if m else None


def _first(pats, text):
    for p in pats:
        m = p.search(text)
        if m:
            return m.group(0)
    return None


def _conf(settings: dict, rule: str) -> dict:
    return settings["findings"][rule]


def _of(sentences, *labels):
    return [s for s in sentences if s["label"] in labels and not s.get("heading")]


# --- sentence rules ----------------------------------------------------------------------------

def empty_praise(sentences, figures, cover, lex: Lexicon, settings) -> list[Finding]:
    hits = []
    for s in _of(sentences, "ACH", "OTHER"):
        match = lex.praise_in(s["text"])
        if match and not lex.has_fact(s["text"]):
            hits.append((s, match))
    if not hits:
        return []
    conf = _conf(settings, "empty_praise")
    first, match = hits[0]
    return [Finding("empty_praise", conf["severity"], [s["id"] for s, _ in hits],
                    lex.message("empty_praise", quote=quote(first["text"]), match=match),
                    [{"sentence_id": s["id"], "match": m} for s, m in hits[:conf["max_reported"]]])]


def formalism_matches(text: str, lex: Lexicon) -> dict[int, str]:
    """The counts of meetings, documents, instructions, ledgers and publicity in a sentence, by
    where each count ends (two patterns matching one count are one count). A count of lectures,
    talks or training classes (formalism_weak_patterns) is often given with its topic and
    audience, which is reporting, not formalism: it counts only in a run of counts."""
    strong = {m.end(): m.group(0) for p in lex.formalism for m in p.finditer(text)}
    weak = {m.end(): m.group(0) for p in lex.formalism_weak for m in p.finditer(text)}
    return {**weak, **strong} if strong or len(weak) >= 2 else {}


def has_outcome(text: str, lex: Lexicon) -> bool:
    """A real outcome next to the counts (解决, 化解 …); "实现全覆盖" of the audience is not one."""
    for p in lex.outcome_ignore:
        text = p.sub("", text)
    return _search(lex.outcome, text) is not None


def table_cells(sentences) -> list[list[dict]]:
    """The sentences of each table of the report, by the table they sit in ("table": its number,
    set by nlp/analysis.py from the reader's blocks; absent outside tables)."""
    tables: dict = {}
    for s in sentences:
        if s.get("table") is not None:
            tables.setdefault(s["table"], []).append(s)
    return list(tables.values())


def formalism_tables(sentences, lex: Lexicon, conf: dict) -> dict[int, str]:
    """The cells of a statistics table whose rows count meetings, documents or publicity
    ("印发党建文件（份）", "编发简报（期）"): the whole table is the measure of the work. Each cell
    maps to the table's first such row, its evidence."""
    out = {}
    for cells in table_cells(sentences):
        rows = [s["text"] for s in cells if any(p.search(s["text"]) for p in lex.formalism_rows)]
        if len(rows) >= conf["table_min_rows"]:
            out.update((s["id"], rows[0]) for s in cells)
    return out


def formalism_metric(sentences, figures, cover, lex: Lexicon, settings) -> list[Finding]:
    """Achievements measured by counts of meetings, documents, publicity …: at least `min_count`
    such counts in the report, in one sentence ("全年召开党委会24次，印发党委文件31份") or in
    several."""
    hits, counts = [], 0
    table_ids = formalism_tables(sentences, lex, _conf(settings, "formalism_metric"))
    for s in _of(sentences, "ACH"):
        matches = formalism_matches(s["text"], lex)
        if matches and not has_outcome(s["text"], lex):
            hits.append((s, max(matches.values(), key=len)))
            counts += len(matches)
        elif s["id"] in table_ids:
            hits.append((s, table_ids[s["id"]]))
            counts += 1
    if counts < _conf(settings, "formalism_metric")["min_count"]:
        return []
    return [Finding("formalism_metric", _conf(settings, "formalism_metric")["severity"],
                    [s["id"] for s, _ in hits],
                    lex.message("formalism_metric", match=hits[0][1], n=len(hits)),
                    [{"sentence_id": s["id"], "match": m} for s, m in hits])]


def _covered_mask(text: str, spans: list[tuple[int, int]]) -> bytearray:
    """1 for each character of `text` inside one of `spans`, else 0."""
    mask = bytearray(len(text))
    for a, b in spans:
        mask[a:b] = b"\x01" * (b - a)
    return mask


def is_item_title(text: str, lex: Lexicon, conf: dict) -> bool:
    """A short numbered title ("（一）学习宣传贯彻党的二十大精神。"), a table cell without a full
    stop, or a sentence of a few characters names a topic in the words of the field: it is not a
    stock sentence, however formulaic its words."""
    t = text.strip()
    if len(t) < conf["min_chars"]:
        return True
    if len(t) > conf["title_max_chars"] or "，" in t:
        return False
    return bool(lex.item_marker and lex.item_marker.match(t)) or not t.endswith(("。", "！", "？", "；"))


def _phrase_spans(text: str, phrases) -> list[tuple[int, int]]:
    return [(i, i + len(m)) for m in phrases for i in [text.find(m)] if i >= 0]


def formula_spans(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """Where the political formulas and the set constructions of the genre (stock_formulas,
    stock_formula_patterns) are in the sentence."""
    spans = [m.span() for m in lex.formulas.finditer(text)] if lex.formulas is not None else []
    return spans + [m.span() for p in lex.formula_patterns for m in p.finditer(text)]


def stock_share(text: str, mask: bytearray, lex: Lexicon) -> float:
    """Share of the sentence inside stock spans (`mask`), counted over its content: punctuation,
    enumerators, pronouns and connectives (stock_neutral) say nothing either way, so that
    "我们坚持把……同谋划、同部署" is measured by its words, not by its commas and 我们."""
    neutral = _covered_mask(text, [m.span() for p in lex.neutral for m in p.finditer(text)])
    covered, n = int.from_bytes(mask, "big"), int.from_bytes(neutral, "big")  # one bit a char
    content = len(text) - (n & ~covered).bit_count()
    return covered.bit_count() / max(content, 1)


def is_stock_sentence(text: str, found, lex: Lexicon, conf: dict, label: str = "") -> bool:
    """A sentence made mostly of stock phrases and political formulas, with no fact of its own
    (what remains once they are taken out). Stock problems and causes are left to
    generic_problem; in a plan, vague verbs (进一步加强, 不断提升) are the plan's own vagueness
    (vague_measure), so there they weigh as formulas only, never as stock phrases of their own."""
    as_formula = set(conf["plan_formula_categories"]) if label == "PLAN" else set()
    excluded = set(conf["sentence_excluded_categories"]) | as_formula
    own = [m for m, e in found if e.category not in excluded]
    spans = _phrase_spans(text, own) + formula_spans(text, lex)
    spans += _phrase_spans(text, [m for m, e in found if e.category in as_formula])
    if not spans:
        return False
    mask = _covered_mask(text, spans)
    share = stock_share(text, mask, lex)
    if not (len(own) >= 2 or (own and share >= conf["sentence_coverage"])
            or share >= conf["formula_coverage"]):
        return False
    rest = "".join(c for c, covered in zip(text, mask) if not covered)
    for p in lex.stock_fact_ignore:
        rest = p.sub("", rest)
    return not lex.has_fact(rest)


def learned_stock(sentences, lex: Lexicon, conf: dict) -> dict[int, str]:
    """Sentence id → the phrase shown as the reason, for the sentences that the stock-sentence
    model (nlp/findings/stock_model.py) takes for stock; `learned: false` turns it off."""
    if not conf.get("learned", True) or not sentences:
        return {}
    from nlp.findings.stock_model import load_stock_model

    model = load_stock_model()
    threshold = conf.get("learned_threshold") or model.threshold
    probs = model.predict_proba([s["text"] for s in sentences], [s["label"] for s in sentences])
    return {s["id"]: model.reason(s["text"], s["label"]) for s, p in zip(sentences, probs) if p >= threshold}


def stock_phrase(sentences, figures, cover, lex: Lexicon, settings) -> list[Finding]:
    conf = _conf(settings, "stock_phrase")
    hits, ids, candidates = [], [], []
    for s in sentences:
        found = lex.stock_matcher.find(s["text"])
        hits.extend((s, m, e) for m, e in found)
        if s.get("heading") or is_item_title(s["text"], lex, conf):
            continue
        if is_stock_sentence(s["text"], found, lex, conf, s["label"]):
            ids.append(s["id"])
        else:
            candidates.append(s)
    learned = learned_stock(candidates, lex, conf)
    ids = sorted(ids + list(learned))
    total = max(figures["chars"]["total"], 1)
    density = len(hits) * 1000 / total
    dense = len(hits) >= conf["min_count"] and density >= conf["min_density_per_1000"]
    if not ids or not (dense or len(ids) >= conf["min_sentences"]):
        return []
    evidence = [{"sentence_id": s["id"], "match": m, "category": e.category,
                 "suggestion": e.suggestion} for s, m, e in hits[:20]]
    by_id = {s["id"]: s for s in sentences}
    with_phrase = {e["sentence_id"] for e in evidence}
    for i in ids:  # stock sentences made of formulas only: the longest formula is the evidence
        if i in learned and i not in with_phrase:
            evidence.append({"sentence_id": i, "match": learned[i], "category": "learned",
                             "suggestion": lex.raw.get("stock_learned_suggestion", "")})
        elif i not in with_phrase:
            text = by_id[i]["text"]
            spans = formula_spans(text, lex)
            a, b = max(spans, key=lambda ab: ab[1] - ab[0]) if spans else (0, 0)
            evidence.append({"sentence_id": i, "match": text[a:b], "category": "formula",
                             "suggestion": lex.raw.get("stock_formula_suggestion", "")})
    return [Finding("stock_phrase", conf["severity"], ids,
                    lex.message("stock_phrase", n=max(len(hits), len(ids)), density=f"{density:.1f}",
                                match=evidence[0]["match"]),
                    evidence, {"density_per_1000": round(density, 2)})]


def item_followers(sentences, i: int, lex: Lexicon, limit: int) -> list[dict]:
    """The problem sentences that explain the numbered item `i` ("二是对家庭照顾不够。" then how):
    up to `limit` following problem sentences, until a heading or the next numbered item."""
    if lex.item_marker is None or not lex.item_marker.match(sentences[i]["text"]):
        return []
    out = []
    for n in sentences[i + 1:i + 1 + limit]:
        if n["label"] != "PROB" or n.get("heading") or lex.item_marker.match(n["text"]):
            break
        out.append(n)
    return out


def disguised_praise(sentences, figures, cover, lex: Lexicon, settings) -> list[Finding]:
    """Problems that present a virtue; a numbered item of that kind carries the sentences that
    explain it, whatever their wording."""
    conf = _conf(settings, "disguised_praise")
    hits, seen = [], set()
    for i, s in enumerate(sentences):
        if s["label"] != "PROB" or s["id"] in seen or not (m := lex.disguised_in(s["text"])):
            continue
        for t in [s] + item_followers(sentences, i, lex, conf["item_sentences"]):
            if t["id"] not in seen:
                seen.add(t["id"])
                hits.append((t, lex.disguised_in(t["text"]) or m))
    if not hits:
        return []
    return [Finding("disguised_praise", conf["severity"], [s["id"] for s, _ in hits],
                    lex.message("disguised_praise", quote=quote(hits[0][0]["text"])),
                    [{"sentence_id": s["id"], "match": m} for s, m in hits])]


def generic_problem(sentences, figures, cover, lex: Lexicon, settings) -> list[Finding]:
    """Problems in stock wording with no instance: not in the sentence, and not in the next one
    when it goes on with the same problem (a headline "一是学用结合不够。" followed by its case)."""
    hits = []
    following = {s["id"]: n for s, n in zip(sentences, sentences[1:])}
    for s in _of(sentences, "PROB"):
        match = _search(lex.generic, s["text"]) or _first(lex.generic_patterns, s["text"])
        if not match or lex.has_fact(s["text"]):
            continue
        n = following.get(s["id"])
        if n is not None and n["label"] == "PROB" and not n.get("heading") and lex.has_fact(n["text"]):
            continue
        hits.append((s, match))
    conf = _conf(settings, "generic_problem")
    if len(hits) < conf["min_count"]:
        return []
    return [Finding("generic_problem", conf["severity"], [s["id"] for s, _ in hits],
                    lex.message("generic_problem", quote=quote(hits[0][0]["text"]), n=len(hits)),
                    [{"sentence_id": s["id"], "match": m} for s, m in hits])]


def is_vague_plan(text: str, lex: Lexicon) -> bool:
    """A plan with no owner, no deadline and no measurable target."""
    return not any(p.search(text) for p in lex.owner + lex.deadline + lex.target)


def vague_measure(sentences, figures, cover, lex: Lexicon, settings) -> list[Finding]:
    plans = _of(sentences, "PLAN")
    vague = [s for s in plans if is_vague_plan(s["text"], lex)]
    conf = _conf(settings, "vague_measure")
    if len(vague) < conf["min_count"] or len(vague) < conf["min_share"] * len(plans):
        return []
    return [Finding("vague_measure", conf["severity"], [s["id"] for s in vague],
                    lex.message("vague_measure", quote=quote(vague[0]["text"]), n=len(vague)),
                    [{"sentence_id": s["id"], "match": _search(lex.vague, s["text"]) or ""}
                     for s in vague])]


# --- report rules ------------------------------------------------------------------------------

def one_third(sentences, figures, cover, lex: Lexicon, settings) -> list[Finding]:
    verdict = figures["one_third"]["verdict"]
    if verdict == "pass":
        return []
    conf = _conf(settings, "one_third")
    key = "one_third_fail" if verdict == "fail" else "one_third_borderline"
    return [Finding("one_third", conf["severity_fail" if verdict == "fail" else "severity_borderline"],
                    figures["one_third"]["counted_sentence_ids"],
                    lex.message(key, share=f"{figures['problem_cause_share']:.0%}"),
                    extra={"share": figures["problem_cause_share"], "verdict": verdict})]


def not_self_involved(sentences, figures, cover, lex: Lexicon, settings) -> list[Finding]:
    problems = [s for s in sentences if s["label"] == "PROB"]
    conf = _conf(settings, "not_self_involved")
    if len(problems) < conf["min_problems"]:
        return []
    if any(lex.self_markers.search(s["text"]) for s in problems):
        return []
    others = [(s, m) for s in problems if (m := _search(lex.others, s["text"]))]
    ids = [s["id"] for s in problems if not s.get("heading")]
    match = others[0][1] if others else "基层"
    return [Finding("not_self_involved", conf["severity"], ids,
                    lex.message("not_self_involved", match=match),
                    [{"sentence_id": s["id"], "match": m} for s, m in others])]


def objective_causes_only(sentences, figures, cover, lex: Lexicon, settings) -> list[Finding]:
    causes = _of(sentences, "CAUSE")
    conf = _conf(settings, "objective_causes_only")
    if len(causes) < conf["min_causes"]:
        return []
    if any(lex.subjective.search(s["text"]) for s in causes):
        return []
    objective = [(s, m) for s in causes if (m := _search(lex.objective, s["text"]))]
    if not objective:
        return []
    return [Finding("objective_causes_only", conf["severity"], [s["id"] for s, _ in objective],
                    lex.message("objective_causes_only", match=objective[0][1]),
                    [{"sentence_id": s["id"], "match": m} for s, m in objective])]


def missing_prior_rectification(sentences, figures, cover, lex, settings) -> list[Finding]:
    if cover["prior_rectification"]["covered"]:
        return []
    return [Finding("missing_prior_rectification",
                    _conf(settings, "missing_prior_rectification")["severity"], [],
                    lex.message("missing_prior_rectification"))]


def missing_content(sentences, figures, cover, lex, settings) -> list[Finding]:
    missing = [v["name"] for k, v in cover.items() if k != "prior_rectification" and not v["covered"]]
    if not missing:
        return []
    return [Finding("missing_content", _conf(settings, "missing_content")["severity"], [],
                    lex.message("missing_content", match="；".join(missing)),
                    [{"sentence_id": None, "match": "、".join(missing)}],
                    extra={"points": [k for k, v in cover.items()
                                      if k != "prior_rectification" and not v["covered"]]})]


REPORT_RULES = [one_third, empty_praise, formalism_metric, stock_phrase, disguised_praise,
                generic_problem, not_self_involved, objective_causes_only, vague_measure,
                missing_prior_rectification, missing_content]
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
