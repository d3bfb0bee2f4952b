"""Render the corpus plans of the sample units into corpus/hearing_samples/, as sent after a hearing.

plans/ holds the plans (.docx with a real Word table or prose, .pdf, .txt in GBK), plans/点评/
the reviewers' critiques as text files named by unit, plans/hearings.csv the hearing dates;
grades.csv beside it is a grade list for `shuzhi grades`.

Run:  .venv/bin/python corpus/tools/render_plan_samples.py   (rebuilds corpus/hearing_samples/)
"""
from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "corpus" / "tools"))

from nlp.corpus import GoldBlock, GoldReport, GoldSentence, load_report  # noqa: E402
from nlp.plans.corpus import GoldPlan, load_plan  # noqa: E402
from render_samples import render_docx, render_pdf, render_txt  # noqa: E402

OUT = ROOT / "corpus" / "hearing_samples"
# (plan id, format, file name as the sender wrote it); the units are those of corpus/samples/
PLANS = [("p01", "docx", "云溪县教育局党委整改方案.docx"),
         ("p02", "docx", "河阳县住建局党组述职评议问题整改方案（定稿）.docx"),
         ("p03", "pdf", "松浦县交通运输局党组整改方案.pdf"),
         ("p04", "docx", "石门县农业农村局党组整改方案.docx"),
         ("p05", "docx", "翠园社区党委整改方案.docx"),
         ("p06", "docx", "宁江水务集团党委整改方案.docx"),
         ("p07", "pdf", "化学与材料学院党委整改方案.pdf"),
         ("p08", "txt", "宁川水投集团党委整改方案.txt"),
         ("p10", "docx", "枫林街道党工委整改方案.docx"),
         ("p13", "txt", "XX街道党工委整改方案.txt")]
GRADES = {"r003": "较好", "r043": "一般", "r010": "较好", "r036": "较好"}
SAMPLE_REPORTS = ["r001", "r003", "r006", "r012", "r024", "r043", "r054", "r058", "r020", "r045",
                  "r048", "r053", "r036", "r014", "r010", "r056"]


def as_report(plan: GoldPlan) -> GoldReport:
    """The plan's blocks in the shape the report renderers take."""
    blocks = []
    for b in plan.blocks:
        if b["block"] == "table":
            cells = [GoldSentence(c, "OTHER") for row in b["rows"] for c in row if c.strip()]
            blocks.append(GoldBlock("table", cells, rows=b["rows"]))
        else:
            blocks.append(GoldBlock(b["block"], [GoldSentence(b["text"], "OTHER")], level=int(b.get("level", 0))))
    return GoldReport(plan.meta, blocks)


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "plans" / "点评").mkdir(parents=True)
    hearings = []
    for pid, fmt, name in PLANS:
        plan = load_plan(ROOT / "corpus" / "plans" / f"{pid}.json")
        doc = as_report(plan)
        path = OUT / "plans" / name
        {"docx": lambda: render_docx(doc, path, numbered=False), "pdf": lambda: render_pdf(doc, path),
         "txt": lambda: render_txt(doc, path)}[fmt]()
        unit = plan.meta["unit"]
        critique = "点评意见\n" + "\n".join(f"{n}. {c['text']}" for n, c in enumerate(plan.critique, 1))
        (OUT / "plans" / "点评" / f"{unit}.txt").write_text(critique + "\n", encoding="utf-8")
        hearings.append((unit, plan.meta["hearing_date"]))
    with open(OUT / "plans" / "hearings.csv", "w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f).writerows([("单位", "评议日期"), *hearings])
    with open(OUT / "grades.csv", "w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow(["姓名", "单位", "等次"])
        for rid in SAMPLE_REPORTS:
            meta = load_report(ROOT / "corpus" / "reports" / f"{rid}.jsonl").meta
            writer.writerow([meta.get("secretary") or "", meta["unit"], GRADES.get(rid, "好")])
    print(f"{len(PLANS)} plans, {len(PLANS)} critiques, hearings.csv and grades.csv written to {OUT}")


if __name__ == "__main__":
    main()
