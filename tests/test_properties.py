"""Property tests: for any text, splitting and segmentation never crash and cover the text
exactly; shares lie in [0, 1] and sum to 1; analysis is deterministic."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.document import Block, BlockKind, Document
from nlp.measure import measure
from nlp.segment import get_nlp
from nlp.sentences import split_blocks, split_text

CHINESE = st.text(alphabet=st.sampled_from(list("党建工作问题原因措施一是二是我们的，。；！？：“”《》（）3.5%XX×* \n")),
                  max_size=300)
ANY = st.text(max_size=200)


def _nonspace(s: str) -> str:
    return "".join(c for c in s if not c.isspace())


@given(st.one_of(CHINESE, ANY))
def test_property_split_covers_text(text):
    spans = split_text(text)
    assert _nonspace("".join(text[a:b] for a, b in spans)) == _nonspace(text)
    assert all(a < b for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))


@given(st.one_of(CHINESE, ANY))
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_property_segmentation_covers_text(text):
    doc = get_nlp()(text)
    assert doc.text == text


@given(st.lists(st.tuples(CHINESE, st.sampled_from(["ACH", "PROB", "CAUSE", "PLAN", "OTHER"])), max_size=20))
def test_property_shares(items):
    sentences = [{"id": i, "text": t, "label": l} for i, (t, l) in enumerate(items)]
    m = measure(sentences)
    assert 0.0 <= m["problem_cause_share"] <= 1.0
    if m["chars"]["total"]:
        assert abs(sum(m["shares"].values()) - 1.0) < 1e-9
    assert all(0.0 <= v <= 1.0 for v in m["shares"].values())


@given(st.lists(CHINESE, min_size=1, max_size=8))
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
          deadline=None)
def test_property_analysis_deterministic(analyzer, paragraphs):
    blocks = [Block(BlockKind.PARAGRAPH, p) for p in paragraphs if p.strip()]
    if not blocks:
        return
    doc = Document(blocks, "txt", "0" * 64, "x.txt")
    first = analyzer.analyze_document(doc, "x")
    second = analyzer.analyze_document(doc, "x")
    assert first == second
    joined = _nonspace("".join(s["text"] for s in first["sentences"]))
    assert joined == _nonspace("".join(b.text for b in blocks))
    assert len(split_blocks(blocks)) == len(first["sentences"])
