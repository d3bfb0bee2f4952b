"""Checks that run before a parser touches a file: size, zip bombs, XML entity tricks.

A .docx is a zip of XML parts. We refuse packages whose parts inflate beyond the limits and parts
that declare a DTD (Word never writes one; a DTD is how entity-expansion and external-entity
attacks start), so the XML parser never sees them.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from nlp.errors import ErrorCode, ShuzhiInputError
from nlp.settings import Limits

MB = 1024 * 1024


def check_file_size(path: Path, limits: Limits) -> int:
    size = path.stat().st_size
    if size > limits.max_file_mb * MB:
        raise ShuzhiInputError(ErrorCode.FILE_TOO_LARGE,
                               f"{size / MB:.1f} MB > {limits.max_file_mb} MB")
    return size


def check_zip_package(path: Path, limits: Limits) -> None:
    """Refuse zip bombs and XML parts with DTDs before python-docx opens the package."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > limits.max_uncompressed_mb * MB:
                raise ShuzhiInputError(ErrorCode.ARCHIVE_BOMB,
                                       f"uncompressed {total / MB:.0f} MB")
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > 10 * MB and ratio > limits.max_compression_ratio:
                    raise ShuzhiInputError(ErrorCode.ARCHIVE_BOMB,
                                           f"{info.filename} inflates {ratio:.0f}×")
                if info.filename.endswith((".xml", ".rels")):
                    with zf.open(info) as part:
                        head = part.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise ShuzhiInputError(ErrorCode.CORRUPT_FILE,
                                               f"{info.filename} declares a DTD")
    except zipfile.BadZipFile as e:
        raise ShuzhiInputError(ErrorCode.CORRUPT_FILE, f"bad zip: {e}") from e
