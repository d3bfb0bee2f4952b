"""The stress variants of nlp/evaluate/stress.py keep text and gold aligned, and run end to end
with the shipped labeller on real corpus reports."""
import pytest

from nlp.classify.train import load_split
from nlp.corpus import LABEL_CHAR
from nlp.document import BlockKind
from nlp.evaluate.labels import char_labels, share
from nlp.evaluate.stress import VARIANTS, achievements_only, fragment_from_middle, placeholders, stress


@pytest.fixture(scope="module")
def report():
    # the dev split's longest report with headings (it has problems, causes and numbers too)
    examples = [e for e in load_split("dev") if any(b.kind is BlockKind.HEADING for b in e.blocks)]
    return max(examples, key=lambda e: sum(len(b.text) for b in e.blocks))


def _aligned(ex):
    assert [len(b.text) for b in ex.blocks] == [len(l) for l in ex.block_labels]
    gold, _ = char_labels(ex, ex.labels)
    assert len(gold) == sum(not ch.isspace() for b in ex.blocks for ch in b.text)


def test_every_variant_keeps_text_and_labels_aligned(report):
    for make in VARIANTS.values():
        _aligned(make(report))


def test_achievements_only_has_no_problem_or_cause_left(report):
    assert share(char_labels(report, report.labels)[0]) > 0.1
    ex = achievements_only(report)
    gold, _ = char_labels(ex, ex.labels)
    assert share(gold) == 0 and set(gold) <= {LABEL_CHAR[l] for l in ("ACH", "PLAN", "OTHER")}
    assert "PROB" not in ex.labels and "CAUSE" not in ex.labels


def test_fragment_starts_inside_a_block_after_the_title(report):
    ex = fragment_from_middle(report)
    first = ex.blocks[0]
    assert first.kind is not BlockKind.HEADING
    whole = next(b for b in report.blocks if b.text.endswith(first.text) and b.text != first.text)
    assert len(first.text) < len(whole.text)
    assert sum(len(b.text) for b in ex.blocks) < sum(len(b.text) for b in report.blocks)


def test_placeholders_hide_every_digit(report):
    ex = placeholders(report)
    assert any(ch.isdigit() for b in report.blocks for ch in b.text)
    assert not any(ch.isdigit() for b in ex.blocks for ch in b.text)


def test_stress_runs_the_shipped_labeller_on_every_variant(report):
    from nlp.classify.labeller import load_labeller

    labeller = load_labeller()
    results = stress(lambda ex: labeller.predict(ex.contexts)[0], [report])
    assert list(results) == list(VARIANTS)
    assert all(r["reports"] == 1 and 0 <= r["char_accuracy"] <= 1 for r in results.values())
    assert results["achievements only"]["per_report"][0]["gold_share"] == 0


def test_cli_prints_every_variant_as_json():
    import json

    from typer.testing import CliRunner

    from flows.cli import app

    result = CliRunner().invoke(app, ["evaluate", "--stress", "--split", "dev", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert list(figures) == list(VARIANTS) and figures["as written"]["reports"] == len(load_split("dev"))
    whole = figures["as written"]["chars"]
    assert figures["fragment from the middle"]["chars"] < whole and figures["achievements only"]["chars"] < whole
    assert figures["no headings"]["chars"] < whole == figures["numbers as placeholders"]["chars"]


def test_inline_headings_leave_no_heading_block_and_keep_heading_labels(report):
    from nlp.evaluate.stress import inline_headings

    ex = inline_headings(report)
    blocks = report.blocks
    run_in = [j for j in range(len(blocks) - 1) if blocks[j].kind is BlockKind.HEADING
              and blocks[j].level >= 1 and blocks[j + 1].kind is BlockKind.PARAGRAPH]
    assert run_in and len(ex.blocks) == len(blocks) - len(run_in)
    j = run_in[0]
    i = next(i for i, b in enumerate(ex.blocks) if b.text.startswith(blocks[j].text))
    assert ex.blocks[i].kind is BlockKind.PARAGRAPH and ex.blocks[i].text.endswith(blocks[j + 1].text)
    assert ex.block_labels[i].startswith(report.block_labels[j])
