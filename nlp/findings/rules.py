"""The rules of one report. Each returns findings with their evidence sentences.

Sentence rules look at sentences of one label (praise in ACH, disguised praise in PROB, vague
measures in PLAN); report rules judge the report as a whole (no problem names the writer's own
responsibility; every cause is objective; a content point is never addressed).
"""
from __future__ import annotations


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


def formalism_metric(sentences, figures, cover, lex: Lexicon, settings) -> list[Finding]:
    hits = []
    for s in _of(sentences, "ACH"):
        matches = [m.group(0) for p in lex.formalism for m in p.finditer(s["text"])]
        if matches and not _search(lex.outcome, s["text"]):
            hits.append((s, max(matches, key=len)))
    if len(hits) < _conf(settings, "formalism_metric")["min_count"]:
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


def is_stock_sentence(text: str, found, lex: Lexicon, conf: dict) -> bool:
    """A sentence made mostly of stock phrases and political formulas, with no fact of its own
    (what remains once they are taken out). Stock problems, causes and plans are left to
    generic_problem and vague_measure."""
    own = [(m, e) for m, e in found if e.category not in conf["sentence_excluded_categories"]]
    spans = [(i, i + len(m)) for m, _ in own for i in [text.find(m)] if i >= 0]
    if lex.formulas is not None:
        spans += [m.span() for m in lex.formulas.finditer(text)]
    mask = _covered_mask(text, spans)
    share = sum(mask) / max(len(text), 1)
    if not (len(own) >= 2 or (own and share >= conf["sentence_coverage"])
            or share >= conf["formula_coverage"]):
        return False
    rest = "".join(c for c, covered in zip(text, mask) if not covered)
    for p in lex.stock_fact_ignore:
        rest = p.sub("", rest)
    return not lex.has_fact(rest)


def stock_phrase(sentences, figures, cover, lex: Lexicon, settings) -> list[Finding]:
    conf = _conf(settings, "stock_phrase")
    hits, ids = [], []
    for s in sentences:
        found = lex.stock_matcher.find(s["text"])
        hits.extend((s, m, e) for m, e in found)
        if not s.get("heading") and is_stock_sentence(s["text"], found, lex, conf):
            ids.append(s["id"])
    total = max(figures["chars"]["total"], 1)
    density = len(hits) * 1000 / total
    dense = len(hits) >= conf["min_count"] and density >= conf["min_density_per_1000"]
    if not ids or not (dense or len(ids) >= conf["min_sentences"]):
        return []
    evidence = [{"sentence_id": s["id"], "match": m, "category": e.category,
                 "suggestion": e.suggestion} for s, m, e in hits[:20]]
    by_id = {s["id"]: s for s in sentences}
    with_phrase = {e["sentence_id"] for e in evidence}
    for i in ids:  # stock sentences made of formulas only: the formula is the evidence
        if i not in with_phrase and lex.formulas is not None:
            m = lex.formulas.search(by_id[i]["text"])
            evidence.append({"sentence_id": i, "match": m.group(0) if m else "", "category": "formula",
                             "suggestion": lex.raw.get("stock_formula_suggestion", "")})
    return [Finding("stock_phrase", conf["severity"], ids,
                    lex.message("stock_phrase", n=max(len(hits), len(ids)), density=f"{density:.1f}",
                                match=evidence[0]["match"]),
                    evidence, {"density_per_1000": round(density, 2)})]


def disguised_praise(sentences, figures, cover, lex: Lexicon, settings) -> list[Finding]:
    hits = [(s, m) for s in sentences if s["label"] == "PROB" and (m := lex.disguised_in(s["text"]))]
    if not hits:
        return []
    return [Finding("disguised_praise", _conf(settings, "disguised_praise")["severity"],
                    [s["id"] for s, _ in hits],
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
