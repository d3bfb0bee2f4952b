"""Apply the segmentation standard (corpus/segmentation/README.md) to nlp/data/userdict.txt.

The standard keeps atomic field concepts whole and leaves compositional compounds to the
segmenter: "软弱涣散 党组织", "党支部 书记", "述职评议 考核". A dictionary entry that is an entry
plus an ordinary word, or a role ending in 书记/成员/干部/委员, would glue what the standard splits,
so it is removed. Run after editing the dictionary:  python corpus/tools/curate_userdict.py
"""
import sys
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from nlp.segment import read_userdict  # noqa: E402

KEEP = {"组织生活会", "中央八项规定", "第一书记", "第一责任人"}  # atomic although decomposable
ROLE_ENDINGS = ("书记", "成员", "干部", "委员")


def compositional(word: str, entries: set[str], known) -> bool:
    for i in range(1, len(word)):
        a, b = word[:i], word[i:]
        if (a in entries or known(a)) and (b in entries or known(b)) and (a in entries or b in entries):
            return True
    return False


def main() -> None:
    path = ROOT / "nlp" / "data" / "userdict.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    entries = {w for w, _, _ in read_userdict(path)}
    tk = jieba.Tokenizer()
    tk.initialize()
    known = lambda w: tk.FREQ.get(w, 0) >= 50  # noqa: E731
    drop = {w for w in entries if w not in KEEP and (
        compositional(w, entries, known) or (w.endswith(ROLE_ENDINGS) and len(w) > 2))}
    kept = [ln for ln in lines if not ln.strip() or ln.startswith("#") or ln.split()[0] not in drop]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    print(f"removed {len(drop)} compositional entries, {len(entries) - len(drop)} remain")


if __name__ == "__main__":
    main()
