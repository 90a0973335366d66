"""AUD2xx: totals, identities and rates that do not add up."""
from __future__ import annotations

import re
from dataclasses import replace
from collections import defaultdict

from auditor.checks.base import Context, Rule, fmt
from auditor.lists import last_part_marker
from auditor.concepts import lexicon
from auditor.lexicon import load_pack, squash, units
from auditor.model import Kind, Severity, TableKind, Verdict


def _cname(cid: str) -> str:
    if " + " in cid:
        return " + ".join(_lc(_cname(c)) if k else _cname(c) for k, c in enumerate(cid.split(" + ")))
    c = lexicon().get(cid)
    return c.name if c else cid


def _lc(name: str) -> str:
    """Lower-case the first word only, keeping acronyms: "TTHC đủ điều kiện" stays as is."""
    first, _, rest = name.partition(" ")
    return (first if first.isupper() and len(first) > 1 else first.lower()) + (" " + rest if rest else "")


_HELD = object()  # an identity that was checked and holds


def misread(failures: int, held: int) -> bool:
    """A relation that fails on two or more rows and on more than a third of those it was
    checked on says the table was misread (a header slip, two partitions of one total, a
    legend row taken for data), not that every row is wrong."""
    return failures >= 2 and 2 * failures > held


def coherent(failed: list, held: int):
    """Findings of one relation over one table: none when the reading is incoherent (abstain),
    else the few rows where a relation that holds elsewhere fails (a local anomaly)."""
    return [] if misread(len(failed), held) else failed


def _scopes(ctx: Context):
    """Observations by paragraph or table scope. A narrative change, comparison, target,
    cumulative or next-period figure (rules/scopes.yaml) is no level of this period and
    takes no part in an identity or a bound ("tăng 87 hồ sơ so với cùng kỳ")."""
    if "scopes" in ctx.derived:
        return ctx.derived["scopes"]
    scopes = defaultdict(list)
    for o in ctx.observations:
        if o.role == "denominator":
            continue
        if o.source == "narrative" and ctx.scope(o.quantity):
            continue
        scopes[o.scope].append(o)
    ctx.derived["scopes"] = scopes
    return scopes


def _pick(obs, concept, used, narrative: bool):
    """The observation that stands for `concept` in a scope (exact concept first; in prose a
    single non-part child may stand for its parent: "593 hồ sơ đã giải quyết trước hạn")."""
    exact = [o for o in obs if o.concept == concept and o not in used]
    if exact:
        exact.sort(key=lambda o: (o.is_part, o.quantity.start))
        return exact[0]
    if narrative:
        lex = lexicon()
        kids = [o for o in obs if o.concept.startswith(concept + ".") and o not in used and not o.is_part
                and lex.get(o.concept) is not None and lex.get(o.concept).stands_for_parent]
        fam = {o.concept for o in obs if o.concept.startswith(concept + ".")}
        if len(kids) == 1 and len(fam) == 1:
            return kids[0]
    return None


def _gap_is_stated(obs, total, parts, gap: float, extent: list[str]) -> bool:
    """A narrative identity that misses by exactly a stated figure of its `extent` concepts
    (rules/identities.yaml: what a total may or may not include, such as carried-over files:
    "tiếp nhận mới 1.271 hồ sơ (kỳ trước chuyển sang 19) … trực tuyến 1.048, trực tiếp 242")
    was read with a total of the other extent, not wrongly stated."""
    if gap < 1e-9:
        return False
    mine = {id(o) for o in [total, *parts]}
    return any(id(o) not in mine and o.concept in extent and abs(o.value - gap) < 1e-9 for o in obs)


