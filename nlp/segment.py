"""Chinese word segmentation: a spaCy "zh" pipeline whose tokenizer is jieba with the domain
dictionary (nlp/data/userdict.txt).

The tokenizer owns its own `jieba.Tokenizer`: the process-wide `jieba.load_userdict` would change
segmentation for every other user of jieba in the process. The dictionary is loaded in
`initialize` (not at import), and the pipeline is built once per process by `get_nlp()`: it cannot
be pickled with its dictionary, so worker processes build their own.
"""
from __future__ import annotations

import logging
import math
import re
from functools import lru_cache
from pathlib import Path

import jieba
import spacy
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces, registry

from nlp.settings import data_path

jieba.setLogLevel(logging.WARNING)


def read_userdict(path: str | Path) -> list[tuple[str, int | None, str | None]]:
    """Entries of a jieba user dictionary ("word [freq] [pos]"), skipping comments and blanks."""
    entries = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        pos = parts[2] if len(parts) > 2 else None
        entries.append((parts[0], freq, pos))
    return entries


_PLACEHOLDER = re.compile(r"^[X×*＊_xＸ]+$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def merge_tokens(words: list[str]) -> list[str]:
    """Segmentation-standard fixes jieba does not know: placeholders (×××, **, __) are one token;
    "3.5" + "%" and dates ("2023" + "年", "6" + "月") are one token."""
    out: list[str] = []
    for w in words:
        prev = out[-1] if out else ""
        if prev and _PLACEHOLDER.match(prev) and _PLACEHOLDER.match(w) and prev[-1] == w[0]:
            out[-1] = prev + w
        elif prev and _NUMBER.match(prev) and (w == "%" or w == "％"):
            out[-1] = prev + w
        elif prev.isdigit() and ((len(prev) == 4 and w == "年") or (len(prev) <= 2 and w in ("月", "日"))):
            out[-1] = prev + w
        else:
            out.append(w)
    return out


class BestRoute:
    """jieba's cut without its HMM (`Tokenizer.cut(text, HMM=False)`), word for word the same,
    in half the time: one pass from the end of each run of Han characters scores the dictionary
    words starting at each position, where jieba builds the whole DAG first and then takes a
    `max` over a generator per character, recomputing each word's log frequency every time.
    The role model's word features cut every sentence this way, and jieba's loop was a fifth of
    a worker's time; tests/test_segment.py checks the equality on the whole corpus."""

    def __init__(self, tk: jieba.Tokenizer):
        tk.check_initialized()
        self.freq = tk.FREQ
        self.logtotal = math.log(tk.total)
        self.logp: dict[str, float] = {}  # word → log(freq or 1) - log(total), filled as met

    def _weight(self, word: str) -> float:
        p = self.logp.get(word)
        if p is None:
            p = self.logp[word] = math.log(self.freq.get(word) or 1) - self.logtotal
        return p

    def _ends(self, s: str) -> list[int]:
        """For each position, the last index of the word that starts there on the best route
        (jieba's `calc`: ties go to the longer word, as its max over (score, end) does)."""
        freq, n = self.freq, len(s)
        score, end = [0.0] * (n + 1), [0] * (n + 1)
        for k in range(n - 1, -1, -1):
            best, last = None, k
            i, frag = k, s[k]
            while i < n and frag in freq:
                if freq[frag]:
                    value = self._weight(frag) + score[i + 1]
                    if best is None or value >= best:
                        best, last = value, i
                i += 1
                frag = s[k:i + 1]
            if best is None:  # no dictionary word starts here: the character alone
                best = self._weight(s[k]) + score[k + 1]
            score[k], end[k] = best, last
        return end

    def _han(self, s: str) -> list[str]:
        end, x, buf, out = self._ends(s), 0, "", []
        while x < len(s):
            y = end[x] + 1
            word = s[x:y]
            if len(word) == 1 and jieba.re_eng.match(word):  # single letters/digits run together
                buf += word
            else:
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(word)
            x = y
        if buf:
            out.append(buf)
        return out

    def cut(self, text: str) -> list[str]:
        out: list[str] = []
        for block in jieba.re_han_default.split(text):
            if not block:
                continue
            if jieba.re_han_default.match(block):
                out.extend(self._han(block))
                continue
            for part in jieba.re_skip_default.split(block):
                if jieba.re_skip_default.match(part):
                    out.append(part)
                else:
                    out.extend(part)
        return [w for w in out if w]


class JiebaTokenizer:
    """spaCy tokenizer over a private jieba.Tokenizer with an optional user dictionary."""

    def __init__(self, vocab, userdict: str | None = None):
        self.vocab = vocab
        self.userdict = userdict
        self.jieba: jieba.Tokenizer | None = None
        self._route: BestRoute | None = None

    def initialize(self, get_examples=None, *, nlp=None, pkuseg_model=None,
                   pkuseg_user_dict=None) -> "JiebaTokenizer":
        """Load jieba's dictionary and ours. The pkuseg settings of spaCy's "zh" defaults are
        accepted (nlp.initialize passes them) and ignored."""
        if self.jieba is not None:
            return self
        tk = jieba.Tokenizer()
        tk.initialize()
        if self.userdict:
            for word, freq, pos in read_userdict(self.userdict):
                tk.add_word(word, freq, pos)
        self.jieba = tk
        return self

    def cut(self, text: str, hmm: bool = True) -> list[str]:
        if self.jieba is None:
            self.initialize()
        if not hmm:
            if self._route is None:
                self._route = BestRoute(self.jieba)
            return merge_tokens(self._route.cut(text))
        return merge_tokens([w for w in self.jieba.cut(text, HMM=hmm) if w])

    def __call__(self, text: str) -> Doc:
        words = [w for w in self.cut(text) if not w.isspace()]
        words, spaces = get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)

    # spaCy serialises tokenizers; ours is rebuilt from its data file instead.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "JiebaTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> "JiebaTokenizer":
        return self


@registry.tokenizers("shuzhi.JiebaTokenizer.v1")
def create_jieba_tokenizer(userdict: str = ""):
    def make(nlp):
        return JiebaTokenizer(nlp.vocab, userdict or None)

    return make


def build_nlp(userdict: str | Path | None = "default") -> spacy.Language:
    """A blank spaCy "zh" pipeline with our tokenizer; userdict=None gives plain jieba."""
    if userdict == "default":
        userdict = data_path("userdict.txt")
    config = {"nlp": {"tokenizer": {"@tokenizers": "shuzhi.JiebaTokenizer.v1",
                                    "userdict": str(userdict) if userdict else ""}}}
    nlp = spacy.blank("zh", config=config)
    nlp.tokenizer.initialize()
    return nlp


@lru_cache(maxsize=2)
def get_nlp(userdict: str = "default") -> spacy.Language:
    """The process's pipeline, built on first use."""
    return build_nlp(userdict)


def tokenize(text: str) -> list[str]:
    return [t.text for t in get_nlp()(text)]
