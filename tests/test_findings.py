"""Findings: each rule on sentences that show it and on sentences that must not trigger it;
a user rules file changes a threshold; questions quote the report."""
from __future__ import annotations

from pathlib import Path

import pytest

from nlp.findings import Lexicon, questions, report_findings
from nlp.measure import measure
from nlp.settings import load_settings


@pytest.fixture(scope="module")
def settings():
    return load_settings()


def _run(sentences, settings):
    sents = [{"id": i, "text": t, "label": l, "heading": False} for i, (t, l) in enumerate(sentences)]
    figures = measure(sents)
    findings, cover = report_findings(sents, figures, settings)
    return {f["rule"]: f for f in findings}, cover, sents


BASE = [("全年发展党员15名，其中青年党员9名。", "ACH"),
        ("我对村级组织建设抓得不紧，东岭村党支部全年只开了3次支委会。", "PROB"),
        ("主要是我思想上重视不够。", "CAUSE"),
        ("由组织委员负责，2023年6月底前完成东岭村支部整顿。", "PLAN")]


def test_findings_empty_praise_needs_no_facts(settings):
    found, _, _ = _run(BASE + [("党建工作取得显著成效，凝聚力全面提升。", "ACH")], settings)
    assert found["empty_praise"]["sentence_ids"] == [4]
    found, _, _ = _run(BASE + [("全年新建党群服务中心3个，服务群众成效显著。", "ACH")], settings)
    assert "empty_praise" not in found


def test_findings_formalism_metric(settings):
    extra = [("全年召开党委会议专题研究党建工作24次。", "ACH"), ("印发党建文件15份，编发简报46期。", "ACH")]
    found, _, _ = _run(BASE + extra, settings)
    assert found["formalism_metric"]["sentence_ids"] == [4, 5]
    outcome = [("组织居民议事会7次，推动解决停车难问题12件。", "ACH"), ("召开会议3次，化解纠纷9起。", "ACH")]
    assert "formalism_metric" not in _run(BASE + outcome, settings)[0]


def test_findings_disguised_and_generic(settings):
    found, _, _ = _run(BASE + [("二是对自己要求过高，对家庭照顾不够。", "PROB"),
                               ("三是理论学习不够深入。", "PROB")], settings)
    assert found["disguised_praise"]["sentence_ids"] == [4]
    assert 5 in found["generic_problem"]["sentence_ids"]
    assert 1 not in found["generic_problem"]["sentence_ids"]  # names a village and a number


def test_findings_not_self_involved(settings):
    others = [("有的支部三会一课不规范。", "PROB"), ("个别党员作用发挥不明显。", "PROB"),
              ("由组织委员负责，6月底前完成整改。", "PLAN")]
    found, _, _ = _run([("全年发展党员15名。", "ACH")] + others, settings)
    assert found["not_self_involved"]["severity"] == "high"
    assert "not_self_involved" not in _run(BASE, settings)[0]


def test_findings_objective_causes_only(settings):
    causes = [("主要原因是人员少、任务重。", "CAUSE"), ("经费保障不足。", "CAUSE")]
    found, _, _ = _run(BASE[:2] + causes + BASE[3:], settings)
    assert found["objective_causes_only"]["sentence_ids"] == [2, 3]
    assert "objective_causes_only" not in _run(BASE, settings)[0]


def test_findings_vague_measure(settings):
    plans = [("进一步加强理论学习，不断提升能力水平。", "PLAN"), ("持续深化党建引领作用。", "PLAN")]
    found, _, _ = _run(BASE[:3] + plans, settings)
    assert found["vague_measure"]["sentence_ids"] == [3, 4]
    assert "vague_measure" not in _run(BASE, settings)[0]


def test_findings_prior_rectification_and_coverage(settings):
    found, cover, _ = _run(BASE, settings)
    assert "missing_prior_rectification" in found
    assert cover["key_tasks"]["covered"] and cover["key_tasks"]["sentence_ids"]
    with_prior = BASE + [("上年度述职评议指出的3个问题已全部整改完成。", "ACH")]
    found, cover, _ = _run(with_prior, settings)
    assert "missing_prior_rectification" not in found and cover["prior_rectification"]["covered"]


def test_findings_one_third_fail(settings):
    found, _, _ = _run([("全年发展党员15名，新建党群服务中心3个，整顿软弱涣散村党组织2个。", "ACH"),
                        ("学习不够。", "PROB")], settings)
    assert found["one_third"]["severity"] == "high" and found["one_third"]["sentence_ids"] == [1]


