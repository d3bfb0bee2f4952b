"""The `shuzhi` command line. Each command is a thin call into nlp/, reports/ or a flow."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from flows.prefect_env import configure

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_show_locals=False,
                  help="shuzhi：述职报告预审工具（供组织部评议人员参考）")
corpus_app = typer.Typer(no_args_is_help=True, help="语料库工具")
app.add_typer(corpus_app, name="corpus")

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLES = PROJECT_ROOT / "corpus" / "samples"


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
    typer.echo(f"{file.name}: {len(record['sentences'])} 句")
    for s in record["sentences"]:
        typer.echo(f"{s['id']:>4} {s.get('label', ''):<5} {s['text']}")


def _run_screen(inbox: Path, out: Path, rules: Optional[Path], workers: Optional[int]) -> dict:
    if not inbox.is_dir():
        _fail(f"收件箱不存在或不是文件夹: {inbox}")
    configure()
    from flows.screen import screen_batch

    result = screen_batch(str(inbox), str(out), rules=str(rules) if rules else None, workers=workers)
    typer.echo(f"已处理 {result['files']} 个文件，其中 {result['errors']} 个无法读取；结果在 {out}")
    return result


@app.command()
def screen(inbox: Path = typer.Argument(..., help="收件箱文件夹"),
           out: Path = typer.Option(Path("out"), "--out", help="输出文件夹"),
           roster: Optional[Path] = typer.Option(None, "--roster", help="报送名单 (csv/xlsx)"),
           archive: Optional[Path] = typer.Option(None, "--archive", help="往年报告文件夹"),
           rules: Optional[Path] = typer.Option(None, "--rules", help="自定义规则文件 (YAML)"),
           workers: Optional[int] = typer.Option(None, "--workers", help="并行进程数")) -> None:
    """批量预审一个收件箱中的全部报告。"""
    _run_screen(inbox, out, rules, workers)


@app.command()
def demo(out: Path = typer.Option(Path("out") / "demo", "--out", help="输出文件夹")) -> None:
    """预审随附的样例收件箱 corpus/samples/，输出到 out/demo。"""
    _run_screen(SAMPLES, out, None, None)


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
