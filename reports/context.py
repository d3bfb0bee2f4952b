"""What a briefing sheet shows, computed once from a ReportAnalysis and its roster match, so
that the HTML, PDF and DOCX sheets say the same thing."""
from __future__ import annotations

from nlp.findings.rules import SEVERITY_ORDER

LABELS = {"ACH": ("成绩", "#4e79a7"), "PROB": ("问题", "#e15759"), "CAUSE": ("原因", "#f28e2b"),
          "PLAN": ("措施", "#59a14f"), "OTHER": ("其他", "#bab0ac")}
VERDICTS = {"pass": "达到三分之一", "borderline": "临界", "fail": "未达到三分之一"}
SEVERITY = {"high": "高", "medium": "中", "low": "低"}
RULE_NAMES = {"one_third": "问题剖析不足三分之一", "empty_praise": "评功摆好、成效无支撑",
              "formalism_metric": "以开会发文留痕论成效", "stock_phrase": "套话较多",
              "disguised_praise": "明批暗褒", "generic_problem": "问题笼统",
              "not_self_involved": "未把自己摆进去", "objective_causes_only": "只讲客观原因",
              "vague_measure": "措施空泛", "missing_prior_rectification": "未报告上年整改",
              "missing_content": "内容缺项", "repeated_problem": "问题与上年重复",
              "text_reuse": "文字雷同"}
STATUS = {"submitted": "已报送", "late": "逾期报送", "missing": "未报送", "not_in_roster": "名单外"}
MAX_FINDINGS = 7
FOOTER = "仅供评议参考，不作为评价结论"


def bar(record: dict, width: float = 100.0) -> list[dict]:
    """Segments of the stacked bar (x and width in percent of the bar)."""
    x, out = 0.0, []
    for key, (name, color) in LABELS.items():
        share = record["shares"].get(key, 0.0)
        out.append({"key": key, "name": name, "color": color, "share": share, "x": x * width,
                    "width": share * width})
        x += share
    return out


def briefing_context(record: dict, match: dict | None = None) -> dict:
    sentences = {s["id"]: s for s in record["sentences"]}
    findings = sorted(record["findings"], key=lambda f: SEVERITY_ORDER.get(f["severity"], 3))
    shown = []
    for f in findings[:MAX_FINDINGS]:
        quotes = [] if f["rule"] == "one_third" else \
            [sentences[i]["text"] for i in f["sentence_ids"][:2] if i in sentences]
        shown.append({"rule": f["rule"], "name": RULE_NAMES.get(f["rule"], f["rule"]),
                      "severity": f["severity"], "severity_name": SEVERITY.get(f["severity"], ""),
                      "message": f["message"], "quotes": quotes, "sentence_ids": f["sentence_ids"]})
    marks: dict[int, list[str]] = {}
    for f in findings:
        if f["rule"] in ("one_third", "missing_content", "missing_prior_rectification"):
            continue
        for i in f["sentence_ids"]:
            marks.setdefault(i, []).append(RULE_NAMES.get(f["rule"], f["rule"]))
    blocks: list[dict] = []
    for s in record["sentences"]:
        if not blocks or blocks[-1]["block"] != s["block"]:
            blocks.append({"block": s["block"], "heading": s.get("heading"), "sentences": []})
        blocks[-1]["sentences"].append({**s, "marks": marks.get(s["id"], []),
                                        "color": LABELS[s["label"]][1]})
    meta = record.get("meta") or {}
    match = match or {}
    one_third = record["one_third"]
    return {
        "id": record["id"],
        "title": meta.get("title") or record["source"].get("name"),
        "unit": match.get("roster_unit") or meta.get("unit") or "（未识别）",
        "secretary": match.get("secretary") or meta.get("secretary") or "（未识别）",
        "mode": match.get("mode") or "—",
        "status": STATUS.get(match.get("status"), "—"),
        "submitted_at": (match.get("submitted_at") or "")[:16].replace("T", " ") or "—",
        "file": record["source"].get("name"),
        "chars": record["chars"]["total"],
        "share": record["problem_cause_share"],
        "threshold": one_third["threshold"],
        "verdict": one_third["verdict"],
        "verdict_name": VERDICTS[one_third["verdict"]],
        "counted_chars": one_third["counted_chars"],
        "counted_ids": one_third["counted_sentence_ids"],
        "bar": bar(record),
        "labels": LABELS,
        "findings": shown,
        "more_findings": max(0, len(findings) - MAX_FINDINGS),
        "coverage": [{"name": v["name"], "covered": v["covered"]} for v in record["coverage"].values()],
        "similarity": [{"other": s["other_name"], "share": s["share"], "kind": s.get("kind", "batch")}
                       for s in record.get("similarity", [])][:4],
        "repeated": [sentences[i]["text"] for f in findings if f["rule"] == "repeated_problem"
                     for i in f["sentence_ids"][:3] if i in sentences],
        "questions": [q["text"] for q in record.get("questions", [])],
        "blocks": blocks,
        "versions": record.get("versions", {}),
        "footer": FOOTER,
    }
