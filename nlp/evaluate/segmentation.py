"""Word segmentation against the gold set corpus/segmentation/gold.txt (precision/recall of word
spans), for our tokenizer and for plain jieba."""
from __future__ import annotations

import re
from pathlib import Path


def read_gold(path: str | Path) -> list[list[str]]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [ln.split() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _spans(tokens: list[str]) -> set[tuple[int, int]]:
    spans, pos = set(), 0
    for t in tokens:
        spans.add((pos, pos + len(t)))
        pos += len(t)
    return spans


def score(gold: list[list[str]], predicted: list[list[str]]) -> dict:
    tp = n_gold = n_pred = 0
    for g, p in zip(gold, predicted):
        if "".join(g) != "".join(p):
            raise ValueError(f"texts differ: {''.join(g)!r} vs {''.join(p)!r}")
        gs, ps = _spans(g), _spans(p)
        tp += len(gs & ps)
        n_gold += len(gs)
        n_pred += len(ps)
    precision, recall = tp / n_pred, tp / n_gold
    return {"precision": precision, "recall": recall,
            "f1": 2 * precision * recall / (precision + recall), "sentences": len(gold),
            "tokens": n_gold}


def field_terms(readme: str | Path) -> set[str]:
    """The closed list of field terms of the segmentation standard (corpus/segmentation/README.md)."""
    text = Path(readme).read_text(encoding="utf-8")
    block = text.split("The closed list:", 1)[1].split("\n   -", 1)[0]
    return {t.strip(" .\n") for t in re.split(r"[,，]", block) if t.strip(" .\n")}


def term_recall(gold: list[list[str]], predicted: list[list[str]], terms: set[str]) -> float:
    """Share of gold tokens from the closed list of field terms that come out as one token."""
    hit = total = 0
    for g, p in zip(gold, predicted):
        ps = _spans(p)
        pos = 0
        for t in g:
            if t in terms:
                total += 1
                hit += (pos, pos + len(t)) in ps
            pos += len(t)
    return hit / total if total else 0.0


def evaluate_segmentation(gold_path: str | Path) -> dict[str, dict]:
    """Scores of plain jieba (`jieba.lcut`) and of our tokenizer on the same gold sentences."""
    import jieba

    from nlp.segment import build_nlp

    gold = read_gold(gold_path)
    texts = ["".join(g) for g in gold]
    terms = field_terms(Path(gold_path).with_name("README.md"))
    plain = jieba.Tokenizer()
    ours = build_nlp()
    runs = {"jieba": [plain.lcut(t) for t in texts],
            "shuzhi": [[tok.text for tok in ours(t)] for t in texts]}
    results = {}
    for name, predicted in runs.items():
        results[name] = score(gold, predicted)
        results[name]["field_term_recall"] = term_recall(gold, predicted, terms)
    return results
