"""A per-file time limit that really stops the work (SIGALRM), where the platform allows it.

A thread cannot be killed, so the limit is enforced with an alarm signal in the main thread of the
process doing the work (the CLI, or each worker process of the batch). Elsewhere it is a no-op and
the batch relies on the worker pool's own limits.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from nlp.errors import ErrorCode, ShuzhiInputError


class _Expired(BaseException):
    """Raised by the alarm. A BaseException, so that readers' `except Exception` cannot swallow it."""


@contextmanager
def time_limit(seconds: float | None):
    usable = (seconds and seconds > 0 and hasattr(signal, "SIGALRM")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def _expired(signum, frame):
        raise _Expired()

    previous = signal.signal(signal.SIGALRM, _expired)
    old_delay, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        raise ShuzhiInputError(ErrorCode.TIMEOUT, f"over {seconds:g} s") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if old_delay:
            signal.setitimer(signal.ITIMER_REAL, old_delay)