class IdentityRule(Rule):
    code = "AUD201"
    name = "identity"
    kind = "identity"
    what = ("Accounting identities between quantities (rules/identities.yaml): received = online + "
            "direct + carried over; received = resolved + pending; resolved = early + on time + late; "
            "pending = within deadline + overdue; online procedures = full + partial. Checked within "
            "each table row, each indicator table and each narrative paragraph; several readings "
            "are tried before a mismatch is called.")
    why = "Every file received is either resolved or pending; a gap means files were lost or double counted."
    example_fail = ("Tổng số hồ sơ đã được tiếp nhận trong kỳ là 597 hồ sơ. Hiện có 593 hồ sơ đã được "
                    "giải quyết, 05 hồ sơ đang giải quyết.")
    example_pass = ("Tổng số hồ sơ đã được tiếp nhận trong kỳ là 598 hồ sơ. Hiện có 593 hồ sơ đã được "
                    "giải quyết, 05 hồ sơ đang giải quyết.")

    def check(self, ctx):
        pack = load_pack("identities")
        # Per table and identity: rows where it held, and the findings where it failed.
        per_table: dict[tuple, list] = defaultdict(lambda: [0, []])
        for scope, obs in _scopes(ctx).items():
            narrative = scope.startswith("p")
            present = {o.concept for o in obs}
            table = None if narrative else next((o.table for o in obs if o.table is not None), None)
            for ident in pack.get("identities", []):
                missing = ident.get("only_when_missing") or []
                if any(m in present for m in ([missing] if isinstance(missing, str) else missing)):
                    continue
                need = ident.get("only_when_present") or []
                if any(n not in present for n in need):
                    continue
                f = self._evaluate(ctx, ident, obs, narrative, present)
                if table is not None and f is not None:
                    key = (table, ident["name"])
                    if f is _HELD:
                        per_table[key][0] += 1
                    else:
                        per_table[key][1].append(f)
                elif f is not None and f is not _HELD:
                    yield f
        for held, failed in per_table.values():
            yield from coherent(failed, held)

    def _evaluate(self, ctx, ident, obs, narrative, present):
        if narrative:
            terms = (ident["total"] if isinstance(ident["total"], list) else [ident["total"]]) + [
                p for parts in [ident["parts"], *ident.get("alternatives", [])] for p in parts]
            for t in set(terms):
                if len([o for o in obs if o.concept == t and not o.is_part]) > 1:
                    return None  # "còn thiếu 01 cán bộ và 01 công chức": which figure is meant is unclear
        used: set = set()
        if isinstance(ident["total"], list):
            # A total stated as the sum of several figures (new + carried over).
            picked = [_pick(obs, t, used, narrative) for t in ident["total"]]
            if any(p is None for p in picked):
                return None
            used.update(picked)
            q = picked[0].quantity
            total = replace(picked[0], value=sum(p.value for p in picked), concept=" + ".join(ident["total"]),
                            quantity=replace(q, value=sum(p.value for p in picked)))
        else:
            total = _pick(obs, ident["total"], used, narrative)
            if total is None:
                return None
        used.add(total)
        readings = [ident["parts"], *ident.get("alternatives", [])]
        zero = {z["part"] for z in ident.get("zero_when", []) if any(
            o.concept == z["rate"] and abs(o.value - z["equals"]) < 1e-9 for o in obs)}
        full, partial = [], []
        for parts in readings:
            u = set(used)
            got, missing = [], []
            for p in parts:
                o = _pick(obs, p, u, narrative)
                if o is None:
                    missing.append(p)
                else:
                    u.add(o)
                    got.append(o)
            if not got:
                continue
            known = [m for m in missing if m not in zero]
            s = sum(o.value for o in got)
            if not known:
                if abs(s - total.value) < 1e-9:
                    return _HELD
                full.append((parts, got, missing, s))
            else:
                partial.append((parts, got, known, s))
        if not full:
            # Parts missing from this scope: only "parts exceed the total" is certain.
            over = [p for p in partial if p[3] > total.value + 1e-9 and len(p[1]) >= 2]
            if not over or any(p[3] <= total.value for p in partial):
                return None
            parts, got, missing, s = over[0]
            verdict, sev = Verdict.INCONSISTENT, Severity.ERROR
        else:
            full.sort(key=lambda r: (-len(r[1]), abs(r[3] - total.value)))
            parts, got, missing, s = full[0]
            verdict, sev = Verdict.INCONSISTENT, Severity.ERROR
        if narrative and ident.get("extent") and _gap_is_stated(obs, total, got, abs(total.value - s), ident["extent"]):
            return None  # the total counts what the parts do not (carried-over files): two readings
        terms = " + ".join(f"{_lc(_cname(o.concept))} {fmt(o.value)}" for o in got)
        zeros = [m for m in missing if m in zero]
        zero_note = (" (" + ", ".join(_lc(_cname(m)) for m in zeros) + " = 0 vì tỷ lệ đúng hạn 100%)"
                     if zeros else "")
        where = "bảng" if total.source == "table" else "thuyết minh"
        diff = total.value - s
        msg = (f"{_cname(total.concept)} {fmt(total.value)} nhưng {terms} = {fmt(s)}{zero_note}; "
               f"chênh {fmt(abs(diff))} ({where})")
        hint = ident.get("message_hint")
        return self.finding(msg, [ctx.observed(total, "total")] + [ctx.observed(o, "part") for o in got],
                            severity=sev, verdict=verdict, stated=total.value, expected=s,
                            suggestion=(hint + "; " if hint else "") +
                            "kiểm tra lại tổng và từng thành phần.", name=ident["name"])


