"""Suggested critique questions: 3–6 per report, built from the findings, quoting the report."""
from __future__ import annotations

from nlp.findings.rules import SEVERITY_ORDER, quote

FALLBACK = ["请谈谈你本人在抓基层党建工作中最大的不足是什么，准备怎样改进？",
            "报告所列问题中，哪一个是你作为第一责任人最应该负责的？",
            "明年抓基层党建最想解决的一件实事是什么？由谁负责、何时完成？"]


def questions(findings: list[dict], sentences: list[dict], lex, limits: dict) -> list[dict]:
    by_id = {s["id"]: s for s in sentences}
    ordered = sorted(findings, key=lambda f: SEVERITY_ORDER.get(f["severity"], 3))
    out: list[dict] = []
    for f in ordered:
        rule = f["rule"]
        key = rule if rule != "one_third" else f"one_third_{f.get('verdict', 'fail')}"
        template = lex.question_templates.get(key)
        if not template:
            continue
        evidence = f.get("evidence") or [{"sentence_id": i} for i in f["sentence_ids"][:1]]
        first = evidence[0] if evidence else {}
        sid = first.get("sentence_id")
        text = template.format(quote=quote(by_id[sid]["text"]) if sid in by_id else "",
                               match=first.get("match") or f.get("match_names", ""),
                               other=f.get("other", ""))
        if "{" in text or text in (q["text"] for q in out):
            continue
        out.append({"text": text, "rule": rule, "sentence_ids": [sid] if sid is not None else []})
        if len(out) >= limits["max"]:
            break
    for text in FALLBACK:
        if len(out) >= limits["min"]:
            break
        out.append({"text": text, "rule": None, "sentence_ids": []})
    return out
