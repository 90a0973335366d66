"""Command line: `auditor audit|text|numbers|tables|rules|rule|eval`.

`main(argv, stdout, stderr)` takes its streams as arguments so tests capture output.
Exit codes (DESIGN §7): 0 nothing at or above --fail-on; 1 findings at or above it;
2 usage or configuration error; 3 an input could not be read.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from auditor.errors import InputError, UsageError, display_path, path_is_escaped
from auditor.ingest import SUPPORTED, read_document

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3
SEVERITIES = ("info", "warning", "error")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 2 with one line, never a traceback
        raise UsageError(message)


def _parser(lang: str = "vi") -> argparse.ArgumentParser:
    from auditor.cli_output import EPILOG, _add_lang, add_global_options, add_init_parser

    p = _Parser(prog="auditor", description=_h(lang, "Kiểm tra mâu thuẫn số liệu trong báo cáo cải cách hành chính.",
                                               "Find contradicting numbers in administrative-reform reports."),
                epilog=EPILOG[lang], formatter_class=argparse.RawDescriptionHelpFormatter)
    add_global_options(p, lang)
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=_Parser,
                           title=_h(lang, "lệnh", "commands"), metavar="LỆNH" if lang == "vi" else "COMMAND")
    a = sub.add_parser("audit", help=_h(lang, "kiểm tra một hoặc nhiều báo cáo", "audit one or more reports"),
                       epilog=EPILOG[lang], formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("paths", nargs="+", help=_h(lang, "tệp, thư mục hoặc mẫu glob (.txt .md .docx .pdf .html .xlsx)",
                                               "files, folders or glob patterns (.txt .md .docx .pdf .html .xlsx)"))
    a.add_argument("--fail-on", choices=list(SEVERITIES) + ["none"], default=None,
                   help=_h(lang, "mức thấp nhất làm lệnh trả mã 1 (mặc định: error, hoặc fail-on trong cấu hình)",
                           "lowest severity that makes the exit code 1 (default: error, or fail-on in the config)"))
    a.add_argument("--select", default=None, help=_h(lang, "mã quy tắc hoặc tiền tố, phân cách bởi dấu phẩy (mặc định: AUD, tức mọi quy tắc)",
                                                     "rule codes or prefixes, comma-separated (default: AUD, every rule)"))
    a.add_argument("--ignore", default=None, help=_h(lang, "mã quy tắc hoặc tiền tố cần bỏ qua (mặc định: không bỏ qua)",
                                                     "rule codes or prefixes to skip (default: none)"))
    a.add_argument("--config", default=None, help=_h(lang, "auditor.toml hoặc pyproject.toml (mặc định: tìm trong thư mục hiện tại)",
                                                     "auditor.toml or pyproject.toml (default: looked up in the current folder)"))
    a.add_argument("--baseline", default=None, help=_h(lang, "bỏ qua các phát hiện đã chấp nhận trong tệp này",
                                                       "skip the findings accepted in this file"))
    a.add_argument("--write-baseline", default=None, help=_h(lang, "ghi các phát hiện hiện tại làm baseline",
                                                             "write the current findings as a baseline"))
    a.add_argument("--appendix", default=None, metavar="FILE",
                   help=_h(lang, "phụ lục gửi kèm thành tệp riêng (.xlsx), kiểm tra cùng báo cáo; mặc định: tệp "
                                 ".xlsx duy nhất cạnh báo cáo có tên bắt đầu bằng tên báo cáo",
                           "the appendix sent as a separate file (.xlsx), audited with the report; default: the one "
                           ".xlsx beside the report whose name starts with the report's name"))
    a.add_argument("--no-appendix", action="store_true",
                   help=_h(lang, "không tự tìm phụ lục cạnh báo cáo", "do not look for an appendix beside the report"))
    a.add_argument("--min-confidence", type=_confidence, default=None, metavar="P",
                   help=_h(lang, "chỉ giữ các phát hiện có độ tin cậy ghép cặp từ P trở lên (0–1); phát hiện "
                                 "số học không có độ tin cậy luôn được giữ (mặc định: giữ tất cả; cấu hình: "
                                 "min-confidence)",
                           "keep only findings whose pairing confidence is at least P (0–1); arithmetic findings "
                           "carry none and are always kept (default: keep all; config: min-confidence)"))
    a.add_argument("--jobs", "-j", type=_positive_int, default=None, metavar="N",
                   help=_h(lang, "số tiến trình kiểm tra song song (mặc định: 1, hoặc jobs trong cấu hình)",
                           "number of files audited in parallel (default: 1, or jobs in the config)"))
    a.add_argument("--timeout", type=_seconds, default=None, metavar=_h(lang, "GIÂY", "SECONDS"),
                   help=_h(lang, "thời gian tối đa cho mỗi tệp, quá thời gian thì dừng tệp đó, báo lỗi "
                                 "và kiểm tra tiếp các tệp khác; 0 là không giới hạn (mặc định: 120, hoặc "
                                 "timeout trong cấu hình)",
                           "time limit per file: a file that runs longer is stopped and reported, the "
                           "others go on; 0 means no limit (default: 120, or timeout in the config)"))
    a.add_argument("--packs", action="append", default=None, metavar=_h(lang, "THƯ_MỤC", "DIR"),
                   help=_h(lang, "thư mục gói tri thức của người dùng (concepts.yaml, units.yaml …) bổ sung cho gói "
                                 "có sẵn; dùng nhiều lần được (mặc định: packs trong cấu hình)",
                           "a folder of the user's own packs (concepts.yaml, units.yaml …) that extend the built-in "
                           "ones; may be repeated (default: packs in the config)"))
    a.add_argument("--show-within-rounding", action="store_true",
                   help=_h(lang, "hiện cả chênh lệch nằm trong sai số làm tròn (mặc định: ẩn)",
                           "also show differences within rounding (default: hidden)"))
    from auditor.cli_output import add_output_options

    add_output_options(a, lang)
    for name, helptext in (("text", _h(lang, "in văn bản mà mọi vị trí (offset) tham chiếu tới",
                                        "print the text every offset refers to")),
                           ("numbers", _h(lang, "liệt kê mọi con số với loại và vị trí",
                                          "list every number with its kind and place")),
                           ("tables", _h(lang, "in các bảng đã dựng lại", "print the tables as rebuilt"))):
        s = sub.add_parser(name, help=helptext)
        s.add_argument("path", help=_h(lang, "tệp báo cáo (.txt .md .docx .pdf .html .xlsx)", "report file (.txt .md .docx .pdf .html .xlsx)"))
        if name != "text":
            s.add_argument("--format", choices=["rich", "json"], default="rich",
                           help=_h(lang, "mặc định: %(default)s", "default: %(default)s"))
    c = sub.add_parser("claims", help=_h(lang, "in khung nghĩa của từng con số trong thuyết minh (khái niệm, danh từ "
                                               "được đếm, phạm vi, vai trò)",
                                         "print the frame of every narrative number (concept, counted noun, scope, role)"))
    c.add_argument("path", help=_h(lang, "tệp báo cáo (.txt .md .docx .pdf .html .xlsx)", "report file (.txt .md .docx .pdf .html .xlsx)"))
    c.add_argument("--format", choices=["rich", "json"], default="rich",
                   help=_h(lang, "mặc định: %(default)s", "default: %(default)s"))
    rl = sub.add_parser("rules", help=_h(lang, "liệt kê các quy tắc", "list the rules"))
    _add_lang(rl, lang)
    r = sub.add_parser("rule", help=_h(lang, "tài liệu của một quy tắc", "one rule's documentation"))
    _add_lang(r, lang)
    r.add_argument("code", help=_h(lang, "mã quy tắc, ví dụ AUD201", "rule code, e.g. AUD201"))
    e = sub.add_parser("eval", help=_h(lang, "chấm điểm trên bộ dữ liệu có gold", "score against gold lists"))
    e.add_argument("dir", help=_h(lang, "thư mục có reports/ và gold/", "folder with reports/ and gold/"))
    e.add_argument("--format", choices=["rich", "json"], default="rich",
                   help=_h(lang, "mặc định: %(default)s", "default: %(default)s"))
    add_init_parser(sub, lang)
    return p


def _h(lang: str, vi: str, en: str) -> str:
    return en if lang == "en" else vi


def _positive_int(s: str) -> int:
    try:
        v = int(s)
    except ValueError:
        v = 0
    if v < 1:
        raise argparse.ArgumentTypeError(_jobs_message(s))
    return v


def _decimal(s: str, ok, message) -> float:
    """A number written either way ("0,5", "0.5") that `ok` accepts, for argparse."""
    try:
        v = float(s.replace(",", "."))
    except ValueError:
        v = float("nan")  # fails every range
    if not ok(v):
        raise argparse.ArgumentTypeError(message(s))
    return v


def _seconds(s: str) -> float:
    return _decimal(s, lambda v: 0 <= v < float("inf"), _timeout_message)


def _confidence(s: str) -> float:
    return _decimal(s, lambda v: 0 <= v <= 1, lambda s: f"cần một số từ 0 đến 1, không phải {s!r}")


def _jobs_message(v) -> str:
    from auditor.i18n import get_lang

    return _h(get_lang(), f"jobs phải là số nguyên dương, không phải {v!r}",
              f"jobs must be a positive integer, not {v!r}")


def _timeout_message(v) -> str:
    from auditor.i18n import get_lang

    return _h(get_lang(), f"timeout phải là số giây không âm (0: không giới hạn), không phải {v!r}",
              f"timeout must be a number of seconds, 0 or more (0: no limit), not {v!r}")


def run_settings(args, conf: dict) -> tuple[int, float | None]:
    """--jobs and --timeout, else `jobs` and `timeout` from the configuration, checked."""
    from auditor.runner import DEFAULT_JOBS, DEFAULT_TIMEOUT

    jobs = args.jobs if args.jobs is not None else conf.get("jobs", DEFAULT_JOBS)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise UsageError(_jobs_message(jobs))
    timeout = args.timeout if args.timeout is not None else conf.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 <= timeout < float("inf"):
        raise UsageError(_timeout_message(timeout))
    return jobs, (float(timeout) or None)


def main(argv: list[str] | None = None, stdout=None, stderr=None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    from auditor.cli_output import parse_args

    try:
        args = parse_args(_parser, argv, stdout)
        if args is None:  # --help / --version printed
            return EXIT_OK
        return _dispatch(args, stdout, stderr)
    except UsageError as exc:
        from auditor.i18n import get_lang

        print(f"auditor: {'usage error' if get_lang() == 'en' else 'lỗi cách dùng'}: {exc}", file=stderr)
        return EXIT_USAGE
    except InputError as exc:
        print(f"auditor: {exc}", file=stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except BrokenPipeError:  # `auditor … | head`: the reader left; nothing to report
        return EXIT_OK
    except (MemoryError, RecursionError, Exception) as exc:  # noqa: BLE001 - no traceback reaches the user
        print(f"auditor: lỗi nội bộ (internal error: {type(exc).__name__}); "
              "hãy báo lỗi kèm tệp đầu vào (please report it with the input)", file=stderr)
        return EXIT_INPUT


def _console(stdout):
    from auditor.render.terminal import make_console

    return make_console(stdout)


def _dispatch(args, stdout, stderr) -> int:
    if args.cmd == "init":
        from auditor.cli_output import cmd_init

        return cmd_init(args, stdout)
    if args.cmd == "audit":
        return _cmd_audit(args, stdout, stderr)
    if args.cmd == "text":
        stdout.write(_read_one(args.path).text)
        return EXIT_OK
    if args.cmd == "numbers":
        return _cmd_numbers(args, stdout)
    if args.cmd == "tables":
        return _cmd_tables(args, stdout)
    if args.cmd == "claims":
        from auditor.cli_claims import cmd_claims

        return cmd_claims(_read_one(args.path), args.format, stdout, _console)
    if args.cmd in ("rules", "rule"):
        from auditor import rule_docs
        from auditor.checks import REGISTRY
        from auditor.i18n import get_lang

        if args.cmd == "rules":
            for code in sorted(REGISTRY):
                print(rule_docs.summary_line(REGISTRY[code], get_lang()), file=stdout)
            return EXIT_OK
        if args.code.upper() not in REGISTRY:
            raise UsageError(_h(get_lang(), f"không có quy tắc {args.code}", f"no rule {args.code}"))
        print(rule_docs.doc(REGISTRY[args.code.upper()], get_lang()), file=stdout)
        return EXIT_OK
    if args.cmd == "eval":
        return _cmd_eval(args, stdout)
    raise UsageError(args.cmd)  # pragma: no cover


def _read_one(path: str):
    """One input for `text`, `numbers`, `tables`, under the configured read limits."""
    return read_document(path, **read_limits(load_config(None)))


# --- audit ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One input of a run: a file to read, or an entry that is reported and not read.

    `reason` set and `skipped` False: the input could not be read (the run exits 3).
    `skipped` True: deliberately left out (not a report format, a symlinked folder, a
    second name of a file already listed); reported, but the exit code does not change."""

    path: str
    reason: str | None = None
    skipped: bool = False
    appendix: str | None = None  # a separate appendix file audited with this report


