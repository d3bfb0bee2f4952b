"""Session fixtures: real input files built once, the golden-file flag, a shared Analyzer."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

# One Prefect home for the whole session, outside the work tree; telemetry off as in production.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="shuzhi-test-prefect-"))

from tests import builders

GROUNDTRUTH = Path(__file__).parent / "data" / "groundtruth"


def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true",
                     help="rewrite tests/data/groundtruth/ from the current readers")


@pytest.fixture(scope="session")
def regen_golden(request) -> bool:
    return request.config.getoption("--regen-golden")


@pytest.fixture(scope="session")
def golden(regen_golden):
    """Compare a value with tests/data/groundtruth/<name>.json (rewritten with --regen-golden)."""

    def check(name: str, value):
        path = GROUNDTRUTH / f"{name}.json"
        if regen_golden or not path.exists():
            if not regen_golden:
                pytest.fail(f"missing golden file {path}; run pytest --regen-golden")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        assert value == json.loads(path.read_text(encoding="utf-8"))

    return check


LONG_PARAGRAPH = ("镇党委坚持把抓基层党建作为最大政绩，围绕村级组织建设、党员队伍管理和基层治理三个重点，"
                  "逐村开展调研，逐项建立台账，推动全镇12个村党组织全部达到标准化规范化要求。") * 6
PDF_PARAGRAPHS = [
    "现将本人2022年度抓基层党建工作情况报告如下。",
    LONG_PARAGRAPH,
    "一是理论学习不够深入，对党的二十大精神的学习停留在读原文、记笔记上。",
    LONG_PARAGRAPH.replace("镇党委", "党委班子"),
    "二是抓村级组织建设用力不均，东岭村、石门村两个村的党组织活动仍不规范。",
    "下一步，我将于2023年6月底前完成全部村级阵地改造，由组织委员负责。",
]


@pytest.fixture(scope="session")
def files(tmp_path_factory) -> dict[str, Path]:
    """Real .docx, .pdf and .txt files, built once per session."""
    d = tmp_path_factory.mktemp("inputs")
    text = "东岭村党支部书记2022年度述职报告\n今年以来,我们做了很多工作;但也存在不足.\n一是学习不够;二是作风不实。\n"
    return {
        "docx": builders.build_report_docx(d / "青石镇党委书记2022年度述职报告（定稿）.docx"),
        "pdf": builders.build_report_pdf(d / "柳溪街道述职报告.pdf", PDF_PARAGRAPHS,
                                         "柳溪街道党工委书记2022年度述职报告"),
        "gbk": builders.build_gbk_txt(d / "东岭村述职.txt", text),
        "big5": builders.write_encoded(d / "big5.txt", "東嶺村黨支部書記述職報告\n今年以來，我們做了很多工作。\n", "big5"),
        "utf8_bom": builders.write_encoded(d / "bom.txt", text, "utf-8-sig"),
    }


@pytest.fixture(scope="session")
def analyzer():
    from nlp.analysis import Analyzer

    return Analyzer()


@pytest.fixture(scope="session")
def screened_batch(tmp_path_factory, files):
    """One real Prefect run of `shuzhi screen` on three reports, two broken files and a roster."""
    import hashlib
    import shutil

    from typer.testing import CliRunner

    from flows.cli import app

    inbox = tmp_path_factory.mktemp("inbox")
    for key in ("docx", "pdf", "gbk"):
        shutil.copy(files[key], inbox)
    (inbox / "损坏的文件.docx").write_bytes(b"PK\x03\x04broken")
    (inbox / "空文件.txt").write_bytes(b"")
    (inbox / "~$临时文件.docx").write_bytes(b"lock")
    (inbox / "roster.csv").write_text("单位,书记,述职方式,组织单位\n青石镇党委,×××,现场,县委组织部\n"
                                      "柳溪街道党工委,李四,书面,县委组织部\n白沙镇党委,王五,现场,县委组织部\n",
                                      encoding="utf-8-sig")
    hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.iterdir()}
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(app, ["screen", str(inbox), "--out", str(out), "--workers", "2"])
    return inbox, out, result, hashes


@pytest.fixture
def chromium(tmp_path):
    """Headless Chromium through Debian's chromedriver, with a throwaway profile and no network
    services; skipped where chromium-driver is not installed (make system installs it)."""
    import shutil

    if shutil.which("chromedriver") is None:
        pytest.skip("chromium-driver is installed by make system")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        yield driver
    finally:
        driver.quit()
