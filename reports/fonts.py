"""Chinese fonts for the printed briefings. A PDF without a CJK font prints empty boxes, so we
refuse to render rather than deliver that."""
from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache

PREFERRED = ["Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "Source Han Sans SC",
             "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "FangSong", "SimSun", "AR PL UMing CN"]
# fonts Chinese offices use in Word, with the fallbacks Word substitutes when they are missing
DOCX_FONTS = {"title": "方正小标宋简体", "heading": "黑体", "body": "仿宋_GB2312", "latin": "Times New Roman"}


class FontMissingError(RuntimeError):
    """No CJK font on this machine."""


@lru_cache(maxsize=1)
def cjk_families() -> tuple[str, ...]:
    """Installed font families that cover Chinese, preferred ones first."""
    if not shutil.which("fc-list"):
        return ()
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True,
                         check=False).stdout
    found = {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}
    return tuple([f for f in PREFERRED if f in found] + sorted(found - set(PREFERRED)))


def css_font_stack() -> str:
    families = cjk_families()
    if not families:
        raise FontMissingError("未找到中文字体，无法生成 PDF 简报：请安装中文字体（如 Debian/Ubuntu 的 "
                               "fonts-noto-cjk 软件包，或运行 make system）后重试。")
    # family names go into a CSS rule unescaped: keep only characters a family name needs
    safe = [re.sub(r"[^\w \-]", "", f) for f in families[:4]]
    return ", ".join(f'"{f}"' for f in safe if f) + ", serif"