def test_findings_user_rules_file_changes_threshold(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text("findings:\n  vague_measure: {severity: high, min_count: 1, min_share: 0.1}\n"
                     "one_third: {threshold: 0.10}\n", encoding="utf-8")
    settings = load_settings(rules)
    assert settings["findings"]["vague_measure"]["min_count"] == 1
    assert settings["findings"]["empty_praise"]["severity"] == "medium"  # untouched keys kept
    one_vague = BASE + [("进一步加强学习。", "PLAN")]
    assert "vague_measure" not in _run(one_vague, load_settings())[0]
    found = _run(one_vague, settings)[0]
    assert found["vague_measure"]["severity"] == "high"


def test_findings_questions_quote_the_report(settings):
    found, _, sents = _run(BASE + [("党建工作取得显著成效。", "ACH")], settings)
    asks = questions(list(found.values()), sents, Lexicon.from_settings(settings), settings["questions"])
    assert 3 <= len(asks) <= 6
    assert any("党建工作取得显著成效" in q["text"] for q in asks)


def test_stock_matcher_finds_what_each_pattern_finds():
    """The one-pass matcher must give, for every corpus sentence, exactly the first match of each
    stock phrase that a search with its own pattern gives, in lexicon order."""
    from nlp.corpus import load_dir
    from nlp.findings.lexicon import StockMatcher, stock_phrases

    entries = stock_phrases()
    matcher = StockMatcher(entries)
    texts = [s.text for r in load_dir(Path(__file__).resolve().parents[1] / "corpus" / "reports")
             for s in r.sentences]
    texts += ["以习近平新时代中国特色社会主义思想为指导，高度重视、常抓不懈，取得了显著的成效"]
    hits = 0
    for text in texts:
        naive = [(m.group(0), e) for e in entries if (m := e.pattern.search(text))]
        assert matcher.find(text) == naive, text
        hits += bool(naive)
    assert hits > 100 and any(not e.literal for e in entries)


def test_stock_sentences_are_formulas_without_facts(settings):
    """A sentence of political formulas and stock phrases with nothing of its own is a stock
    sentence; the same formulas around a fact of the report are not."""
    stock = [("2022年，我们坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，推动全面从严治党向纵深发展。", "ACH"),
             ("通过以上举措，基层党组织政治功能和组织功能全面增强，战斗堡垒作用充分发挥。", "ACH")]
    found, _, _ = _run(BASE + stock, settings)
    assert found["stock_phrase"]["sentence_ids"] == [4, 5]
    concrete = [("我们坚持以习近平新时代中国特色社会主义思想为指导，在东岭村建起党员夜校，全年办班12期。", "ACH"),
                ("通过以上举措，西坪社区党支部从软弱涣散名单中摘帽，战斗堡垒作用充分发挥。", "ACH")]
    found, _, _ = _run(BASE + concrete, settings)
    assert "stock_phrase" not in found
    # a single stock sentence in a report otherwise free of stock language raises no finding
    found, _, _ = _run(BASE + stock[:1], settings)
    assert "stock_phrase" not in found


def test_stock_sentences_outside_the_lexicon_are_found_by_the_model(settings):
    """Stock wording that the lexicon does not list is found by the learned model, with the
    clause that weighs most as the reason; a rules file with `learned: false` turns it off, and
    concrete sentences are left alone either way."""
    from nlp.findings.rules import is_stock_sentence

    lex, conf = Lexicon.from_settings(settings), settings["findings"]["stock_phrase"]
    unlisted = [("全体党员干部精神饱满、斗志昂扬，展现了新时代共产党人的良好风貌。", "ACH"),
                ("机关上下心往一处想、劲往一处使，营造了风清气正的良好氛围。", "ACH")]
    for text, label in unlisted:  # the lexicon rule alone would not call them stock
        assert not is_stock_sentence(text, lex.stock_matcher.find(text), lex, conf, label)
    found, _, _ = _run(BASE + unlisted, settings)
    assert found["stock_phrase"]["sentence_ids"] == [4, 5]
    learned = {e["sentence_id"]: e for e in found["stock_phrase"]["evidence"] if e["category"] == "learned"}
    assert set(learned) == {4, 5} and learned[5]["match"] == "营造了风清气正的良好氛围"
    assert all(e["suggestion"] for e in learned.values())
    off = {**settings, "findings": {**settings["findings"], "stock_phrase": {**conf, "learned": False}}}
    assert "stock_phrase" not in _run(BASE + unlisted, off)[0]
    assert "stock_phrase" not in _run(BASE, settings)[0]


def test_stock_model_is_refused_when_a_file_changed(tmp_path):
    import shutil

    from nlp.findings.stock_model import MODEL_DIR, StockSentenceModel, model_digest

    folder = tmp_path / "stock"
    shutil.copytree(MODEL_DIR, folder)
    model = StockSentenceModel.load(folder)
    assert 0.5 <= model.threshold < 1 and model_digest(str(folder)) == model_digest()
    config = folder / "config.json"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="manifest"):
        StockSentenceModel.load(folder)


