"""Deadline runs on a Prefect server: the batch runs at the submission deadline and again at
intervals during the late window, so late files are added without anyone starting a run."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_duration(text: str) -> timedelta:
    """"72h", "30m", "2d", "0s" → timedelta."""
    m = DURATION.match(text)
    if not m:
        raise ValueError(f"时长格式应为数字加单位 s/m/h/d，例如 72h：{text!r}")
    return timedelta(**{UNITS[m.group(2)]: float(m.group(1))})


def deadline_rrule(deadline: datetime, late_window: timedelta, every: timedelta) -> str:
    """An RFC 5545 rule: a run at the deadline, then one every `every` until the window closes."""
    start = deadline.astimezone(timezone.utc).replace(tzinfo=None) if deadline.tzinfo else deadline
    seconds = max(1, int(every.total_seconds()))
    count = 1 + int(late_window.total_seconds() // seconds)
    return (f"DTSTART:{start.strftime('%Y%m%dT%H%M%S')}\n"
            f"RRULE:FREQ=SECONDLY;INTERVAL={seconds};COUNT={count}")