class TableFootingRule(Rule):
    code = "AUD202"
    name = "sum.table-footing"
    kind = "sum"
    what = ("In a results table, a total row (Tổng số, Tổng cộng, Tổng hợp) must equal the sum of the "
            "data rows, column by column; within a header group, the 'Tổng số' column must equal "
            "the sum of the group's other leaf columns (cross-footing).")
    why = "A total that is not the sum of its rows means a row was left out or mistyped."
    # Columns whose total is not a sum of the rows: rates, averages, index points.
    _NOT_ADDITIVE = ("tỷlệ", "tylệ", "tyle", "tỉlệ", "bìnhquân", "trungbình", "điểm", "diem")
    example_fail = ("STT\tLĩnh vực\tSố lượng hồ sơ tiếp nhận\t\t\n\t\tTổng số\tTrực tuyến\tTrực tiếp\n"
                    "1\tHộ tịch\t10\t8\t2\n2\tChứng thực\t5\t5\t0\nTổng cộng\t\t16\t13\t2")
    example_pass = ("STT\tLĩnh vực\tSố lượng hồ sơ tiếp nhận\t\t\n\t\tTổng số\tTrực tuyến\tTrực tiếp\n"
                    "1\tHộ tịch\t10\t8\t2\n2\tChứng thực\t5\t5\t0\nTổng cộng\t\t15\t13\t2")

    def check(self, ctx):
        for t in ctx.tables:
            if t.kind == TableKind.INDICATOR:
                continue
            yield from self._footing(ctx, t)
            yield from self._cross_footing(ctx, t)

    def _footing(self, ctx, t):
        totals = [r for r in t.rows if r.is_total and any(c.quantity for c in r.cells)]
        data = [r for r in t.rows if not r.is_total and any(c.quantity for c in r.cells)]
        if len(totals) != 1 or len(data) < 2:
            return
        total = totals[0]
        # Candidate readings of which rows the total adds up: all of them, or only the
        # numbered rows (group rows and "- " sub-rows repeat their children's counts).
        numbered = [r for r in data if re.fullmatch(r"\d{1,2}\.?|[IVX]{1,4}\.?", r.code or "")]
        top = [r for r in numbered if not re.fullmatch(r"[IVX]{1,4}\.?", r.code)]
        readings = [data] + [rs for rs in (numbered, top) if len(rs) >= 2 and rs != data]
        best = None
        for rows in readings:
            results = [self._column_sum(ctx, t, total, cell, rows) for cell in total.cells]
            results = [x for x in results if x is not None]
            held = sum(1 for ok, _ in results if ok)
            if best is None or held > best[0]:
                best = (held, [f for ok, f in results if not ok])
        if best is not None:
            yield from coherent(best[1], best[0])

    def _column_sum(self, ctx, t, total, cell, rows):
        """(holds, finding) for one column of the total row over the given rows, or None."""
        q = cell.quantity
        head = squash(" ".join(cell.col_path))
        if q is None or q.kind not in (Kind.COUNT, Kind.MONEY, Kind.DECIMAL) or \
                any(w in head for w in self._NOT_ADDITIVE):
            return None
        parts = [c for r in rows for c in r.cells if c.col == cell.col and c.quantity]
        if len(parts) < 2:
            return None
        s = sum(c.quantity.value for c in parts)
        decimals = max([q.decimals] + [c.quantity.decimals for c in parts])
        if abs(s - q.value) <= 0.5 * 10 ** (-decimals) * (len(parts) if decimals else 0) + 1e-9:
            return True, None
        col = " / ".join(cell.col_path)
        ev = [ctx.evidence("total", q, table=t.index, row=total.index, col=cell.col, label=col)]
        ev += [ctx.evidence("part", c.quantity, table=t.index, row=c.row, col=c.col,
                            label=c.row_label) for c in parts if c.quantity.value]
        return False, self.finding(f"Bảng {t.index}, cột «{col}»: dòng {total.label} ghi {fmt(q.value)} "
                                   f"nhưng cộng các dòng = {fmt(s)}; chênh {fmt(abs(q.value - s))}",
                                   ev, stated=q.value, expected=s,
                                   suggestion="Cộng lại các dòng của cột này và sửa dòng tổng hoặc dòng sai.")

    def _cross_footing(self, ctx, t):
        groups = defaultdict(list)
        for c, path in enumerate(t.columns):
            if len(path) >= 2:
                groups[path[0]].append(c)
        for head, cols in groups.items():
            tot = [c for c in cols if squash(t.columns[c][1]) in ("tổngsố", "tổngcộng", "cộng")]
            if len(tot) != 1:
                continue
            leaves = [c for c in cols if c != tot[0]]
            if len(leaves) < 2 or "tỷlệ" in squash(head):
                continue
            rows = []
            for r in t.rows:
                cells = {c.col: c for c in r.cells if c.quantity}
                if tot[0] in cells:
                    rows.append((r, cells))
            for run, held, failed in self._readings(rows, tot[0], leaves):
                # A total row repeats its rows' slips: it is a knock-on, not another vote.
                votes = sum(1 for r, _ in failed if not r.is_total)
                if not misread(votes, held):
                    yield from [self._cross_finding(ctx, t, head, tot[0], run, r, cells) for r, cells in failed]

    @staticmethod
    def _readings(rows, tot, leaves):
        """Which runs of adjacent leaf columns add up to the group's total column.

        A group often holds two partitions of one total (online + direct, and carried over +
        new): every run of two or more adjacent leaves is a candidate reading, scored by the
        rows where it holds. Runs that hold on most rows are kept, longest first, without
        overlap; a group where no run holds anywhere is not checked."""
        cands = []
        for i in range(len(leaves)):
            for j in range(i + 2, len(leaves) + 1):
                run = leaves[i:j]
                checked = [(r, cells) for r, cells in rows if all(c in cells for c in run)]
                if not checked:
                    continue
                ok = [x for x in checked if abs(sum(x[1][c].quantity.value for c in run) -
                                                x[1][tot].quantity.value) < 1e-9]
                failed = [x for x in checked if x not in ok]
                votes = sum(1 for x in failed if not x[0].is_total)
                natural = len(run) == len(leaves)  # all the leaves: the reading the header states
                if len(ok) >= (1 if natural else 2) * votes and (ok or natural):
                    cands.append((len(ok), len(run), run, failed))
        cands.sort(key=lambda c: (-c[0], -c[1]))
        taken: set = set()
        for held, _, run, failed in cands:
            if taken & set(run):
                continue
            taken |= set(run)
            yield run, held, failed

    def _cross_finding(self, ctx, t, head, tot, run, r, cells):
        s = sum(cells[c].quantity.value for c in run)
        q = cells[tot].quantity
        ev = [ctx.evidence("total", q, table=t.index, row=r.index, col=tot, label=f"{r.label} / {head} / Tổng số")]
        ev += [ctx.evidence("part", cells[c].quantity, table=t.index, row=r.index, col=c,
                            label=" / ".join(t.columns[c])) for c in run]
        return self.finding(f"Bảng {t.index}, dòng «{r.label}»: {head} tổng số {fmt(q.value)} "
                            f"nhưng cộng các cột thành phần = {fmt(s)}; chênh {fmt(abs(q.value - s))}",
                            ev, stated=q.value, expected=s, name="sum.table-cross-footing",
                            suggestion="Kiểm tra các cột thành phần của dòng này.")


def _interval_ok(stated, ratio_pct, extra: float = 0.0) -> bool:
    lo, hi = stated.interval()
    return lo - extra - 1e-9 <= ratio_pct < hi + extra - 1e-9  # half-open: 99,8% is [99,75; 99,85)


