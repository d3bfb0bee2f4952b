"""Cue words of sentence roles (nlp/data/cues.yaml), matched anywhere or at a sentence's start."""
from __future__ import annotations

import re
from functools import lru_cache

from nlp.settings import data_path, read_yaml

ENUMERATOR = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+是|首先|其次|再次|最后|第[一二三四五六七八九十]+[，,、]?|"
    r"[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|[①-⑳])\s*")


class CueLexicon:
    def __init__(self, lexicon: dict):
        self.categories = list(lexicon)
        self.any = {c: _alternation(v.get("any", [])) for c, v in lexicon.items()}
        self.start = {c: _alternation(v.get("start", []), anchored=True) for c, v in lexicon.items()}

    def match(self, text: str) -> dict[str, tuple[int, bool]]:
        """category → (number of cues anywhere, whether a start cue opens the sentence)."""
        body = ENUMERATOR.sub("", text, count=1)
        out = {}
        for c in self.categories:
            n = len(self.any[c].findall(text)) if self.any[c] else 0
            s = bool(self.start[c].match(body)) if self.start[c] else False
            out[c] = (n, s)
        return out


def _alternation(words: list[str], anchored: bool = False):
    if not words:
        return None
    words = sorted(set(map(str, words)), key=len, reverse=True)
    body = "|".join(re.escape(w) for w in words)
    return re.compile(("^(?:%s)" if anchored else "(?:%s)") % body)


@lru_cache(maxsize=1)
def cue_lexicon() -> CueLexicon:
    return CueLexicon(read_yaml(data_path("cues.yaml")))


def starts_with_enumerator(text: str) -> bool:
    return bool(ENUMERATOR.match(text))
