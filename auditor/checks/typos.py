"""AUD3xx: impossible numbers and the typo that most likely produced them."""
from __future__ import annotations

import re

from auditor.checks.base import Context, Rule, fmt
from auditor.model import Kind


def digit_repairs(raw: str) -> list[tuple[str, str]]:
    """Single-keystroke variants of a digit string: a doubled or extra digit dropped,
    two neighbours swapped. Returns (variant, how)."""
    out = []
    for i in range(len(raw)):
        v = raw[:i] + raw[i + 1 :]
        if v and (v, "bỏ chữ số thừa") not in out:
            out.append((v, "bỏ chữ số thừa"))
    for i in range(len(raw) - 1):
        v = raw[:i] + raw[i + 1] + raw[i] + raw[i + 2 :]
        if v != raw:
            out.append((v, "đảo hai chữ số"))
    return [(v, how) for v, how in out if re.fullmatch(r"\d+", v)]


class ImpossibleFractionRule(Rule):
    code = "AUD301"
    name = "fraction.numerator-exceeds-denominator"
    kind = "fraction"
    what = ("A count fraction a/b (12/21 nhiệm vụ, 337/338 hồ sơ) whose numerator exceeds its "
            "denominator. The rule proposes the single-keystroke repair (a dropped doubled digit, two "
            "swapped digits) that makes the fraction possible and, when the sentence states a rate, "
            "makes the rate hold: '88/8 đồng chí … đạt 100%' → 8/8.")
    why = "More staff qualified than exist, more tasks done than planned: the figure cannot be right."
    example_fail = "Công chức: trình độ chuyên môn 88/8 đồng chí trình độ đại học đạt 100%."
    example_pass = "Công chức: trình độ chuyên môn 8/8 đồng chí trình độ đại học đạt 100%."

    def check(self, ctx: Context):
        qs = ctx.quantities
        for i, q in enumerate(qs):
            if q.kind != Kind.FRACTION or q.denominator is None or q.value <= q.denominator:
                continue
            rate = next((p for p in qs[i + 1 : i + 3] if p.kind == Kind.PERCENT and p.start - q.end < 80
                         and not re.search(r"[.;]\s", ctx.text[q.end : p.start])), None)
            if q.unit is None and rate is None and ctx.where(q.start) != "table":
                continue  # "24/7", "hỗ trợ 3/2": nothing says it counts things out of a whole
            num_raw, den_raw = (q.raw.split("/") + [""])[:2]
            num_raw, den_raw = num_raw.strip(), den_raw.strip()
            repairs = []
            for v, how in digit_repairs(num_raw):
                a = int(v)
                if a <= q.denominator:
                    repairs.append((f"{v}/{den_raw}", a, q.denominator, how))
            for v, how in digit_repairs(den_raw):
                b = int(v)
                if b and q.value <= b:
                    repairs.append((f"{num_raw}/{v}", q.value, b, how))
            best = None
            if rate is not None:
                lo, hi = rate.interval()
                fitting = [r for r in repairs if r[2] and lo <= 100 * r[1] / r[2] < hi]
                best = fitting[0] if fitting else None
            elif len({r[0] for r in repairs}) == 1:
                best = repairs[0]  # without a rate to check against, only an unambiguous repair
            line = ctx.lines.locate(q.start)[0]
            shown = f"{q.raw} {q.noun}" if q.noun else q.raw
            msg = (f"Dòng {line}: «{shown}» có tử số {fmt(q.value)} lớn hơn mẫu số "
                   f"{fmt(q.denominator)}").rstrip()
            sugg, conf = None, None
            if best:
                extra = f", khớp với tỷ lệ {rate.raw}" if rate is not None else ""
                sugg = f"Có thể là {best[0]} ({best[3]}{extra})."
                conf = 0.9 if rate is not None else 0.5
                msg += f"; có lẽ là {best[0]}"
            ev = [ctx.evidence("fraction", q, value=q.value)]
            if rate is not None:
                ev.append(ctx.evidence("rate", rate))
            yield self.finding(msg, ev, stated=q.value, expected=best[1] if best else q.denominator,
                               suggestion=sugg or "Kiểm tra lại tử số và mẫu số.", culprit=q.raw,
                               confidence=conf)


def keystroke_explanation(a: float, b: float) -> str | None:
    """Why two statements of one quantity may differ by a single slip, in Vietnamese, or None.

    596 vs 569: two digits swapped; 1.290 vs 129: a digit dropped; 1290 vs 1,29: the
    thousands separator read as a decimal mark.
    """
    if a <= 0 or b <= 0:
        return None
    for x, y in ((a, b), (b, a)):
        if abs(x - y * 1000) < 1e-6:
            return f"có thể nhầm dấu phân cách nghìn/thập phân ({fmt(x)} ↔ {fmt(y)})"
    if a != int(a) or b != int(b):
        return None
    sa, sb = str(int(a)), str(int(b))
    for x, y in ((sa, sb), (sb, sa)):
        for v, how in digit_repairs(x):
            if v == y:
                slip = "thừa hoặc thiếu một chữ số" if how == "bỏ chữ số thừa" else "đảo hai chữ số"
                return f"có thể gõ nhầm: {slip} ({fmt(a)} ↔ {fmt(b)})"
    return None
