"""Build .xlsx files in tests, with the cached formula values Excel would have saved."""
from __future__ import annotations

import io
import re
import zipfile

import openpyxl


def workbook(rows: list[list], title: str = "Biểu 01", cached: dict | None = None) -> bytes:
    """One sheet of `rows` (strings starting with "=" are formulas); `cached` maps a cell
    reference to the value Excel saved with its formula (openpyxl itself writes none)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    for ref, value in (cached or {}).items():
        data = with_cached_value(data, ref, str(value))
    return data


def with_cached_value(data: bytes, ref: str, value: str) -> bytes:
    """Write `value` as the cached result of the formula in `ref`, as Excel does on save."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)(<v>[^<]*</v>|<v ?/>)?'.encode(),
                              lambda m: m.group(1) + m.group(2) + f"<v>{value}</v>".encode(), body)
            dst.writestr(item, body)
    return out.getvalue()
