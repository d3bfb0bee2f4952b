"""Read legacy .doc/.wps by converting to .docx with LibreOffice headless, when it is installed.

Each conversion gets its own LibreOffice profile directory (parallel conversions otherwise lock
each other out) and a time limit. The input file is only read: LibreOffice writes into a
temporary folder that is removed afterwards.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from nlp.document import Block
from nlp.errors import ErrorCode, ShuzhiInputError
from nlp.ingest.docx_backend import read_docx
from nlp.settings import Limits


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_legacy(path: Path, limits: Limits) -> list[Block]:
    soffice = soffice_path()
    if soffice is None:
        raise ShuzhiInputError(ErrorCode.LEGACY_FORMAT_UNSUPPORTED, "soffice not on PATH")
    with tempfile.TemporaryDirectory(prefix="shuzhi-lo-") as tmp:
        tmp_path = Path(tmp)
        source = tmp_path / ("input" + path.suffix.lower())
        shutil.copyfile(path, source)  # LibreOffice must never touch the original
        cmd = [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
               "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir",
               str(tmp_path / "out"), str(source)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=limits.legacy_timeout_s, check=False)
        except subprocess.TimeoutExpired as e:
            raise ShuzhiInputError(ErrorCode.TIMEOUT, "LibreOffice conversion timed out") from e
        converted = tmp_path / "out" / "input.docx"
        if not converted.exists():
            raise ShuzhiInputError(ErrorCode.CORRUPT_FILE, "LibreOffice could not convert the file")
        return read_docx(converted, limits)
