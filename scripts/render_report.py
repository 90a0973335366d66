#!/usr/bin/env python
"""Render a .txt report (tab-table layout) as a .docx and a .pdf, for ingest round-trip tests.

    python scripts/render_report.py REPORT.txt [REPORT2.txt …] --out DIR
        → DIR/NAME.docx and DIR/NAME.pdf

The .txt layout is the one of corpora/reports/*.txt extracted from .docx: blocks separated
by a blank line; a paragraph may hold single newlines (line breaks); each table row is one
line with cells separated by tabs. A blank line between two tab lines is a page break
inside one table, so the table is kept together.

In the .docx every block of tab lines is a real Word table; in the .pdf a table drawn with
grid lines (reportlab, a TrueType font that covers Vietnamese embedded). Header cells
followed by empty cells that they head are merged across those columns (and header cells
with nothing under them down the header rows), and rows holding only a first cell
("TỔNG SỐ", "I. LĨNH VỰC") are merged across the table, so the merged-cell paths of both
readers are exercised.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

# ---------------------------------------------------------------------------------- parsing


@dataclass
class TableBlock:
    rows: list[list[str]]
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 incl.

    @property
    def ncols(self) -> int:
        return max(len(r) for r in self.rows)


def parse_blocks(text: str) -> list[str | TableBlock]:
    """Split report text into paragraphs (str, may hold '\\n') and TableBlocks."""
    lines = text.replace("\r\n", "\n").split("\n")
    blocks: list[str | TableBlock] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append("\n".join(para))
            para.clear()

    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if "\t" in line:
            flush()
            rows: list[list[str]] = []
            while i < n:
                if "\t" in lines[i]:
                    rows.append(lines[i].split("\t"))
                    i += 1
                elif not lines[i].strip() and i + 1 < n and "\t" in lines[i + 1]:
                    i += 1  # a page break inside the table
                else:
                    break
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            table = TableBlock(rows)
            table.spans = compute_spans(rows)
            blocks.append(table)
        elif not line.strip():
            flush()
            i += 1
        else:
            para.append(line)
            i += 1
    flush()
    return blocks


_CODE = re.compile(r"^\s*(?:[IVXLC]+\.?|\d+(?:\.\d+)*\.?|\(\d+\)|[-+•]|[a-zđ][.)])\s*$",
                   re.IGNORECASE)


def _header_count(rows: list[list[str]]) -> int:
    """Leading rows before the first row whose first cell is a row code (1, 1.1., I, (1), -)."""
    count = 0
    for r, row in enumerate(rows[:6]):
        if _CODE.match(row[0]):
            break
        if r and row[0].strip() and not any(cell.strip() for cell in row[1:]):
            break  # "TỔNG SỐ", "I. LĨNH VỰC": a section row, not a header
        count += 1
    return count


def compute_spans(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """Merged rectangles (r0, c0, r1, c1), inclusive, that do not change the row text."""
    ncols = len(rows[0])
    nhead = _header_count(rows)
    spans: list[tuple[int, int, int, int]] = []
    covered: set[tuple[int, int]] = set()

    def header_spans(r_start: int) -> None:
        for r in range(r_start, r_start + nhead):
            for c in range(ncols):
                if (r, c) in covered or not rows[r][c].strip():
                    continue
                rest_empty = all(not rows[r][k].strip() for k in range(c + 1, ncols))
                c1 = c
                while c1 + 1 < ncols and (r, c1 + 1) not in covered \
                        and not rows[r][c1 + 1].strip():
                    below = any(rows[rr][c1 + 1].strip()
                                for rr in range(r + 1, r_start + nhead))
                    if not (below or rest_empty):
                        break
                    c1 += 1
                r1 = r
                while r1 + 1 < r_start + nhead and all(
                        not rows[r1 + 1][k].strip() and (r1 + 1, k) not in covered
                        for k in range(c, c1 + 1)):
                    r1 += 1
                if (r1, c1) != (r, c):
                    spans.append((r, c, r1, c1))
                    covered.update((rr, cc) for rr in range(r, r1 + 1)
                                   for cc in range(c, c1 + 1))

    if nhead:
        header_spans(0)
        head = rows[:nhead]
        r = nhead
        while r + nhead <= len(rows):  # the header repeated after a page break
            if rows[r:r + nhead] == head:
                header_spans(r)
                r += nhead
            else:
                r += 1
    for r, row in enumerate(rows):
        if r < nhead or (r, 0) in covered or ncols < 2:
            continue
        if row[0].strip() and all(not cell.strip() for cell in row[1:]) \
                and not any((r, k) in covered for k in range(ncols)):
            spans.append((r, 0, r, ncols - 1))
            covered.update((r, k) for k in range(ncols))
    return spans


def _col_weights(table: TableBlock) -> list[float]:
    spanned = {(r, c) for r0, c0, r1, c1 in table.spans if c1 > c0
               for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    weights = []
    for c in range(table.ncols):
        lengths = [len(row[c]) for r, row in enumerate(table.rows) if (r, c) not in spanned]
        weights.append(float(min(max(lengths, default=4), 45) or 4))
    return [max(w, 4.0) for w in weights]


# ------------------------------------------------------------------------------------ docx


def render_docx(blocks: list[str | TableBlock], path: str | os.PathLike) -> None:
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(1.5)
    usable = section.page_width - section.left_margin - section.right_margin
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)  # "\n" → <w:br/>, "\t" → <w:tab/>
            continue
        table = document.add_table(rows=len(block.rows), cols=block.ncols)
        table.style = "Table Grid"
        table.autofit = False
        weights = _col_weights(block)
        total = sum(weights)
        widths = [int(usable * w / total) for w in weights]
        for row, values in zip(table.rows, block.rows):
            for c, (cell, value) in enumerate(zip(row.cells, values)):
                cell.width = widths[c]
                paragraph = cell.paragraphs[0]
                if value:
                    run = paragraph.add_run(value)
                    run.font.size = Pt(9)
        for r0, c0, r1, c1 in block.spans:
            table.cell(r0, c0).merge(table.cell(r1, c1))
    document.save(str(path))


# ------------------------------------------------------------------------------------- pdf

_FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]


def find_font() -> str:
    """A TrueType font covering Vietnamese: system DejaVu/Noto/Liberation, else matplotlib's."""
    for candidate in _FONT_CANDIDATES:
        if os.path.exists(candidate):
            return candidate
    try:
        import matplotlib

        bundled = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    raise SystemExit("no TrueType font covering Vietnamese found (install fonts-dejavu)")