class RateRule(Rule):
    code = "AUD203"
    name = "rate.ratio"
    kind = "rate"
    what = ("A stated percentage is recomputed from its numerator and denominator and compared as a "
            "rounding interval (99,8% means [99,75; 99,85)). Sources: a 'Tỷ lệ' row of an indicator "
            "table and its count sub-rows (several numerator/denominator readings are tried); the "
            "rate column of a results table; 'a/b … đạt p%' in the narrative. A stated 100% or 0% "
            "that is not exactly all or nothing is a warning; 0/0 shown as a rate is info.")
    why = "A rate is the number readers remember; when it does not follow from the counts it misleads."
    options = {"extra_tolerance": "percentage points allowed beyond the rounding interval (default 0)",
               "all_or_nothing": "warn when 100% or 0% is stated for a ratio that is not exact (default true)"}
    example_fail = ("STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n2.\tTỷ lệ hoàn thành Kế hoạch CCHC năm\t%\t100%\n"
                    "2.1.\tSố nhiệm vụ đề ra trong kế hoạch\tNhiệm vụ\t30\n2.2.\tSố nhiệm vụ đã hoàn thành\tNhiệm vụ\t15")
    example_pass = ("STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n2.\tTỷ lệ hoàn thành Kế hoạch CCHC năm\t%\t50%\n"
                    "2.1.\tSố nhiệm vụ đề ra trong kế hoạch\tNhiệm vụ\t30\n2.2.\tSố nhiệm vụ đã hoàn thành\tNhiệm vụ\t15")

    def check(self, ctx):
        for t in ctx.tables:
            if t.kind == TableKind.INDICATOR:
                yield from self._rate_rows(ctx, t)
            else:
                yield from self._rate_columns(ctx, t)
        yield from self._narrative(ctx)

    def _judge(self, ctx, stated_q, candidates, ev_rate, label):
        """candidates: (numerator value, denominator value, description, evidence list)."""
        stated = stated_q.value
        fits = []
        for num, den, desc, ev in candidates:
            if den == 0:
                continue
            pct = 100.0 * num / den
            if _interval_ok(stated_q, pct, float(self.options.get("extra_tolerance", 0.0))):
                fits.append((num, den, desc, ev, pct))
        if fits:
            num, den, desc, ev, pct = fits[0]
            if stated in (100.0, 0.0) and abs(pct - stated) > 1e-9 and self.options.get("all_or_nothing", True):
                shown = f"{pct:.2f}".replace(".", ",")
                return self.finding(
                    f"{label}: ghi {fmt(stated)}% nhưng {desc} = {fmt(num)}/{fmt(den)} = {shown}% "
                    f"(không phải {'tất cả' if stated == 100 else 'không có'})",
                    [ev_rate] + ev, severity=Severity.WARNING, verdict=Verdict.WITHIN_ROUNDING,
                    stated=stated, expected=round(pct, 2), name="rate.all-or-nothing",
                    suggestion=f"Ghi tỷ lệ thực tế {shown}%")
            first = candidates[0]
            if first[1] and fits[0][2] != first[2]:
                # Consistent, but only under another reading than the template's: say which.
                return self.finding(
                    f"{label}: {fmt(stated)}% không khớp {first[2]} ({fmt(first[0])}/{fmt(first[1])}) "
                    f"nhưng khớp {desc} = {fmt(num)}/{fmt(den)}", [ev_rate] + ev, severity=Severity.INFO,
                    verdict=Verdict.WITHIN_ROUNDING, stated=stated, expected=round(pct, 2),
                    name="rate.alternative-reading",
                    suggestion="Ghi rõ cách tính tỷ lệ (tử số và mẫu số) trong phần ghi chú.")
            return None
        real = [(n, d, desc, ev) for n, d, desc, ev in candidates if d]
        if not real:
            if all(n == 0 for n, _, _, _ in candidates) and candidates:
                _, _, desc, ev = candidates[0]
                return self.finding(f"{label}: tỷ lệ {fmt(stated)}% trên mẫu số 0 (0/0 không xác định)",
                                    [ev_rate] + ev, severity=Severity.INFO, verdict=Verdict.INDETERMINATE,
                                    stated=stated, name="rate.zero-over-zero",
                                    suggestion="Để trống hoặc ghi «không phát sinh» thay cho 0%.")
            return None
        real.sort(key=lambda c: abs(100.0 * c[0] / c[1] - stated))
        num, den, desc, ev = real[0]
        pct = 100.0 * num / den
        return self.finding(
            f"{label}: ghi {fmt(stated)}% nhưng {desc} = {fmt(num)}/{fmt(den)} = "
            f"{f'{pct:.1f}'.replace('.', ',')}%; chênh {f'{abs(pct - stated):.1f}'.replace('.', ',')} điểm",
            [ev_rate] + ev, stated=stated, expected=round(pct, 2),
            suggestion=f"Sửa tỷ lệ thành {f'{pct:.1f}'.replace('.', ',')}% hoặc kiểm tra lại tử số/mẫu số.")

    def _rate_rows(self, ctx, t):
        rows = t.rows
        for r in rows:
            if not (r.unit.strip() == "%" or re.match(r"(?i)tỷ lệ|tỉ lệ", r.label)):
                continue
            kids = [k for k in rows if k.parent == r.index and k.unit.strip() != "%"
                    and k.value_cell is not None and k.value_cell.quantity.kind in (Kind.COUNT, Kind.MONEY)]
            if len(kids) < 2:
                continue
            value = r.value_cell
            den = next((k for k in kids if re.match(r"(?i)tổng số|tổng", k.label)), kids[0])
            dcell = den.value_cell
            d_ev = ctx.evidence("denominator", dcell.quantity, table=t.index, row=den.index, col=dcell.col,
                                label=f"{den.code} {den.label}")
            cands = []
            others = [k for k in kids if k is not den]
            for k in others:
                c = k.value_cell
                notes = [n for n in k.cells_of("note") if n.quantity and n.quantity.kind == Kind.COUNT]
                n_ev = ctx.evidence("numerator", c.quantity, table=t.index, row=k.index, col=c.col,
                                    label=f"{k.code} {k.label}")
                cands.append((c.quantity.value, dcell.quantity.value, f"{k.code} / {den.code}", [n_ev, d_ev]))
                for n in notes:
                    cands.append((c.quantity.value + n.quantity.value, dcell.quantity.value,
                                  f"({k.code} + ghi chú {n.quantity.raw}) / {den.code}",
                                  [n_ev, ctx.evidence("numerator", n.quantity, table=t.index, row=k.index,
                                                      col=n.col, label="Ghi chú"), d_ev]))
            label = f"Bảng {t.index}, {r.code} {r.label[:70]}"
            if value is None:
                if any(c.text.strip() for c in r.cells_of("value")):
                    continue  # a formula or placeholder is left in the cell: AUD402 reports it
                if dcell.quantity.value:
                    num = cands[0]
                    yield self.finding(f"{label}: dòng tỷ lệ để trống dù có tử số và mẫu số "
                                       f"({fmt(num[0])}/{fmt(num[1])})", num[3],
                                       severity=Severity.INFO, verdict=Verdict.INDETERMINATE,
                                       kind="placeholder", name="rate.missing",
                                       suggestion=f"Điền tỷ lệ {100 * num[0] / num[1]:.1f}%".replace(".", ","))
                continue
            if value.quantity.kind not in (Kind.PERCENT, Kind.COUNT, Kind.DECIMAL):
                continue
            rate_q = value.quantity
            ev_rate = ctx.evidence("rate", rate_q, table=t.index, row=r.index, col=value.col, label=f"{r.code} {r.label}")
            f = self._judge(ctx, rate_q, cands, ev_rate, label)
            if f:
                yield f

    def _rate_columns(self, ctx, t):
        lex = lexicon()
        concepts = [lex.column_concept(p) for p in t.columns]
        rate_cols = [i for i, c in enumerate(concepts) if c and c.id == "files.on_time_rate"]
        if not rate_cols:
            return
        failed, held = [], 0
        for r in t.rows:
            cells = {c.col: c for c in r.cells if c.quantity}
            by = {concepts[k].id: cells[k] for k in cells if concepts[k]}
            rc = cells.get(rate_cols[0])
            if rc is None or "files.resolved" not in by:
                continue
            den = by["files.resolved"]
            nums = [k for k in ("files.resolved.early", "files.resolved.on_time") if k in by] or (
                ["files.resolved.in_time"] if "files.resolved.in_time" in by else [])
            if not nums:
                continue
            n = sum(by[k].quantity.value for k in nums)
            ev = [ctx.evidence("numerator", by[k].quantity, table=t.index, row=r.index, col=by[k].col,
                               label=" / ".join(by[k].col_path)) for k in nums]
            ev.append(ctx.evidence("denominator", den.quantity, table=t.index, row=r.index, col=den.col,
                                   label=" / ".join(den.col_path)))
            ev_rate = ctx.evidence("rate", rc.quantity, table=t.index, row=r.index, col=rc.col,
                                   label=" / ".join(rc.col_path))
            f = self._judge(ctx, rc.quantity, [(n, den.quantity.value, "(trước hạn + đúng hạn) / đã giải quyết", ev)],
                            ev_rate, f"Bảng {t.index}, dòng «{r.label}»")
            held += 1
            if f:
                failed.append(f)
        # A rate column that fails on most rows was paired with the wrong columns (a header
        # slip, a column order the reader did not expect): abstain, do not report every row.
        yield from coherent([f for f in failed if f.severity == Severity.ERROR], held) + \
            [f for f in failed if f.severity != Severity.ERROR]

    def _narrative(self, ctx):
        # A rate read with its own fraction ("đạt 99,91% (2.159/2.161 hồ sơ)") or as a part over
        # its total has been judged, failing or not: no other base is tried for it.
        judged: set[int] = set()
        yield from self._narrative_fractions(ctx, judged)
        yield from self._narrative_parts(ctx, judged)
        yield from self._defined_rates(ctx, judged)

    def _defined_rates(self, ctx, judged: set[int]):
        """Rates of rules/identities.yaml in a narrative paragraph: "Đã giải quyết 1.851 hồ sơ
        (trước hạn 1.623, đúng hạn 189, quá hạn 39) … tỷ lệ trước hạn và đúng hạn đạt 98,9%"."""
        pack = load_pack("identities")
        scopes = _scopes(ctx)
        for scope, own in scopes.items():
            if not scope.startswith("p"):
                continue
            for rdef in pack.get("rates", []):
                for rate in [o for o in own if o.concept == rdef["rate"] and o.quantity.kind == Kind.PERCENT]:
                    if rate.quantity.start in judged:
                        continue
                    obs = own
                    needed = {c for group in rdef["denominators"] + rdef["numerators"] for c in group}
                    if not any(o.concept in needed for o in own):
                        # "… quá hạn 02 hồ sơ." ¶ "Tỷ lệ … đạt 100%": counts in the paragraph before.
                        obs = own + scopes.get(f"p{int(scope[1:]) - 1}", [])
                    cands = []
                    for dens in rdef["denominators"]:
                        dpick = [_pick(obs, d, set(), True) for d in dens]
                        if any(d is None for d in dpick):
                            continue
                        for nums in rdef["numerators"]:
                            npick = [_pick(obs, n, set(dpick), True) for n in nums]
                            if any(n is None for n in npick):
                                continue
                            desc = " + ".join(_lc(_cname(n)) for n in nums) + " / " + " + ".join(
                                _lc(_cname(d)) for d in dens)
                            ev = [ctx.observed(n, "numerator") for n in npick] + [
                                ctx.observed(d, "denominator") for d in dpick]
                            cands.append((sum(n.value for n in npick), sum(d.value for d in dpick), desc, ev))
                    if cands:
                        f = self._judge(ctx, rate.quantity, cands, ctx.evidence("rate", rate.quantity),
                                        f"Dòng {ctx.lines.locate(rate.quantity.start)[0]}")
                        if f:
                            yield f

    _PCT_GAP = re.compile(r"\s*[(,]?\s*(?:đạt|bằng|chiếm|tương ứng|tương đương)?\s*(?:tỷ lệ|tỉ lệ)?\s*(?:là)?\s*$")

    def _narrative_parts(self, ctx, judged: set[int]):
        """"Đã giải quyết 424 hồ sơ, trong đó: trước hạn 410 hồ sơ (đạt 98,1%)": the part
        over the total it is listed under. Only this explicit shape is checked, so that a
        percentage of some other base in the same sentence is never misread."""
        for sent in ctx.structure.sentences:
            qs = ctx.quantities_in(sent.start, sent.end)
            for i, p in enumerate(qs):
                if p.kind != Kind.PERCENT or p.bound or i == 0:
                    continue
                q = qs[i - 1]
                if q.kind != Kind.COUNT or not q.unit:
                    continue
                gap = ctx.text[q.end : p.start]
                if q.noun and gap.lstrip().startswith(q.noun):
                    gap = gap.lstrip()[len(q.noun):]
                if not self._PCT_GAP.match(gap):
                    continue
                marker = last_part_marker(sent.text, q.start - sent.start)
                if marker is None:
                    continue
                list_start = sent.start + marker.start()  # the innermost "trong đó" / "(" list
                if ctx.scope(q) or ctx.scope(p):
                    continue  # "tăng 412 hồ sơ, tương đương 7,8%": a change over another base
                totals = [t for t in qs[: i - 1] if t.end <= list_start and t.kind == Kind.COUNT
                          and t.unit == q.unit and t.value >= q.value and not ctx.scope(t)]
                if not totals:
                    continue
                # The nearest total first; the others are alternative bases ("3.072 hồ sơ, gồm 18 …
                # và 3.054 mới tiếp nhận; trong đó trực tuyến 2.225 (72,43%)" divides by 3.072).
                cands = [(q.value, t.value, "thành phần / tổng",
                          [ctx.evidence("numerator", q), ctx.evidence("denominator", t)]) for t in reversed(totals)]
                judged.add(p.start)
                f = self._judge(ctx, p, cands, ctx.evidence("rate", p), f"Dòng {ctx.lines.locate(p.start)[0]}")
                if f:
                    yield f

    def _narrative_fractions(self, ctx, judged: set[int]):
        qs = [q for q in ctx.quantities if ctx.where(q.start) == "narrative"]
        for i, q in enumerate(qs):
            if q.kind != Kind.FRACTION or not q.denominator or q.value > q.denominator:
                continue
            # "a/b … đạt p%": the next percentage in the same clause; "p% (a/b hồ sơ)": the one before.
            prev = qs[i - 1] if i else None
            if prev is not None and prev.kind == Kind.PERCENT and not prev.bound and re.fullmatch(
                    r"\s*\(\s*", ctx.text[prev.end : q.start]):
                ev = [ctx.evidence("numerator", q, value=q.value),
                      ctx.evidence("denominator", q, value=q.denominator)]
                judged.add(prev.start)
                f = self._judge(ctx, prev, [(q.value, q.denominator, "tỷ số", ev)],
                                ctx.evidence("rate", prev), f"Dòng {ctx.lines.locate(prev.start)[0]}")
                if f:
                    yield f
                continue
            for p in qs[i + 1 : i + 3]:
                gap = ctx.text[q.end : p.start]
                if p.kind != Kind.PERCENT or p.bound or len(gap) > 80 or re.search(r"[.;]\s|\d/\d", gap):
                    continue
                if ctx.scope(p):
                    continue  # "(1.258/1.261 hồ sơ), vượt chỉ tiêu được giao (98%)": a target
                if gap.rstrip().endswith("(") and len(gap.split()) - len((q.noun or "").split()) > 4:
                    # "05/08 lĩnh vực đạt chỉ tiêu là đất đai (58,49%)": the bracket qualifies the
                    # words just before it, not the fraction
                    break
                ev = [ctx.evidence("numerator", q, value=q.value),
                      ctx.evidence("denominator", q, value=q.denominator)]
                judged.add(p.start)
                f = self._judge(ctx, p, [(q.value, q.denominator, "tỷ số", ev)],
                                ctx.evidence("rate", p), f"Dòng {ctx.lines.locate(p.start)[0]}")
                if f:
                    yield f
                break


