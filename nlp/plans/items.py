"""Rectification items out of a plan document, whether written as a table or as prose.

A table item is a row under a header whose cells name the fields (整改项目, 具体措施, 责任部门,
完成时限, in any order and wording, nlp/data/plans.yaml). A prose item starts at an enumeration
(一是, （一）, 1.) and runs to the next one of the same kind; its fields are the words after labels
such as 责任部门： and 完成时限：, its project is its first sentence and its measures the rest.
A numbered block counts as an item only if a field label or a deadline shows it is one, so that
the preamble's "一、总体要求" is not taken for an item.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from nlp.document import Block, BlockKind
from nlp.plans.deadlines import FULL_DATE, LONG_TERM
from nlp.settings import data_path, read_yaml

FIELDS = ("project", "measures", "department", "deadline")
MARKER = re.compile(
    r"^\s*(?P<marker>[一二三四五六七八九十]{1,3}是|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}\s*[.．、](?!\d)|[（(]\d{1,2}[)）]|[①-⑳]"
    r"|第[一二三四五六七八九十]{1,3}[项条个][，,：:、]?)\s*"
)
TRAILING = "。；;，,：: \u3000"


@dataclass
class PlanItem:
    project: str = ""
    measures: str = ""
    department: str = ""
    deadline: str = ""
    source: str = "table"  # "table" or "prose"
    blocks: list[int] = field(default_factory=list)

    def fields(self) -> dict[str, str]:
        return {f: getattr(self, f) for f in FIELDS}

    @property
    def text(self) -> str:
        return f"{self.project}。{self.measures}"


@lru_cache(maxsize=1)
def plan_lexicon() -> dict:
    """The bundled plans lexicon (nlp/data/plans.yaml); `--rules` files override it via settings."""
    return read_yaml(data_path("plans.yaml"))


def _clean(text: str) -> str:
    text = re.sub(r"\s*\n\s*", "", text or "").strip()
    text = text.strip(TRAILING)
    if text.startswith(("（", "(")) and text.endswith(("）", ")")):
        text = text[1:-1].strip(TRAILING)
    return text


def _strip_marker(text: str) -> str:
    return MARKER.sub("", text, count=1)


# ---------------------------------------------------------------- tables

def _header_map(row: list[str], columns: dict[str, list[str]]) -> dict[str, int]:
    """Field → column index for a header row (the most specific header word wins)."""
    found: dict[str, int] = {}
    taken: set[int] = set()
    for fname in ("deadline", "department", "measures", "project"):
        for word in columns[fname]:
            hit = next((i for i, cell in enumerate(row)
                        if i not in taken and word in re.sub(r"\s+", "", cell)), None)
            if hit is not None:
                found[fname] = hit
                taken.add(hit)
                break
    return found


def table_items(blocks: list[Block], lex: dict) -> list[PlanItem]:
    columns = lex["columns"]
    tables: dict[int, dict[int, dict[int, tuple[int, str]]]] = {}
    for i, b in enumerate(blocks):
        if b.kind is BlockKind.TABLE_CELL:
            tables.setdefault(b.table, {}).setdefault(b.row, {})[b.col] = (i, b.text)
    items: list[PlanItem] = []
    previous: tuple[int, dict[str, int]] | None = None  # (width, columns) of the last item table
    for rows in tables.values():
        ordered = [rows[r] for r in sorted(rows)]
        width = max((max(r) + 1 for r in ordered if r), default=0)
        grid = [[r.get(c, (None, ""))[1] for c in range(width)] for r in ordered]
        header_at = next((k for k, row in enumerate(grid[:3]) if len(_header_map(row, columns)) >= 2), None)
        if header_at is not None:
            cols = _header_map(grid[header_at], columns)
        elif previous and previous[0] == width:  # the table goes on over a page break
            header_at, cols = -1, previous[1]
        else:
            continue
        continued = header_at == -1
        previous = (width, cols)
        for k, row in enumerate(grid[header_at + 1:], start=header_at + 1):
            values = {f: _clean(row[c]) if c < len(row) else "" for f, c in cols.items()}
            filled = [v for v in values.values() if v]
            if continued and k == 0 and items and not row[0].strip() and _numbered_rows(grid):
                _merge_into(items[-1], values)  # the rest of a row split by the page break
                continue
            if len(filled) <= 1 and len({c for c in row if c.strip()}) <= 1:
                continue  # a group row ("一、思想建设方面") spanning the table
            item = PlanItem(**{f: values.get(f, "") for f in FIELDS}, source="table",
                            blocks=[i for i, _ in ordered[k].values()])
            items.append(item)
    return items


def _numbered_rows(grid: list[list[str]]) -> bool:
    """Most rows carry a 序号 in the first column."""
    numbered = sum(1 for row in grid if row and row[0].strip().isdigit())
    return numbered >= max(1, (len(grid) - 1) // 2)


def _merge_into(item: PlanItem, values: dict[str, str]) -> None:
    from nlp.ingest.pdf_layout import join as _join

    for f, v in values.items():
        if v:
            setattr(item, f, _join(getattr(item, f), v) if getattr(item, f) else v)


# ---------------------------------------------------------------- prose

class _Labels:
    """The field labels of prose plans ("责任部门：") compiled once per lexicon."""

    def __init__(self, lex: dict):
        self.fields = lex["labels"]
        words = sorted({w for ws in self.fields.values() for w in ws}, key=len, reverse=True)
        self.pattern = re.compile(r"[（(]?\s*(?P<label>" + "|".join(map(re.escape, words)) + r")\s*[：:]\s*")

    def field_of(self, label: str) -> tuple[str, int]:
        for fname, words in self.fields.items():
            if label in words:
                return fname, words.index(label)
        return "project", 99


def _split_labels(text: str, labels: _Labels) -> tuple[str, dict[str, str]]:
    """The text before the first label, and each labelled field's value."""
    matches = list(labels.pattern.finditer(text))
    head = text[: matches[0].start()] if matches else text
    values: dict[str, list[tuple[int, str]]] = {}
    for n, m in enumerate(matches):
        end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        fname, rank = labels.field_of(m["label"])
        value = text[m.end():end]
        if fname in ("department", "deadline"):  # short fields end at the sentence's end
            value = re.split(r"[。\n]", value, maxsplit=1)[0]
        values.setdefault(fname, []).append((rank, _clean(value)))
    return head, {f: min(v)[1] for f, v in values.items()}


