"""Error codes for bad input, with the Chinese message a reviewer sees.

Bad input (a file we cannot read) is a `ShuzhiInputError` with a stable code; it becomes an
error record in the batch and never stops it. Anything else is a defect in shuzhi itself.
The codes are a contract: outside tools filter on them, so never rename one.
"""
from __future__ import annotations

from enum import Enum


class ErrorCode(str, Enum):
    UNSUPPORTED_FORMAT = "unsupported_format"
    CORRUPT_FILE = "corrupt_file"
    ENCRYPTED_PDF = "encrypted_pdf"
    NO_TEXT_LAYER = "no_text_layer"
    EMPTY_DOCUMENT = "empty_document"
    FILE_TOO_LARGE = "file_too_large"
    ARCHIVE_BOMB = "archive_bomb"
    UNKNOWN_ENCODING = "unknown_encoding"
    LEGACY_FORMAT_UNSUPPORTED = "legacy_format_unsupported"
    TIMEOUT = "timeout"
    MISSING_COLUMN = "missing_column"
    NO_PLAN_ITEMS = "no_plan_items"
    INTERNAL_ERROR = "internal_error"


MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.UNSUPPORTED_FORMAT: "不支持的文件格式，请提交 .docx、.pdf、.txt 或 .doc 文件。",
    ErrorCode.CORRUPT_FILE: "文件已损坏或内容与扩展名不符，无法打开，请联系报送单位重新提交。",
    ErrorCode.ENCRYPTED_PDF: "PDF 文件已加密或设置了打开密码，请报送单位提交未加密的版本。",
    ErrorCode.NO_TEXT_LAYER: "PDF 为扫描件或图片，没有可提取的文字，请报送单位提交 Word 版或文字版 PDF。",
    ErrorCode.EMPTY_DOCUMENT: "文件中没有正文内容。",
    ErrorCode.FILE_TOO_LARGE: "文件超过大小上限，未予处理；请确认是否提交了正确的文件。",
    ErrorCode.ARCHIVE_BOMB: "文件内部数据解压后异常巨大（疑似压缩炸弹），已拒绝处理。",
    ErrorCode.UNKNOWN_ENCODING: "无法识别文本文件的字符编码，请另存为 UTF-8 编码后重新提交。",
    ErrorCode.LEGACY_FORMAT_UNSUPPORTED: "旧版 Word（.doc/.wps）文件需要安装 LibreOffice 才能读取；请将文件另存为 .docx 后重新提交。",
    ErrorCode.TIMEOUT: "文件处理超时，已跳过；请检查文件是否异常庞大或损坏。",
    ErrorCode.MISSING_COLUMN: "表格缺少必需的列，请按模板填写表头（等次表：姓名、单位、等次）。",
    ErrorCode.NO_PLAN_ITEMS: "未能从文件中识别出整改事项（整改项目、具体措施、责任部门、完成时限），请确认提交的是整改方案。",
    ErrorCode.INTERNAL_ERROR: "处理该文件时程序内部出错，已跳过；请将此文件反馈给系统维护人员。",
}


class ShuzhiInputError(Exception):
    """A file that cannot be screened, for a reason the reviewer can act on."""

    def __init__(self, code: ErrorCode, detail: str = "", path: str | None = None):
        self.code = ErrorCode(code)
        self.detail = detail
        self.path = path
        super().__init__(f"{self.code.value}: {detail}" if detail else self.code.value)

    @property
    def message(self) -> str:
        """The Chinese message for the reviewer (detail is technical and kept apart)."""
        return MESSAGES[self.code]

    def to_record(self) -> dict:
        record = {"code": self.code.value, "message": self.message}
        if self.detail:
            record["detail"] = self.detail
        return record


def internal_error_record(exc: BaseException) -> dict:
    """The record for an unexpected defect: the batch goes on, the reviewer is told to report it."""
    return {"code": ErrorCode.INTERNAL_ERROR.value, "message": MESSAGES[ErrorCode.INTERNAL_ERROR],
            "detail": f"{type(exc).__name__}: {exc}"[:500]}
