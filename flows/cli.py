"""The `shuzhi` command line. Each command is a thin call into nlp/, reports/ or a flow."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from flows.local_server import prefect_api, start_local_server
from flows.prefect_env import configure

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_show_locals=False,
                  help="shuzhi：述职报告预审工具（供组织部评议人员参考）")
corpus_app = typer.Typer(no_args_is_help=True, help="语料库工具")
app.add_typer(corpus_app, name="corpus")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = PROJECT_ROOT / "corpus" / "samples"
HEARING_SAMPLES = PROJECT_ROOT / "corpus" / "hearing_samples"


def _fail(message: str, code: int = 2) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


@app.command()
def ingest(file: Path = typer.Argument(..., help="要检查的文件"),
           as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """读取一个文件并显示抽取出的文档结构（用于核对文件是否被正确读取）。"""
    from nlp.errors import ShuzhiInputError
    from nlp.ingest import ingest as ingest_file

    try:
        document = ingest_file(file)
    except ShuzhiInputError as e:
        _fail(f"[{e.code.value}] {file.name}: {e.message}")
    if as_json:
        typer.echo(json.dumps(document.to_dict(), ensure_ascii=False, indent=1))
        return
    meta = document.meta
    typer.echo(f"文件: {file.name}  格式: {document.format}  字数: {document.char_count()}")
    typer.echo(f"标题: {meta.title or '-'}  单位: {meta.unit or '-'}  "
               f"书记: {meta.secretary or '-'}  日期: {meta.date or '-'}")
    for w in document.warnings:
        typer.secho(f"提示: {w}", fg=typer.colors.YELLOW)
    for b in document.blocks:
        where = f"p{b.page}" if b.page else f"#{b.paragraph}"
        tag = f"H{b.level}" if b.kind.value == "heading" else b.kind.value[:4]
        typer.echo(f"{where:>6} {tag:<5} {b.text}")


@app.command()
def analyze(file: Path = typer.Argument(..., help="要分析的述职报告"),
            as_json: bool = typer.Option(False, "--json", help="输出完整 JSON"),
            rules: Optional[Path] = typer.Option(None, "--rules", help="自定义规则文件 (YAML)")) -> None:
    """分析一份报告并显示结果。"""
    from nlp.analysis import Analyzer

    record = Analyzer(rules).analyze(file)
    if as_json:
        typer.echo(json.dumps(record, ensure_ascii=False, indent=1))
        return
    if record["error"]:
        _fail(f"[{record['error']['code']}] {file.name}: {record['error']['message']}")
    _print_figure(record)


VERDICTS = {"pass": "达到", "borderline": "临界", "fail": "未达到"}
LABEL_NAMES = {"ACH": "成绩", "PROB": "问题", "CAUSE": "原因", "PLAN": "措施", "OTHER": "其他"}


def _print_figure(record: dict) -> None:
    chars, one_third = record["chars"], record["one_third"]
    typer.echo(f"{record['source']['name']}  {record['meta'].get('unit') or ''}")
    typer.echo(f"全文 {chars['total']} 字；问题及原因分析 {one_third['counted_chars']} 字，"
               f"占 {record['problem_cause_share']:.1%}（要求不少于三分之一）：{VERDICTS[one_third['verdict']]}")
    typer.echo("  " + "  ".join(f"{LABEL_NAMES[k]} {record['shares'][k]:.1%}" for k in LABEL_NAMES))
    typer.echo("计入问题及原因分析的句子：")
    for s in record["sentences"]:
        if s["label"] in ("PROB", "CAUSE"):
            typer.echo(f"  [{s['id']}] {LABEL_NAMES[s['label']]} {s['text']}")


def _run_screen(inbox: Path, out: Path, rules: Optional[Path], workers: Optional[int],
                archive: Optional[Path] = None, roster: Optional[Path] = None,
                deadline: Optional[str] = None, pdf: bool = True, dask: Optional[str] = None) -> dict:
    if not inbox.is_dir():
        _fail(f"收件箱不存在或不是文件夹: {inbox}")
    if rules and not rules.is_file():
        _fail(f"规则文件不存在: {rules}")
    if roster and not roster.is_file():
        _fail(f"名单文件不存在: {roster}")
    configure()
    # Prefect's server, the workers and the reading of cached analyses all start now, and
    # proceed while this process imports Prefect and the flow.
    start_local_server()
    pending = _read_cache_ahead(inbox, out, rules)
    if not dask:
        from flows.workers import prewarm

        prewarm(workers, str(rules) if rules else None, pending)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from flows.screen import Progress as FlowProgress
    from flows.screen import screen_batch

    bars: dict[str, int] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), transient=False) as progress:
        def listener(stage: str, done: int, total: int) -> None:
            if stage not in bars:
                if not total:
                    return
                bars[stage] = progress.add_task(stage, total=total)
            progress.update(bars[stage], completed=done, total=total)

        FlowProgress.listener = listener
        try:
            with prefect_api():
                result = screen_batch(str(inbox), str(out), rules=str(rules) if rules else None,
                                      archive=str(archive) if archive else None,
                                      roster=str(roster) if roster else None, deadline=deadline,
                                      workers=workers, pdf=pdf, dask=dask)
        finally:
            FlowProgress.listener = None
    typer.echo(f"已处理 {result['files']} 个文件，其中 {result['errors']} 个无法读取，"
               f"{result['changed']} 份分析有更新；结果在 {out}（总览：{out / 'index.html'}）")
    return result


def _read_cache_ahead(inbox: Path, out: Path, rules: Optional[Path]) -> int:
    """Start reading the cached analyses in a thread; return how many files probably need a
    worker (how many workers to start ahead)."""
    from flows.workers import prefetch_cached
    from nlp.analysis import analysis_versions
    from nlp.cache import likely_pending
    from nlp.inbox import discover

    files = [(s.path, s.id) for s in discover(inbox)]
    versions = analysis_versions(str(rules) if rules else None)
    prefetch_cached([(str(p), i) for p, i in files], str(out / "analysis"), versions)
    return likely_pending(files, out / "analysis", versions)


@app.command()
def screen(inbox: Path = typer.Argument(..., help="收件箱文件夹"),
           out: Path = typer.Option(Path("out"), "--out", help="输出文件夹"),
           roster: Optional[Path] = typer.Option(None, "--roster", help="报送名单 (csv/xlsx)"),
           archive: Optional[Path] = typer.Option(None, "--archive", help="往年报告文件夹"),
           rules: Optional[Path] = typer.Option(None, "--rules", help="自定义规则文件 (YAML)"),
           deadline: Optional[str] = typer.Option(None, "--deadline", help="报送截止时间，如 \"2022-12-20 18:00\""),
           workers: Optional[int] = typer.Option(None, "--workers", help="并行进程数"),
           no_pdf: bool = typer.Option(False, "--no-pdf", help="不生成 PDF 简报（更快）"),
           dask: Optional[str] = typer.Option(None, "--dask", help="在已有的 Dask 集群上运行，如 tcp://10.0.0.5:8786")) -> None:
    """批量预审一个收件箱中的全部报告。"""
    _run_screen(inbox, out, rules, workers, archive, roster, deadline, not no_pdf, dask)


@app.command()
def demo(out: Path = typer.Option(Path("out") / "demo", "--out", help="输出文件夹")) -> None:
    """预审随附的样例收件箱 corpus/samples/，输出到 out/demo；并核查样例整改方案和等次表。"""
    _run_screen(SAMPLES, out, None, None)
    _run_plans(HEARING_SAMPLES / "plans", out, out / "plans", None, None, None, True)
    grades(HEARING_SAMPLES / "grades.csv", as_json=False, out=out / "grades")


def _run_plans(inbox: Path, reports: Path, out: Optional[Path], critiques: Optional[Path],
               hearing: Optional[str], rules: Optional[Path], pdf: bool) -> dict:
    from datetime import date

    if not inbox.is_dir():
        _fail(f"整改方案文件夹不存在或不是文件夹: {inbox}")
    if not (reports / "analysis").is_dir():
        _fail(f"{reports} 中没有述职报告分析结果（analysis/）：请先运行 shuzhi screen。")
    if hearing:
        try:
            date.fromisoformat(hearing)
        except ValueError:
            _fail(f"评议日期格式应为 2023-01-20：{hearing}")
    configure()
    start_local_server()
    from flows.plans import check_plans

    with prefect_api():
        result = check_plans(str(inbox), str(reports), out=str(out) if out else None,
                             critiques=str(critiques) if critiques else None, hearing=hearing,
                             rules=str(rules) if rules else None, pdf=pdf)
    typer.echo(f"已核查 {result['plans']} 份整改方案，其中 {result['errors']} 份无法读取；"
               f"结果在 {result['out']}（汇总：{Path(result['out']) / 'index.html'}）")
    return result


@app.command()
def plans(inbox: Path = typer.Argument(..., help="整改方案文件夹（可含 点评/ 子文件夹和 hearings.csv）"),
          reports: Path = typer.Option(..., "--reports", help="shuzhi screen 的输出文件夹"),
          out: Optional[Path] = typer.Option(None, "--out", help="输出文件夹（默认 REPORTS/plans）"),
          critiques: Optional[Path] = typer.Option(None, "--critiques", help="点评意见文件夹（默认 INBOX/点评）"),
          hearing: Optional[str] = typer.Option(None, "--hearing", help="评议日期，如 2023-01-20（hearings.csv 未列出的单位用此日期）"),
          rules: Optional[Path] = typer.Option(None, "--rules", help="自定义规则文件 (YAML)"),
          no_pdf: bool = typer.Option(False, "--no-pdf", help="不生成 PDF 核查表")) -> None:
    """核查述职评议后的整改方案：要素齐全、时限、措施具体、按期报送，并逐条对应报告问题和点评意见。"""
    _run_plans(inbox, reports, out, critiques, hearing, rules, not no_pdf)


@app.command()
def train(no_textcat: bool = typer.Option(False, "--no-textcat", help="跳过 spaCy textcat 对比（更快）"),
          stock: bool = typer.Option(False, "--stock", help="只训练套话句模型（models/stock_sentences）"),
          docs: Path = typer.Option(PROJECT_ROOT / "docs" / "EVALUATION.md", "--docs",
                                    help="写入评测表的文档")) -> None:
    """训练句子角色模型（固定随机种子），保存到 models/sentence_roles 并更新评测文档。"""
    if stock:
        from nlp.findings.stock_model import MODEL_DIR as STOCK_DIR
        from nlp.findings.stock_train import run as run_stock

        run_stock(STOCK_DIR, log=typer.echo)
        typer.echo(f"套话句模型已保存到 {STOCK_DIR}")
        return
    from nlp.classify.train import MODEL_DIR, run
    from nlp.evaluate.docs import write_label_evaluation

    results = run(MODEL_DIR, with_textcat=not no_textcat, log=typer.echo)
    write_label_evaluation(docs, results)
    typer.echo(f"模型已保存到 {MODEL_DIR}；评测表已写入 {docs}")


@app.command()
def evaluate(split: str = typer.Option("test", "--split", help="dev | test | holdout"),
             no_textcat: bool = typer.Option(False, "--no-textcat", help="跳过 spaCy textcat 对比"),
             segmentation: bool = typer.Option(False, "--segmentation",
                                               help="评测分词（对照 corpus/segmentation/gold.txt）"),
             findings: bool = typer.Option(False, "--findings",
                                           help="评测发现项规则（对照语料标记）与文字雷同检测"),
             plans: bool = typer.Option(False, "--plans", help="评测整改方案要素抽取与问题对应（corpus/plans）"),
             stress: bool = typer.Option(False, "--stress",
                                         help="压力评测：去掉标题、从中间截取、只留成绩、标题并入正文、数字换成占位符后的表现"),
             cv: bool = typer.Option(False, "--cv",
                                     help="在 train + dev 上按报告做 5 折交叉验证（当前模型的配置；约十五分钟）"),
             rules: Optional[Path] = typer.Option(None, "--rules",
                                                  help="与 --findings 同用：按自定义规则文件评测（不改写文档）"),
             as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """在语料的某个划分上比较各方法（字符准确率、各标签 P/R/F1、macro-F1、占比误差、结论准确率）。"""
    if segmentation:
        _evaluate_segmentation(as_json)
        return
    if findings:
        if rules and not rules.is_file():
            _fail(f"规则文件不存在: {rules}")
        _evaluate_findings(split, as_json, rules)
        return
    if plans:
        _evaluate_plans(split, as_json)
        return
    if stress:
        _evaluate_stress(split, as_json)
        return
    if cv:
        _evaluate_cv(as_json)
        return
    from nlp.classify.labeller import load_labeller
    from nlp.classify.train import experiment, load_split
    from nlp.evaluate.labels import evaluate as evaluate_labels
    from nlp.evaluate.markdown import methods_table

    if split not in ("dev", "test", "holdout"):
        _fail("--split 只能是 dev、test 或 holdout")
    results, _, _ = experiment(splits=(split,), with_textcat=not no_textcat, log=lambda m: None)
    shipped = load_labeller()
    results[split]["shipped"] = evaluate_labels(lambda ex: shipped.predict(ex.contexts)[0],
                                                list(load_split(split)))
    if as_json:
        typer.echo(json.dumps(results[split], ensure_ascii=False, indent=1))
        return
    typer.echo(methods_table(results[split]))


def _evaluate_findings(split: str, as_json: bool, rules: Optional[Path] = None) -> None:
    import yaml

    from nlp.analysis import Analyzer
    from nlp.classify.train import report_path
    from nlp.corpus import load_report
    from nlp.evaluate.docs import replace_section
    from nlp.evaluate.findings import evaluate_findings
    from nlp.evaluate.markdown import findings_tables
    from nlp.evaluate.reuse import evaluate_reuse

    splits = yaml.safe_load((PROJECT_ROOT / "corpus" / "splits.yaml").read_text(encoding="utf-8"))
    analyzer = Analyzer(rules)
    results = evaluate_findings([load_report(report_path(i)) for i in splits[split]], analyzer)
    everything = [load_report(report_path(i)) for n in ("train", "dev", "test") for i in splits[n]
                  if (PROJECT_ROOT / "corpus" / "reports" / f"{i}.jsonl").exists()]
    results["reuse"] = evaluate_reuse(everything, analyzer)
    if as_json:
        typer.echo(json.dumps(results, ensure_ascii=False, indent=1))
        return
    table = findings_tables(results, split)
    typer.echo(table)
    if split == "test" and not rules:  # the documented table is that of the shipped rules
        replace_section(PROJECT_ROOT / "docs" / "EVALUATION.md", "findings", table)


def _evaluate_plans(split: str, as_json: bool) -> None:
    import yaml

    from nlp.evaluate.docs import replace_section
    from nlp.evaluate.plans import evaluate_extraction, evaluate_matching, plans_table, tune_matching
    from nlp.plans.corpus import load_plan
    from nlp.settings import load_settings

    folder = PROJECT_ROOT / "corpus" / "plans"
    splits = yaml.safe_load((folder / "splits.yaml").read_text(encoding="utf-8"))
    if split not in splits:
        _fail(f"--split 只能是 {'、'.join(splits)}")
    plans = [load_plan(folder / f"{pid}.json") for pid in splits[split]]
    conf = load_settings()["plans"]
    reports = PROJECT_ROOT / "corpus" / "reports"
    results = {"extraction": evaluate_extraction(plans, conf), "matching": evaluate_matching(plans, reports, conf)}
    if split == "dev":
        results["tuned"] = tune_matching(plans, reports, conf)
    if as_json:
        typer.echo(json.dumps(results, ensure_ascii=False, indent=1))
        return
    table = plans_table(results["extraction"], results["matching"], split, len(plans),
                        sum(len(p.items) for p in plans))
    typer.echo(table)
    if "tuned" in results:
        typer.echo(f"dev 上最优阈值：{results['tuned']}（plans.yaml 中为 {conf['matching']}）")
    if split == "test":
        replace_section(PROJECT_ROOT / "docs" / "EVALUATION.md", "plans", table)


def _evaluate_stress(split: str, as_json: bool) -> None:
    from nlp.classify.labeller import load_labeller
    from nlp.classify.train import load_split
    from nlp.evaluate.docs import replace_section
    from nlp.evaluate.stress import stress, stress_table

    if split not in ("dev", "test", "holdout"):
        _fail("--split 只能是 dev、test 或 holdout")
    labeller = load_labeller()
    results = stress(lambda ex: labeller.predict(ex.contexts)[0], list(load_split(split)))
    if as_json:
        typer.echo(json.dumps({k: {m: v for m, v in r.items() if m != "per_report"}
                               for k, r in results.items()}, ensure_ascii=False, indent=1))
        return
    table = stress_table(results) + (f"\n\nSplit: {split}; the shipped model. Command: "
                                     f"`shuzhi evaluate --stress --split {split}`.")
    typer.echo(table)
    replace_section(PROJECT_ROOT / "docs" / "EVALUATION.md", f"stress-{split}", table)


def _evaluate_cv(as_json: bool) -> None:
    from nlp.classify.train import cross_validation
    from nlp.evaluate.docs import replace_section
    from nlp.evaluate.stress import stress_table

    results = cross_validation(log=lambda m: typer.echo(m, err=True))
    if as_json:
        typer.echo(json.dumps(results, ensure_ascii=False, indent=1))
        return
    table = stress_table(results) + ("\n\nTrain + dev, 5 folds by report (reuse groups and previous-year "
                                     "pairs kept together); the shipped model's configuration. "
                                     "Command: `shuzhi evaluate --cv`.")
    typer.echo(table)
    replace_section(PROJECT_ROOT / "docs" / "EVALUATION.md", "cv", table)


def _evaluate_segmentation(as_json: bool) -> None:
    from nlp.evaluate.docs import replace_section
    from nlp.evaluate.segmentation import evaluate_segmentation

    results = evaluate_segmentation(PROJECT_ROOT / "corpus" / "segmentation" / "gold.txt")
    if as_json:
        typer.echo(json.dumps(results, indent=1))
        return
    rows = ["| tokenizer | precision | recall | F1 | field-term recall |", "| --- | --- | --- | --- | --- |"]
    names = {"jieba": "plain jieba (`jieba.lcut`)", "shuzhi": "shuzhi (jieba + domain dictionary + rules)"}
    for name, r in results.items():
        rows.append(f"| {names[name]} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | "
                    f"{r['field_term_recall']:.3f} |")
    any_r = next(iter(results.values()))
    table = "\n".join(rows) + (f"\n\nGold: {any_r['sentences']} sentences, {any_r['tokens']} tokens "
                               "(corpus/segmentation/gold.txt). Command: `shuzhi evaluate --segmentation`.")
    typer.echo(table)
    replace_section(PROJECT_ROOT / "docs" / "EVALUATION.md", "segmentation", table)


@corpus_app.command("check")
def corpus_check(root: Path = typer.Option(PROJECT_ROOT / "corpus", "--root", help="语料库目录")) -> None:
    """校验全部语料文件（标签、文本、元数据、划分）并输出各划分统计。"""
    from nlp.corpus_check import REQUIREMENTS, check_corpus, unmet

    errors, counts, stats = check_corpus(root)
    for key, (minimum, desc) in REQUIREMENTS.items():
        mark = "✓" if counts[key] >= minimum else "✗"
        typer.echo(f"{mark} {desc}: {counts[key]} (≥ {minimum})")
    typer.echo(f"  all reports: {counts['all_reports']} (fragments and short reports included); "
               f"placeholders: {counts['placeholders']} reports; archive: {counts['archive']}; "
               f"length {counts['chars_min']}–{counts['chars_max']} chars")
    typer.echo(f"  unit types: {counts['unit_type_counts']}")
    for name, st in stats.items():
        shares = " ".join(f"{k} {v:.1%}" for k, v in st["label_shares"].items())
        typer.echo(f"{name:8} {st['reports']:3} reports {st['sentences']:5} sentences "
                   f"{st['chars']:7} chars | {shares}")
    for e in errors:
        typer.secho(f"error: {e}", fg=typer.colors.RED, err=True)
    problems = unmet(counts)
    if errors or problems:
        for p in problems:
            typer.secho(f"unmet: {p}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    typer.echo("corpus OK")


@app.command()
def schedule(inbox: Path = typer.Argument(..., help="收件箱文件夹"),
             deadline: str = typer.Option(..., "--deadline", help="报送截止时间，如 \"2026-12-20 18:00\"（本地时间）"),
             out: Path = typer.Option(Path("out"), "--out", help="输出文件夹"),
             late_window: str = typer.Option("72h", "--late-window", help="截止后继续补充运行的时长"),
             every: str = typer.Option("6h", "--every", help="补报期内重新运行的间隔"),
             roster: Optional[Path] = typer.Option(None, "--roster", help="报送名单 (csv/xlsx)"),
             rules: Optional[Path] = typer.Option(None, "--rules", help="自定义规则文件 (YAML)"),
             dask: Optional[str] = typer.Option(None, "--dask", help="在已有 Dask 集群上运行，如 tcp://10.0.0.5:8786"),
             name: Optional[str] = typer.Option(None, "--name", help="部署名称")) -> None:
    """在 Prefect 服务器上创建截止时间自动运行的部署，并在本进程中执行（保持运行直至补报期结束后手动停止）。"""
    import os
    from datetime import datetime

    from flows.schedule import deadline_rrule, parse_duration

    configure()
    if not os.environ.get("PREFECT_API_URL"):
        _fail("未配置 Prefect 服务器：请先运行 `prefect server start`，并设置 PREFECT_API_URL（见 docs/DEPLOYMENT.md）。")
    try:
        when = datetime.fromisoformat(deadline.replace("/", "-")).astimezone()
        rule = deadline_rrule(when, parse_duration(late_window), parse_duration(every))
    except ValueError as e:
        _fail(f"时间参数有误：{e}")
    from flows.screen import screen_batch

    params = {"inbox": str(inbox.resolve()), "out": str(out.resolve()),
              "rules": str(rules.resolve()) if rules else None,
              "roster": str(roster.resolve()) if roster else None, "deadline": when.replace(tzinfo=None).isoformat(),
              "dask": dask}
    typer.echo(f"已创建部署：{when:%Y-%m-%d %H:%M} 运行，此后每 {every} 重新运行，直至 {late_window} 后。")
    screen_batch.serve(name=name or f"shuzhi-{inbox.resolve().name}", rrule=rule, parameters=params,
                       print_starting_message=False)


@app.command()
def purge(out: Path = typer.Argument(..., help="要清除的输出文件夹"),
          yes: bool = typer.Option(False, "--yes", help="不再确认")) -> None:
    """删除一个批次的全部输出和缓存（分析结果、简报、汇总表）。输入文件不受影响。"""
    from nlp.purge import purge_outputs

    if not yes and not typer.confirm(f"删除 {out} 中 shuzhi 生成的全部结果和缓存？"):
        raise typer.Exit(1)
    try:
        removed = purge_outputs(out)
    except ValueError as e:
        _fail(str(e))
    typer.echo(f"已删除 {removed} 个文件。")


@app.command()
def grades(file: Path = typer.Argument(..., help="等次表 (csv/xlsx，表头含 姓名、单位、等次)"),
           as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
           out: Path = typer.Option(Path("out") / "grades", "--out", help="核查表输出文件夹")) -> None:
    """核查评议等次分布：“较好”及以下不低于15%，列出不得评优和需约谈提醒的书记。"""
    from nlp.errors import ShuzhiInputError
    from nlp.grades import load_grades
    from nlp.storage import ensure_dir
    from reports.grades_sheet import write_grades_xlsx

    try:
        check = load_grades(file)
    except ShuzhiInputError as e:
        _fail(f"[{e.code.value}] {file.name}: {e.message}")
    data = check.to_dict()
    sheet = write_grades_xlsx(check, ensure_dir(out))
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    counts = "  ".join(f"{g} {n}" for g, n in data["counts"].items())
    typer.echo(f"参评 {data['total']} 人：{counts}")
    verdict = "符合" if data["meets_15_percent"] else f"不符合（至少还需 {data['needed_lower']} 人为“较好”及以下）"
    color = typer.colors.GREEN if data["meets_15_percent"] else typer.colors.RED
    typer.secho(f"“较好”及以下占 {data['lower_share']:.1%}，{verdict}“不低于15%”的要求。", fg=color)
    for title, people in (("不得评定为优秀", data["not_eligible_for_excellent"]),
                          ("需约谈提醒、限期整改", data["talk_required"])):
        names = "、".join(f"{p['name'] or p['unit']}（{p['grade']}）" for p in people) or "无"
        typer.echo(f"{title}：{names}")
    for bad in data["invalid"]:
        typer.secho(f"第 {bad['line']} 行 {bad['name'] or bad['unit']}：等次“{bad['value']}”无法识别"
                    f"（应为 好、较好、一般、差）", fg=typer.colors.YELLOW)
    typer.echo(f"核查表：{sheet}")


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
