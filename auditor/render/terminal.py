"""The reviewer's view: each discrepancy as a panel quoting the lines it rests on, with the
numbers highlighted, then a checklist to work through. Vietnamese throughout."""
from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from auditor.model import Finding
from auditor.textutil import LineIndex

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
LABEL = {"error": "LỖI", "warning": "CẢNH BÁO", "info": "LƯU Ý"}
ROLE = {"total": "tổng", "part": "thành phần", "cell": "ô bảng", "claim": "thuyết minh", "rate": "tỷ lệ",
        "numerator": "tử số", "denominator": "mẫu số", "fraction": "phân số", "alternative": "số khác",
        "placeholder": "chỗ trống", "heading": "mục", "date": "ngày", "reference": "dẫn chiếu",
        "header": "đầu văn bản"}


def _quote(text: str, lines: LineIndex, start: int, end: int, width: int = 110) -> Text:
    line, _ = lines.locate(start)
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    a = max(ls, start - width // 2)
    b = min(le, end + width // 2)
    t = Text(f"{line:>5} │ ", style="dim")
    t.append(("…" if a > ls else "") + text[a:start].replace("\t", " ⇥ "))
    t.append(text[start:end], style="bold reverse")
    t.append(text[end:b].replace("\t", " ⇥ ") + ("…" if b < le else ""))
    return t


def render_findings(console: Console, path: str, text: str, findings: list[Finding]) -> None:
    lines = LineIndex(text)
    console.rule(f"[bold]{path}")
    if not findings:
        console.print("[green]Không phát hiện mâu thuẫn số liệu.[/green]")
        return
    for i, f in enumerate(findings, 1):
        body = [Text(f.message)]
        seen = set()
        for e in f.evidence:
            if (e.start, e.end) in seen or e.end <= e.start:
                continue
            seen.add((e.start, e.end))
            q = _quote(text, lines, e.start, e.end)
            tag = ROLE.get(e.role, e.role)
            if e.table is not None:
                tag += f" · bảng {e.table}"
            q.append(f"   ← {tag}", style="dim italic")
            body.append(q)
        if f.suggestion:
            body.append(Text("→ " + f.suggestion, style="green"))
        title = f"[{STYLE[f.severity.value]}]{i}. {LABEL[f.severity.value]}[/] {f.rule} {f.name}"
        console.print(Panel(Group(*body), title=title, title_align="left", border_style=STYLE[f.severity.value]))
    render_checklist(console, findings, text)


def render_checklist(console: Console, findings: list[Finding], text: str = "") -> None:
    t = RichTable(title="Danh sách cần kiểm tra", show_lines=False, expand=True)
    t.add_column("", width=3)
    t.add_column("Mức", width=9)
    t.add_column("Dòng", width=6, justify="right")
    t.add_column("Việc cần làm")
    lines = LineIndex(text) if text else None
    for f in findings:
        line = lines.locate(f.evidence[0].start)[0] if f.evidence and lines else ""
        t.add_row("☐", Text(LABEL[f.severity.value], style=STYLE[f.severity.value]), str(line),
                  f.message if not f.suggestion else f"{f.message} — {f.suggestion}")
    console.print(t)


def render_summary(console: Console, counts: dict) -> None:
    console.print(f"Tổng hợp: [bold red]{counts.get('error', 0)} lỗi[/], [yellow]{counts.get('warning', 0)} cảnh báo[/], "
                  f"[cyan]{counts.get('info', 0)} lưu ý[/]")
