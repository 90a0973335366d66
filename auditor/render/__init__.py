"""Output formats. One module per format; `FORMATS` maps the format's name to the module
that holds its `Formatter` (modeled on pip-audit's `_format` package). Modules load only
when their format is chosen, so python-docx and openpyxl cost nothing to the other formats.

A new format is one new module with a `Formatter` subclass, plus one line here.
"""
from __future__ import annotations

import importlib
from enum import Enum

from auditor.render.base import Formatter, RenderOptions, ReportView, build_view, error_view


class Format(str, Enum):
    RICH = "rich"
    JSON = "json"
    JSONL = "jsonl"
    MARKDOWN = "markdown"
    DOCX = "docx"
    XLSX = "xlsx"
    HTML = "html"


FORMATS: dict[Format, tuple[str, str]] = {
    Format.RICH: ("auditor.render.terminal", "RichFormatter"),
    Format.JSON: ("auditor.render.json", "JsonFormatter"),
    Format.JSONL: ("auditor.render.jsonl", "JsonlFormatter"),
    Format.MARKDOWN: ("auditor.render.markdown", "MarkdownFormatter"),
    Format.DOCX: ("auditor.render.docx", "DocxFormatter"),
    Format.XLSX: ("auditor.render.xlsx", "XlsxFormatter"),
    Format.HTML: ("auditor.render.html", "HtmlFormatter"),
}
BINARY = {Format.DOCX, Format.XLSX}


def get_formatter(name: str | Format, options: RenderOptions | None = None) -> Formatter:
    fmt = Format(name)
    module, cls = FORMATS[fmt]
    return getattr(importlib.import_module(module), cls)(options)


__all__ = ["Format", "FORMATS", "BINARY", "Formatter", "RenderOptions", "ReportView", "build_view", "error_view",
           "get_formatter"]