def _looks_like_item(text: str, labels: _Labels) -> bool:
    return bool(labels.pattern.search(text) or FULL_DATE.search(text) or LONG_TERM.search(text))


def _marker_kind(text: str) -> str | None:
    m = MARKER.match(text)
    if not m:
        return None
    marker = m["marker"]
    for kind, pattern in (("shi", r"是$"), ("paren_cn", r"^[（(][一二三四五六七八九十]"),
                          ("cn", r"^[一二三四五六七八九十]+\s*[、.．]"), ("paren_num", r"^[（(]\d"),
                          ("num", r"^\d"), ("circled", r"^[①-⑳]"), ("ordinal", r"^第")):
        if re.search(pattern, marker):
            return kind
    return None


def prose_items(blocks: list[Block], lex: dict) -> list[PlanItem]:
    """Items of a plan written as text: enumerated chunks that carry fields."""
    labels = _Labels(lex)
    closing = re.compile("|".join(map(re.escape, lex.get("closing_sections", []))) or "$^")
    body = []
    for i, b in enumerate(blocks):
        if b.kind is BlockKind.TABLE_CELL:
            continue
        if len(b.text) <= 20 and closing.search(b.text) and body:
            break  # "三、保障措施": the items are over
        body.append((i, b))
    chunks: list[tuple[str | None, list[int], str]] = []  # (marker kind, blocks, text)
    for i, b in body:
        text = b.text.strip()
        if not text:
            continue
        kind = _marker_kind(text)
        pieces = _split_inline(text) if kind == "shi" or _inline_shi(text) else [text]
        if len(pieces) > 1:
            for piece in pieces:
                chunks.append(("shi", [i], piece))
            continue
        if kind is not None:
            chunks.append((kind, [i], text))
        elif chunks and b.kind is not BlockKind.HEADING:
            k, idx, t = chunks[-1]
            chunks[-1] = (k, idx + [i], t + "\n" + text)
        else:
            chunks.append((None, [i], text))
    # the item level: the marker kind whose chunks most often carry fields
    scores: dict[str, int] = {}
    for kind, _, text in chunks:
        if kind and _looks_like_item(text, labels):
            scores[kind] = scores.get(kind, 0) + 1
    if not scores:
        return []
    level = max(scores, key=lambda k: (scores[k], -_nesting(k)))
    labelled = sum(1 for kind, _, text in chunks if kind == level and labels.pattern.search(text))
    items = []
    for kind, idx, text in chunks:
        if kind != level or not _looks_like_item(text, labels):
            continue
        if labelled >= 2 and not labels.pattern.search(text):
            continue  # a plan that labels its fields labels every item
        items.append(_prose_item(text, idx, labels))
    return items


def _nesting(kind: str) -> int:
    return ["cn", "paren_cn", "num", "paren_num", "shi", "circled", "ordinal"].index(kind)


def _inline_shi(text: str) -> bool:
    return len(re.findall(r"[一二三四五六七八九十]是", text)) >= 2 and _marker_kind(text) is None


def _split_inline(text: str) -> list[str]:
    """"一是……。二是……。" in one paragraph → one piece per 是-item."""
    starts = [m.start() for m in re.finditer(r"(?:(?<=^)|(?<=[。；;：:\n]))\s*[一二三四五六七八九十]是", text)]
    if len(starts) < 2:
        return [text]
    pieces = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
    return pieces


def _prose_item(text: str, idx: list[int], labels: _Labels) -> PlanItem:
    text = _strip_marker(text.strip())
    head, values = _split_labels(text, labels)
    project = values.get("project", "")
    measures = values.get("measures", "")
    head = head.strip()
    if not project:
        first, rest = _first_sentence(head)
        project, head = first, rest
    if not measures:
        measures = head
    return PlanItem(project=_clean(project), measures=_clean(measures),
                    department=values.get("department", ""), deadline=values.get("deadline", ""),
                    source="prose", blocks=idx)


def _first_sentence(text: str) -> tuple[str, str]:
    lines = text.split("\n", 1)
    if len(lines) == 2 and len(lines[0]) <= 60:
        return lines[0], lines[1]
    m = re.search(r"[。！？；;]", text)
    if not m:
        return text, ""
    return text[: m.start()], text[m.end():]


def extract_items(blocks: list[Block], lex: dict | None = None) -> list[PlanItem]:
    """All items of a plan: its tables' rows if it has an item table, else its prose items."""
    lex = lex or plan_lexicon()
    items = table_items(blocks, lex)
    return items if items else prose_items(blocks, lex)
