"""What a plan check sheet shows, computed once for HTML, PDF and DOCX."""
from __future__ import annotations

RULE_NAMES = {
    "plan_missing_field": "要素缺失", "plan_deadline_before_hearing": "时限早于评议",
    "plan_deadline_not_date": "时限不明确", "plan_deadline_long_term": "长期坚持",
    "plan_vague_measure": "措施笼统", "plan_filed_late": "逾期报送",
    "plan_problem_unanswered": "问题未整改", "plan_critique_unanswered": "点评未回应",
    "plan_item_unlinked": "事项针对性存疑", "plan_no_report": "缺少报告",
}
SEVERITY_NAMES = {"high": "重要", "medium": "一般", "low": "提示"}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def plan_context(record: dict) -> dict:
    counts = record.get("counts", {})
    findings = sorted(record.get("findings", []), key=lambda f: SEVERITY_ORDER[f["severity"]])
    issues_by_item: dict[int, list[str]] = {}
    for f in findings:
        if f.get("item"):
            issues_by_item.setdefault(f["item"], []).append(RULE_NAMES.get(f["rule"], f["rule"]))
    items = [{**it, "issues": issues_by_item.get(it["n"], []),
              "answers_text": "、".join(it["answers"]["problems"] + it["answers"]["critique"]) or "—"}
             for it in record.get("items", [])]
    on_time = {True: "逾期", False: "按期", None: "未知"}[record.get("filed_late")]
    return {
        "id": record["id"], "unit": record.get("unit") or record["id"],
        "secretary": record.get("secretary") or "—",
        "hearing": record.get("hearing_date") or "未提供",
        "filed": record.get("filed_date") or "未知",
        "filed_source": {"signature": "落款日期", "file_time": "文件时间", "unknown": ""}.get(
            record.get("filed_date_source"), ""),
        "on_time": on_time, "report_id": record.get("report_id"),
        "counts": counts,
        "findings": [{**f, "name": RULE_NAMES.get(f["rule"], f["rule"]),
                      "severity_name": SEVERITY_NAMES[f["severity"]]} for f in findings],
        "plan_items": items,
        "problems": record.get("problems", []),
        "critique": record.get("critique", []),
        "file": record["source"]["name"],
    }
