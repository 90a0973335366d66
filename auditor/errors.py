"""Errors that stop one input but never the run."""
from __future__ import annotations


class InputError(Exception):
    """An input could not be read; the message names the file and the reason (exit 3)."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UsageError(Exception):
    """A bad command line or configuration (exit 2)."""
