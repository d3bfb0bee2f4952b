"""The text reader: encodings of Chinese offices, web punctuation, bad bytes."""
from __future__ import annotations

import os

import pytest

from nlp.errors import ErrorCode, ShuzhiInputError
from nlp.ingest import ingest
from nlp.ingest.normalize import fullwidth_punctuation


def test_txt_golden_blocks(files, golden):
    golden("txt_gbk_blocks", [b.to_dict() for b in ingest(files["gbk"]).blocks])


@pytest.mark.parametrize("key", ["gbk", "utf8_bom"])
def test_txt_encodings_give_same_text(files, key):
    texts = [b.text for b in ingest(files[key]).blocks]
    assert texts == ["东岭村党支部书记2022年度述职报告", "今年以来，我们做了很多工作；但也存在不足。",
                     "一是学习不够；二是作风不实。"]


def test_txt_big5(files):
    assert ingest(files["big5"]).blocks[0].text == "東嶺村黨支部書記述職報告"


@pytest.mark.parametrize("raw, expected", [
    ("成效明显,但仍有差距;", "成效明显，但仍有差距；"),
    ("主要问题:一是(学习)不够", "主要问题：一是（学习）不够"),
    ("增长3.5%,完成率100%", "增长3.5%，完成率100%"),
    ("会议于10:30召开", "会议于10:30召开"),
    ("version 1.2, final", "version 1.2, final"),
    ("存在不足.下一步", "存在不足。下一步"),
])
def test_txt_punctuation_normalised(raw, expected):
    assert fullwidth_punctuation(raw) == expected


def test_txt_random_bytes_unknown_encoding(tmp_path):
    path = tmp_path / "乱码.txt"
    path.write_bytes(os.urandom(4096))
    with pytest.raises(ShuzhiInputError) as e:
        ingest(path)
    assert e.value.code is ErrorCode.UNKNOWN_ENCODING


def test_txt_empty(tmp_path):
    path = tmp_path / "空.txt"
    path.write_bytes(b"  \n\n ")
    with pytest.raises(ShuzhiInputError) as e:
        ingest(path)
    assert e.value.code is ErrorCode.EMPTY_DOCUMENT


def test_txt_placeholders_kept(tmp_path):
    path = tmp_path / "占位.txt"
    path.write_text("XX镇党委书记×××述职报告\n全年发展党员**名，__月完成换届。\n", encoding="utf-8")
    text = ingest(path).text
    assert "XX镇" in text and "×××" in text and "**名" in text and "__月" in text


def test_clean_text_joins_surrogate_halves_and_drops_lone_ones():
    """pdfium gives a character beyond the BMP as two UTF-16 halves: joined into the character;
    a half alone would crash the feature hashing (mmh3 segfaults on it) and is dropped."""
    from nlp.ingest.normalize import clean_text

    assert clean_text("党\ud800建\udfff工作😀𠀋") == "党建工作😀𠀋"
    assert clean_text("支部\ud840\udc0b村\ud83d\ude00") == "支部𠀋村😀"