_NO_REPORT = "thư mục không chứa báo cáo nào (.txt .md .docx .pdf .html .xlsx) (directory holds no report)"
_LINKED_DIR = "thư mục liên kết tượng trưng, không đi theo (symlinked folder not followed)"
_NOT_REPORT = "không phải định dạng báo cáo (.txt .md .docx .pdf .html .xlsx), bỏ qua (skipped: not a report format)"


def collect_inputs(paths: list[str]) -> tuple[list[Entry], bool]:
    """Files from files, directories and globs, each real file once; the flag says batch.

    Directories are walked without following symlinked folders (each one is reported as
    skipped); every entry that is left out is reported with its reason, and an unreadable
    folder met on the way is an input that could not be read."""
    from auditor.ingest import file_kind, os_reason

    out: list[Entry] = []
    seen: dict[str, str] = {}  # real path → the name it was first listed under
    batch = len(paths) > 1

    def add_file(path: str, explicit: bool) -> None:
        try:
            real = os.path.realpath(path)
        except (OSError, ValueError):
            real = path
        if real in seen and os.path.exists(real):
            out.append(Entry(path, f"cùng một tệp với {display_path(seen[real])}, bỏ qua "
                                   "(skipped: same file listed twice)", skipped=True))
            return
        seen[real] = path
        if not explicit and Path(path).suffix.lower() not in SUPPORTED:
            out.append(Entry(path, _NOT_REPORT, skipped=True))
            return
        out.append(Entry(path))

    def walk(root: str) -> None:
        count = len(out)
        errors: list[OSError] = []
        for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append, followlinks=False):
            dirnames.sort()
            for d in list(dirnames):
                full = os.path.join(dirpath, d)
                if os.path.islink(full):
                    dirnames.remove(d)
                    out.append(Entry(full, _LINKED_DIR, skipped=True))
            for f in sorted(filenames):
                full = os.path.join(dirpath, f)
                if Path(f).suffix.lower() not in SUPPORTED:
                    out.append(Entry(full, _NOT_REPORT, skipped=True))
                    continue
                add_file(full, explicit=False)
        for exc in errors:  # a folder that could not be listed
            out.append(Entry(exc.filename if exc.filename else root, os_reason(exc)))
        if not errors and not any(not e.skipped for e in out[count:]):
            out.append(Entry(root, _NO_REPORT))

    for p in paths:
        if any(ch in p for ch in "*?[") and not os.path.lexists(p):
            batch = True
            matches = sorted(glob.glob(p, recursive=True))
            if not matches:
                out.append(Entry(p, "không có tệp nào khớp mẫu (no file matches the pattern)"))
                continue
            linked: set[str] = set()
            for m in matches:
                via = _through_linked_dir(p, m)
                if via is not None:
                    if via not in linked:
                        linked.add(via)
                        out.append(Entry(via, _LINKED_DIR, skipped=True))
                    continue
                if os.path.isdir(m) and not os.path.islink(m):
                    continue  # "**" also matches folders: their files match on their own
                add_file(m, explicit=Path(m).suffix.lower() in SUPPORTED)
        elif os.path.isdir(p):
            batch = True
            walk(p)  # a folder named directly is walked even when it is a link
        else:
            add_file(p, explicit=True)
    return _pair_appendices(out), batch


