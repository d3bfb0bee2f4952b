"""Bulk data for Prefect tasks, opaque to Prefect."""
from __future__ import annotations


class Held:
    """Bulk data handed to a task without Prefect looking inside.

    Prefect walks every task argument (lists, dicts, dataclasses) to find upstream futures; for a
    batch of full analyses that walk cost more than the work of the task. An object of a plain
    class is passed through untouched.
    """

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value
