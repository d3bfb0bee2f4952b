"""Give freed memory back to the operating system.

A worker that analyses thousands of reports allocates and frees many mid-sized buffers (parsed
pages, arrays, the pickled results of a chunk). glibc keeps freed memory in its heaps for reuse,
and fragmentation makes a long-lived process's RSS creep upward although nothing is leaked.
`malloc_trim` returns the free pages; elsewhere than glibc this is a no-op.
"""
from __future__ import annotations

import ctypes
import gc
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim():
    try:  # the process's own symbols: ctypes.util.find_library would run gcc to look for libc
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


def trim_heap() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def release_garbage() -> None:
    """Collect the reference cycles that parsers leave (pdfminer's page and layout objects) now
    rather than at the next full collection, and give the freed pages back."""
    gc.collect()
    trim_heap()
