"""`shuzhi grades`: the 15% rule, who cannot be 优秀, who must be talked to (issue #9)."""
from __future__ import annotations

import json

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from flows.cli import app
from nlp.errors import ShuzhiInputError
from nlp.grades import load_grades


def _csv(tmp_path, grades: list[str], encoding="utf-8-sig"):
    path = tmp_path / "grades.csv"
    lines = ["姓名,单位,评价等次"] + [f"书记{i},单位{i}党委,{g}" for i, g in enumerate(grades, 1)]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def test_exactly_fifteen_percent_meets_the_rule(tmp_path):
    check = load_grades(_csv(tmp_path, ["好"] * 17 + ["较好", "一般", "差"]))
    assert check.meets_15_percent and check.to_dict()["lower_share"] == 0.15


def test_below_fifteen_percent_fails_and_says_how_many_are_missing(tmp_path):
    check = load_grades(_csv(tmp_path, ["好"] * 18 + ["较好", "好"], encoding="gbk"))
    data = check.to_dict()
    assert not data["meets_15_percent"] and data["needed_lower"] == 2
    assert [p["name"] for p in data["not_eligible_for_excellent"]] == ["书记19"]
    assert data["talk_required"] == []


def test_grade_spellings_and_invalid_rows(tmp_path):
    check = load_grades(_csv(tmp_path, ["好等次", " 较 好", "评为一般", "优秀", "差"]))
    data = check.to_dict()
    assert data["counts"] == {"好": 1, "较好": 1, "一般": 1, "差": 1}
    assert [p["name"] for p in data["talk_required"]] == ["书记3", "书记5"]
    assert data["invalid"] == [{"line": 5, "name": "书记4", "unit": "单位4党委", "value": "优秀"}]


def test_xlsx_and_the_json_contract(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "书记姓名", "党组织名称", "综合评价等次"])
    for i, g in enumerate(["好"] * 9 + ["一般"], 1):
        ws.append([i, f"书记{i}", f"单位{i}", g])
    wb.save(tmp_path / "等次.xlsx")
    result = CliRunner().invoke(app, ["grades", str(tmp_path / "等次.xlsx"), "--json",
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"total", "lower_share", "meets_15_percent", "not_eligible_for_excellent",
            "talk_required"} <= set(data)
    assert data["total"] == 10 and data["lower_share"] == 0.1 and data["meets_15_percent"] is False
    assert [p["name"] for p in data["talk_required"]] == ["书记10"]
    sheet = load_workbook(tmp_path / "out" / "grades_check.xlsx")
    assert sheet.sheetnames == ["汇总", "不得评定为优秀", "约谈提醒", "全部"]
    assert sheet["汇总"]["B8"].value == "不符合"


def test_a_list_without_a_grade_column_gets_a_coded_error(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("姓名,单位\n张三,某党委\n", encoding="utf-8")
    with pytest.raises(ShuzhiInputError) as e:
        load_grades(path)
    assert e.value.code.value == "missing_column"
    result = CliRunner().invoke(app, ["grades", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "等次" in result.output


def test_sample_grade_list(tmp_path):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "corpus" / "hearing_samples" / "grades.csv"
    result = CliRunner().invoke(app, ["grades", str(sample), "--json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == 16 and data["counts"] == {"好": 12, "较好": 3, "一般": 1, "差": 0}
    assert data["meets_15_percent"] is True and len(data["talk_required"]) == 1
