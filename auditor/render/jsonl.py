"""JSON Lines: one compact `auditor/findings@1` object per file, written (and flushed) as soon
as that file is done, so an interrupted batch keeps everything already audited."""
from __future__ import annotations

import json

from auditor.render.base import Formatter


class JsonlFormatter(Formatter):
    name = "jsonl"
    streaming = True

    def add(self, report) -> None:
        self.stream.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
        flush = getattr(self.stream, "flush", None)
        if flush:
            flush()

    def end(self) -> None:
        pass
