"""Errors that stop one input but never the run, and how a path is shown in a message."""
from __future__ import annotations

import os


def display_path(path) -> str:
    """A path as one printable line of valid UTF-8, whatever bytes the file name holds.

    Bytes that are not UTF-8 (kept by Python as surrogates) are shown as "\\xff"; control
    characters (a newline in a file name) as "\\n", "\\x1b" …, so a message stays on one line
    and the JSON output stays valid UTF-8."""
    s = os.fsdecode(path) if isinstance(path, bytes) else str(os.fspath(path))
    if s.isprintable():
        try:
            s.encode("utf-8")
            return s
        except UnicodeEncodeError:
            pass
    out = []
    for ch in s:
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:  # surrogateescape: one undecodable byte
            out.append(f"\\x{o - 0xDC00:02x}")
        elif 0xD800 <= o <= 0xDFFF:
            out.append(f"\\u{o:04x}")
        elif not ch.isprintable() and ch != " ":
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def path_is_escaped(path) -> bool:
    """Whether display_path had to escape something in this path."""
    s = os.fsdecode(path) if isinstance(path, bytes) else str(os.fspath(path))
    return display_path(s) != s


class InputError(Exception):
    """An input could not be read; the message names the file and the reason (exit 3)."""

    def __init__(self, path, reason: str):
        self.path = display_path(path)
        self.reason = " ".join(str(reason).split())  # one line, whatever the cause said
        super().__init__(f"{self.path}: {self.reason}")


class UsageError(Exception):
    """A bad command line or configuration (exit 2)."""