_OF_WHICH = re.compile(r"\btrong\s+đó\b\s*:?", re.IGNORECASE)
_ENUM = re.compile(r"\b(?:cụ\s+thể|bao\s+gồm|gồm)\b\s*:?", re.IGNORECASE)


def _depth(text: str, start: int, pos: int) -> int:
    """Parenthesis depth at `pos`, counted from `start`.

    Callers ask about many positions of one sentence: the parentheses after `start` are
    scanned once (as far as asked) and each question costs a bisection, not a rescan."""
    import bisect

    c = _DEPTH_CACHE
    if c[0] is not text or c[1] != start or pos < start:
        c[:] = [text, start, start, [], []]
    if pos > c[2]:
        positions, depths = c[3], c[4]
        depth = depths[-1] if depths else 0
        for m in _PAREN.finditer(text, c[2], pos):
            depth = depth + 1 if m.group(0) == "(" else max(0, depth - 1)  # "b)" list markers close nothing
            positions.append(m.start())
            depths.append(depth)
        c[2] = pos
    k = bisect.bisect_left(c[3], pos)
    return c[4][k - 1] if k else 0


_PAREN = re.compile(r"[()]")
_DEPTH_CACHE: list = [None, -1, 0, [], []]


def _same_family(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


# What closes a list of parts: a ";" (unless the list is written with ";" between its items)
# or "ngoài ra / bên cạnh đó" (what follows is besides the total, not in it).
_LIST_END = re.compile(r";|\bngoài ra\b|\bbên cạnh đó\b|\bđồng thời\b", re.IGNORECASE)
_ENDS_ALL = re.compile(r"\bngoài ra\b|\bbên cạnh đó\b|\bđồng thời\b", re.IGNORECASE)


def _list_ends(gap: str, separator: str | None, listed: int, announced: float) -> bool:
    """Does the text between two numbers close the list? "…, gồm 02 kế hoạch và 03 công văn;
    lũy kế 6 tháng 09 văn bản": yes. A ";" between the first two items makes ";" the list's
    separator, and a list whose items were counted ("trên 12 lĩnh vực") runs until that many
    are listed; "ngoài ra" ends any list not written with ";" between its items."""
    if not _LIST_END.search(gap):
        return False
    if separator == ";":
        return False
    if _ENDS_ALL.search(gap):
        return True
    return not ((listed == 1 and separator is None) or listed < announced)


class EnumerationSumRule(Rule):
    code = "AUD204"
    name = "sum.narrative-enumeration"
    kind = "sum"
    what = ("'ban hành N văn bản, cụ thể: a báo cáo, b công văn, …' and 'N TTHC trên K lĩnh vực, cụ thể: "
            "…': the listed numbers (of the total's unit family) must add up to N, and K must equal the "
            "number of listed items. 'trong đó' lists are not exhaustive: there only a part larger than the "
            "total is flagged.")
    why = "Enumerations are typed by hand; a forgotten or mistyped item shows only when they are added up."
    example_fail = ("UBND đã ban hành 147 văn bản, cụ thể: 49 báo cáo, 36 công văn, 13 kế hoạch, 31 quyết định, "
                    "9 thông báo và 19 tờ trình.")
    example_pass = ("UBND đã ban hành 157 văn bản, cụ thể: 49 báo cáo, 36 công văn, 13 kế hoạch, 31 quyết định, "
                    "9 thông báo và 19 tờ trình.")

    def check(self, ctx):
        vocab = units()
        concept_at = {o.quantity.start: o.concept for o in ctx.observations if o.source == "narrative"}
        for sent in ctx.structure.sentences:
            m = _ENUM.search(sent.text) or _OF_WHICH.search(sent.text)
            if not m:
                continue
            cut = sent.start + m.start()
            qs = [q for q in ctx.quantities_in(sent.start, sent.end) if q.kind in (Kind.COUNT, Kind.MONEY)]
            before = [q for q in qs if q.end <= cut][-2:]
            after = [q for q in qs if q.start >= sent.start + m.end()]
            # "cụ thể", "gồm" claim a complete list; "trong đó" lists some parts only, so there
            # only a part larger than the whole is certain.
            exhaustive = _OF_WHICH.fullmatch(m.group(0)) is None
            depth = _depth(ctx.text, sent.start, sent.start + m.start())
            for total in reversed(before):
                fam = self._family(vocab, total.unit)
                if fam is None:
                    continue
                if _depth(ctx.text, sent.start, total.start) > depth:
                    continue  # inside a parenthesis that closed before the list: not its total
                if ctx.scope(total):
                    break  # "tăng 133 hồ sơ …, trong đó", "(chỉ tiêu giao 30 lượt), gồm": not a total
                if total.value == 0:
                    break  # "không có hồ sơ tồn; trong đó 27 …": a zero is no list's total
                parts = []
                total_obs = concept_at.get(total.start)
                count_total = [b for b in before if b is not total and b.unit and
                               self._family(vocab, b.unit) == "lĩnh vực"]
                announced = max((k.value for k in count_total), default=0)
                separator = None  # what separates the list's items; a ";" that does not, ends it
                after_semicolon = set()  # parts after a ";": maybe a new clause, not the list's
                prev_end = sent.start + m.end()
                for q in after:
                    d = _depth(ctx.text, sent.start, q.start)
                    if d > depth:
                        continue  # a breakdown of a part: "415 nhận mới (398 trực tuyến, 17 trực tiếp)"
                    if d < depth:
                        break  # the list's parenthesis has closed
                    gap = ctx.text[prev_end:q.start]
                    if _list_ends(gap, separator, len(parts), announced):
                        break
                    if parts and separator is None:
                        separator = ";" if ";" in gap else ","
                    prev_end = q.end
                    other = concept_at.get(q.start)
                    if parts and total_obs and other and not _same_family(total_obs, other):
                        break  # the next clause measures something else ("; hiện có mặt 20 người")
                    if self._family(vocab, q.unit) == fam:
                        if parts and ";" in gap:
                            after_semicolon.add(q.start)
                        parts.append(q)
                    elif parts and q.unit is not None:
                        break
                if not exhaustive and len(parts) >= 2 and len({p.unit for p in parts}) == len(parts):
                    # Distinct categories ("27 quyết định, 18 kế hoạch, …") are disjoint: their sum
                    # cannot exceed the total even when the list is not complete.
                    s_parts = sum(p.value for p in parts)
                    if s_parts > total.value + 1e-9 and self._family(vocab, total.unit) == fam:
                        yield self.finding(
                            f"Dòng {ctx.lines.locate(total.start)[0]}: tổng {fmt(total.value)} {total.noun or ''} "
                            f"nhưng các thành phần nêu sau «trong đó» đã cộng được {fmt(s_parts)}",
                            [ctx.evidence("total", total)] + [ctx.evidence("part", p) for p in parts],
                            stated=total.value, expected=s_parts,
                            suggestion="Kiểm tra lại tổng số hoặc từng số liệu thành phần.")
                        break
                if not exhaustive:
                    for p in parts:
                        if p.start in after_semicolon:
                            continue  # "1.164 văn bản đi, trong đó 1.159 ký số; tiếp nhận 2.731 văn bản đến"
                        if p.value * self._scale(vocab, p.unit) > total.value * self._scale(vocab, total.unit) + 1e-9:
                            yield self.finding(
                                f"Dòng {ctx.lines.locate(p.start)[0]}: trong tổng {fmt(total.value)} "
                                f"{total.noun or ''} có {fmt(p.value)} {p.noun or ''} — phần lớn hơn tổng",
                                [ctx.evidence("total", total), ctx.evidence("part", p)],
                                stated=p.value, expected=total.value, kind="hierarchy",
                                name="hierarchy.part-exceeds-total",
                                suggestion="Kiểm tra lại: thành phần không thể lớn hơn tổng (có thể gõ nhầm).")
                    break
                if len(parts) >= 2:
                    scale = self._scale(vocab, total.unit)
                    s = sum(p.value * self._scale(vocab, p.unit) for p in parts) / scale
                    tol = 0.5 * 10 ** (-max(p.decimals for p in parts + [total])) * len(parts) \
                        if any(p.decimals for p in parts + [total]) else 1e-9
                    if (exhaustive and abs(s - total.value) > tol) or s > total.value + tol:
                        ev = [ctx.evidence("total", total)] + [ctx.evidence("part", p) for p in parts]
                        yield self.finding(
                            f"Dòng {ctx.lines.locate(total.start)[0]}: tổng {fmt(total.value)} {total.noun or ''} "
                            f"nhưng cộng {len(parts)} thành phần = {fmt(s)}; chênh {fmt(abs(s - total.value))}",
                            ev, stated=total.value, expected=s,
                            suggestion="Kiểm tra lại tổng số hoặc từng số liệu thành phần.")
                    for k in count_total:
                        if exhaustive and abs(k.value - len(parts)) > 1e-9:
                            yield self.finding(
                                f"Dòng {ctx.lines.locate(k.start)[0]}: nêu {fmt(k.value)} {k.noun} nhưng liệt kê "
                                f"{len(parts)} mục", [ctx.evidence("total", k)] +
                                [ctx.evidence("part", p) for p in parts],
                                stated=k.value, expected=len(parts), name="sum.enumeration-count",
                                suggestion="Đếm lại số mục được liệt kê.")
                    break

    @staticmethod
    def _scale(vocab, unit) -> float:
        info = vocab.lookup(unit) if unit else None
        return float(info.money_scale) if info and info.money_scale else 1.0

    @staticmethod
    def _family(vocab, unit):
        if unit is None:
            return None
        info = vocab.lookup(unit)
        return info.family if info else unit


_SUBSET_ROW = re.compile(r"(?i)\s*(?:trong đó|trong số|riêng)\b")


class BoundRule(Rule):
    code = "AUD205"
    name = "hierarchy.part-exceeds-whole"
    kind = "hierarchy"
    what = ("A part can never exceed its whole: staff present ≤ assigned, online ≤ received, procedures "
            "with files ≤ procedures provided (rules/identities.yaml `bounds`), and in an indicator "
            "table a count sub-row ≤ its 'Tổng số' parent row.")
    why = "A sub-item larger than its parent is impossible and usually a typo in one of the two."
    example_fail = ("STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n1.\tTổng số VBQPPL\tVăn bản\t2\n"
                    "1.1.\tSố VBQPPL do cấp xã ban hành\tVăn bản\t5")
    example_pass = ("STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\n1.\tTổng số VBQPPL\tVăn bản\t5\n"
                    "1.1.\tSố VBQPPL do cấp xã ban hành\tVăn bản\t2")

    def check(self, ctx):
        pack = load_pack("identities")
        for obs in _scopes(ctx).values():
            over = defaultdict(list)  # one finding per whole, listing every part that exceeds it
            for b in pack.get("bounds", []):
                part = _pick(obs, b["part"], set(), False)
                whole = _pick(obs, b["whole"], set(), False)
                if part and whole and part.value > whole.value + 1e-9:
                    over[whole].append(part)
            for whole, parts in over.items():
                listed = "; ".join(f"{_cname(p.concept)} {fmt(p.value)}" for p in parts)
                yield self.finding(f"{listed} lớn hơn {_lc(_cname(whole.concept))} {fmt(whole.value)}",
                                   [ctx.observed(p, "part") for p in parts] + [ctx.observed(whole, "total")],
                                   stated=parts[0].value, expected=whole.value,
                                   suggestion=f"Kiểm tra lại {_lc(_cname(whole.concept))}: "
                                              "thành phần không thể lớn hơn tổng.")
        for t in ctx.tables:
            if t.kind != TableKind.INDICATOR:
                continue
            for r in t.rows:
                if r.unit.strip() in ("", "%"):
                    continue
                # A "Tổng số …" row is the whole of its sub-rows; any row is the whole of a
                # sub-row that says so ("Trong đó: xử lý trên môi trường mạng").
                whole = re.match(r"(?i)tổng số|số lượng", r.label) is not None
                if not whole and not any(k.parent == r.index and _SUBSET_ROW.match(k.label) for k in t.rows):
                    continue
                pv = r.value_cell
                if pv is None:
                    continue
                kids = [(k, kv) for k in t.rows if k.parent == r.index and squash(k.unit) == squash(r.unit)
                        for kv in [k.value_cell] if kv]
                total_kids = sum(kv.quantity.value for _, kv in kids)
                if len(kids) >= 2 and all(kv.quantity.value <= pv.quantity.value for _, kv in kids) and \
                        total_kids > pv.quantity.value + 1e-9 and all(k.code == "-" for k, _ in kids):
                    # "- " sub-rows of a total are its breakdown: together they cannot exceed it.
                    yield self.finding(
                        f"Bảng {t.index}: các dòng con của {r.code or r.label[:40]} cộng lại {fmt(total_kids)}, "
                        f"lớn hơn dòng tổng ({fmt(pv.quantity.value)})",
                        [ctx.evidence("total", pv.quantity, table=t.index, row=r.index, col=pv.col, label=r.label)] +
                        [ctx.evidence("part", kv.quantity, table=t.index, row=k.index, col=kv.col, label=k.label)
                         for k, kv in kids], stated=total_kids, expected=pv.quantity.value,
                        suggestion="Kiểm tra lại dòng tổng hoặc các dòng con.")
                for k in t.rows:
                    kv = k.value_cell
                    if k.parent == r.index and kv and squash(k.unit) == squash(r.unit) and \
                            (whole or _SUBSET_ROW.match(k.label)) and kv.quantity.value > pv.quantity.value + 1e-9:
                        yield self.finding(
                            f"Bảng {t.index}: {k.code} ({fmt(kv.quantity.value)}) lớn hơn dòng cha {r.code} "
                            f"({fmt(pv.quantity.value)})",
                            [ctx.evidence("part", kv.quantity, table=t.index, row=k.index, col=kv.col, label=k.label),
                             ctx.evidence("total", pv.quantity, table=t.index, row=r.index, col=pv.col, label=r.label)],
                            stated=kv.quantity.value, expected=pv.quantity.value,
                            suggestion="Kiểm tra lại dòng con hoặc dòng tổng.")