def test_stock_model_n_gram_keys_are_the_distinct_n_grams_of_each_sentence():
    """The vectorised keys decode to exactly the distinct 1–3-grams of each text (digits folded
    to 0, runs of whitespace to one space), texts never run into each other, and an empty text
    has none."""
    import re

    from nlp.findings.stock_model import gram_keys, gram_text

    def reference(t: str) -> set[str]:
        t = re.sub(r"\s\s+", " ", "".join("0" if c.isdigit() else c for c in t.strip()).replace("\x00", " "))
        return {t[a:a + n] for n in (1, 2, 3) for a in range(len(t) - n + 1)}

    texts = ["党建工作取得3.5%的进展  ，  好好好", "", "１２月", "x", "ab\x00c"]
    text, key, counts = gram_keys(texts)
    decoded = [{gram_text(int(k)) for k in key[text == i]} for i in range(len(texts))]
    for i, t in enumerate(texts):
        assert decoded[i] == reference(t) and counts[i] == len(decoded[i]), t
    assert {"0.0", "0%", "好好好", " ， "} <= decoded[0] and "好0" not in decoded[0]
    assert decoded[1] == set() and "00月" in decoded[2] and "b c" in decoded[4]


def test_stock_model_training_is_deterministic():
    from nlp.findings.stock_model import StockSentenceModel

    texts = [t for t, _ in BASE] * 3 + ["全面提升党建工作水平，奋力开创新局面。", "凝心聚力，砥砺前行，再创新佳绩。"] * 3
    labels = [l for _, l in BASE] * 3 + ["ACH", "ACH"] * 3
    stock = [False] * 12 + [True] * 6
    a, b = (StockSentenceModel(C=4.0).fit(texts, labels, stock) for _ in range(2))
    assert (a.gram_weights_ == b.gram_weights_).all() and a.intercept_ == b.intercept_
    assert a.predict_proba(texts[-2:], labels[-2:]).min() > a.predict_proba(texts[:4], labels[:4]).max()


def test_generic_problem_headline_with_its_case_is_not_generic(settings):
    headline = ("一是理论学习不够深入。", "PROB")
    found, _, _ = _run(BASE + [headline, ("主要是我忙于事务，对新提法理解还停留在面上。", "PROB")], settings)
    assert [s for s in found["generic_problem"]["sentence_ids"]] == [4, 5]
    found, _, _ = _run(BASE + [headline, ("全年中心组学习12次，有5次只读文件、没有研讨。", "PROB")], settings)
    assert "generic_problem" not in found


def test_stock_lead_in_and_closing_pledge_are_stock(settings):
    """The padded lead-in to the problems, the closing pledge and a plan item made of formulas
    are stock sentences (corpus/GUIDELINES.md, the reading of session 10); a plain lead-in, a
    numbered title and the same plan item with its date and number are not."""
    stock = [("一年来，我们的工作虽然取得了一定成绩，但对照上级要求和群众期盼，仍存在一些差距和不足。", "PROB"),
             ("新的一年，我将以更加饱满的热情、更加务实的作风，推动全镇党建工作再上新台阶。", "PLAN"),
             ("支部为基，堡垒为先。", "ACH"),
             ("二是进一步加强货车司机党员服务管理，积极探索流动党员教育管理新模式。", "PLAN")]
    plain = [("对照要求，还存在以下不足：", "PROB"), ("（一）学习宣传贯彻党的二十大精神。", "ACH"),
             ("二是加强货车司机党员服务管理，6月底前在物流园建成3个司机之家。", "PLAN"),
             ("以上述职，请予评议。", "OTHER")]
    found, _, _ = _run(BASE + stock + plain, settings)
    assert found["stock_phrase"]["sentence_ids"] == [4, 5, 6, 7]
    assert all(e["match"] for e in found["stock_phrase"]["evidence"])


def test_formalism_counts_of_lectures_need_a_run_of_counts(settings):
    """A lone count of lectures with its places is reporting; in a run of counts it is formalism."""
    meetings = [("全年召开党委会议专题研究党建工作24次。", "ACH"), ("印发党建文件15份，编发简报46期。", "ACH")]
    lone = ("本人到城北水厂、工程公司等3个支部讲专题党课3次。", "ACH")
    run = ("全年各支部讲党课18次，开展主题党日72次。", "ACH")
    found, _, _ = _run(BASE + meetings + [lone, run], settings)
    assert found["formalism_metric"]["sentence_ids"] == [4, 5, 7]
    reach = [("开展集中宣讲120场次，发放宣传资料2万余份，实现辖区居民全覆盖。", "ACH"),
             ("县委巡察组反馈问题7个，已整改6个，建立完善制度5项。", "ACH")]
    found, _, _ = _run(BASE + meetings + reach, settings)
    assert found["formalism_metric"]["sentence_ids"] == [4, 5, 6]


