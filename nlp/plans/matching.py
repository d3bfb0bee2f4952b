"""Which plan items answer which problems of the report and which points of the critique.

Items rarely repeat the report's words: "党建与教育教学结合不紧" comes back as "推动党建和教学
深度融合". Character n-grams catch most of that overlap without a lexicon; TF-IDF fitted on the
report's own sentences and the plan keeps the words every sentence shares (党建, 工作, 党员) from
making everything look alike. A pair counts as an answer when its cosine reaches `threshold`, or
when the item is the point's best and reaches the lower `floor` (a point is usually answered by
the item most like it); a point whose best item stays below the floor is unanswered. Both are
tuned on the dev plans (`shuzhi evaluate --plans`, docs/EVALUATION.md).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


@dataclass
class Link:
    target: str  # a problem point id ("P3") or critique point id ("C2")
    item: int  # 0-based index of the item
    score: float

    def to_dict(self) -> dict:
        return {"target": self.target, "item": self.item, "score": round(self.score, 3)}


def _vectorizer(background: list[str]) -> TfidfVectorizer:
    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, min_df=1)
    vec.fit([t for t in background if t.strip()] or ["。"])
    return vec


def similarity(items: list[str], targets: list[str], background: list[str],
               project_weight: float = 1.0, projects: list[str] | None = None) -> np.ndarray:
    """Cosine similarity, rows = targets, columns = items."""
    if not items or not targets:
        return np.zeros((len(targets), len(items)))
    vec = _vectorizer(background + items + targets)
    item_m = vec.transform(items)
    if projects is not None and project_weight:
        item_m = item_m + project_weight * vec.transform(projects)
    target_m = vec.transform(targets)
    item_m = _normalize(item_m)
    target_m = _normalize(target_m)
    return (target_m @ item_m.T).toarray()


def _normalize(m):
    from sklearn.preprocessing import normalize

    return normalize(m, norm="l2", axis=1)


def link(targets: list[tuple[str, str]], items: list[tuple[str, str]], background: list[str],
         threshold: float, floor: float, project_weight: float = 1.0) -> list[Link]:
    """Links from (id, text) targets to (project, measures) items."""
    texts = [f"{p}。{m}" for p, m in items]
    sims = similarity(texts, [t for _, t in targets], background, project_weight,
                      [p for p, _ in items])
    links: list[Link] = []
    for row, (tid, _) in enumerate(targets):
        if not len(items):
            break
        best = int(np.argmax(sims[row]))
        for col in range(len(items)):
            s = float(sims[row, col])
            if s >= threshold or (col == best and s >= floor):
                links.append(Link(tid, col, s))
    return links
