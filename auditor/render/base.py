"""What every formatter receives: one `ReportView` per input file and the `RenderOptions`.

A formatter is a class with `begin(stream, batch)`, `add(report)` and `end()`. The default
collects the reports and writes them in `end()` (a batch summary must come first, so it can
only be written once all reports are in); a streaming format (jsonl) writes in `add()`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from auditor.model import Finding
from auditor.render.locate import Locator, ReportInfo
from auditor.textutil import LineIndex


@dataclass
class RenderOptions:
    lang: str = "vi"
    show_codes: bool = False  # rule codes (AUD201 …) in the human views
    include_warnings: bool = True  # docx: warnings beside errors
    include_notes: bool = False  # docx: notes (info) as well
    reviewer: str | None = None
    office: str | None = None
    recipient: str | None = None  # "UBND xã Bắc Sơn"; from the report's header when None
    deadline: str | None = None  # "20/7/2024"
    color: str = "auto"  # auto | always | never
    width: int | None = None
    console: Any = None  # an injected rich Console (tests capture output through it)


@dataclass
class ReportView:
    """One audited (or unreadable) input, with everything the views need."""

    path: str
    format: str | None
    text: str = ""
    findings: list[Finding] = field(default_factory=list)
    info: ReportInfo | None = None
    warnings: tuple[str, ...] = ()
    error: str | None = None
    locator: Locator | None = None
    _lines: LineIndex | None = None
    extra: dict = field(default_factory=dict)  # added JSON keys: source notes, "skipped"
    appendix: tuple[int, str] | None = None  # (offset of the appendix's text, its file name)

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    def counts(self) -> dict[str, int]:
        c = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            c[f.severity.value] += 1
        return c

    @property
    def status(self) -> str:
        """ok | fix | unreadable: a report with an error or a warning needs corrections."""
        if self.error is not None:
            return "unreadable"
        c = self.counts()
        return "fix" if c["error"] or c["warning"] else "ok"

    def to_json(self) -> dict:
        from auditor.render import json as rjson

        if self.error is not None:
            d = rjson.error_dict(self.path, self.format, self.error)
        else:
            d = rjson.report_dict(self.path, self.format, self.text, self.findings, appendix=self.appendix)
            if self.warnings:
                d["source"]["warnings"] = list(self.warnings)
        d["source"].update(self.extra.get("source", {}))
        d.update({k: v for k, v in self.extra.items() if k != "source"})
        return d


def build_view(path: str, fmt: str | None, text: str, findings: list[Finding], *, warnings=(),
               page_starts: list[int] | None = None) -> ReportView:
    """Locate every finding's evidence (section, table title, STT, column, page) and read the header."""
    from auditor.render.locate import enrich

    loc = Locator(text, page_starts=page_starts)
    return ReportView(path, fmt, text, enrich(findings, loc), loc.info(), tuple(warnings), locator=loc)


def error_view(path: str, fmt: str | None, reason: str) -> ReportView:
    return ReportView(path, fmt, error=reason)


class Formatter:
    name = "?"
    binary = False
    streaming = False

    def __init__(self, options: RenderOptions | None = None):
        self.options = options or RenderOptions()
        self.reports: list[ReportView] = []
        self.stream: IO | None = None
        self.batch = False

    def begin(self, stream: IO, batch: bool) -> None:
        self.stream, self.batch = stream, batch

    def add(self, report: ReportView) -> None:
        self.reports.append(report)

    def end(self) -> None:
        out = self.render(self.reports)
        if out is not None:
            self.stream.write(out)

    def render(self, reports: list[ReportView]):  # pragma: no cover - abstract
        raise NotImplementedError
