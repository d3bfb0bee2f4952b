"""Method (d) of the comparison: spaCy's textcat (bag-of-words, exclusive classes) over jieba
tokens, with the section kind and heading status given as extra tokens. Compared, not shipped."""
from __future__ import annotations

import random

import spacy
from spacy.training import Example as SpacyExample

from nlp.classify import LABELS
from nlp.classify.context import SentenceContext
from nlp.segment import build_nlp


def _text(c: SentenceContext) -> str:
    head = "标题" if c.heading_level is not None else "正文"
    return f"节{c.section_kind} {head} {c.text}"


class SpacyTextcat:
    def __init__(self, epochs: int = 5, seed: int = 0):
        self.epochs = epochs
        self.seed = seed

    def fit(self, reports: list[list[SentenceContext]], labels: list[list[str]]) -> "SpacyTextcat":
        spacy.util.fix_random_seed(self.seed)
        nlp = build_nlp()
        textcat = nlp.add_pipe("textcat", config={"model": {
            "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
            "no_output_layer": False, "length": 262144}})
        for label in LABELS:
            textcat.add_label(label)
        data = []
        for report, ls in zip(reports, labels):
            for c, label in zip(report, ls):
                doc = nlp.make_doc(_text(c))
                data.append(SpacyExample.from_dict(doc, {"cats": {l: float(l == label) for l in LABELS}}))
        optimizer = nlp.initialize(lambda: data[:200])
        rng = random.Random(self.seed)
        for _ in range(self.epochs):
            rng.shuffle(data)
            for batch in spacy.util.minibatch(data, size=32):
                nlp.update(batch, sgd=optimizer, drop=0.1)
        self.nlp_ = nlp
        return self

    def predict(self, report: list[SentenceContext]) -> list[str]:
        docs = self.nlp_.pipe(_text(c) for c in report)
        return [max(d.cats, key=d.cats.get) for d in docs]