def render_pdf(blocks: list[str | TableBlock], path: str | os.PathLike) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "ReportFont"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font, find_font()))
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=13, spaceAfter=7)
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=7, leading=8.5)
    pad = 2.0

    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=1.5 * cm, rightMargin=1.5 * cm,
                            topMargin=1.5 * cm, bottomMargin=1.5 * cm,
                            title=Path(path).stem, author="render_report.py")
    usable = A4[0] - 3 * cm
    story = []
    for block in blocks:
        if isinstance(block, str):
            story.append(Paragraph(escape(block).replace("\n", "<br/>"), body))
            continue
        # Column widths: proportional to content, never narrower than the longest word.
        weights = _col_weights(block)
        minimum = []
        for c in range(block.ncols):
            words = [w for row in block.rows for w in row[c].split()]
            longest = max((pdfmetrics.stringWidth(w, font, 7) for w in words), default=0)
            minimum.append(longest + 2 * pad + 1)
        free = usable - sum(minimum)
        total = sum(weights)
        widths = [m + max(free, 0) * w / total for m, w in zip(minimum, weights)]
        scale = min(1.0, usable / sum(widths))
        widths = [w * scale for w in widths]
        data = [[Paragraph(escape(value), cell_style) if value else "" for value in row]
                for row in block.rows]
        commands = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 7),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ]
        commands += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in block.spans]
        story.append(Spacer(1, 4))
        story.append(Table(data, colWidths=widths, style=TableStyle(commands), hAlign="LEFT"))
        story.append(Spacer(1, 10))
    doc.build(story)


# ------------------------------------------------------------------------------------- cli


def render(report: str | os.PathLike, out_dir: str | os.PathLike) -> tuple[Path, Path]:
    """Render one report; return (docx path, pdf path)."""
    report = Path(report)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    text = report.read_text(encoding="utf-8")
    blocks = parse_blocks(text)
    docx_path = out / f"{report.stem}.docx"
    pdf_path = out / f"{report.stem}.pdf"
    render_docx(blocks, docx_path)
    render_pdf(blocks, pdf_path)
    return docx_path, pdf_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="+", metavar="REPORT.txt")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    args = parser.parse_args(argv)
    for report in args.reports:
        docx_path, pdf_path = render(report, args.out)
        print(f"{report} → {docx_path}, {pdf_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