def _table(cells, analyzer):
    """A report whose body is a statistics table (three columns), analysed as the reader's
    blocks: the rules learn each cell's table from them."""
    from nlp.document import Block, BlockKind, Document

    blocks = [Block(BlockKind.HEADING, "一、主要工作", level=1),
              Block(BlockKind.PARAGRAPH, "全年党建工作主要数据如下。")]
    blocks += [Block(BlockKind.TABLE_CELL, t, table=0, row=i // 3, col=i % 3) for i, t in enumerate(cells)]
    record = analyzer.analyze_document(Document(blocks, "docx", "", "t"), "t")
    cell_ids = [s["id"] for s in record["sentences"] if s["block"] >= 2]
    return {f["rule"]: f for f in record["findings"]}, cell_ids


def test_formalism_counts_in_one_sentence(settings):
    """Two counts of meetings and documents in one sentence are formalism; one count alone is not."""
    two = [("全年召开党委会24次，印发党委文件31份。", "ACH")]
    found, _, _ = _run(BASE + two, settings)
    assert found["formalism_metric"]["sentence_ids"] == [4]
    one = [("全年召开党委会24次，研究解决了3个村的换届问题。", "ACH"), ("全年召开党委会24次。", "ACH")]
    found, _, _ = _run(BASE + one[1:], settings)
    assert "formalism_metric" not in found


def test_formalism_statistics_table(analyzer):
    """A table of meetings, documents and bulletins counted is formalism cell by cell; a table of
    Party members and organisations is not; the same rows outside a table are not a table."""
    counts = ["项目", "2021年", "2022年", "党工委会议专题研究党建（次）", "16", "24",
              "印发党建文件（份）", "11", "15", "编发党建工作简报（期）", "30", "46"]
    found, cells = _table(counts, analyzer)
    assert set(cells) <= set(found["formalism_metric"]["sentence_ids"])
    members = ["项目", "2021年", "2022年", "基层党组织（个）", "70", "74", "党员（名）", "1290", "1311"]
    assert "formalism_metric" not in _table(members, analyzer)[0]
    loose = [{"id": i, "text": t, "label": "ACH", "heading": False, "block": i} for i, t in enumerate(counts)]
    findings, _ = report_findings(loose, measure(loose), load_settings())
    assert "formalism_metric" not in {f["rule"] for f in findings}


def test_disguised_item_carries_its_explanation(settings):
    """A numbered 明批暗褒 item carries the sentences that explain it, up to the next item."""
    item = [("二是对家庭照顾不够。", "PROB"), ("孩子高考那几天我也在外地督导检查。", "PROB"),
            ("三是支部活动形式单一，全年主题党日有8次只是集中读文件。", "PROB")]
    found, _, _ = _run(BASE + item, settings)
    assert found["disguised_praise"]["sentence_ids"] == [4, 5]
    found, _, _ = _run(BASE + [("一年来我经常带病坚持工作，顾不上家。", "PROB")], settings)
    assert found["disguised_praise"]["sentence_ids"] == [4]
    found, _, _ = _run(BASE + [("孩子高考那几天我也在外地督导检查。", "PROB")], settings)
    assert "disguised_praise" not in found


@pytest.mark.parametrize("problem, virtue", [
    ("节假日期间值班值守制度落实不严格，个别干部擅自离岗。", "节假日我也都在单位，很少休整。"),
    ("对家人和身边工作人员要求不够严格，家风建设抓得不紧。", "对家人陪伴太少，孩子的学习基本没管。"),
    ("对下属要求不严，对苗头性问题提醒不及时。", "对下属要求过高，有时让年轻干部压力很大。"),
])
def test_disguised_praise_spares_real_problems(settings, problem, virtue):
    """Holidays, family and subordinates also come up in real problems: only the virtue told as
    a fault is 明批暗褒."""
    found, _, _ = _run(BASE + [(problem, "PROB")], settings)
    assert "disguised_praise" not in found
    found, _, _ = _run(BASE + [(virtue, "PROB")], settings)
    assert "disguised_praise" in found


def test_generic_problem_a_common_noun_is_no_instance(settings):
    """"到社区报到" names no place and "农村" no village: the problem stays generic; a named
    village with a number is an instance."""
    generic = [("部分在职党员到社区报到后参与活动较少，先锋模范作用发挥还不够充分。", "PROB"),
               ("六是制度执行还有偏差。", "PROB")]
    found, _, _ = _run(BASE + generic, settings)
    assert found["generic_problem"]["sentence_ids"] == [4, 5]
    named = ("东岭村党支部先锋模范作用发挥还不够充分，全年只开了3次支委会。", "PROB")
    assert "generic_problem" not in _run(BASE + [named], settings)[0]