def _pair_appendices(entries: list[Entry]) -> list[Entry]:
    """An .xlsx beside a report and named after it is that report's appendix, not a report."""
    from auditor.ingest.bundle import belongs_to

    reports = [e for e in entries if e.reason is None and not e.skipped]
    out = []
    for e in entries:
        owner = next((r for r in reports if r is not e and belongs_to(e.path, r.path)), None) \
            if e.reason is None else None
        if owner is not None:
            continue
        out.append(e)
    paired = {id(r): next((e.path for e in entries if e.reason is None and belongs_to(e.path, r.path)), None)
              for r in reports}
    return [Entry(e.path, e.reason, e.skipped, paired.get(id(e))) if paired.get(id(e)) else e for e in out]


def _through_linked_dir(pattern: str, match: str) -> str | None:
    """The first symlinked folder a glob match goes through below the pattern's fixed prefix."""
    parts = Path(match).parts
    fixed = 0
    for part in Path(pattern).parts:
        if any(ch in part for ch in "*?["):
            break
        fixed += 1
    for i in range(max(fixed, 1), len(parts) - 1):
        sub = os.path.join(*parts[: i + 1])
        if os.path.islink(sub) and os.path.isdir(sub):
            return sub
    return None


def expand_paths(paths: list[str]) -> tuple[list[str], bool]:
    """Files from files, directories and globs; the flag says whether this is a batch."""
    entries, batch = collect_inputs(paths)
    return [e.path for e in entries if not e.skipped], batch


def load_config(path: str | None) -> dict:
    candidates = [path] if path else ["auditor.toml", "pyproject.toml"]
    for c in candidates:
        if c and os.path.isfile(c):
            try:
                data = tomllib.loads(Path(c).read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
                raise UsageError(f"{display_path(c)}: cấu hình không hợp lệ ({_one_line(exc)})") from None
            if not isinstance(data, dict):
                raise UsageError(f"{display_path(c)}: cấu hình không hợp lệ")
            tool = data.get("tool", {})
            conf = (tool.get("auditor", data if c.endswith("auditor.toml") else {})
                    if isinstance(tool, dict) else {})
            if not isinstance(conf, dict) or not isinstance(conf.get("rules", {}), dict):
                raise UsageError(f"{display_path(c)}: cấu hình [tool.auditor] không hợp lệ")
            return conf
        if path:
            raise UsageError(f"{c}: không tìm thấy tệp cấu hình")
    return {}


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def fingerprint(f) -> str:
    key = "|".join([f.rule, f.name] + [f"{e.role}:{e.text}:{e.where}:{e.label or ''}" for e in f.evidence])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def read_limits(conf: dict) -> dict:
    """`max-bytes` and `max-chars` from the configuration, checked (a usage error if wrong)."""
    from auditor.ingest import MAX_INPUT_BYTES, MAX_TEXT_CHARS

    out = {}
    for key, arg, default in (("max-bytes", "max_bytes", MAX_INPUT_BYTES), ("max-chars", "max_chars", MAX_TEXT_CHARS)):
        v = conf.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
            raise UsageError(f"{key} phải là số nguyên dương ({key} must be a positive integer)")
        out[arg] = v
    return out


def _source_note(path: str) -> dict:
    if path_is_escaped(path):
        return {"path_escaped": True,
                "path_note": "tên tệp có ký tự không phải UTF-8 hoặc ký tự điều khiển, đã viết dạng \\xNN "
                             "(file name bytes that are not UTF-8 are escaped as \\xNN)"}
    return {}


def _cmd_audit(args, stdout, stderr) -> int:
    from auditor.engine import Config

    conf = load_config(args.config)
    limits = read_limits(conf)
    split = lambda s: tuple(x.strip().upper() for x in s.split(",") if x.strip())  # noqa: E731
    config = Config(select=split(args.select or ",".join(conf.get("select", ["AUD"]))),
                    ignore=split(args.ignore or ",".join(conf.get("ignore", []))),
                    show_within_rounding=args.show_within_rounding,
                    options={k.upper(): v for k, v in conf.get("rules", {}).items()})
    packs = args.packs if args.packs else conf.get("packs", [])
    if not isinstance(packs, list) or not all(isinstance(p, str) for p in packs):
        raise UsageError("packs phải là danh sách thư mục (packs must be a list of folders)")
    from auditor import packs as pack_store

    pack_store.use(packs)
    pack_store.load_pack("concepts")  # a pack error is a usage error (exit 2) before any file is read
    fail_on = args.fail_on or conf.get("fail-on", "error")
    min_confidence = args.min_confidence if args.min_confidence is not None else conf.get("min-confidence", 0.0)
    if isinstance(min_confidence, bool) or not isinstance(min_confidence, (int, float)) or not 0 <= min_confidence <= 1:
        raise UsageError("min-confidence phải là số từ 0 đến 1 (min-confidence must be a number from 0 to 1)")
    if fail_on not in SEVERITIES + ("none",):
        raise UsageError(f"fail-on phải là một trong {', '.join(SEVERITIES)}, none")
    accepted = set()
    if args.baseline:
        try:
            accepted = set(json.loads(Path(args.baseline).read_text(encoding="utf-8")).get("accepted", []))
        except (OSError, ValueError, AttributeError, TypeError) as exc:
            raise UsageError(f"{display_path(args.baseline)}: baseline không đọc được "
                             f"({type(exc).__name__})") from None
    entries, batch = collect_inputs(args.paths)
    if args.appendix and sum(1 for e in entries if not e.skipped) > 1:
        raise UsageError("--appendix chỉ dùng với một báo cáo (--appendix needs exactly one report)")
    from auditor.cli_output import open_output, progress, render_options
    from auditor.render import error_view, get_formatter
    from auditor.runner import Job, Settings, run

    jobs, timeout = run_settings(args, conf)
    if any(e.reason is None for e in entries):
        _check_rule_options(config)  # a bad option is exit 2 before any file is read

    any_input_error, worst = False, -1
    formatter = get_formatter(args.format, render_options(args, conf, stdout))
    new_baseline: list[str] = []
    with open_output(args, stdout) as out, progress(entries, stderr, args.format) as tick:
        formatter.begin(out, batch)
        # Views in input order for the formats written at the end; jsonl writes each file
        # as it finishes, so an interrupted batch keeps what was done.
        ready: dict[int, object] = {}
        written = 0

        def emit(index: int, view) -> None:
            nonlocal written
            tick()
            if formatter.streaming:
                formatter.add(view)
                return
            ready[index] = view
            while written in ready:
                formatter.add(ready.pop(written))
                written += 1

        def fail(index: int, path: str, reason: str, skipped: bool = False) -> None:
            nonlocal any_input_error
            shown = display_path(path)
            any_input_error = any_input_error or not skipped
            print(f"auditor: {shown}: {reason}", file=stderr)
            view = error_view(shown, SUPPORTED.get(Path(path).suffix.lower()), reason)
            view.extra = {"source": _source_note(path), **({"skipped": True} if skipped else {})}
            emit(index, view)

        def done(outcome) -> None:
            nonlocal worst
            path = entries[outcome.index].path
            if outcome.usage is not None:
                raise UsageError(outcome.usage)
            if outcome.error is not None:
                fail(outcome.index, path, outcome.error)
                return
            new_baseline.extend(outcome.fingerprints)
            for f in outcome.view.findings:
                worst = max(worst, f.severity.rank)
            emit(outcome.index, outcome.view)

        work = []
        for i, entry in enumerate(entries):
            if entry.reason is not None:
                fail(i, entry.path, entry.reason, entry.skipped)
                continue
            appendix = entry.appendix or (args.appendix if len(entries) == 1 else None)
            work.append(Job(i, entry.path, appendix,
                            find_appendix=appendix is None and not args.no_appendix and not batch))
        run(work, Settings(config, limits, frozenset(accepted), min_confidence), done, workers=jobs, timeout=timeout,
            timed_out=_timed_out, died=_died)
        formatter.end()
    if args.write_baseline:
        try:
            Path(args.write_baseline).write_text(json.dumps({"accepted": sorted(set(new_baseline))}, indent=2),
                                                 encoding="utf-8")
        except OSError as exc:
            from auditor.ingest import os_reason

            print(f"auditor: {display_path(args.write_baseline)}: không ghi được baseline "
                  f"({os_reason(exc)})", file=stderr)
            return EXIT_INPUT
    if any_input_error:
        return EXIT_INPUT
    if fail_on != "none" and worst >= SEVERITIES.index(fail_on):
        return EXIT_FINDINGS
    return EXIT_OK


def _check_rule_options(config) -> None:
    from auditor.checks import REGISTRY

    for code in sorted(REGISTRY):
        if config.enabled(code):
            REGISTRY[code](config.options.get(code))


def _timed_out(job, limit: float) -> str:
    from auditor.i18n import get_lang, t

    shown = f"{limit:g}" if get_lang() == "en" else f"{limit:g}".replace(".", ",")
    return t("run.timeout", file=display_path(job.path), limit=shown)


def _died(job, why: str) -> str:
    from auditor.i18n import t

    return t("run.died", file=display_path(job.path), why=why)


def _internal(exc: BaseException) -> str:
    """The reason recorded for a file whose analysis failed inside the auditor (no repr)."""
    return (f"lỗi nội bộ khi phân tích tệp, đã bỏ qua tệp này "
            f"(internal error while analysing: {type(exc).__name__})")


def _escape_markup(s: str) -> str:
    from rich.markup import escape

    return escape(s)


# --- numbers, tables, eval ----------------------------------------------------------------------

def _cmd_numbers(args, stdout) -> int:
    from auditor.numbers import scan
    from auditor.textutil import LineIndex

    doc = _read_one(args.path)
    lines = LineIndex(doc.text)
    mentions = scan(doc.text)
    if args.format == "json":
        rows = [{"raw": q.raw, "kind": q.kind.value, "value": q.value if q.is_quantity else None,
                 "denominator": q.denominator, "high": q.high, "unit": q.unit, "bound": q.bound,
                 "ambiguous": q.ambiguous, "alt_value": q.alt_value, "start": q.start, "end": q.end,
                 "line": lines.locate(q.start)[0], "note": q.note} for q in mentions]
        stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return EXIT_OK
    from rich.table import Table

    t = Table(title=f"Các con số trong {doc.path}")
    for col in ("Dòng", "Viết", "Loại", "Giá trị", "Đơn vị", "Ghi chú"):
        t.add_column(col)
    for q in mentions:
        if not q.is_quantity:
            val = "—"
        elif q.denominator is not None:
            val = f"{q.value:g}/{q.denominator:g}"
        elif q.high is not None:
            val = f"{q.value:g}–{q.high:g}"
        else:
            val = f"{q.bound or ''}{q.value:g}"
        note = (q.note or "") + (f" (mơ hồ: hoặc {q.alt_value:g})" if q.ambiguous and q.alt_value is not None else "")
        t.add_row(str(lines.locate(q.start)[0]), q.raw.replace("\n", " "), q.kind.value, val, q.unit or "", note)
    _console(stdout).print(t)
    return EXIT_OK


def _cmd_tables(args, stdout) -> int:
    from auditor.tables import find_tables

    doc = _read_one(args.path)
    tables = find_tables(doc.text)
    if args.format == "json":
        out = [{"index": t.index, "kind": t.kind.value, "layout": t.layout, "columns": [list(c) for c in t.columns],
                "roles": list(t.roles),
                "header_repairs": _header_repairs(t),
                "rows": [{"code": r.code, "label": r.label, "unit": r.unit, "note": r.note, "total": r.is_total,
                          "parent": r.parent, "cells": [{"col": c.col, "text": c.text,
                                                         "value": c.quantity.value if c.quantity else None,
                                                         "start": c.start, "end": c.end} for c in r.cells]}
                         for r in t.rows]} for t in tables]
        stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
        return EXIT_OK
    from rich.table import Table

    console = _console(stdout)
    for t in tables:
        indicator = t.kind.value == "indicator"
        rt = Table(title=f"Bảng {t.index} ({t.kind.value}, {t.layout})", show_lines=False)
        rt.add_column("STT")
        rt.add_column("Chỉ tiêu / dòng", max_width=60)
        read = {c.col for r in t.rows for c in r.cells}
        data_cols = ([i for i, role in enumerate(t.roles) if role in ("value", "plan") and i in read] if indicator
                     else sorted(read))
        if indicator:
            rt.add_column("ĐVT", max_width=16)
        repairs = {c: (read, score) for c, read, score in _header_repairs(t)}
        for c in data_cols:
            head = " / ".join(t.columns[c]) if c < len(t.columns) else str(c)
            if indicator and c < len(t.roles) and t.roles[c] == "plan":
                head += " (kế hoạch)"
            if c in repairs:  # a header slip read through (rules/concepts.yaml fuzzy.header_ratio)
                head += f" → {repairs[c][0]} ({repairs[c][1]:g})"
            rt.add_column(head, max_width=22, justify="right")
        if indicator:
            rt.add_column("Ghi chú", max_width=24)
        for r in t.rows:
            by = {c.col: c for c in r.cells}
            vals = [(by[c].quantity.raw if by.get(c) and by[c].quantity else (by[c].text if c in by else ""))
                    for c in data_cols]
            row = [r.code, ("  " * _depth(t, r)) + r.label]
            if indicator:
                row.append(r.unit)
            tail = [r.note] if indicator else []
            rt.add_row(*row, *vals, *tail, style="bold" if r.is_total else None)
        console.print(rt)
    return EXIT_OK


def _header_repairs(t) -> list[tuple[int, str, float]]:
    """(column, how its header was read, fuzzy score) for the header cells read through a slip."""
    from auditor.concepts import lexicon

    lex, out = lexicon(), []
    for i, path in enumerate(t.columns):
        fixed = [lex.header_repair(cell) for cell in path]
        scores = [score for _, score in fixed if score is not None]
        if scores:
            out.append((i, " / ".join(read for read, _ in fixed), min(scores)))
    return out


def _depth(t, r) -> int:
    d, p = 0, r.parent
    while p is not None and d < 6:
        d, p = d + 1, t.rows[p].parent
    return d


def _cmd_eval(args, stdout) -> int:
    from auditor.evaluate import evaluate_dir

    if not os.path.isdir(args.dir):
        raise UsageError(f"{args.dir}: không phải thư mục")
    res = evaluate_dir(args.dir)
    if args.format == "json":
        stdout.write(json.dumps(res, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    from rich.table import Table

    console = _console(stdout)
    t = Table(title="Độ phủ theo loại (required)")
    for c in ("Loại", "Cần tìm", "Tìm được", "Recall"):
        t.add_column(c)
    for k, v in res["per_kind"].items():
        t.add_row(k, str(v["required"]), str(v["found"]), f"{v['recall']:.0%}" if v["recall"] is not None else "—")
    console.print(t)
    for r in res["reports"]:
        console.print(f"{r['report']}: required {r['found']}/{r['required']}, "
                      f"serious {r['serious']}, unmatched {len(r['unmatched'])}, all findings {r['findings']}")
        for m in r["missed"]:
            console.print(f"   [red]missed[/red]: {m}")
        for u in r["unmatched"]:
            console.print(f"   [yellow]unmatched[/yellow]: {u[:150]}")
    console.print(f"Recall {res['recall']:.1%} ({res['found']}/{res['required']}), "
                  f"precision {res['precision']:.1%} ({res['serious'] - res['unmatched']}/{res['serious']} "
                  "phát hiện nghiêm trọng khớp gold)")
    return EXIT_OK
